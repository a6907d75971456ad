import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decode, EncodeError, encode, MAX_DEPTH, type WireValue } from '../src/codec.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface CodecCase {
  value: unknown;
  hex: string;
}

/** Undo the tagging of gen_codec_cases.py ({$bigint}, {$bytes}). */
function untag(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
    if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'hex'));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, untag(x)]));
  }
  return v;
}

/** What decoding gives for a value: 64-bit integers come back as numbers. */
function asDecoded(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(asDecoded);
  if (v instanceof Uint8Array) return v;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asDecoded(x)]));
  return v;
}

const cases: CodecCase[] = JSON.parse(readFileSync(`${fixtures}codec_cases.json`, 'utf8'));

describe('encode matches Python msgpack.packb(use_bin_type=True)', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const value = untag(c.value);
    expect(encode(value).toString('hex')).toBe(c.hex);
    const decoded = decode(Buffer.from(c.hex, 'hex'));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.value).toEqual(asDecoded(value));
  });

  it('uses 32-bit length headers for long text, arrays and bytes', () => {
    const text = encode('x'.repeat(65536));
    expect(text.subarray(0, 5).toString('hex')).toBe('db00010000');
    expect(text.length).toBe(5 + 65536);
    const array = encode(new Array(70000).fill(0));
    expect(array.subarray(0, 5).toString('hex')).toBe('dd00011170');
    const bytes = encode(new Uint8Array(70000));
    expect(bytes.subarray(0, 5).toString('hex')).toBe('c600011170');
    expect(decode(bytes)).toEqual({ ok: true, value: new Uint8Array(70000) });
  });

  it('writes integral numbers as ints and others as float64', () => {
    expect(encode(10).toString('hex')).toBe('0a');
    expect(encode(-0).toString('hex')).toBe('00');
    expect(encode(2 ** 40).toString('hex')).toBe('cf0000010000000000');
    expect(encode(Number.NaN).toString('hex')).toBe('cb7ff8000000000000');
    expect(
      encode(2 ** 70)
        .subarray(0, 1)
        .toString('hex'),
    ).toBe('cb');
  });

  it('leaves out undefined map values and writes undefined elsewhere as nil', () => {
    expect(encode({ a: undefined, b: 1 })).toEqual(encode({ b: 1 }));
    expect(encode([undefined])).toEqual(encode([null]));
  });

  it('refuses values msgpack cannot carry', () => {
    expect(() => encode({ f: () => 1 })).toThrow(EncodeError);
    expect(() => encode({ exec_args: { when: new Date() } })).toThrow(/Date at exec_args.when/);
    expect(() => encode(new Map())).toThrow(EncodeError);
    expect(() => encode(2n ** 64n)).toThrow(/64 bits/);
    expect(() => encode(Symbol('s'))).toThrow(EncodeError);
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH + 1; i++) deep = [deep];
    expect(() => encode(deep)).toThrow(/nested/);
  });
});

