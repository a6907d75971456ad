/**
 * msgpack encoding that produces the same bytes as Python's
 * `msgpack.packb(value, use_bin_type=True)`, and a strict decoder.
 *
 * Encoding is done here rather than by msgpackr's packer because msgpackr
 * writes integers beyond 32 bits as float64 (or as int64 where Python writes
 * uint64); Python always picks the smallest integer format. Decoding uses
 * msgpackr and then checks that the result only holds what Python's
 * `unpackb(raw=False)` would give a server: nil, bool, numbers, text, bytes,
 * arrays and maps with text keys (no extension types).
 */
// Not the main entry: it also loads streams and record structures and probes for a
// native add-on, which costs start-up time (and decoding small messages gains nothing).
import { Unpackr } from 'msgpackr/unpack';

/** A value that can travel in a message. */
export type WireValue = null | boolean | number | string | Uint8Array | readonly WireValue[] | WireMap;
export interface WireMap {
  readonly [key: string]: WireValue;
}

/** Thrown by {@link encode} for a value msgpack cannot carry (a function, a class instance, …). */
export class EncodeError extends Error {
  override name = 'EncodeError';
}

export type DecodeResult =
  | { readonly ok: true; readonly value: WireValue }
  | { readonly ok: false; readonly error: string };

const UINT64_LIMIT = 2n ** 64n;
const INT64_MIN = -(2n ** 63n);

/** Growable output buffer. */
class ByteWriter {
  private buf = Buffer.allocUnsafe(256);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** A type byte followed by an unsigned big-endian integer of `size` bytes. */
  head(type: number, size: 1 | 2 | 4, value: number): void {
    this.reserve(1 + size);
    this.buf[this.length++] = type;
    this.buf.writeUIntBE(value, this.length, size);
    this.length += size;
  }

  int(type: number, size: 1 | 2 | 4, value: number): void {
    this.reserve(1 + size);
    this.buf[this.length++] = type;
    this.buf.writeIntBE(value, this.length, size);
    this.length += size;
  }

  u64(type: number, value: bigint): void {
    this.reserve(9);
    this.buf[this.length++] = type;
    if (type === 0xcf) this.buf.writeBigUInt64BE(value, this.length);
    else this.buf.writeBigInt64BE(value, this.length);
    this.length += 8;
  }

