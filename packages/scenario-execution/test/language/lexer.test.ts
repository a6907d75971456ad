import { describe, expect, it } from 'vitest';
import { type OscError, SourceFile } from '../../src/language/diagnostics.js';
import { decodeEscapes, tokenize } from '../../src/language/lexer.js';
import { KEYWORDS, type Token, TokenKind } from '../../src/language/tokens.js';

const K = TokenKind;

function lex(text: string): { tokens: Token[]; errors: OscError[] } {
  const errors: OscError[] = [];
  const tokens = tokenize(new SourceFile('test.osc', text), errors);
  return { tokens, errors };
}

/** Token kinds of a source that must lex without errors. */
function kinds(text: string): TokenKind[] {
  const { tokens, errors } = lex(text);
  expect(errors.map((e) => e.message)).toEqual([]);
  return tokens.map((t) => t.kind);
}

/** Compact rendering: layout tokens by name, others by text. */
function shape(text: string): string {
  const { tokens, errors } = lex(text);
  expect(errors.map((e) => e.message)).toEqual([]);
  return tokens
    .map((t) => {
      switch (t.kind) {
        case K.Newline:
          return 'NL';
        case K.Indent:
          return 'IN';
        case K.Dedent:
          return 'DE';
        case K.EOF:
          return 'EOF';
        default:
          return t.text;
      }
    })
    .join(' ');
}

