/**
 * Hand-written scanner: source text → tokens, with Python-style significant
 * indentation turned into Indent/Dedent tokens.
 *
 * Rules (as in the reference grammar):
 * - A logical line ends with a Newline token. Inside (), [] line breaks are
 *   ignored, and so is a line break right after a `\` (line joining).
 * - Blank lines and lines holding only comments produce no tokens.
 * - Indentation is the width of the leading blanks; a tab advances to the next
 *   multiple of 8. A deeper line opens a block (Indent); a shallower one closes
 *   blocks (one Dedent each) and must match an enclosing level exactly.
 * - Comments: `#` to end of line, `/* … *\/` anywhere.
 * - Numbers are unsigned (the parser handles signs). Besides the grammar's
 *   forms, `1e3` (exponent without fraction) is a float.
 *
 * The lexer runs on demand (`fill`), a bounded number of tokens ahead of the
 * parser: a syntax error near the start of a huge file is reported without
 * lexing the rest.
 */
import { type Location, OscError, type SourceFile } from './diagnostics.js';
import { KEYWORDS, type Token, TokenKind } from './tokens.js';

// Character codes used by the scanner.
const TAB = 9;
const LF = 10;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const UPPER_A = 65;
const UPPER_Z = 90;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LOWER_A = 97;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_X = 120;
const LOWER_Z = 122;
const PIPE = 124;

