/**
 * msgpack encoding that produces the same bytes as Python's
 * `msgpack.packb(value, use_bin_type=True)`, and a strict decoder.
 *
 * Encoding is done here rather than by msgpackr's packer because msgpackr
 * writes integers beyond 32 bits as float64 (or as int64 where Python writes
 * uint64); Python always picks the smallest integer format.
 *
 * Decoding is hand-written too, in two passes, so that no message can make it
 * allocate or work much more than the message's size: msgpackr reserved the
 * length an array header declared before checking the bytes were there (86
 * bytes of nested array32 headers ran the process out of memory). The first
 * pass walks the headers without building anything and checks every length,
 * the nesting depth and the number of values; the second builds only what
 * Python's `unpackb(raw=False)` would give a server: nil, bool, numbers, text
 * (valid UTF-8), bytes, arrays and maps with text keys (no extension types).
 */

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

// Encoding writes into one scratch buffer shared by every call, and copies the
// exact bytes out at the end: a request is encoded a few hundred times per
// run, mostly before the JIT has compiled anything, so every allocation and
// every call into Node's buffer helpers on the way costs.

/** Scratch size kept between calls: larger than any usual request or reply. */
const SCRATCH_SIZE = 4096;
/** A scratch buffer grown beyond this by a large value is dropped after the call. */
const SCRATCH_KEPT = 64 * 1024;

let out = Buffer.allocUnsafeSlow(SCRATCH_SIZE);
/** Where the next byte goes in {@link out}. */
let pos = 0;

/**
 * Node's native UTF-8 writer, which `Buffer#write` calls after checking its
 * arguments in JS: called directly, as msgpack libraries do, it skips those
 * checks, a good part of a short string's cost before the JIT has run. It is
 * not documented, hence the fallback.
 */
type Utf8Write = (this: Buffer, text: string, offset: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as Buffer & { utf8Write?: Utf8Write }).utf8Write ??
  function write(this: Buffer, text: string, offset: number): number {
    return this.write(text, offset);
  };

/** Make room for `n` more bytes. */
function ensure(n: number): void {
  if (pos + n > out.length) grow(n);
}

function grow(n: number): void {
  let size = out.length * 2;
  while (size < pos + n) size *= 2;
  const next = Buffer.allocUnsafeSlow(size);
  out.copy(next, 0, 0, pos);
  out = next;
}

/**
 * A type byte and a big-endian integer of `size` bytes. Typed-array stores
 * keep the low 8 bits, so one unsigned shift serves signed values too (two's
 * complement), without the checks of Node's `writeUIntBE`.
 */
function writeHead(type: number, size: 0 | 1 | 2 | 4, value: number): void {
  ensure(5);
  const p = pos;
  out[p] = type;
  if (size === 1) {
    out[p + 1] = value;
  } else if (size === 2) {
    out[p + 1] = value >>> 8;
    out[p + 2] = value;
  } else if (size === 4) {
    out[p + 1] = value >>> 24;
    out[p + 2] = value >>> 16;
    out[p + 3] = value >>> 8;
    out[p + 4] = value;
  }
  pos = p + 1 + size;
}

/** A header whose length fits the smallest of a fixed format (`fix | n`), 8, 16 or 32 bits. */
function writeLength(n: number, fix: number, fixMax: number, t8: number, t16: number, t32: number): void {
  if (n <= fixMax) writeHead(fix | n, 0, 0);
  else if (n <= 0xff && t8 !== 0) writeHead(t8, 1, n);
  else if (n <= 0xffff) writeHead(t16, 2, n);
  else writeHead(t32, 4, n);
}

function writeU64(type: 0xcf | 0xd3, value: bigint): void {
  ensure(9);
  out[pos] = type;
  if (type === 0xcf) out.writeBigUInt64BE(value, pos + 1);
  else out.writeBigInt64BE(value, pos + 1);
  pos += 9;
}

