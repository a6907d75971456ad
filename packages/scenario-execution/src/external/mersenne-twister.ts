/**
 * MT19937 seeded and consumed the way CPython's `random` module does, so a
 * scenario that calls `random.seed(n)` draws the same numbers in both engines.
 */
import { randomBytes } from 'node:crypto';

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

export class PythonRandom {
  private readonly state = new Uint32Array(N);
  private index = N + 1;
  /** Made without a seed and not drawn from yet: seeded from the OS at the first draw. */
  private osSeedPending = false;

  /**
   * Without a seed, seeded from the OS at the first draw (Python seeds at creation;
   * nothing tells the two apart): an engine that draws nothing asks the OS for nothing.
   */
  constructor(seed?: number | bigint) {
    if (seed === undefined) this.osSeedPending = true;
    else this.seed(seed);
  }

  /** `random.seed(n)`; without a value, seeds from the OS like Python. */
  seed(seed?: number | bigint): void {
    this.osSeedPending = false;
    if (seed === undefined) {
      const bytes = randomBytes(N * 4);
      this.initByArray(Array.from(new Uint32Array(bytes.buffer, bytes.byteOffset, N)));
      return;
    }
    let value = typeof seed === 'bigint' ? seed : BigInt(Math.trunc(seed));
    if (value < 0n) value = -value;
    const key: number[] = [];
    while (value > 0n) {
      key.push(Number(value & 0xffffffffn));
      value >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
  }

  /** `random.random()`: 53-bit float in [0, 1). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `random.getrandbits(k)` for k ≤ 53. */
  getrandbits(bits: number): number {
    if (bits < 0 || bits > 53 || !Number.isInteger(bits))
      throw new RangeError(`getrandbits: unsupported bit count ${bits}`);
    if (bits === 0) return 0;
    if (bits <= 32) return this.nextUint32() >>> (32 - bits);
    const low = this.nextUint32();
    const high = this.nextUint32() >>> (64 - bits);
    return high * 0x100000000 + low;
  }

  /** `random.uniform(a, b)`. */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** `random.randint(a, b)`: integer in [a, b]. */
  randint(a: number, b: number): number {
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new TypeError('randint: arguments must be integers');
    const width = b + 1 - a;
    if (width <= 0) throw new RangeError(`empty range in randrange(${a}, ${b + 1})`);
    return a + this.randbelow(width);
  }

  /** `random.choice(seq)`. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot choose from an empty sequence');
    return items[this.randbelow(items.length)] as T;
  }

  private randbelow(n: number): number {
    const bits = Math.floor(Math.log2(n)) + 1;
    let r = this.getrandbits(bits);
    while (r >= n) r = this.getrandbits(bits);
    return r;
  }

  private initGenrand(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.state;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private nextUint32(): number {
    const mt = this.state;
    if (this.index >= N) {
      if (this.osSeedPending) this.seed();
      for (let k = 0; k < N; k++) {
        const y = ((mt[k] as number) & UPPER_MASK) | ((mt[(k + 1) % N] as number) & LOWER_MASK);
        mt[k] = ((mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
      }
      this.index = 0;
    }
    let y = mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}
