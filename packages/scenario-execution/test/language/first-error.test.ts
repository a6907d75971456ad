/**
 * The first error: found without reading the rest of the file, the same as a
 * full parse would put first, with a hint for a misspelt keyword.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/language/diagnostics.js';
import { parse, parseWithErrors } from '../../src/language/parser.js';
import { MAX_ERRORS } from '../../src/language/parser/state.js';
import { firstError, lines, source } from './helpers.js';

describe('misspelt keywords', () => {
  it('suggests serial for `do seral:`', () => {
    expect(firstError(lines('scenario test:', '    do seral:', '        log("x")'))).toEqual([
      2,
      8,
      "'seral' is not a behavior (a name before ':' is a label, and nothing follows it); did you mean `serial`?",
    ]);
    // After a label, the name is read as an invocation.
    expect(
      firstError(lines('scenario test:', '    do serial:', '        b: paralell:', '            log("x")')),
    ).toEqual([3, 20, "expected '(' after behavior name 'paralell', found ':'; did you mean `parallel`?"]);
  });

  it('suggests the keyword for a composition written without its colon', () => {
    expect(firstError(lines('scenario test:', '    do one_off'))).toEqual([
      2,
      15,
      "expected '(' after behavior name 'one_off', found end of line; did you mean `one_of`?",
    ]);
  });

  it('keeps the plain message when no keyword is close', () => {
    expect(firstError(lines('scenario test:', '    do steps:', '        log("x")'))).toEqual([
      2,
      14,
      'expected a behavior (serial, parallel, one_of, wait, emit or an invocation like name()), found end of line',
    ]);
  });

  it('suggests a declaration keyword', () => {
    expect(firstError(lines('scenari test:', '    do log("x")'))[2]).toBe(
      "expected a declaration (type, unit, enum, struct, actor, action, scenario, modifier, extend, global or import), found 'scenari'; did you mean `scenario`?",
    );
  });
});

describe('an unterminated string inside brackets', () => {
  it('is reported at the quote, not as an unclosed bracket', () => {
    const text = lines('scenario test:', '    do serial:', '        log("unterminated)', '        log("next")');
    expect(firstError(text)).toEqual([
      3,
      13,
      'unterminated string literal (a line break ends it; use \'\'\' or """ for text over several lines)',
    ]);
    const messages = parseWithErrors(source(text)).errors.map((e) => e.message);
    expect(messages.some((m) => m.includes('never closed'))).toBe(false);
  });

  it('still reports a bracket opened on an earlier line', () => {
    expect(firstError(lines('global x: list of string = [', '    "a', ''))).toEqual([1, 28, "'[' is never closed"]);
  });
});

describe('stopping early', () => {
  const tail = 'global ok: int = 1\n'.repeat(20_000);

  it('parse stops at the first syntax error without reading the rest', () => {
    const text = `global x: int = = 1\n${tail}`;
    const result = parseWithErrors(source(text), { maxErrors: 1 });
    expect(result.errors.map((e) => e.message)).toEqual(["expected an expression, found '='"]);
    // The lexer reads a bounded number of tokens (512) ahead of the parser, no more.
    expect(result.readUpTo).toBeLessThan(10_000);
    expect(() => parse(source(text))).toThrow("expected an expression, found '='");
  });

  it('does not lex random text past the first error', () => {
    const garbage = Array.from({ length: 200_000 }, (_, i) => '$a(]"\n\t#:'[(i * 7919) % 10]).join('');
    const result = parseWithErrors(source(garbage), { maxErrors: 1 });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.location).toMatchObject({ line: 1, column: 1 });
    // The lexer reads a bounded number of tokens (512) ahead of the parser, no more.
    expect(result.readUpTo).toBeLessThan(10_000);
  });

  it(`collects at most ${MAX_ERRORS} errors, then stops reading`, () => {
    const text = 'global x: int = = 1\n'.repeat(MAX_ERRORS * 3) + tail;
    const result = parseWithErrors(source(text));
    expect(result.errors).toHaveLength(MAX_ERRORS);
    expect(result.errors[MAX_ERRORS - 1]?.location?.line).toBe(MAX_ERRORS);
    expect(result.readUpTo).toBeLessThan(text.length / 10);
  });

  it('reads to the end to tell whether a bracket before the first error is closed', () => {
    // The bracket is still open at the first error (line 2); it closes on the last line.
    const closed = `global x: list of int = [1,\n  2 3,\n${'  4,\n'.repeat(1000)}  5]\n`;
    expect(firstError(closed)).toEqual([2, 5, "expected ']' or ',' in the list, found '3' (unclosed '[' at line 1)"]);
    const open = `global x: list of int = [1,\n  2 3,\n${'  4,\n'.repeat(1000)}`;
    expect(firstError(open)).toEqual([1, 25, "'[' is never closed"]);
  });

  it('puts first the same error as a full parse, on damaged library files', () => {
    // Deterministic damage (a fixed pseudo-random sequence) of the bundled libraries.
    const dir = new URL('../../osc/', import.meta.url);
    const texts = readdirSync(dir)
      .filter((name) => name.endsWith('.osc'))
      .map((name) => readFileSync(new URL(name, dir), 'utf8'));
    const pieces = [
      '(',
      ')',
      '[',
      ']',
      '"',
      "'",
      ':',
      '\n',
      '    ',
      '\t',
      'serial',
      ',',
      '#',
      '/*',
      '\\\n',
      '|',
      '$',
      '"""',
    ];
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let compared = 0;
    for (let round = 0; round < 400; round++) {
      let text = texts[random(texts.length)] as string;
      const from = random(text.length);
      text = text.slice(from, from + 4000);
      for (let edit = 0, edits = 1 + random(5); edit < edits; edit++) {
        const at = random(text.length + 1);
        text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at + random(3));
      }
      const file = new SourceFile('t.osc', text);
      const full = parseWithErrors(file, { maxErrors: Number.MAX_SAFE_INTEGER }).errors[0];
      const first = parseWithErrors(file, { maxErrors: 1 }).errors[0];
      expect(first?.format(), text).toBe(full?.format());
      if (full !== undefined) compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });
});