function writeInteger(v: number): void {
  if (v >= 0) {
    if (v < 0x80) writeHead(v, 0, 0);
    else if (v <= 0xff) writeHead(0xcc, 1, v);
    else if (v <= 0xffff) writeHead(0xcd, 2, v);
    else if (v <= 0xffffffff) writeHead(0xce, 4, v);
    else writeU64(0xcf, BigInt(v));
  } else {
    if (v >= -32) writeHead(v & 0xff, 0, 0);
    else if (v >= -0x80) writeHead(0xd0, 1, v);
    else if (v >= -0x8000) writeHead(0xd1, 2, v);
    else if (v >= -0x80000000) writeHead(0xd2, 4, v);
    else writeU64(0xd3, BigInt(v));
  }
}

function writeBigInt(v: bigint): void {
  if (v >= 0n && v < UINT64_LIMIT) {
    if (v <= 0xffffffffn) writeInteger(Number(v));
    else writeU64(0xcf, v);
  } else if (v < 0n && v >= INT64_MIN) {
    if (v >= -0x80000000n) writeInteger(Number(v));
    else writeU64(0xd3, v);
  } else {
    throw new Unencodable(`integer ${v} does not fit in 64 bits`, false);
  }
}

/** Whether a JS number goes on the wire as a msgpack int (Python int) rather than a float. */
function isWireInteger(v: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 64;
}

/** Header size of text of `n` UTF-8 bytes: fixstr, str8, str16, str32. */
function textHeadSize(n: number): number {
  return n <= 31 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5;
}

/**
 * Text, written with one native call and no separate `Buffer.byteLength`: the
 * UTF-8 goes after a header sized for its length in UTF-16 units, a lower
 * bound of its length in bytes (each unit takes 1 to 3 bytes); in the rare
 * case the bytes need a longer header, they move up to make room.
 */
function writeString(text: string): void {
  ensure(5 + 3 * text.length);
  const guess = textHeadSize(text.length);
  const size = utf8Write.call(out, text, pos + guess);
  const head = textHeadSize(size);
  if (head !== guess) out.copyWithin(pos + head, pos + guess, pos + guess + size);
  if (head === 1) writeHead(0xa0 | size, 0, 0);
  else if (head === 2) writeHead(0xd9, 1, size);
  else if (head === 3) writeHead(0xda, 2, size);
  else writeHead(0xdb, 4, size);
  pos += size;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Why a value cannot be encoded, thrown inside the encoder. The path to the
 * value (`exec_args.when`, `[2]`) is only needed for the error message, so
 * rather than building it for every value it is collected here while the
 * error unwinds through the arrays and maps that hold the value.
 */
class Unencodable {
  /** Keys and indexes from the value up to the message, innermost first. */
  readonly steps: (string | number)[] = [];

  constructor(
    readonly reason: string,
    /** Whether the message says where the value is. */
    readonly located: boolean,
  ) {}

  message(): string {
    if (!this.located) return this.reason;
    let path = '';
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i] as string | number;
      if (typeof step === 'number') path = `${path}[${step}]`;
      else path = path ? `${path}.${step}` : step;
    }
    return `${this.reason} at ${path || '<root>'}`;
  }
}

/** `err`, with `step` added to its path when it is an {@link Unencodable}. */
function within(err: unknown, step: string | number): unknown {
  if (err instanceof Unencodable) err.steps.push(step);
  return err;
}

function writeArray(items: readonly unknown[], depth: number): void {
  writeLength(items.length, 0x90, 15, 0, 0xdc, 0xdd);
  let i = 0;
  try {
    for (; i < items.length; i++) writeValue(items[i], depth + 1);
  } catch (err) {
    throw within(err, i);
  }
}

function writeMap(record: Record<string, unknown>, depth: number): void {
  // Keys whose value is undefined are left out, as JSON.stringify does.
  const keys = Object.keys(record);
  let size = 0;
  for (let i = 0; i < keys.length; i++) if (record[keys[i] as string] !== undefined) size++;
  // Keys count as one level deeper than their map, so a map at the deepest
  // level may only be empty; the error names the map, not its first key.
  if (size > 0 && depth >= MAX_DEPTH) throw new Unencodable(`value nested deeper than ${MAX_DEPTH} levels`, true);
  writeLength(size, 0x80, 15, 0, 0xde, 0xdf);
  let i = 0;
  try {
    for (; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = record[key];
      if (item === undefined) continue;
      writeString(key);
      writeValue(item, depth + 1);
    }
  } catch (err) {
    throw within(err, keys[i] as string);
  }
}