/** The rest of an identifier, and the rest of a line (sticky: they match at `lastIndex`). */
const IDENTIFIER_REST = /[A-Za-z0-9_]*/y;
const LINE_REST = /[^\n\r\f]*/y;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isLetter(c: number): boolean {
  return (c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z);
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isLineBreak(c: number): boolean {
  return c === LF || c === CR || c === FF;
}

/**
 * Splits a whole source file into tokens. Lexical errors are appended to `errors`
 * (the offending characters are skipped) so the parser can still report more.
 */
export function tokenize(file: SourceFile, errors: OscError[] = []): Token[] {
  const lexer = new Lexer(file, errors);
  while (lexer.fill(4096)) {
    // Each round adds tokens; the last one is EOF.
  }
  return lexer.tokens;
}

/** An open `(` or `[`, for "never closed" errors. */
interface OpenBracket {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export class Lexer {
  /** The tokens lexed and not yet forgotten; the last one is EOF once `done`. */
  readonly tokens: Token[] = [];
  /** True once the end of the input was reached (EOF is in `tokens`). */
  done = false;
  private readonly text: string;
  private readonly length: number;
  /** When set, tokens and errors are not recorded (the scan after the parser stopped). */
  private discard = false;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Open (, [ not yet closed: line breaks inside are not significant. */
  private depth = 0;
  /** The open brackets, outermost first (for "never closed" errors). */
  private readonly openBrackets: OpenBracket[] = [];
  /** Indentation widths of the open blocks; the outermost level 0 is implicit. */
  private readonly indents: number[] = [];
  /** True when the next token starts a logical line (indentation still to check). */
  private atLineStart = true;

  constructor(
    private readonly file: SourceFile,
    /** Where lexical errors go (the parser reads them for its error limit). */
    readonly errors: OscError[],
  ) {
    this.text = file.text;
    this.length = file.text.length;
    // A byte order mark is not part of the text.
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  /** How far the text has been read (an offset). */
  get offset(): number {
    return this.pos;
  }

  /** Drops the first `count` tokens (the parser is done with them). */
  forget(count: number): void {
    const tokens = this.tokens;
    tokens.copyWithin(0, count);
    tokens.length -= count;
  }

  /** Lexes until at least `count` more tokens are in `tokens` (or the end); false when none was added. */
  fill(count = 1): boolean {
    const before = this.tokens.length;
    const wanted = before + count;
    while (!this.done && this.tokens.length < wanted) this.step();
    return this.tokens.length > before;
  }

  /**
   * After the parser stopped early: whether an open bracket at or before `line:column`
   * is never closed. Lexes on without recording anything until it closes (usually
   * soon) or the input ends; in the latter case records the "never closed" error.
   */
  finishOpenBracketsBefore(line: number, column: number): void {
    const outermost = this.openBrackets[0];
    if (outermost === undefined || outermost.line > line || (outermost.line === line && outermost.column > column)) {
      return;
    }
    this.discard = true;
    while (!this.done && this.openBrackets[0] === outermost) this.step();
    this.discard = false;
    if (this.openBrackets[0] === outermost) this.reportNeverClosed(outermost);
  }

  /** One token (or a skipped bad character), with the trivia and layout before it; EOF at the end. */
  private step(): void {
    const text = this.text;
    this.skipTrivia();
    if (this.pos >= this.length) {
      this.endOfInput();
      this.done = true;
      return;
    }
    if (this.atLineStart) {
      this.atLineStart = false;
      this.indentation();
    }
    const c = text.charCodeAt(this.pos);
    if (isLetter(c)) this.identifier();
    else if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(this.pos + 1)))) this.number();
    else if (c === DQUOTE || c === SQUOTE) this.string(c);
    else if (c === PIPE) this.quotedIdentifier();
    else this.punctuation(c);
  }

  /**
   * Skips blanks, comments, line joins and line breaks. A line break that ends
   * a logical line (outside brackets, after at least one token) emits Newline.
   */
  private skipTrivia(): void {
    const text = this.text;
    const length = this.length;
    while (this.pos < length) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) {
        this.pos++;
      } else if (isLineBreak(c)) {
        if (this.depth === 0 && !this.atLineStart) {
          this.push(TokenKind.Newline, this.pos, this.pos + 1, '');
          this.atLineStart = true;
        }
        this.lineBreak();
      } else if (c === HASH) {
        LINE_REST.lastIndex = this.pos;
        LINE_REST.test(text);
        this.pos = LINE_REST.lastIndex;
      } else if (c === SLASH && text.charCodeAt(this.pos + 1) === STAR) {
        this.blockComment();
      } else if (c === BACKSLASH && this.lineJoin()) {
        // The line break after the backslash was consumed: the logical line continues.
      } else {
        return;
      }
    }
  }

  /** Consumes one line break (\n, \r\n, \r or \f) and starts a new line. */
  private lineBreak(): void {
    const c = this.text.charCodeAt(this.pos);
    this.pos += c === CR && this.text.charCodeAt(this.pos + 1) === LF ? 2 : 1;
    this.line++;
    this.lineStart = this.pos;
  }

  private blockComment(): void {
    const start = this.pos;
    const line = this.line;
    const column = start - this.lineStart + 1;
    this.pos += 2;
    const text = this.text;
    while (this.pos < this.length) {
      const c = text.charCodeAt(this.pos);
      if (c === STAR && text.charCodeAt(this.pos + 1) === SLASH) {
        this.pos += 2;
        return;
      }
      if (isLineBreak(c)) this.lineBreak();
      else this.pos++;
    }
    this.errorAt(line, column, 'unterminated comment: missing */');
  }

  /** `\` followed by optional blanks and a line break joins two lines. */
  private lineJoin(): boolean {
    const text = this.text;
    let p = this.pos + 1;
    while (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB) p++;
    const c = text.charCodeAt(p);
    if (c !== LF && c !== CR) return false;
    this.pos = p;
    this.lineBreak();
    return true;
  }

  /** Emits Indent/Dedent for the first token of a logical line at `pos`. */
  private indentation(): void {
    if (this.depth > 0) return;
    const text = this.text;
    let width = 0;
    for (let p = this.lineStart; p < this.pos; p++) {
      // Blanks and any comment text before the first token count as columns.
      width = text.charCodeAt(p) === TAB ? width + 8 - (width % 8) : width + 1;
    }
    const indents = this.indents;
    const current = indents.length > 0 ? (indents[indents.length - 1] as number) : 0;
    if (width > current) {
      indents.push(width);
      this.push(TokenKind.Indent, this.pos, this.pos, '');
      return;
    }
    while (indents.length > 0 && (indents[indents.length - 1] as number) > width) {
      indents.pop();
      this.push(TokenKind.Dedent, this.pos, this.pos, '');
    }
    const outer = indents.length > 0 ? (indents[indents.length - 1] as number) : 0;
    if (outer !== width) {
      this.errorAt(this.line, this.pos - this.lineStart + 1, 'unindent does not match any outer indentation level');
    }
  }

  private endOfInput(): void {
    const unclosed = this.openBrackets[0];
    if (unclosed !== undefined && !this.discard) this.reportNeverClosed(unclosed);
    const last = this.tokens[this.tokens.length - 1];
    if (last !== undefined && last.kind !== TokenKind.Newline) {
      this.push(TokenKind.Newline, this.pos, this.pos, '');
    }
    for (let i = 0; i < this.indents.length; i++) this.push(TokenKind.Dedent, this.pos, this.pos, '');
    this.indents.length = 0;
    this.push(TokenKind.EOF, this.pos, this.pos, '');
  }

  private identifier(): void {
    const text = this.text;
    const start = this.pos;
    // A sticky regular expression scans in native code: faster than a character
    // loop while the lexer is still cold (it lexes the bundled libraries at start-up).
    IDENTIFIER_REST.lastIndex = start + 1;
    IDENTIFIER_REST.test(text);
    const p = IDENTIFIER_REST.lastIndex;
    this.pos = p;
    const word = text.slice(start, p);
    this.push(KEYWORDS.has(word) ? TokenKind.Keyword : TokenKind.Identifier, start, p, word, word);
  }

  /** `|any text|`: a name that may hold any character but `|` (and no line break). */
  private quotedIdentifier(): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    while (p < this.length) {
      const c = text.charCodeAt(p);
      if (c === PIPE || isLineBreak(c)) break;
      p++;
    }
    if (text.charCodeAt(p) !== PIPE) {
      this.errorAt(this.line, start - this.lineStart + 1, "unterminated quoted identifier: missing closing '|'");
      this.pos = p;
      return;
    }
    if (p === start + 1) {
      this.errorAt(this.line, start - this.lineStart + 1, 'empty quoted identifier');
      this.pos = p + 1;
      return;
    }
    this.pos = p + 1;
    this.push(TokenKind.Identifier, start, p + 1, text.slice(start, p + 1), text.slice(start + 1, p));
  }

  private number(): void {
    const text = this.text;
    const start = this.pos;
    let p = start;
    if (text.charCodeAt(p) === ZERO && text.charCodeAt(p + 1) === LOWER_X && isHexDigit(text.charCodeAt(p + 2))) {
      p += 2;
      while (isHexDigit(text.charCodeAt(p))) p++;
      this.pos = p;
      this.push(TokenKind.HexInteger, start, p, text.slice(start, p));
      return;
    }
    let isFloat = false;
    while (isDigit(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) === DOT && isDigit(text.charCodeAt(p + 1))) {
      isFloat = true;
      p++;
      while (isDigit(text.charCodeAt(p))) p++;
    }
    const e = text.charCodeAt(p);
    if (e === LOWER_E || e === UPPER_E) {
      // Only an exponent if digits follow; otherwise `e…` is a unit name (`2 e`).
      let q = p + 1;
      const sign = text.charCodeAt(q);
      if (sign === PLUS || sign === MINUS) q++;
      if (isDigit(text.charCodeAt(q))) {
        isFloat = true;
        p = q;
        while (isDigit(text.charCodeAt(p))) p++;
      }
    }
    this.pos = p;
    this.push(isFloat ? TokenKind.Float : TokenKind.Integer, start, p, text.slice(start, p));
  }

  /** Short ('…', "…") and long ('''…''', """…""") strings with backslash escapes. */
  private string(quote: number): void {
    const text = this.text;
    const start = this.pos;
    const line = this.line;
    const column = start - this.lineStart + 1;
    const long = text.charCodeAt(start + 1) === quote && text.charCodeAt(start + 2) === quote;
    let p = start + (long ? 3 : 1);
    const bodyStart = p;
    while (true) {
      if (p >= this.length) {
        this.pos = p;
        this.unterminatedString(line, column, 'unterminated string literal');
        return;
      }
      const c = text.charCodeAt(p);
      if (c === BACKSLASH) {
        const next = text.charCodeAt(p + 1);
        if (next === CR || next === LF || next === FF) {
          this.pos = p + 1;
          this.lineBreak();
          p = this.pos;
        } else {
          p += 2;
        }
      } else if (c === quote && (!long || (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote))) {
        break;
      } else if (c === LF || c === CR || c === FF) {
        if (!long) {
          this.pos = p;
          this.unterminatedString(
            line,
            column,
            'unterminated string literal (a line break ends it; use \'\'\' or """ for text over several lines)',
          );
          return;
        }
        this.pos = p;
        this.lineBreak();
        p = this.pos;
      } else {
        p++;
      }
    }
    const bodyEnd = p;
    p += long ? 3 : 1;
    this.pos = p;
    if (this.discard) return;
    const value = decodeEscapes(text.slice(bodyStart, bodyEnd));
    this.tokens.push({
      kind: TokenKind.String,
      start,
      end: p,
      line,
      column,
      text: text.slice(start, p),
      value,
      loc: undefined,
    });
  }

  /**
   * A string runs to the end of its line (or file). The brackets opened on its
   * line before it are taken as closed: the string most likely swallowed their
   * closing bracket (`log("text)`), and the error to show is the string's.
   */
  private unterminatedString(line: number, column: number, message: string): void {
    this.errorAt(line, column, message);
    const brackets = this.openBrackets;
    while (brackets.length > 0 && (brackets[brackets.length - 1] as OpenBracket).line === line) {
      brackets.pop();
      this.depth--;
    }
  }

  private punctuation(c: number): void {
    const start = this.pos;
    const next = this.text.charCodeAt(start + 1);
    let kind: TokenKind;
    let size = 1;
    switch (c) {
      case LPAREN:
        kind = TokenKind.LParen;
        this.open(start);
        break;
      case RPAREN:
        kind = TokenKind.RParen;
        this.close();
        break;
      case LBRACKET:
        kind = TokenKind.LBracket;
        this.open(start);
        break;
      case RBRACKET:
        kind = TokenKind.RBracket;
        this.close();
        break;
      case COMMA:
        kind = TokenKind.Comma;
        break;
      case COLON:
        kind = TokenKind.Colon;
        break;
      case DOT:
        if (next === DOT) {
          kind = TokenKind.DotDot;
          size = 2;
        } else kind = TokenKind.Dot;
        break;
      case EQ:
        if (next === EQ) {
          kind = TokenKind.Eq;
          size = 2;
        } else if (next === GT) {
          kind = TokenKind.FatArrow;
          size = 2;
        } else kind = TokenKind.Assign;
        break;
      case BANG:
        if (next === EQ) {
          kind = TokenKind.NotEq;
          size = 2;
        } else kind = TokenKind.Bang;
        break;
      case LT:
        if (next === EQ) {
          kind = TokenKind.LtEq;
          size = 2;
        } else kind = TokenKind.Lt;
        break;
      case GT:
        if (next === EQ) {
          kind = TokenKind.GtEq;
          size = 2;
        } else kind = TokenKind.Gt;
        break;
      case PLUS:
        kind = TokenKind.Plus;
        break;
      case MINUS:
        if (next === GT) {
          kind = TokenKind.Arrow;
          size = 2;
        } else kind = TokenKind.Minus;
        break;
      case STAR:
        kind = TokenKind.Star;
        break;
      case SLASH:
        kind = TokenKind.Slash;
        break;
      case PERCENT:
        kind = TokenKind.Percent;
        break;
      case AT:
        kind = TokenKind.At;
        break;
      case QUESTION:
        kind = TokenKind.Question;
        break;
      default: {
        const ch = String.fromCodePoint(this.text.codePointAt(start) as number);
        const shown = c === BACKSLASH ? "'\\' (a line join must be the last character of its line)" : `'${ch}'`;
        this.errorAt(this.line, start - this.lineStart + 1, `unexpected character ${shown}`);
        this.pos += ch.length;
        return;
      }
    }
    this.pos = start + size;
    this.push(kind, start, start + size, this.text.slice(start, start + size));
  }

  private open(offset: number): void {
    this.depth++;
    this.openBrackets.push({ offset, line: this.line, column: offset - this.lineStart + 1 });
  }

  private close(): void {
    if (this.depth === 0) return;
    this.depth--;
    this.openBrackets.pop();
  }

  private push(kind: TokenKind, start: number, end: number, text: string, value = ''): void {
    if (this.discard) return;
    const column = start - this.lineStart + 1;
    this.tokens.push({ kind, start, end, line: this.line, column, text, value, loc: undefined });
  }

  private reportNeverClosed(bracket: OpenBracket): void {
    const loc: Location = { file: this.file, line: bracket.line, column: bracket.column };
    this.errors.push(new OscError(`'${this.text[bracket.offset]}' is never closed`, loc));
  }

  private errorAt(line: number, column: number, message: string): void {
    if (this.discard) return;
    const loc: Location = { file: this.file, line, column };
    this.errors.push(new OscError(message, loc));
  }
}

