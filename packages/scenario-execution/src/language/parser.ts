/**
 * Hand-written recursive-descent parser: tokens → syntax tree (ast.ts).
 *
 * Follows the reference grammar (OpenSCENARIO2.g4). Constructs the reference
 * engine always rejects are parsed (so their syntax is still checked) and then
 * reported as `<construct> is not supported` at their first token; they do
 * not appear in the tree (see the list at the top of ast.ts).
 *
 * Errors: a syntax error abandons the current line (or block) and parsing
 * resumes at the next line of the same block, so several errors can be
 * reported at once by `parseWithErrors`, up to a limit: then parsing stops,
 * and the rest of the file is not even lexed (`parse` stops at the first).
 *
 * The parser is split by concern, each part extending the one before:
 * parser/state.ts (token cursor, errors, recovery) → types.ts → expressions.ts
 * → behaviours.ts → declarations.ts (the file and its declarations).
 */
import type * as Ast from './ast.js';
import type { OscError, SourceFile } from './diagnostics.js';
import { Lexer } from './lexer.js';
import { DeclarationParser } from './parser/declarations.js';
import { MAX_ERRORS } from './parser/state.js';

export interface ParseResult {
  /** The tree; parts that had errors are left out. */
  readonly ast: Ast.OscFile;
  /** Syntax errors first (in source order), then constructs that are not supported (in source order). */
  readonly errors: OscError[];
  /** Offset up to which the text was read: its length, unless parsing stopped at the error limit. */
  readonly readUpTo: number;
}

/** Parses a file; throws the first error as an `OscError`. Stops at the first syntax error. */
export function parse(file: SourceFile): Ast.OscFile {
  const result = parseWithErrors(file, { maxErrors: 1 });
  const first = result.errors[0];
  if (first) throw first;
  return result.ast;
}

export interface ParseOptions {
  /** Stop after this many syntax errors (default MAX_ERRORS): the rest of the file is not read. */
  readonly maxErrors?: number;
}

/** Parses a file, collecting the errors found (with line-level recovery), at most `maxErrors` syntax errors. */
export function parseWithErrors(file: SourceFile, options: ParseOptions = {}): ParseResult {
  const maxErrors = Math.max(1, options.maxErrors ?? MAX_ERRORS);
  const lexicalErrors: OscError[] = [];
  const lexer = new Lexer(file, lexicalErrors);
  const parserErrors: OscError[] = [];
  const parser = new DeclarationParser(file, lexer, parserErrors, maxErrors);
  const ast = parser.parseFile();
  const byPosition = (a: OscError, b: OscError) =>
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  // Stable sort: at the same place, the lexer's error (the cause) comes first.
  const firstError = [...lexicalErrors, ...parserErrors].sort(byPosition)[0]?.location;
  if (parser.stopped && firstError) {
    // A bracket opened before the first error and never closed is reported at the bracket, as in a full parse.
    lexer.finishOpenBracketsBefore(firstError.line, firstError.column);
  }
  const syntaxErrors = [...lexicalErrors, ...parserErrors].sort(byPosition);
  parser.unsupported.sort(byPosition);
  return { ast, errors: [...syntaxErrors.slice(0, maxErrors), ...parser.unsupported], readUpTo: lexer.offset };
}