describe('encode: the scratch buffer and the error path', () => {
  it('returns bytes of their own, untouched by later encodes', () => {
    const first = encode({ a: 'x' });
    encode({ a: 'y'.repeat(100_000) });
    encode({ b: 'z' });
    expect(first.toString('hex')).toBe('81a161a178');
  });

  it('gives text whose UTF-8 needs a longer header than its length suggests the longer header', () => {
    // 11 UTF-16 units but 33 bytes (str8, not fixstr); 100 units but 300 bytes (str16, not str8).
    expect(encode('€'.repeat(11)).toString('hex')).toBe(`d921${'e282ac'.repeat(11)}`);
    expect(encode('€'.repeat(100)).toString('hex')).toBe(`da012c${'e282ac'.repeat(100)}`);
    expect(encode(['€'.repeat(100), 1]).subarray(-1)[0]).toBe(1);
    const long = encode('é'.repeat(40_000));
    expect(long.subarray(0, 5).toString('hex')).toBe('db00013880');
    expect(long.length).toBe(5 + 80_000);
  });

  it('names where an unencodable value sits', () => {
    const message = (value: unknown) => {
      try {
        encode(value);
      } catch (err) {
        expect(err).toBeInstanceOf(EncodeError);
        return (err as Error).message;
      }
      return 'encoded';
    };
    expect(message(new Date())).toBe('cannot encode Date at <root>');
    expect(message([1, [2, () => 3]])).toBe('cannot encode a function at [1][1]');
    expect(message({ a: [{ b: new Map() }] })).toBe('cannot encode Map at a[0].b');
    expect(message({ skipped: undefined, x: { y: 2n ** 64n } })).toBe(
      'integer 18446744073709551616 does not fit in 64 bits',
    );
    let array: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH; i++) array = [array];
    expect(message(array)).toBe(`value nested deeper than ${MAX_DEPTH} levels at ${'[0]'.repeat(MAX_DEPTH + 1)}`);
    // A map at the deepest level may be empty; the keys of one that is not sit too deep.
    let map: unknown = { k: 1 };
    for (let i = 0; i < MAX_DEPTH; i++) map = [map];
    expect(message(map)).toBe(`value nested deeper than ${MAX_DEPTH} levels at ${'[0]'.repeat(MAX_DEPTH)}`);
  });

  it('leaves the outer encode intact when a getter encodes too', () => {
    const inner: string[] = [];
    const value = {
      a: 'outer',
      get b() {
        inner.push(encode({ nested: [1, 2, 3] }).toString('hex'));
        return 'x';
      },
    };
    expect(encode(value).toString('hex')).toBe('82a161a56f75746572a162a178');
    expect(inner[0]).toBe('81a66e657374656493010203');
  });
});

describe('decode never throws', () => {
  const bad: [string, string][] = [
    ['invalid type byte', 'c167617262616765'],
    ['truncated map', '82a161c0'],
    ['trailing bytes', '81a161c0c0'],
    ['empty input', ''],
    ['extension type', 'c70101ff'],
    ['timestamp extension', 'd6ffffffffff'],
    ['integer map key', '8101c0'],
    ['nil map key', '81c0c0'],
    ['array map key', '8190c0'],
    // Declared lengths far beyond the message (up to 2^32 - 1): refused before anything is allocated.
    ['str8 declaring 255 bytes', 'd9ff61'],
    ['str16 declaring 65,535 bytes', 'daffff61'],
    ['str32 declaring 4 GiB', 'dbffffffff61'],
    ['bin32 declaring 4 GiB', 'c6ffffffff00'],
    ['ext32 declaring 4 GiB', 'c9ffffffff0100'],
    ['array16 declaring 65,535 elements', 'dcffffc0'],
    ['array32 declaring 4,294,967,295 elements', 'ddffffffffc0'],
    ['map16 declaring 65,535 entries', 'deffffa161c0'],
    ['map32 declaring 4,294,967,295 entries', 'dfffffffffa161c0'],
    ['array32 of 4 billion inside a request map', '82a3636d64a9686561727462656174a77061796c6f6164ddffffffff'],
    ['20 nested array32 headers of 4 billion each', `${'ddffffffff'.repeat(20)}c0`],
  ];
  it.each(bad)('%s', (_name, hex) => {
    let result: ReturnType<typeof decode> | undefined;
    expect(() => {
      result = decode(Buffer.from(hex, 'hex'));
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result !== undefined && !result.ok) expect(result.error).toMatch(/^invalid msgpack: ./);
  });

  it('rejects nesting beyond the limit', () => {
    const deep = Buffer.concat([Buffer.alloc(MAX_DEPTH + 2, 0x91), Buffer.from([0xc0])]);
    expect(decode(deep).ok).toBe(false);
    const hugelyDeep = Buffer.concat([Buffer.alloc(200_000, 0x91), Buffer.from([0xc0])]);
    expect(decode(hugelyDeep).ok).toBe(false);
  });

  it('keeps a __proto__ key as an ordinary key', () => {
    const result = decode(encode(JSON.parse('{"__proto__": {"polluted": true}}')));
    expect(result.ok).toBe(true);
    const value = (result as { value: WireValue }).value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('decodes 64-bit integers as numbers', () => {
    expect(decode(Buffer.from('cf0000010000000000', 'hex'))).toEqual({ ok: true, value: 2 ** 40 });
    expect(decode(Buffer.from('d3ffffff0000000000', 'hex'))).toEqual({ ok: true, value: -(2 ** 40) });
  });
});
