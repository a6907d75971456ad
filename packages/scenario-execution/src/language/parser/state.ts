/**
 * The parser's token cursor, shared by the parts of the parser (types,
 * expressions, behaviours, declarations; each extends the one before): moving
 * over tokens, expecting them, reporting errors and recovering from them.
 */
import { type Location, OscError, type SourceFile } from '../diagnostics.js';
import type { Lexer } from '../lexer.js';
import { describeToken, type Token, TokenKind } from '../tokens.js';

/** Thrown inside the parser to abandon the current line; caught at line/block level. */
export class ParseAbort extends Error {}

/** Thrown when the error limit is reached: parsing ends, with the errors found so far. */
export class ParseStop extends Error {}

/** Tokens the lexer reads ahead of the parser, at most: how far past the first error the file is read. */
const LEX_AHEAD = 512;

/** Tokens kept before the parser lets the consumed ones go (at a line end), in one move. */
const FORGET_AFTER = 2048;

/** Most errors one parse reports (of each sort: syntax, not supported); past that they are noise. */
export const MAX_ERRORS = 100;

/**
 * The one empty list of every node without items (arguments, `with:` members…): syntax
 * trees are never modified, and a large tree holds thousands of them.
 */
export const NO_ITEMS: readonly never[] = [];

/**
 * `items` as an exact-size list: one that grew by `push` keeps room for at least 16
 * more, and a large tree holds thousands of short lists (kept alive by the model).
 */
export function exactList<T>(items: T[]): readonly T[] {
  return items.length === 0 ? NO_ITEMS : items.slice();
}

/** Thrown for a `do` member that was reported as not supported and left out. */
export class SkipMember extends Error {}

export class ParserState {
  /** Constructs that are not supported, reported by `notSupported`. */
  readonly unsupported: OscError[] = [];
  protected pos = 0;
  /** End offset of the last real (non-layout) token consumed. */
  protected lastEnd = 0;
  /** How many of the lexer's errors lie before the parser's position (they count toward the limit). */
  private lexicalErrorsPassed = 0;
  /** The lexer's tokens from the current logical line on (it lexes on demand, see `tokenAtIndex`). */
  protected readonly tokens: readonly Token[];

  constructor(
    protected readonly file: SourceFile,
    private readonly lexer: Lexer,
    /** The parser's syntax errors (the lexer's are in `lexer.errors`). */
    protected readonly errors: OscError[],
    /** Stop (ParseStop) once this many syntax errors are known and the parser has moved past them. */
    private readonly errorLimit = MAX_ERRORS,
  ) {
    this.tokens = lexer.tokens;
  }

  protected get token(): Token {
    // Checked, not read past the end: reading past an array's end is slow in V8.
    const pos = this.pos;
    return pos < this.tokens.length ? (this.tokens[pos] as Token) : this.tokenAtIndex(pos);
  }

  protected peek(offset: number): Token {
    const index = this.pos + offset;
    return index < this.tokens.length ? (this.tokens[index] as Token) : this.tokenAtIndex(index);
  }

  /** The token at `index`, lexing up to it; past the end, EOF. */
  private tokenAtIndex(index: number): Token {
    const tokens = this.tokens;
    // In batches: lexing token by token between parser steps is markedly slower.
    while (index >= tokens.length && this.lexer.fill(LEX_AHEAD)) {
      // Adds tokens each round.
    }
    return tokens[Math.min(index, tokens.length - 1)] as Token;
  }

  protected advance(): Token {
    const token = this.token;
    this.stopAtLimit(token);
    if (token.kind !== TokenKind.EOF) this.pos++;
    if (token.kind > TokenKind.Dedent) this.lastEnd = token.end;
    else if (token.kind === TokenKind.Newline && this.pos >= FORGET_AFTER) {
      // Nothing looks back past a line's end: let the tokens before it go (short-lived garbage is cheap).
      this.lexer.forget(this.pos);
      this.pos = 0;
    }
    return token;
  }

  protected at(kind: TokenKind): boolean {
    return this.token.kind === kind;
  }

  protected atKeyword(word: string): boolean {
    const token = this.token;
    return token.kind === TokenKind.Keyword && token.text === word;
  }

  protected eat(kind: TokenKind): boolean {
    if (this.token.kind !== kind) return false;
    this.advance();
    return true;
  }

