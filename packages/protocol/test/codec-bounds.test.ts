/**
 * Bounded decoding: messages that declare more than they hold, nest too deep,
 * hold too many values or carry what Python's decoder would not give a server
 * are refused with a message that says why (memory and time are measured by
 * `npm run fuzz`, not here).
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, MAX_DEPTH, MAX_ELEMENTS, type WireValue } from '../src/codec.js';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** The error of a decode that must fail. */
function refusal(data: Uint8Array): string {
  const result = decode(data);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('decoded');
  expect(result.error).toMatch(/^invalid msgpack: ./);
  return result.error;
}

function decoded(data: Uint8Array): WireValue {
  const result = decode(data);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** An array32 header declaring 33,554,432 elements. */
const ARRAY32_HUGE = 'dd02000000';

describe('headers that declare more than the message holds', () => {
  it('refuses the 86-byte message of 17 nested huge array32 headers', () => {
    const message = hex(`${ARRAY32_HUGE.repeat(17)}c0`);
    expect(message.length).toBe(86);
    expect(refusal(message)).toBe(
      'invalid msgpack: array32 at offset 0 declares 33554432 elements but only 81 bytes are left',
    );
  });

  it.each([
    ['6-byte', 1, 1],
    ['41-byte', 8, 36],
  ])('refuses the %s variant', (_name, headers, left) => {
    const message = hex(`${ARRAY32_HUGE.repeat(headers)}c0`);
    expect(refusal(message)).toBe(
      `invalid msgpack: array32 at offset 0 declares 33554432 elements but only ${left} ${left === 1 ? 'byte is' : 'bytes are'} left`,
    );
  });

  it.each([
    ['fixstr', 'bf 61', 'declares 31 bytes but only 1 byte is left'],
    ['str8', 'd9 ff 61 62', 'declares 255 bytes but only 2 bytes are left'],
    ['str16', 'da ffff 61', 'declares 65535 bytes but only 1 byte is left'],
    ['str32', 'db ffffffff 61', 'declares 4294967295 bytes but only 1 byte is left'],
    ['bin8', 'c4 ff', 'declares 255 bytes but only 0 bytes are left'],
    ['bin16', 'c5 ffff 00', 'declares 65535 bytes but only 1 byte is left'],
    ['bin32', 'c6 ffffffff 0000', 'declares 4294967295 bytes but only 2 bytes are left'],
    ['fixarray', '9f c0 c0', 'declares 15 elements but only 2 bytes are left'],
    ['array16', 'dc ffff c0', 'declares 65535 elements but only 1 byte is left'],
    ['array32', 'dd ffffffff c0 c0', 'declares 4294967295 elements but only 2 bytes are left'],
    ['fixmap', '8f a1 61 c0', 'declares 15 entries but only 3 bytes are left'],
    ['map16', 'de ffff a1 61 c0', 'declares 65535 entries but only 3 bytes are left'],
    ['map32', 'df ffffffff a1 61 c0', 'declares 4294967295 entries but only 3 bytes are left'],
  ])('%s', (format, bytes, reason) => {
    expect(refusal(hex(bytes))).toBe(`invalid msgpack: ${format} at offset 0 ${reason}`);
  });

  it('counts two bytes at least for each map entry, a key and a value', () => {
    expect(refusal(hex('de 0001 c0'))).toBe(
      'invalid msgpack: map16 at offset 0 declares 1 entry but only 1 byte is left',
    );
  });

  it('checks a declared length deep inside the message against what is left there', () => {
    expect(refusal(hex('92 a1 61 db 7fffffff 00'))).toBe(
      'invalid msgpack: str32 at offset 3 declares 2147483647 bytes but only 1 byte is left',
    );
  });

  it.each([
    ['str8 without its length', 'd9', /truncated: str8 header at offset 0/],
    ['array32 with half a length', 'dd 0000', /truncated: array32 header at offset 0/],
    ['map16 inside an array, without its length', '91 de', /truncated: map16 header at offset 1/],
    ['float64 of 3 bytes', 'cb 000000', /truncated: float64 at offset 0/],
    ['uint64 of 7 bytes', 'cf 00000000000000', /truncated: uint64 at offset 0/],
    ['arrays that end early', '93 93 c0 c0 c0', /truncated: the message ends inside an array or map/],
    ['a map key without its value', '81 a1 61', /truncated: the message ends inside an array or map/],
    ['nothing', '', /empty message/],
  ])('refuses a truncated message: %s', (_name, bytes, reason) => {
    expect(refusal(hex(bytes))).toMatch(reason);
  });
});

describe('nesting', () => {
  function nestedArrays(levels: number): Buffer {
    return Buffer.concat([Buffer.alloc(levels, 0x91), hex('c0')]);
  }

  it(`decodes values ${MAX_DEPTH} levels deep, as encode writes them, and refuses one level more`, () => {
    let value: WireValue = null;
    for (let i = 0; i < MAX_DEPTH; i++) value = [value];
    expect(encode(value)).toEqual(nestedArrays(MAX_DEPTH));
    expect(decoded(nestedArrays(MAX_DEPTH))).toEqual(value);
    expect(refusal(nestedArrays(MAX_DEPTH + 1))).toBe(
      `invalid msgpack: nested deeper than ${MAX_DEPTH} levels (offset ${MAX_DEPTH})`,
    );
  });

  it('allows an empty array or map at the deepest level', () => {
    expect(decoded(Buffer.concat([Buffer.alloc(MAX_DEPTH, 0x91), hex('90')]))).toBeDefined();
    expect(decoded(Buffer.concat([Buffer.alloc(MAX_DEPTH, 0x91), hex('80')]))).toBeDefined();
  });

  it('refuses 10,000 nested arrays or maps without running out of stack', () => {
    expect(refusal(nestedArrays(10_000))).toMatch(/nested deeper than 64 levels/);
    const maps = Buffer.concat([Buffer.from('81a161'.repeat(10_000), 'hex'), hex('c0')]);
    expect(refusal(maps)).toMatch(/nested deeper than 64 levels/);
    const array16s = Buffer.concat([Buffer.from('dc0001'.repeat(10_000), 'hex'), hex('c0')]);
    expect(refusal(array16s)).toBe(`invalid msgpack: nested deeper than 64 levels (offset ${3 * MAX_DEPTH})`);
  });
});

describe('the number of values', () => {
  function nils(count: number): Buffer {
    const head = Buffer.alloc(5);
    head[0] = 0xdd;
    head.writeUInt32BE(count, 1);
    return Buffer.concat([head, Buffer.alloc(count, 0xc0)]);
  }

  it(`allows ${MAX_ELEMENTS} values in one message, the message itself counting one`, () => {
    const value = decoded(nils(MAX_ELEMENTS - 1));
    expect(Array.isArray(value) && value.length).toBe(MAX_ELEMENTS - 1);
  });

  it('refuses one more', () => {
    expect(refusal(nils(MAX_ELEMENTS))).toBe(
      `invalid msgpack: more than ${MAX_ELEMENTS} values in one message (the limit; array32 at offset 0)`,
    );
  });

  it('refuses 16 million empty maps (16 MB) at the array header', () => {
    const head = Buffer.alloc(5);
    head[0] = 0xdd;
    head.writeUInt32BE(16_000_000, 1);
    const message = Buffer.concat([head, Buffer.alloc(16_000_000, 0x80)]);
    expect(refusal(message)).toMatch(/more than 250000 values in one message \(the limit; array32 at offset 0\)/);
  });

  it('counts values across many small containers, map keys and values included', () => {
    // Fixmaps of 7 entries: 15 values each.
    const maps = Math.ceil(MAX_ELEMENTS / 15);
    const entries = '87' + 'a1 61 c0'.replace(/ /g, '').repeat(7);
    const head = Buffer.alloc(5);
    head[0] = 0xdd;
    head.writeUInt32BE(maps, 1);
    const message = Buffer.concat([head, Buffer.from(entries.repeat(maps), 'hex')]);
    expect(refusal(message)).toMatch(/more than 250000 values in one message \(the limit; fixmap at offset \d+\)/);
    const fewer = Buffer.concat([hex('dc0064'), Buffer.from(entries.repeat(100), 'hex')]);
    expect(Array.isArray(decoded(fewer))).toBe(true);
  });
});

describe('what Python would not give a server', () => {
  it.each([
    ['fixext1', 'd4 01 00'],
    ['fixext2', 'd5 01 0000'],
    ['fixext4 (timestamp 32)', 'd6 ff 00000000'],
    ['fixext8 (timestamp 64)', 'd7 ff 0000000000000000'],
    ['fixext16', 'd8 01 00000000000000000000000000000000'],
    ['ext8 (timestamp 96)', 'c7 0c ff 000000000000000000000000'],
    ['ext16', 'c8 0001 01 00'],
    ['ext32 claiming 4 GB', 'c9 ffffffff 01'],
    ['extension inside a map', '81 a1 61 d6 ff 00000000'],
  ])('refuses extension types: %s', (_name, bytes) => {
    expect(refusal(hex(bytes))).toMatch(/ext(8|16|32)|fixext\d+/);
    expect(refusal(hex(bytes))).toMatch(/extension types \(timestamps too\) are not supported/);
  });

  it.each([
    ['an integer', '81 01 c0', 'positive fixint'],
    ['a negative integer', '81 ff c0', 'negative fixint'],
    ['nil', '81 c0 c0', 'nil'],
    ['bytes', '81 c4 01 61 c0', 'bin8'],
    ['an array', '81 90 c0', 'fixarray'],
    ['a map', '81 80 c0', 'fixmap'],
    ['a float', '81 cb 0000000000000000 c0', 'float64'],
    ['true', '81 c3 c0', 'true'],
  ])('refuses %s as a map key', (_name, bytes, format) => {
    expect(refusal(hex(bytes))).toBe(`invalid msgpack: map key at offset 1 must be text, got ${format}`);
  });

  it('checks the key of every entry, not only the first', () => {
    expect(refusal(hex('82 a1 61 c0 05 c0'))).toBe(
      'invalid msgpack: map key at offset 4 must be text, got positive fixint',
    );
  });

  it('refuses the type byte 0xc1', () => {
    expect(refusal(hex('91 c1'))).toBe('invalid msgpack: invalid type byte 0xc1 at offset 1');
  });

  it.each([
    ['a UTF-16 surrogate', 'a3 eda080'],
    ['a bad continuation byte', 'a2 c328'],
    ['an overlong encoding', 'a2 c0af'],
    ['a code point beyond U+10FFFF', 'a4 f4900000'],
    ['a truncated sequence at the end', 'a2 61e2'],
    ['a long text with one bad byte', `d9 50 ${'61'.repeat(79)}ff`],
    ['a bad map key', '81 a1 ff c0'],
  ])('refuses text that is not UTF-8: %s', (_name, bytes) => {
    expect(refusal(hex(bytes))).toMatch(/^invalid msgpack: text at offset \d+ is not valid UTF-8$/);
  });

  it('decodes text that holds U+FFFD itself, next to ASCII and longer sequences', () => {
    // U+FFFD is also what a lenient decoder puts for bad bytes: valid text holding it must still decode.
    expect(decoded(hex('a8 61 efbfbd 62 e282ac'))).toBe('a\ufffdb€');
    expect(decoded(hex(`d9 43 ${'61'.repeat(64)}efbfbd`))).toBe(`${'a'.repeat(64)}\ufffd`);
  });

  it('keeps a leading byte order mark, as Python does', () => {
    expect(decoded(hex('a4 efbbbf 61'))).toBe('\ufeffa');
  });
});

describe('trailing bytes', () => {
  it.each([
    ['after nil', 'c0 c0', 1, 1],
    ['after a map', '81 a1 61 c0 00 00 00', 3, 4],
    ['after a string', 'a1 61 ff', 1, 2],
  ])('are refused %s', (_name, bytes, count, offset) => {
    const unit = count === 1 ? 'byte' : 'bytes';
    expect(refusal(hex(bytes))).toBe(`invalid msgpack: ${count} trailing ${unit} after the value (offset ${offset})`);
  });
});

describe('what is decoded', () => {
  it('decodes every format', () => {
    const message = hex(`
      de 0010
        a1 61 7f            a1 62 e0                a1 63 cc ff          a1 64 cd ffff
        a1 65 ce ffffffff   a1 66 d0 80             a1 67 d1 8000        a1 68 d2 80000000
        a1 69 ca 3fc00000   a1 6a cb 3ff8000000000000                    a1 6b c2
        a1 6c c3            a1 6d c5 0002 0102      a1 6e da 0002 c3a9   a1 6f dc 0001 c0
        a1 70 df 00000001 a0 c6 00000001 ff`);
    expect(decoded(message)).toEqual({
      a: 127,
      b: -32,
      c: 255,
      d: 65535,
      e: 4294967295,
      f: -128,
      g: -32768,
      h: -2147483648,
      i: 1.5,
      j: 1.5,
      k: false,
      l: true,
      m: new Uint8Array([1, 2]),
      n: 'é',
      o: [null],
      p: { '': new Uint8Array([0xff]) },
    });
  });

  it('rounds 64-bit integers once, as Number(bigint) does', () => {
    for (const big of [2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 63n + 1025n, 0xfffffffffffff801n]) {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0xcf;
      bytes.writeBigUInt64BE(big, 1);
      expect(decoded(bytes)).toBe(Number(big));
    }
    for (const big of [-(2n ** 63n), -(2n ** 53n) - 1n, -1n, -(2n ** 62n) - 513n]) {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0xd3;
      bytes.writeBigInt64BE(big, 1);
      expect(decoded(bytes)).toBe(Number(big));
    }
  });

  it('keeps the last value of a repeated key in the place of the first, like a Python dict', () => {
    const value = decoded(hex('83 a1 61 01 a1 62 02 a1 61 03')) as Record<string, unknown>;
    expect(value).toEqual({ a: 3, b: 2 });
    expect(Object.keys(value)).toEqual(['a', 'b']);
  });

  it('decodes a plain Uint8Array view, and copies bytes out of it', () => {
    const backing = new Uint8Array([0xee, 0x91, 0xc4, 0x02, 0x05, 0x06, 0xee]);
    const view = backing.subarray(1, 6);
    const value = decoded(view) as Uint8Array[];
    expect(value).toEqual([new Uint8Array([5, 6])]);
    backing[4] = 0;
    expect(value[0]).toEqual(new Uint8Array([5, 6]));
  });

  it('decodes text of every length the same as Buffer does', () => {
    for (const text of [
      '',
      'a',
      'abcdefgh',
      'abcdefghi',
      'x'.repeat(64),
      'y'.repeat(65),
      'ü'.repeat(40),
      '✓ok',
      '😀',
    ]) {
      expect(decoded(encode(text))).toBe(text);
    }
  });
});
