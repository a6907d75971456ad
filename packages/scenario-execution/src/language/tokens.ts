/** Tokens produced by the lexer (`lexer.ts`) and consumed by the parser. */
import type { Location } from './diagnostics.js';

export enum TokenKind {
  EOF = 0,
  /** End of a logical line (not emitted inside brackets or for blank/comment lines). */
  Newline = 1,
  /** The logical line is indented deeper than the enclosing block. */
  Indent = 2,
  /** The logical line closes one indented block (one token per closed block). */
  Dedent = 3,
  /** A name; `value` is the name (without `|…|` bars). */
  Identifier = 4,
  /** A reserved word of the grammar; `text` is the word. */
  Keyword = 5,
  /** Decimal integer, e.g. `42`. */
  Integer = 6,
  /** Hexadecimal integer, e.g. `0x1F`. */
  HexInteger = 7,
  /** `1.5`, `.5`, `1.5e-3`, `1e3`. */
  Float = 8,
  /** String literal; `value` is the decoded text. */
  String = 9,
  LParen = 10,
  RParen = 11,
  LBracket = 12,
  RBracket = 13,
  Comma = 14,
  Colon = 15,
  Dot = 16,
  /** `..` */
  DotDot = 17,
  /** `=` */
  Assign = 18,
  /** `==` */
  Eq = 19,
  /** `!=` */
  NotEq = 20,
  Lt = 21,
  LtEq = 22,
  Gt = 23,
  GtEq = 24,
  Plus = 25,
  Minus = 26,
  Star = 27,
  Slash = 28,
  Percent = 29,
  /** `!` (enum value reference `color!red`) */
  Bang = 30,
  /** `@` (event reference) */
  At = 31,
  /** `?` */
  Question = 32,
  /** `=>` */
  FatArrow = 33,
  /** `->` */
  Arrow = 34,
}

export interface Token {
  readonly kind: TokenKind;
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset after the last character. */
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start`. */
  readonly column: number;
  /** Source text of the token ('' for Indent/Dedent/EOF). */
  readonly text: string;
  /** Identifier name or decoded string value. */
  readonly value: string;
  /** The token's place, made once and shared by every node that starts at it (the parser sets it). */
  loc: Location | undefined;
}

/**
 * Reserved words: every word the grammar spells out literally. As in the
 * reference grammar, none of them can be used as a plain name (write `|m|`).
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'A',
  'K',
  'SI',
  'action',
  'actor',
  'and',
  'as',
  'bool',
  'call',
  'cd',
  'cover',
  'def',
  'default',
  'do',
  'elapsed',
  'emit',
  'enum',
  'event',
  'every',
  'expression',
  'extend',
  'external',
  'factor',
  'fall',
  'false',
  'float',
  'global',
  'hard',
  'if',
  'import',
  'in',
  'inherits',
  'int',
  'is',
  'it',
  'keep',
  'kg',
  'list',
  'm',
  'modifier',
  'mol',
  'not',
  'of',
  'offset',
  'on',
  'one_of',
  'only',
  'or',
  'parallel',
  'rad',
  'range',
  'record',
  'remove_default',
  'rise',
  's',
  'sample',
  'scenario',
  'serial',
  'string',
  'struct',
  'true',
  'type',
  'uint',
  'undefined',
  'unit',
  'until',
  'var',
  'wait',
  'with',
]);

/** The SI base unit names (keywords that may also name a unit). */
export const SI_BASE_UNITS: ReadonlySet<string> = new Set(['kg', 'm', 's', 'A', 'K', 'mol', 'cd', 'rad']);

/** How a token is named in error messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case TokenKind.EOF:
      return 'end of file';
    case TokenKind.Newline:
      return 'end of line';
    case TokenKind.Indent:
      return 'indent';
    case TokenKind.Dedent:
      return 'dedent';
    case TokenKind.Keyword:
      return `keyword '${token.text}'`;
    case TokenKind.String:
      return 'string literal';
    default:
      return `'${token.text}'`;
  }
}