describe('lexer: layout', () => {
  it('ends a file without a trailing line break with a Newline', () => {
    expect(shape('a b')).toBe('a b NL EOF');
    expect(shape('a b\n')).toBe('a b NL EOF');
  });

  it('produces only EOF for an empty or blank file', () => {
    expect(kinds('')).toEqual([K.EOF]);
    expect(kinds('\n\n   \n\t\n# only a comment\n')).toEqual([K.EOF]);
  });

  it('emits Indent and Dedent for nested blocks', () => {
    const text = ['a:', '    b:', '        c', '    d', 'e', ''].join('\n');
    expect(shape(text)).toBe('a : NL IN b : NL IN c NL DE d NL DE e NL EOF');
  });

  it('closes every open block at the end of the file', () => {
    const text = ['a:', '  b:', '    c'].join('\n');
    expect(shape(text)).toBe('a : NL IN b : NL IN c NL DE DE EOF');
  });

  it('emits one Dedent per closed block when several close at once', () => {
    const text = ['a:', '  b:', '    c:', '      d', 'e'].join('\n');
    expect(shape(text)).toBe('a : NL IN b : NL IN c : NL IN d NL DE DE DE e NL EOF');
  });

  it('ignores blank lines and comment-only lines, whatever their indentation', () => {
    const text = ['a:', '', '      # deep comment', '    b', '  ', '# left comment', '    c', ''].join('\n');
    expect(shape(text)).toBe('a : NL IN b NL c NL DE EOF');
  });

  it('drops comments at the end of a line', () => {
    expect(shape('a b # comment ( [\nc')).toBe('a b NL c NL EOF');
  });

  it('skips block comments, also across lines', () => {
    expect(shape('a /* x */ b\nc /* one\ntwo */ d\ne')).toBe('a b NL c d NL e NL EOF');
  });

  it('counts a tab as advancing to the next multiple of 8', () => {
    // "\t" = 8, "    \t" = 8, "  \t  " = 10
    const same = ['a:', '\tb', '    \tc', ''].join('\n');
    expect(shape(same)).toBe('a : NL IN b NL c NL DE EOF');
    const deeper = ['a:', '\tb:', '  \t  c', ''].join('\n');
    expect(shape(deeper)).toBe('a : NL IN b : NL IN c NL DE DE EOF');
  });

  it('treats tabs and 8 spaces as the same level', () => {
    const text = ['a:', '\tb', '        c', ''].join('\n');
    expect(shape(text)).toBe('a : NL IN b NL c NL DE EOF');
  });

  it('suppresses line breaks and indentation inside () and []', () => {
    const text = ['f(a,', '      b,', '  [c,', 'd])', 'e'].join('\n');
    expect(shape(text)).toBe('f ( a , b , [ c , d ] ) NL e NL EOF');
  });

  it('joins lines after a backslash', () => {
    expect(shape('a = \\\n    b\nc')).toBe('a = b NL c NL EOF');
    expect(shape('a \\   \r\n  b')).toBe('a b NL EOF');
  });

  it('accepts \\r\\n, \\r and form feed as line breaks', () => {
    expect(shape('a\r\nb\rc\fd')).toBe('a NL b NL c NL d NL EOF');
  });

  it('ignores a byte order mark', () => {
    const { tokens, errors } = lex('\ufeffa:\n    b');
    expect(errors).toEqual([]);
    expect(tokens.map((t) => t.kind)).toEqual([
      K.Identifier,
      K.Colon,
      K.Newline,
      K.Indent,
      K.Identifier,
      K.Newline,
      K.Dedent,
      K.EOF,
    ]);
    expect(tokens[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('treats leading blanks on the first line as indentation', () => {
    expect(shape('  a')).toBe('IN a NL DE EOF');
  });

  it('reports an inconsistent dedent at the first token of the line', () => {
    const { errors } = lex(['a:', '    b', '  c', ''].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('unindent does not match any outer indentation level');
    expect(errors[0]?.location).toMatchObject({ line: 3, column: 3 });
  });
});

describe('lexer: positions', () => {
  it('gives 1-based line and column and 0-based offsets', () => {
    const { tokens } = lex('ab  cd\n  ef');
    const ab = tokens[0] as Token;
    const cd = tokens[1] as Token;
    const ef = tokens.find((t) => t.text === 'ef') as Token;
    expect(ab).toMatchObject({ line: 1, column: 1, start: 0, end: 2 });
    expect(cd).toMatchObject({ line: 1, column: 5, start: 4, end: 6 });
    expect(ef).toMatchObject({ line: 2, column: 3, start: 9, end: 11 });
  });

  it('counts a tab as one column (as SourceFile.position does)', () => {
    const file = new SourceFile('t.osc', 'a:\n\tb');
    const b = tokenize(file).find((t) => t.text === 'b') as Token;
    expect(b).toMatchObject({ line: 2, column: 2 });
    expect(file.position(b.start)).toEqual({ line: 2, column: 2 });
  });

  it('keeps line numbers right after long strings and block comments', () => {
    const { tokens } = lex('a = """x\ny\nz"""\n/*\n\n*/ b');
    const b = tokens.find((t) => t.text === 'b') as Token;
    expect(b).toMatchObject({ line: 6, column: 4 });
  });

  it('places Newline at the line break', () => {
    const { tokens } = lex('abc\n');
    expect(tokens[1]).toMatchObject({ kind: K.Newline, line: 1, column: 4, start: 3 });
  });
});

describe('lexer: literals', () => {
  it('reads decimal integers', () => {
    const { tokens } = lex('0 42 1234567');
    expect(tokens.slice(0, 3).map((t) => [t.kind, t.text])).toEqual([
      [K.Integer, '0'],
      [K.Integer, '42'],
      [K.Integer, '1234567'],
    ]);
  });

  it('reads hexadecimal integers', () => {
    const { tokens } = lex('0x1F 0xff 0XA');
    expect(tokens[0]).toMatchObject({ kind: K.HexInteger, text: '0x1F' });
    expect(tokens[1]).toMatchObject({ kind: K.HexInteger, text: '0xff' });
    // Only lower-case 0x, as in the grammar: 0XA is 0 followed by the name XA.
    expect(tokens[2]).toMatchObject({ kind: K.Integer, text: '0' });
    expect(tokens[3]).toMatchObject({ kind: K.Identifier, text: 'XA' });
  });

  it('reads floats in every form', () => {
    const { tokens } = lex('1.0 .5 1.5e-3 2.0E+10 1e3 7e0');
    expect(tokens.slice(0, 6).map((t) => [t.kind, t.text])).toEqual([
      [K.Float, '1.0'],
      [K.Float, '.5'],
      [K.Float, '1.5e-3'],
      [K.Float, '2.0E+10'],
      [K.Float, '1e3'],
      [K.Float, '7e0'],
    ]);
  });

  it('leaves signs to the parser', () => {
    expect(shape('-1 +2.5 a-1')).toBe('- 1 + 2.5 a - 1 NL EOF');
  });

  it('splits a number from a following unit name', () => {
    const { tokens } = lex('250ms 2s 0.1m 3 kph 2e');
    expect(tokens.slice(0, 10).map((t) => [t.kind, t.text])).toEqual([
      [K.Integer, '250'],
      [K.Identifier, 'ms'],
      [K.Integer, '2'],
      [K.Keyword, 's'],
      [K.Float, '0.1'],
      [K.Keyword, 'm'],
      [K.Integer, '3'],
      [K.Identifier, 'kph'],
      [K.Integer, '2'],
      [K.Identifier, 'e'],
    ]);
  });

  it('does not read `1.` or `1..2` as a float', () => {
    expect(shape('1..2')).toBe('1 .. 2 NL EOF');
    expect(shape('a.b')).toBe('a . b NL EOF');
  });

  it('reads strings in both quote styles with their decoded value', () => {
    const { tokens } = lex(`"double" 'single' "it's" 'say "hi"'`);
    expect(tokens.slice(0, 4).map((t) => [t.kind, t.value])).toEqual([
      [K.String, 'double'],
      [K.String, 'single'],
      [K.String, "it's"],
      [K.String, 'say "hi"'],
    ]);
    expect(tokens[0]?.text).toBe('"double"');
  });

  it('decodes escapes in strings', () => {
    const { tokens } = lex(String.raw`"a\tb\nc\\d\"e\'f\x41\u00e9\101"`);
    expect(tokens[0]?.value).toBe('a\tb\nc\\d"e\'fAéA');
  });

  it('keeps unknown escapes as written', () => {
    expect(decodeEscapes(String.raw`a\qb\8`)).toBe(String.raw`a\qb\8`);
    expect(decodeEscapes(String.raw`bad \x4`)).toBe(String.raw`bad \x4`);
    expect(decodeEscapes('no escapes')).toBe('no escapes');
    expect(decodeEscapes('line\\\ncontinued')).toBe('linecontinued');
    expect(decodeEscapes(String.raw`\a\b\f\r\v\0`)).toBe('\x07\b\f\r\v\0');
  });

  it('reads long strings over several lines', () => {
    const { tokens } = lex(`x = """one\n"two" ''\nthree""" y = '''a'b\n'''`);
    const strings = tokens.filter((t) => t.kind === K.String);
    expect(strings.map((t) => t.value)).toEqual([`one\n"two" ''\nthree`, "a'b\n"]);
    expect(tokens.find((t) => t.text === 'y')).toMatchObject({ line: 3, column: 10 });
  });

  it('allows an escaped line break in a short string', () => {
    const { tokens } = lex('"ab\\\ncd" e');
    expect(tokens[0]).toMatchObject({ kind: K.String, value: 'abcd' });
    expect(tokens[1]).toMatchObject({ text: 'e', line: 2 });
  });

  it('reads an empty string', () => {
    const { tokens } = lex(`"" ''`);
    expect(tokens.slice(0, 2).map((t) => t.value)).toEqual(['', '']);
  });

  it('marks keywords and plain names', () => {
    const { tokens } = lex('scenario drive_1 true false it m meters SI');
    expect(tokens.slice(0, 8).map((t) => t.kind)).toEqual([
      K.Keyword,
      K.Identifier,
      K.Keyword,
      K.Keyword,
      K.Keyword,
      K.Keyword,
      K.Identifier,
      K.Keyword,
    ]);
  });

  it('knows every keyword of the grammar', () => {
    for (const word of ['serial', 'one_of', 'parallel', 'remove_default', 'elapsed', 'kg', 'rad', 'only']) {
      expect(KEYWORDS.has(word)).toBe(true);
    }
    expect(KEYWORDS.has('repeat')).toBe(false);
  });

  it('reads |quoted| identifiers without the bars, never as keywords', () => {
    const { tokens } = lex('|any text!| |m|');
    expect(tokens[0]).toMatchObject({ kind: K.Identifier, value: 'any text!', text: '|any text!|' });
    expect(tokens[1]).toMatchObject({ kind: K.Identifier, value: 'm' });
  });

  it('reads every operator and punctuation mark', () => {
    const { tokens } = lex('( ) [ ] , : . .. = == != < <= > >= + - * / % ! @ ? => ->');
    expect(tokens.slice(0, 25).map((t) => t.kind)).toEqual([
      K.LParen,
      K.RParen,
      K.LBracket,
      K.RBracket,
      K.Comma,
      K.Colon,
      K.Dot,
      K.DotDot,
      K.Assign,
      K.Eq,
      K.NotEq,
      K.Lt,
      K.LtEq,
      K.Gt,
      K.GtEq,
      K.Plus,
      K.Minus,
      K.Star,
      K.Slash,
      K.Percent,
      K.Bang,
      K.At,
      K.Question,
      K.FatArrow,
      K.Arrow,
    ]);
  });

  it('reads adjacent operators greedily', () => {
    expect(shape('a!=b<=c->d')).toBe('a != b <= c -> d NL EOF');
    expect(shape('color!red')).toBe('color ! red NL EOF');
  });
});

describe('lexer: errors', () => {
  function firstError(text: string): OscError {
    const { errors } = lex(text);
    expect(errors.length).toBeGreaterThan(0);
    return errors[0] as OscError;
  }

  it('reports an unterminated string at its opening quote', () => {
    const error = firstError('a = "abc\nb');
    expect(error.message).toMatch(/^unterminated string literal/);
    expect(error.location).toMatchObject({ line: 1, column: 5 });
  });

  it('reports an unterminated long string', () => {
    const error = firstError("x\n  y = '''abc\n");
    expect(error.message).toBe('unterminated string literal');
    expect(error.location).toMatchObject({ line: 2, column: 7 });
  });

  it('reports an unterminated block comment', () => {
    const error = firstError('a /* never closed\n');
    expect(error.message).toBe('unterminated comment: missing */');
    expect(error.location).toMatchObject({ line: 1, column: 3 });
  });

  it('reports unexpected characters and goes on', () => {
    const { tokens, errors } = lex('a $ b _c');
    expect(errors.map((e) => [e.message, e.location?.column])).toEqual([
      ["unexpected character '$'", 3],
      ["unexpected character '_'", 7],
    ]);
    expect(tokens.filter((t) => t.kind === K.Identifier).map((t) => t.text)).toEqual(['a', 'b', 'c']);
  });

  it('reports a backslash that does not end its line', () => {
    const error = firstError('a \\ b');
    expect(error.message).toMatch(/^unexpected character '\\'/);
  });

  it('reports an unterminated or empty |identifier|', () => {
    expect(firstError('|abc\n').message).toBe("unterminated quoted identifier: missing closing '|'");
    expect(firstError('x ||').message).toBe('empty quoted identifier');
  });

  it('formats errors with file, position and caret', () => {
    const error = firstError('scenario x:\n    a = "oops\n');
    expect(error.format()).toBe(
      [
        'test.osc:2:9: error: unterminated string literal (a line break ends it; use \'\'\' or """ for text over several lines)',
        '        a = "oops',
        '            ^',
      ].join('\n'),
    );
  });
});