  f64(value: number): void {
    this.reserve(9);
    this.buf[this.length++] = 0xcb;
    this.buf.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** UTF-8 of `text`, `size` bytes long (its `Buffer.byteLength`), written in place. */
  utf8(text: string, size: number): void {
    this.reserve(size);
    this.length += this.buf.write(text, this.length, size, 'utf8');
  }

  /** The bytes written; a view, as the writer is not used afterwards. */
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeInteger(w: ByteWriter, v: number | bigint): void {
  if (typeof v === 'bigint') {
    if (v >= 0n && v < UINT64_LIMIT) {
      if (v <= 0xffffffffn) writeInteger(w, Number(v));
      else w.u64(0xcf, v);
      return;
    }
    if (v < 0n && v >= INT64_MIN) {
      if (v >= -0x80000000n) writeInteger(w, Number(v));
      else w.u64(0xd3, v);
      return;
    }
    throw new EncodeError(`integer ${v} does not fit in 64 bits`);
  }
  if (v >= 0) {
    if (v < 0x80) w.byte(v);
    else if (v <= 0xff) w.head(0xcc, 1, v);
    else if (v <= 0xffff) w.head(0xcd, 2, v);
    else if (v <= 0xffffffff) w.head(0xce, 4, v);
    else w.u64(0xcf, BigInt(v));
  } else {
    if (v >= -32) w.byte(v & 0xff);
    else if (v >= -0x80) w.int(0xd0, 1, v);
    else if (v >= -0x8000) w.int(0xd1, 2, v);
    else if (v >= -0x80000000) w.int(0xd2, 4, v);
    else w.u64(0xd3, BigInt(v));
  }
}

/** Whether a JS number goes on the wire as a msgpack int (Python int) rather than a float. */
function isWireInteger(v: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 64;
}

function writeLength(
  w: ByteWriter,
  n: number,
  fix: number,
  fixMax: number,
  t8: number | null,
  t16: number,
  t32: number,
): void {
  if (n <= fixMax) w.byte(fix | n);
  else if (t8 !== null && n <= 0xff) w.head(t8, 1, n);
  else if (n <= 0xffff) w.head(t16, 2, n);
  else w.head(t32, 4, n);
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function writeValue(w: ByteWriter, v: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new EncodeError(`value nested deeper than ${MAX_DEPTH} levels at ${path}`);
  switch (typeof v) {
    case 'undefined':
      w.byte(0xc0);
      return;
    case 'boolean':
      w.byte(v ? 0xc3 : 0xc2);
      return;
    case 'number':
      if (isWireInteger(v)) writeInteger(w, v);
      else w.f64(v);
      return;
    case 'bigint':
      writeInteger(w, v);
      return;
    case 'string': {
      const size = Buffer.byteLength(v, 'utf8');
      writeLength(w, size, 0xa0, 31, 0xd9, 0xda, 0xdb);
      w.utf8(v, size);
      return;
    }
    case 'object': {
      if (v === null) {
        w.byte(0xc0);
        return;
      }
      if (v instanceof Uint8Array) {
        if (v.length <= 0xff) w.head(0xc4, 1, v.length);
        else if (v.length <= 0xffff) w.head(0xc5, 2, v.length);
        else w.head(0xc6, 4, v.length);
        w.bytes(v);
        return;
      }
      if (Array.isArray(v)) {
        writeLength(w, v.length, 0x90, 15, null, 0xdc, 0xdd);
        for (let i = 0; i < v.length; i++) writeValue(w, v[i], `${path}[${i}]`, depth + 1);
        return;
      }
      if (isPlainObject(v)) {
        // Keys whose value is undefined are left out, as JSON.stringify does.
        const record = v as Record<string, unknown>;
        const keys = Object.keys(record);
        let size = 0;
        for (const key of keys) if (record[key] !== undefined) size++;
        writeLength(w, size, 0x80, 15, null, 0xde, 0xdf);
        for (const key of keys) {
          const item = record[key];
          if (item === undefined) continue;
          writeValue(w, key, path, depth + 1);
          writeValue(w, item, path ? `${path}.${key}` : key, depth + 1);
        }
        return;
      }
      throw new EncodeError(`cannot encode ${v.constructor?.name ?? 'object'} at ${path || '<root>'}`);
    }
    default:
      throw new EncodeError(`cannot encode a ${typeof v} at ${path || '<root>'}`);
  }
}

/** Nesting limit for both directions; real messages are 3–5 levels deep. */
export const MAX_DEPTH = 64;

/**
 * Encode a value as msgpack, byte-identical to Python's `packb(use_bin_type=True)`.
 * Integral numbers become msgpack ints (smallest format), other numbers float64.
 * Throws {@link EncodeError} for values msgpack cannot carry.
 */
export function encode(value: unknown): Buffer {
  const w = new ByteWriter();
  writeValue(w, value, '', 0);
  return w.result();
}

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'number' });

/** Turn msgpackr's output into a {@link WireValue}, rejecting what Python's decoder would not produce. */
function toWireValue(v: unknown, depth: number): WireValue {
  if (depth > MAX_DEPTH) throw new Error(`message nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  // A copy: msgpackr may hand out a view into the received frame.
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map((item) => toWireValue(item, depth + 1));
  if (v instanceof Map) {
    const out: Record<string, WireValue> = {};
    for (const [key, item] of v) {
      if (typeof key !== 'string') throw new Error(`map key must be text, got ${describe(key)}`);
      // defineProperty: a "__proto__" key stays an ordinary key.
      Object.defineProperty(out, key, {
        value: toWireValue(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  throw new Error(`unsupported msgpack value (${describe(v)})`);
}

function describe(v: unknown): string {
  if (v === null) return 'nil';
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return typeof v;
}

/** Decode one msgpack value; never throws. Trailing bytes are an error. */
export function decode(data: Uint8Array): DecodeResult {
  try {
    return { ok: true, value: toWireValue(unpackr.unpack(data), 0) };
  } catch (err) {
    return { ok: false, error: `invalid msgpack: ${err instanceof Error ? err.message : String(err)}` };
  }
}