  protected eatKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.advance();
    return true;
  }

  /** Consumes a token of `kind` or fails with `expected <what> <context>`. */
  protected expect(kind: TokenKind, what: string, context: string): Token {
    if (this.token.kind !== kind) {
      if (kind === TokenKind.RParen || kind === TokenKind.RBracket) this.failClose(`expected ${what} ${context}`);
      this.fail(`expected ${what} ${context}`);
    }
    return this.advance();
  }

  /**
   * A closing bracket is missing. Line breaks inside brackets do not end a
   * line, so the error may show up lines later: then name the open bracket.
   */
  private failClose(message: string): never {
    let depth = 0;
    for (let i = this.pos - 1; i >= 0; i--) {
      const token = this.tokens[i] as Token;
      const kind = token.kind;
      if (kind === TokenKind.Newline) break;
      if (kind === TokenKind.RParen || kind === TokenKind.RBracket) depth++;
      else if (kind === TokenKind.LParen || kind === TokenKind.LBracket) {
        if (depth === 0) {
          if (token.line < this.token.line) {
            const found = `${message}, found ${describeToken(this.token)}`;
            return this.failExact(`${found} (unclosed '${token.text}' at line ${token.line})`, this.token);
          }
          break;
        }
        depth--;
      }
    }
    return this.fail(message);
  }

  protected expectKeyword(word: string, context: string): Token {
    if (!this.atKeyword(word)) this.fail(`expected '${word}' ${context}`);
    return this.advance();
  }

  /** Ends a statement: expects the end of the logical line. */
  protected expectNewline(context: string): void {
    if (this.token.kind === TokenKind.Newline) {
      this.advance();
      return;
    }
    this.fail(`expected end of line ${context}`);
  }

  /** Ends a statement whose node was built (up to the line's last token): expects the end of the line. */
  protected endStatement<T>(node: T, context: string): T {
    this.expectNewline(context);
    return node;
  }

  protected location(token: Token): Location {
    if (token.loc === undefined) token.loc = { file: this.file, line: token.line, column: token.column };
    return token.loc;
  }

  /** Records a syntax error at the current token and abandons the line; `hint` goes last (`; did you mean …`). */
  protected fail(message: string, at: Token = this.token, hint = ''): never {
    const text = at.kind === TokenKind.Indent ? 'unexpected indent' : `${message}, found ${describeToken(at)}${hint}`;
    return this.failExact(text, at);
  }

  /** Records a syntax error with an exact message (no "found …" suffix) and abandons the line. */
  protected failExact(message: string, at: Token): never {
    this.report(message, at);
    throw new ParseAbort(message);
  }

  /** Records a syntax error without abandoning the line; one error per line is enough. */
  protected report(message: string, at: Token): void {
    const onLine = (error: OscError) => error.location?.line === at.line;
    if (this.errors.some(onLine) || this.lexer.errors.some(onLine)) return;
    this.errors.push(new OscError(message, this.location(at)));
    this.stopAtLimit(at);
  }

  /**
   * Stops parsing (ParseStop) once the limit is reached by the parser's errors and
   * the lexer's errors up to `at`: the lexer runs ahead, and a parser error before
   * one of its errors must still be found.
   */
  private stopAtLimit(at: Token): void {
    const lexical = this.lexer.errors;
    while (this.lexicalErrorsPassed < lexical.length) {
      const loc = (lexical[this.lexicalErrorsPassed] as OscError).location;
      if (loc !== undefined && (loc.line > at.line || (loc.line === at.line && loc.column > at.column))) break;
      this.lexicalErrorsPassed++;
    }
    if (this.errors.length + this.lexicalErrorsPassed >= this.errorLimit) throw new ParseStop();
  }

  /** Records `<construct> is not supported` at `at`; parsing goes on. */
  protected notSupported(construct: string, at: Token | Location): void {
    if (this.unsupported.length >= MAX_ERRORS) return;
    const loc = 'kind' in at ? this.location(at) : at;
    this.unsupported.push(new OscError(`${construct} is not supported`, loc));
  }

  /**
   * End offset of a node that started at `start` and ends with the last consumed token.
   * Nodes spell out their position fields (`loc: this.location(start), start: start.start,
   * end: this.endOf(start)`) rather than spreading a shared object: a spread after `kind`
   * is copied in the runtime, slowly, and leaves every node with an extra property store.
   */
  protected endOf(start: Token): number {
    return Math.max(this.lastEnd, start.end);
  }

  /** Token starting at a given offset (for errors that point at an already parsed node). */
  protected tokenAt(offset: number): Token {
    for (let i = Math.min(this.pos, this.tokens.length - 1); i >= 0; i--) {
      const token = this.tokens[i] as Token;
      if (token.start === offset && token.kind > TokenKind.Dedent) return token;
    }
    return this.token;
  }

  /**
   * Skips the rest of a broken line: up to and including its Newline, plus any
   * indented block that follows it. Stops before a Dedent closing the current block.
   */
  protected recover(): void {
    let depth = 0;
    while (true) {
      const kind = this.token.kind;
      if (kind === TokenKind.EOF) return;
      if (kind === TokenKind.Indent) depth++;
      else if (kind === TokenKind.Dedent) {
        if (depth === 0) return;
        depth--;
        this.advance();
        if (depth === 0 && !this.at(TokenKind.Indent)) return;
        continue;
      } else if (kind === TokenKind.Newline && depth === 0) {
        this.advance();
        if (!this.at(TokenKind.Indent)) return;
        continue;
      }
      this.advance();
    }
  }

  /**
   * An indented block (after its `:` and line break): items until the closing
   * Dedent. A broken item is skipped (with its own nested block); a missing
   * block is reported and yields no items.
   */
  protected parseIndented<T>(what: string, parseItem: () => T | undefined): readonly T[] {
    if (!this.at(TokenKind.Indent)) {
      this.report(`expected an indented block ${what}, found ${describeToken(this.token)}`, this.token);
      return NO_ITEMS;
    }
    const items: T[] = [];
    this.advance();
    while (!this.at(TokenKind.Dedent) && !this.at(TokenKind.EOF)) {
      try {
        if (this.at(TokenKind.Indent)) this.failExact('unexpected indent', this.token);
        const item = parseItem();
        if (item !== undefined) items.push(item);
      } catch (error) {
        if (error instanceof SkipMember) continue;
        if (!(error instanceof ParseAbort)) throw error;
        this.recover();
      }
    }
    this.eat(TokenKind.Dedent);
    return exactList(items);
  }
}