function writeBytes(data: Uint8Array): void {
  const n = data.length;
  if (n <= 0xff) writeHead(0xc4, 1, n);
  else if (n <= 0xffff) writeHead(0xc5, 2, n);
  else writeHead(0xc6, 4, n);
  ensure(n);
  out.set(data, pos);
  pos += n;
}

function writeValue(v: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new Unencodable(`value nested deeper than ${MAX_DEPTH} levels`, true);
  switch (typeof v) {
    case 'string':
      writeString(v);
      return;
    case 'object':
      if (v === null) writeHead(0xc0, 0, 0);
      else if (Array.isArray(v)) writeArray(v, depth);
      else if (v instanceof Uint8Array) writeBytes(v);
      else if (isPlainObject(v)) writeMap(v as Record<string, unknown>, depth);
      else throw new Unencodable(`cannot encode ${v.constructor?.name ?? 'object'}`, true);
      return;
    case 'number':
      if (isWireInteger(v)) {
        writeInteger(v);
      } else {
        ensure(9);
        out[pos] = 0xcb;
        out.writeDoubleBE(v, pos + 1);
        pos += 9;
      }
      return;
    case 'boolean':
      writeHead(v ? 0xc3 : 0xc2, 0, 0);
      return;
    case 'undefined':
      writeHead(0xc0, 0, 0);
      return;
    case 'bigint':
      writeBigInt(v);
      return;
    default:
      throw new Unencodable(`cannot encode a ${typeof v}`, true);
  }
}

/**
 * Nesting limit for both directions: a value may sit inside at most this many
 * arrays and maps. Real messages are 3–5 levels deep. Decoding checks it
 * without recursion, so 10,000 levels are refused as cheaply as 65.
 */
export const MAX_DEPTH = 64;

/**
 * Encode a value as msgpack, byte-identical to Python's `packb(use_bin_type=True)`.
 * Integral numbers become msgpack ints (smallest format), other numbers float64.
 * Throws {@link EncodeError} for values msgpack cannot carry.
 */
export function encode(value: unknown): Buffer {
  // A getter inside the value may itself encode: such a call writes after
  // the outer call's bytes and leaves them as they were.
  const start = pos;
  try {
    writeValue(value, 0);
    const bytes = Buffer.allocUnsafe(pos - start);
    // A typed-array copy: `Buffer#copy` checks its arguments in JS first.
    bytes.set(new Uint8Array(out.buffer, out.byteOffset + start, pos - start));
    return bytes;
  } catch (err) {
    throw err instanceof Unencodable ? new EncodeError(err.message()) : err;
  } finally {
    pos = start;
    if (start === 0 && out.length > SCRATCH_KEPT) out = Buffer.allocUnsafeSlow(SCRATCH_SIZE);
  }
}

/**
 * Most values one message may hold: the message itself, every array element,
 * every map key and every map value count one each. Requests and replies hold
 * a few dozen; a quarter of a million leaves room for long argument lists
 * (tens of thousands of points) while bounding what one message makes the
 * process build. The dearest values cost little on the wire but much in JS:
 * a 2-byte empty bin becomes a Uint8Array of about 200 bytes and 1.4 µs, a
 * 1-byte empty map an object of about 80. At this limit the worst message
 * (a quarter of a million empty bins, 0.5 MB) takes about 0.35 s and 70 MB
 * to decode; a million would take 1.2 s and 240 MB, stalling every client.
 * Before the limit, 16 MB of empty maps (`0x80`) took 32 s and 4 GB.
 */
export const MAX_ELEMENTS = 250_000;

/** A message that cannot be decoded; the message says why. */
class Malformed extends Error {}

