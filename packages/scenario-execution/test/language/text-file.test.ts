import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OscError, SourceFile } from '../../src/language/diagnostics.js';
import { fileErrorText, notTextReason, readTextFile } from '../../src/language/text-file.js';

const dir = mkdtempSync(join(tmpdir(), 'se-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('text files', () => {
  it('accepts UTF-8 text, with or without a byte order mark', () => {
    expect(notTextReason(Buffer.from('scenario s:\n    do log("é ✓ 😀")\n'))).toBeUndefined();
    expect(notTextReason(Buffer.from('\ufeffscenario s:\n'))).toBeUndefined();
    expect(notTextReason(Buffer.alloc(0))).toBeUndefined();
  });

  it('names the first NUL byte, and invalid UTF-8', () => {
    expect(notTextReason(Buffer.from('ab\u0000c\u0000'))).toBe('it holds a NUL byte at offset 2');
    expect(notTextReason(Buffer.from([0x61, 0xe9, 0x62]))).toBe('it is not valid UTF-8');
    // A truncated multi-byte sequence at the end.
    expect(notTextReason(Buffer.from([0x61, 0xe2, 0x9c]))).toBe('it is not valid UTF-8');
  });

  it('reads text; throws a file-level OscError for a binary', () => {
    const text = join(dir, 'a.osc');
    writeFileSync(text, 'scenario s:\n');
    expect(readTextFile(text)).toBe('scenario s:\n');
    const binary = join(dir, 'b.osc');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]));
    let error: unknown;
    try {
      readTextFile(binary, 'b.osc');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OscError);
    expect((error as OscError).format()).toBe('b.osc: error: not a text file (it holds a NUL byte at offset 4)');
  });

  it('words file-system errors plainly', () => {
    const folder = (): unknown => {
      try {
        readTextFile(dir);
      } catch (e) {
        return e;
      }
    };
    expect(fileErrorText(folder())).toBe('is a folder, not a file');
    const missing = (): unknown => {
      try {
        readTextFile(join(dir, 'nope'));
      } catch (e) {
        return e;
      }
    };
    expect(fileErrorText(missing())).toBe('no such file');
  });
});

describe('error format', () => {
  const at = (text: string, line: number, column: number) =>
    new OscError('bad', { file: new SourceFile('f.osc', text), line, column }).format();

  it('shows a short line whole, the caret under the column', () => {
    expect(at('global x: int = y\n', 1, 17)).toBe(
      'f.osc:1:17: error: bad\n    global x: int = y\n                    ^',
    );
  });

  it('cuts a long line around the caret (80 characters each side)', () => {
    const line = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const shown = at(line, 1, 5001).split('\n');
    expect(shown[0]).toBe('f.osc:1:5001: error: bad');
    expect(shown[1]).toBe(`    …${'a'.repeat(80)}X${'b'.repeat(80)}…`);
    expect(shown[2]).toBe(`    ${' '.repeat(81)}^`);
    // At the start of the line: nothing cut before.
    const start = at(line, 1, 1).split('\n');
    expect(start[1]).toBe(`    ${'a'.repeat(81)}…`);
    expect(start[2]).toBe('    ^');
  });

  it('keeps tabs in the pad so the caret lines up', () => {
    expect(at('\t\tx y\n', 1, 5)).toBe('f.osc:1:5: error: bad\n    \t\tx y\n    \t\t  ^');
  });

  it('finds lines and columns in any order of look-ups, with \\n, \\r\\n and \\r line breaks', () => {
    const text = 'ab\ncd\r\nef\rgh\n\nij';
    const naive = (offset: number) => {
      const before = text.slice(0, offset).split(/\r\n|\r|\n/);
      return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
    };
    const file = new SourceFile('f.osc', text);
    // Far first, then near: the line starts found for one look-up serve the next.
    for (const offset of [16, 0, 4, 9, 3, 12, 15, 7, 14, 13]) expect(file.position(offset)).toEqual(naive(offset));
    const fresh = new SourceFile('f.osc', text);
    expect([1, 2, 3, 4, 5, 6, 7].map((line) => fresh.lineText(line))).toEqual(['ab', 'cd', 'ef', 'gh', '', 'ij', '']);
  });

  it('prints a file-level error with its path', () => {
    expect(new OscError('not a text file', undefined, 'x.bin').format()).toBe('x.bin: error: not a text file');
    expect(new OscError('oops', undefined).format()).toBe('error: oops');
  });
});