/**
 * Decodes backslash escapes the way the reference engine does for string
 * values (Python's `unicode_escape`): \\ \' \" \a \b \f \n \r \t \v, octal
 * \ooo, \xhh, \uhhhh, \Uhhhhhhhh; a backslash before a line break removes
 * both; any other backslash stays as written.
 */
export function decodeEscapes(body: string): string {
  let i = body.indexOf('\\');
  if (i < 0) return body;
  let out = body.slice(0, i);
  const n = body.length;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c !== BACKSLASH || i + 1 >= n) {
      out += body[i];
      i++;
      continue;
    }
    const e = body[i + 1] as string;
    i += 2;
    switch (e) {
      case '\\':
        out += '\\';
        break;
      case "'":
        out += "'";
        break;
      case '"':
        out += '"';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\n':
        break;
      case '\r':
        if (body[i] === '\n') i++;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + digits);
        if (hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
          const code = Number.parseInt(hex, 16);
          if (code <= 0x10ffff) {
            out += String.fromCodePoint(code);
            i += digits;
            break;
          }
        }
        out += `\\${e}`;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let j = i;
          while (j < n && j < i + 2 && (body[j] as string) >= '0' && (body[j] as string) <= '7') j++;
          out += String.fromCharCode(Number.parseInt(body.slice(i - 1, j), 8));
          i = j;
        } else {
          out += `\\${e}`;
        }
    }
  }
  return out;
}
