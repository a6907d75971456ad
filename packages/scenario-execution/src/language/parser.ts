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
 * reported at once by `parseWithErrors`.
 *
 * The parser is split by concern, each part extending the one before:
 * parser/state.ts (token cursor, errors, recovery) → types.ts → expressions.ts
 * → behaviours.ts → declarations.ts (the file and its declarations).
 */
import type * as Ast from './ast.js';
import type { OscError, SourceFile } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { DeclarationParser } from './parser/declarations.js';

export interface ParseResult {
  /** The tree; parts that had errors are left out. */
  readonly ast: Ast.OscFile;
  /** Syntax errors first (in source order), then constructs that are not supported (in source order). */
  readonly errors: OscError[];
}

/** Parses a file; throws the first error as an `OscError`. */
export function parse(file: SourceFile): Ast.OscFile {
  const result = parseWithErrors(file);
  const first = result.errors[0];
  if (first) throw first;
  return result.ast;
}

/** Parses a file, collecting all errors found (with line-level recovery). */
export function parseWithErrors(file: SourceFile): ParseResult {
  const syntaxErrors: OscError[] = [];
  const tokens = tokenize(file, syntaxErrors);
  const parser = new DeclarationParser(file, tokens, syntaxErrors);
  const ast = parser.parseFile();
  const byPosition = (a: OscError, b: OscError) =>
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  syntaxErrors.sort(byPosition);
  parser.unsupported.sort(byPosition);
  return { ast, errors: [...syntaxErrors, ...parser.unsupported] };
}