function fail(reason: string): never {
  throw new Malformed(reason);
}

/** msgpack format names of the type bytes 0xc0–0xdf, for error messages. */
const FORMAT_NAMES = [
  'nil',
  'type byte 0xc1 (never used)',
  'false',
  'true',
  'bin8',
  'bin16',
  'bin32',
  'ext8',
  'ext16',
  'ext32',
  'float32',
  'float64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'fixext1',
  'fixext2',
  'fixext4',
  'fixext8',
  'fixext16',
  'str8',
  'str16',
  'str32',
  'array16',
  'array32',
  'map16',
  'map32',
];

/** The msgpack format a type byte starts, e.g. `array32`. */
function formatName(type: number): string {
  if (type <= 0x7f) return 'positive fixint';
  if (type <= 0x8f) return 'fixmap';
  if (type <= 0x9f) return 'fixarray';
  if (type <= 0xbf) return 'fixstr';
  if (type >= 0xe0) return 'negative fixint';
  return FORMAT_NAMES[type - 0xc0] as string;
}

function isTextFormat(type: number): boolean {
  return (type >= 0xa0 && type <= 0xbf) || type === 0xd9 || type === 0xda || type === 0xdb;
}

/** Number of payload bytes of the fixed-size formats 0xc0–0xdf (-1: not fixed-size). */
const FIXED_SIZES = [
  0, -1, 0, 0, -1, -1, -1, -1, -1, -1, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
];

/** Values still to come in each open array or map of {@link checkStructure} (maps: keys and values). */
const openItems = new Float64Array(MAX_DEPTH);
/** Whether each open container is a map. */
const openIsMap = new Uint8Array(MAX_DEPTH);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function bytesLeft(n: number): string {
  return n === 1 ? 'only 1 byte is left' : `only ${n} bytes are left`;
}

/**
 * Walk every header of a message, without building anything and without
 * recursion, and throw {@link Malformed} unless it is exactly one value that
 * {@link build} can decode within the bounds: every declared length fits in
 * the bytes that are left (an array of N elements needs at least N more bytes,
 * a map of N entries 2N), at most {@link MAX_ELEMENTS} values, nesting at most
 * {@link MAX_DEPTH} levels, map keys are text, no extension types, no trailing
 * bytes. Time is linear in the message's length: every step consumes a byte.
 * Text is checked for UTF-8 while building.
 */
function checkStructure(data: Uint8Array): void {
  const end = data.length;
  if (end === 0) fail('empty message');
  let pos = 0;
  let depth = 0;
  let values = 1;
  for (;;) {
    if (pos >= end) fail(`truncated: the message ends inside an array or map (${plural(end, 'byte')})`);
    const start = pos;
    const type = data[pos++] as number;
    if (depth > 0 && openIsMap[depth - 1] === 1 && openItems[depth - 1]! % 2 === 0 && !isTextFormat(type)) {
      fail(`map key at offset ${start} must be text, got ${formatName(type)}`);
    }
    // Items of an array or map that starts here (keys and values for a map).
    let items = 0;
    let isMap = 0;
    if (type <= 0x7f || type >= 0xe0) {
      // positive or negative fixint
    } else if (type <= 0x8f) {
      items = (type & 0x0f) * 2;
      isMap = 1;
    } else if (type <= 0x9f) {
      items = type & 0x0f;
    } else if (type <= 0xbf) {
      pos = skipPayload(data, start, pos, type & 0x1f);
    } else {
      const fixed = FIXED_SIZES[type - 0xc0] as number;
      if (fixed >= 0) {
        if (fixed > end - pos) fail(`truncated: ${formatName(type)} at offset ${start}`);
        pos += fixed;
      } else {
        switch (type) {
          case 0xc4:
          case 0xd9:
            pos = skipPayload(data, start, pos + 1, readLength(data, start, pos, 1));
            break;
          case 0xc5:
          case 0xda:
            pos = skipPayload(data, start, pos + 2, readLength(data, start, pos, 2));
            break;
          case 0xc6:
          case 0xdb:
            pos = skipPayload(data, start, pos + 4, readLength(data, start, pos, 4));
            break;
          case 0xdc:
            items = readLength(data, start, pos, 2);
            pos += 2;
            break;
          case 0xdd:
            items = readLength(data, start, pos, 4);
            pos += 4;
            break;
          case 0xde:
            items = readLength(data, start, pos, 2) * 2;
            pos += 2;
            isMap = 1;
            break;
          case 0xdf:
            items = readLength(data, start, pos, 4) * 2;
            pos += 4;
            isMap = 1;
            break;
          case 0xc1:
            fail(`invalid type byte 0xc1 at offset ${start}`);
            break;
          default:
            fail(`${formatName(type)} at offset ${start}: extension types (timestamps too) are not supported`);
        }
      }
    }
    if (items > 0) {
      if (items > end - pos) {
        const declared = isMap ? (items === 2 ? '1 entry' : `${items / 2} entries`) : plural(items, 'element');
        fail(`${formatName(type)} at offset ${start} declares ${declared} but ${bytesLeft(end - pos)}`);
      }
      values += items;
      if (values > MAX_ELEMENTS) {
        fail(`more than ${MAX_ELEMENTS} values in one message (the limit; ${formatName(type)} at offset ${start})`);
      }
      if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels (offset ${start})`);
      openItems[depth] = items;
      openIsMap[depth] = isMap;
      depth++;
      continue;
    }
    // A complete value: count it off its container, and any container it completes.
    while (depth > 0) {
      const left = openItems[depth - 1]! - 1;
      if (left > 0) {
        openItems[depth - 1] = left;
        break;
      }
      depth--;
    }
    if (depth === 0) break;
  }
  if (pos !== end) fail(`${plural(end - pos, 'trailing byte')} after the value (offset ${pos})`);
}

/** The unsigned big-endian length of `size` bytes after the type byte at `start`. */
function readLength(data: Uint8Array, start: number, pos: number, size: 1 | 2 | 4): number {
  if (pos + size > data.length) fail(`truncated: ${formatName(data[start] as number)} header at offset ${start}`);
  if (size === 1) return data[pos] as number;
  if (size === 2) return ((data[pos] as number) << 8) | (data[pos + 1] as number);
  return (
    (data[pos] as number) * 0x1000000 +
    (((data[pos + 1] as number) << 16) | ((data[pos + 2] as number) << 8) | (data[pos + 3] as number))
  );
}

/** Position after `length` payload bytes at `pos`, which must all be there. */
function skipPayload(data: Uint8Array, start: number, pos: number, length: number): number {
  if (length > data.length - pos) {
    const name = formatName(data[start] as number);
    fail(`${name} at offset ${start} declares ${plural(length, 'byte')} but ${bytesLeft(data.length - pos)}`);
  }
  return pos + length;
}

/**
 * Node's native UTF-8 reader, which `Buffer#toString` calls after choosing it
 * in JS; called directly it saves those steps, most of a short key's cost
 * before the JIT has run. It replaces invalid bytes with U+FFFD instead of
 * failing, so text holding U+FFFD is decoded again strictly. Not documented,
 * hence the fallback.
 */
type Utf8Slice = (this: Buffer, start: number, end: number) => string;
const utf8Slice: Utf8Slice =
  (Buffer.prototype as Buffer & { utf8Slice?: Utf8Slice }).utf8Slice ??
  function slice(this: Buffer, start: number, end: number): string {
    return this.toString('utf8', start, end);
  };

// Strict like Python's decoder (invalid UTF-8 is an error), and a leading BOM is kept as U+FEFF.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Builds the value of a message that passed {@link checkStructure}, so it
 * needs no bounds checks and may recurse (at most {@link MAX_DEPTH} levels).
 */
class Builder {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  value(): WireValue {
    const buf = this.buf;
    const type = buf[this.pos++] as number;
    if (type <= 0x7f) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type <= 0x8f) return this.map(type & 0x0f);
    if (type <= 0x9f) return this.array(type & 0x0f);
    if (type <= 0xbf) return this.text(type & 0x1f);
    const p = this.pos;
    switch (type) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        this.pos = p + 1;
        return this.bytes(buf[p] as number);
      case 0xc5:
        this.pos = p + 2;
        return this.bytes(buf.readUInt16BE(p));
      case 0xc6:
        this.pos = p + 4;
        return this.bytes(buf.readUInt32BE(p));
      case 0xca:
        this.pos = p + 4;
        return buf.readFloatBE(p);
      case 0xcb:
        this.pos = p + 8;
        return buf.readDoubleBE(p);
      case 0xcc:
        this.pos = p + 1;
        return buf[p] as number;
      case 0xcd:
        this.pos = p + 2;
        return buf.readUInt16BE(p);
      case 0xce:
        this.pos = p + 4;
        return buf.readUInt32BE(p);
      case 0xcf:
        // One rounding, as Number(bigint) does: the high word times 2^32 is exact.
        this.pos = p + 8;
        return buf.readUInt32BE(p) * 0x100000000 + buf.readUInt32BE(p + 4);
      case 0xd0:
        this.pos = p + 1;
        return buf.readInt8(p);
      case 0xd1:
        this.pos = p + 2;
        return buf.readInt16BE(p);
      case 0xd2:
        this.pos = p + 4;
        return buf.readInt32BE(p);
      case 0xd3:
        this.pos = p + 8;
        return buf.readInt32BE(p) * 0x100000000 + buf.readUInt32BE(p + 4);
      case 0xd9:
        this.pos = p + 1;
        return this.text(buf[p] as number);
      case 0xda:
        this.pos = p + 2;
        return this.text(buf.readUInt16BE(p));
      case 0xdb:
        this.pos = p + 4;
        return this.text(buf.readUInt32BE(p));
      case 0xdc:
        this.pos = p + 2;
        return this.array(buf.readUInt16BE(p));
      case 0xdd:
        this.pos = p + 4;
        return this.array(buf.readUInt32BE(p));
      case 0xde:
        this.pos = p + 2;
        return this.map(buf.readUInt16BE(p));
      case 0xdf:
        this.pos = p + 4;
        return this.map(buf.readUInt32BE(p));
      default:
        // checkStructure lets no other type byte through.
        return fail(`unexpected ${formatName(type)} at offset ${p - 1}`);
    }
  }

  private array(length: number): WireValue[] {
    const out: WireValue[] = [];
    for (let i = 0; i < length; i++) out.push(this.value());
    return out;
  }

  private map(entries: number): WireMap {
    const out: Record<string, WireValue> = {};
    for (let i = 0; i < entries; i++) {
      const key = this.value() as string;
      const item = this.value();
      // A "__proto__" key stays an ordinary key (assigning it would set the prototype).
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = item;
      }
    }
    return out;
  }

  /** A copy: the value must not change with (or keep alive) the received frame. */
  private bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.buf.copy(out, 0, this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  private text(length: number): string {
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    // Valid UTF-8 (nearly all text) is read in one native call, without a
    // scan for non-ASCII bytes first or a subarray for the strict decoder.
    const text = utf8Slice.call(buf, start, end);
    if (!text.includes('\uFFFD')) return text;
    try {
      return utf8.decode(buf.subarray(start, end));
    } catch {
      return fail(`text at offset ${start} is not valid UTF-8`);
    }
  }
}

/**
 * Decode one msgpack value; never throws. Trailing bytes are an error, and so
 * is anything beyond the bounds {@link MAX_DEPTH} and {@link MAX_ELEMENTS}.
 * The structure is checked before anything is built, so no message makes
 * decoding allocate much more than its own size (plus the bounded cost per
 * value) or take more than time linear in its length.
 */
export function decode(data: Uint8Array): DecodeResult {
  try {
    checkStructure(data);
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return { ok: true, value: new Builder(buf).value() };
  } catch (err) {
    return { ok: false, error: `invalid msgpack: ${err instanceof Error ? err.message : String(err)}` };
  }
}
