/**
 * Malformed messages for `scenario_execution_server`, from a seeded generator,
 * and a runner that sends them and sorts the outcomes. Shared by
 * `fuzz-server.mjs` (`npm run fuzz`) and `test/fuzz.test.ts`; it runs on the
 * built packages.
 *
 * Every message here must get an error reply, except the frames above
 * ZeroMQ's hard size limit: libzmq closes that connection before the server
 * sees the message (a designed drop).
 */
import {
  COMMAND_NAMES,
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeReply,
  encode,
  MAX_DEPTH,
  MAX_ELEMENTS,
} from '@scenario-execution/protocol';
import { Dealer, Request } from 'zeromq';

/** ZeroMQ drops frames above this many bytes (the server sets it to 4 × its message limit). */
export const HARD_LIMIT = DEFAULT_MAX_MESSAGE_SIZE * 4;

/**
 * One message to send. `frames` are what the client socket sends: a REQ socket
 * adds the empty delimiter itself; a DEALER sends them as they are.
 * `replyEnvelope` is what a DEALER's reply must carry before the body.
 *
 * @typedef {{
 *   readonly kind: string;
 *   readonly socket: 'req' | 'dealer';
 *   readonly frames: readonly Uint8Array[];
 *   readonly expect: 'error' | 'drop';
 *   readonly replyEnvelope?: readonly Uint8Array[];
 * }} FuzzCase
 */

/**
 * mulberry32: a small seeded generator of 32-bit values, so that runs repeat.
 */
export class Random {
  /** @param {number} seed */
  constructor(seed) {
    /** @private */
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * An integer in [0, n).
   * @param {number} n
   */
  int(n) {
    return Math.floor(this.next() * n);
  }

  /**
   * An integer in [low, high].
   * @param {number} low
   * @param {number} high
   */
  between(low, high) {
    return low + this.int(high - low + 1);
  }

  /**
   * @template T
   * @param {readonly T[]} items
   * @returns {T}
   */
  pick(items) {
    return /** @type {T} */ (items[this.int(items.length)]);
  }

  /** @param {number} p */
  chance(p) {
    return this.next() < p;
  }

  /** @param {number} n */
  bytes(n) {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

// ---------------------------------------------------------------------------
// Raw msgpack pieces

/**
 * A type byte and a big-endian length of `size` bytes (the value may exceed
 * what follows: that is the point).
 * @param {number} type
 * @param {0 | 1 | 2 | 4} size
 * @param {number} value
 */
function header(type, size, value) {
  const out = Buffer.alloc(1 + size);
  out[0] = type;
  if (size > 0) out.writeUIntBE(value, 1, size);
  return out;
}

/** @param {...(Uint8Array | string)} parts hex text or bytes */
function join(...parts) {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'hex') : p)));
}

/** An array32 header declaring 33,554,432 elements. */
const ARRAY32_HUGE = 'dd02000000';

/** The message that killed the server: 17 nested huge array32 headers and a nil (86 bytes). */
export function array32Bomb(headers = 17) {
  return Buffer.from(`${ARRAY32_HUGE.repeat(headers)}c0`, 'hex');
}

/** A well-formed 16 MB message: an array of 16 million empty maps (1 byte each). */
export function sixteenMillionMaps() {
  const count = 16_000_000;
  const out = Buffer.alloc(5 + count, 0x80);
  out[0] = 0xdd;
  out.writeUInt32BE(count, 1);
  return out;
}

/** The prefix `{cmd: <cmd>, payload: {action_id: <id>, <key>: ` of a request, open at its last value. */
function requestPrefix(cmd = 'execute', key = 'exec_args', id = 'fuzz-nobody') {
  return join('82', encode('cmd'), encode(cmd), encode('payload'), '82', encode('action_id'), encode(id), encode(key));
}

// ---------------------------------------------------------------------------
// Values

/**
 * A random value of one of the kinds in `kinds`.
 * @param {Random} r
 * @param {readonly string[]} kinds
 * @returns {unknown}
 */
function randomValue(r, kinds) {
  switch (r.pick(kinds)) {
    case 'nil':
      return null;
    case 'bool':
      return r.chance(0.5);
    case 'int':
      return r.pick([0, 1, -1, 127, 255, -33, 65536, -70000, 2 ** 32, -(2 ** 40), 2 ** 53 + 2]);
    case 'float':
      return r.pick([0.5, -1.25, Number.NaN, Number.POSITIVE_INFINITY, 1e300, -0.1]);
    case 'text':
      return r.pick(['', 'x', 'heartbeat', 'é✓', 'a'.repeat(40), '\u0000\u001b[31m']);
    case 'bytes':
      return r.bytes(r.int(12));
    case 'array':
      return [r.int(5), 'x', null];
    default:
      return { k: r.int(3), nested: { deeper: [] } };
  }
}

const ALL_TYPES = ['nil', 'bool', 'int', 'float', 'text', 'bytes', 'array', 'map'];

/** What each field accepts; `?` = nil or absent too. `new_status` of terminate takes anything. */
const FIELDS = {
  init: { action_id: 'text', plugin_key: 'text', init_args: 'map?', output_dir: 'text?' },
  setup: { action_id: 'text', tick_period: 'number?', output_dir: 'text?', scenario_file_directory: 'text?' },
  execute: { action_id: 'text', exec_args: 'map?' },
  update: { action_id: 'text' },
  terminate: { action_id: 'text' },
  reset: { action_id: 'text?' },
  heartbeat: {},
};

/** @param {string} accepts */
function wrongTypes(accepts) {
  const base = accepts.replace('?', '');
  const accepted = base === 'number' ? ['int', 'float'] : [base];
  if (accepts.endsWith('?')) accepted.push('nil');
  return ALL_TYPES.filter((t) => !accepted.includes(t));
}

/**
 * A well-formed request that still fails: its action is unknown, its plugin does not exist.
 * Reset and heartbeat are left out (they succeed).
 * @param {Random} r
 * @param {string} cmd
 */
function failingPayload(r, cmd) {
  const action_id = `fuzz-${r.int(1e9)}`;
  switch (cmd) {
    case 'init':
      return { action_id, plugin_key: `no-such-plugin-${r.int(1000)}`, init_args: {}, output_dir: null };
    case 'setup':
      return { action_id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/tmp' };
    case 'execute':
      return { action_id, exec_args: { x: 1 } };
    case 'terminate':
      return { action_id, new_status: 'SUCCESS' };
    default:
      return { action_id };
  }
}

/** @param {string} kind @param {Uint8Array} body @returns {FuzzCase} */
function req(kind, body) {
  return { kind, socket: 'req', frames: [body], expect: 'error' };
}

// ---------------------------------------------------------------------------
// The kinds of malformed messages

/** @type {Record<string, { weight: number, make: (r: Random) => FuzzCase }>} */
const KIND_TABLE = {
  'random bytes': {
    weight: 20,
    make: (r) => req('random bytes', r.bytes(r.chance(0.1) ? r.int(4096) : r.int(48))),
  },
  'truncated request': {
    weight: 15,
    make: (r) => {
      const cmd = r.pick(COMMAND_NAMES);
      const payload = cmd === 'heartbeat' ? {} : cmd === 'reset' ? {} : failingPayload(r, cmd);
      const whole = encode({ cmd, payload });
      return req('truncated request', whole.subarray(0, r.int(whole.length)));
    },
  },
  'not a map': {
    weight: 8,
    make: (r) =>
      req(
        'not a map',
        encode(
          randomValue(
            r,
            ALL_TYPES.filter((t) => t !== 'map'),
          ),
        ),
      ),
  },
  'field of wrong type': {
    weight: 20,
    make: (r) => {
      const cmd = r.pick(COMMAND_NAMES);
      const fields = /** @type {Record<string, string>} */ (FIELDS[/** @type {keyof typeof FIELDS} */ (cmd)]);
      // The command's own fields, and `cmd` and `payload` themselves.
      const choice = r.pick([...Object.keys(fields), 'cmd', 'payload']);
      /** @type {Record<string, unknown>} */
      const request = { cmd, payload: failingPayload(r, cmd) };
      if (choice === 'cmd')
        request.cmd = randomValue(
          r,
          ALL_TYPES.filter((t) => t !== 'text'),
        );
      else if (choice === 'payload')
        request.payload = randomValue(r, ['bool', 'int', 'float', 'text', 'bytes', 'array']);
      else {
        const payload = /** @type {Record<string, unknown>} */ (request.payload);
        payload[choice] = randomValue(r, wrongTypes(/** @type {string} */ (fields[choice])));
      }
      return req('field of wrong type', encode(request));
    },
  },
  'unknown command': {
    weight: 8,
    make: (r) => {
      let cmd = r.pick([
        '',
        'HEARTBEAT',
        'init ',
        'exec',
        'shutdown',
        '__proto__',
        'constructor',
        'é',
        'x'.repeat(300),
      ]);
      if (r.chance(0.5)) cmd = `${cmd}${r.int(1e6)}`;
      return req('unknown command', encode({ cmd, payload: failingPayload(r, 'update') }));
    },
  },
  'unknown action': {
    weight: 5,
    make: (r) => {
      const cmd = r.pick(['init', 'setup', 'execute', 'update', 'terminate']);
      return req('unknown action', encode({ cmd, payload: failingPayload(r, cmd) }));
    },
  },
  'bad msgpack': {
    weight: 8,
    make: (r) => {
      const body = r.pick([
        // map keys that are not text
        () => join('82', encode('cmd'), encode('heartbeat'), encode(r.int(100)), '80'),
        () => join('81', 'c0', '80'),
        () => join('81', 'c403616263', '80'),
        // invalid UTF-8, the never-used type byte, trailing bytes
        () => join('82', encode('cmd'), 'a3eda080', encode('payload'), '80'),
        () => join('81', 'a3636d64', 'a2c328'),
        () => join('92', 'c1', 'c0'),
        () => join(encode({ cmd: 'heartbeat', payload: {} }), r.bytes(r.between(1, 8))),
        () => Buffer.alloc(0),
      ])();
      return req('bad msgpack', body);
    },
  },
  'huge string': {
    weight: 0.05,
    make: (r) => {
      const size = r.between(1 << 20, DEFAULT_MAX_MESSAGE_SIZE - 200);
      const text = 'x'.repeat(size);
      const where = r.int(3);
      const request =
        where === 0
          ? { cmd: 'update', payload: { action_id: text } }
          : where === 1
            ? { cmd: 'init', payload: { action_id: 'fuzz-big', plugin_key: text, init_args: {} } }
            : { cmd: 'execute', payload: { action_id: 'fuzz-big', exec_args: { data: text } } };
      return req('huge string', encode(request));
    },
  },
  'deep nesting': {
    weight: 2,
    make: (r) => {
      const levels = r.chance(0.5) ? 10_000 : r.between(MAX_DEPTH + 1, 10_000);
      const open = r.chance(0.5) ? Buffer.alloc(levels, 0x91) : Buffer.from('81a161'.repeat(levels), 'hex');
      const inner = join(open, 'c0');
      return req('deep nesting', r.chance(0.5) ? inner : join(requestPrefix(), inner));
    },
  },
  'extension type': {
    weight: 5,
    make: (r) => {
      const ext = r.pick([
        'd6ff00000000', // timestamp 32
        'd7ff0000000000000000', // timestamp 64
        'c70cff000000000000000000000000', // timestamp 96
        'd40100',
        'd5010000',
        'd80100000000000000000000000000000000',
        'c8000101ff',
        'c90000000101ff',
        'c9ffffffff01', // ext32 claiming 4 GB
      ]);
      return req('extension type', r.chance(0.5) ? Buffer.from(ext, 'hex') : join(requestPrefix(), ext));
    },
  },
  'huge length header': {
    weight: 8,
    make: (r) => {
      const [type, size] = r.pick([
        [0xd9, 1],
        [0xda, 2],
        [0xdb, 4],
        [0xc4, 1],
        [0xc5, 2],
        [0xc6, 4],
        [0xdc, 2],
        [0xdd, 4],
        [0xde, 2],
        [0xdf, 4],
        [0xc7, 1],
        [0xc8, 2],
        [0xc9, 4],
      ]);
      const max = 2 ** (8 * size) - 1;
      const tail = r.bytes(r.int(16));
      // More than the bytes that follow, up to 4 GB.
      const declared = r.chance(0.3) ? max : r.between(Math.min(tail.length + 1, max), max);
      const head = header(type, /** @type {1 | 2 | 4} */ (size), declared);
      return req('huge length header', r.chance(0.5) ? join(head, tail) : join(requestPrefix(), head, tail));
    },
  },
  'array32 bomb': {
    weight: 3,
    make: (r) => req('array32 bomb', r.chance(0.5) ? array32Bomb(r.pick([1, 8, 17])) : array32Bomb(r.between(1, 40))),
  },
  'too many values': {
    weight: 0.5,
    make: (r) => {
      const count = MAX_ELEMENTS + r.int(1000);
      const body = Buffer.alloc(5 + count, r.pick([0xc0, 0x80, 0x90, 0x00]));
      body[0] = 0xdd;
      body.writeUInt32BE(count, 1);
      return req('too many values', r.chance(0.5) ? body : join(requestPrefix(), '81a161', body));
    },
  },
  'multi-frame (REQ)': {
    weight: 3,
    make: (r) => {
      const frames = [encode({ cmd: 'heartbeat', payload: {} })];
      for (let n = r.between(1, 4); n > 0; n--) frames.push(r.chance(0.5) ? r.bytes(r.int(20)) : frames[0]);
      return { kind: 'multi-frame (REQ)', socket: 'req', frames, expect: 'error' };
    },
  },
  'DEALER without delimiter': {
    weight: 3,
    make: (r) => ({
      kind: 'DEALER without delimiter',
      socket: 'dealer',
      frames: [r.chance(0.5) ? r.bytes(r.between(1, 40)) : encode({ cmd: 'update', payload: {} })],
      expect: 'error',
      replyEnvelope: [],
    }),
  },
  'DEALER multi-frame, no delimiter': {
    weight: 2,
    make: (r) => {
      const frames = [];
      for (let n = r.between(2, 5); n > 0; n--) frames.push(encode({ cmd: 'heartbeat', payload: {} }));
      return { kind: 'DEALER multi-frame, no delimiter', socket: 'dealer', frames, expect: 'error', replyEnvelope: [] };
    },
  },
  'DEALER multi-frame after delimiter': {
    weight: 2,
    make: (r) => {
      const frames = [Buffer.alloc(0)];
      for (let n = r.between(2, 5); n > 0; n--) frames.push(encode({ cmd: 'heartbeat', payload: {} }));
      return {
        kind: 'DEALER multi-frame after delimiter',
        socket: 'dealer',
        frames,
        expect: 'error',
        replyEnvelope: [Buffer.alloc(0)],
      };
    },
  },
  'DEALER delimiter, no body': {
    weight: 1,
    make: () => ({
      kind: 'DEALER delimiter, no body',
      socket: 'dealer',
      frames: [Buffer.alloc(0)],
      expect: 'error',
      replyEnvelope: [Buffer.alloc(0)],
    }),
  },
  'DEALER routing frames': {
    weight: 1,
    make: (r) => {
      const route = [r.bytes(r.between(1, 8)), r.bytes(r.between(1, 8))].slice(0, r.between(1, 2));
      const envelope = [...route, Buffer.alloc(0)];
      return {
        kind: 'DEALER routing frames',
        socket: 'dealer',
        frames: [...envelope, r.bytes(r.between(1, 30))],
        expect: 'error',
        replyEnvelope: envelope,
      };
    },
  },
  'over the size limit': {
    weight: 0.01,
    make: (r) => {
      const size = r.between(DEFAULT_MAX_MESSAGE_SIZE + 1, HARD_LIMIT);
      return req('over the size limit', Buffer.alloc(size, 0x61));
    },
  },
  'multi-frame over the size limit': {
    weight: 0.01,
    // ZeroMQ's limit is per frame: many frames under it pass as one message of any size.
    make: (r) => {
      const frame = Buffer.alloc(1 << 20, 0x62);
      const frames = [Buffer.alloc(0)];
      for (let n = r.between(17, 40); n > 0; n--) frames.push(frame);
      return {
        kind: 'multi-frame over the size limit',
        socket: 'dealer',
        frames,
        expect: 'error',
        replyEnvelope: [Buffer.alloc(0)],
      };
    },
  },
  'over the hard limit': {
    weight: 0.002,
    make: (r) => ({
      kind: 'over the hard limit',
      socket: 'dealer',
      frames: [Buffer.alloc(HARD_LIMIT + 1 + r.int(1024), 0x61)],
      expect: 'drop',
    }),
  },
};

/** Every kind, in a fixed order. */
export const KINDS = Object.keys(KIND_TABLE);

/**
 * `count` cases from `seed`: one of each kind first (so every run covers them
 * all), then kinds drawn by weight. Made one at a time, so a long run holds
 * one message at once.
 * @param {number} count
 * @param {number} seed
 * @returns {Generator<FuzzCase>}
 */
export function* fuzzCases(count, seed) {
  const r = new Random(seed);
  const entries = Object.values(KIND_TABLE);
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  for (let i = 0; i < count; i++) {
    if (i < entries.length) {
      yield/** @type {(typeof entries)[number]} */ (entries[i]).make(r);
      continue;
    }
    let x = r.next() * total;
    let chosen = /** @type {(typeof entries)[number]} */ (entries[0]);
    for (const e of entries) {
      chosen = e;
      x -= e.weight;
      if (x < 0) break;
    }
    yield chosen.make(r);
  }
}

// ---------------------------------------------------------------------------
// Sending

/**
 * @typedef {{
 *   sent: number;
 *   errorReplies: number;
 *   okReplies: number;
 *   badReplies: number;
 *   hangs: number;
 *   dropped: number;
 *   unexpectedReplies: number;
 *   crashed: boolean;
 *   byKind: Record<string, { sent: number; error: number; other: number }>;
 *   failures: string[];
 * }} FuzzStats
 */

/** @returns {FuzzStats} */
export function emptyStats() {
  return {
    sent: 0,
    errorReplies: 0,
    okReplies: 0,
    badReplies: 0,
    hangs: 0,
    dropped: 0,
    unexpectedReplies: 0,
    crashed: false,
    byKind: {},
    failures: [],
  };
}

/**
 * Whether a received reply is an error reply; what is wrong with it otherwise.
 * @param {Uint8Array | undefined} body
 * @returns {'error' | 'ok' | string}
 */
function classifyReply(body) {
  if (body === undefined) return 'no body frame';
  const reply = decodeReply(body);
  if (!reply.ok) return `undecodable reply: ${reply.error}`;
  if (reply.value.status === 'error') return 'error';
  return 'ok';
}

/** @param {readonly Uint8Array[]} a @param {readonly Uint8Array[]} b */
function sameFrames(a, b) {
  return a.length === b.length && a.every((frame, i) => Buffer.compare(frame, /** @type {Uint8Array} */ (b[i])) === 0);
}

/**
 * @param {number} timeoutMs
 */
function newRequest(timeoutMs) {
  return new Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs, relaxed: true, correlate: true });
}

/** @param {number} timeoutMs */
function newDealer(timeoutMs) {
  return new Dealer({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
}

/**
 * Send the cases one after the other to the server at `endpoint` and count the
 * outcomes. A hang is no reply within `timeoutMs` (plus 1 ms per 20 kB of the
 * message); a case that must be dropped is waited for `dropWaitMs`. Stops early when `alive()` turns false (a crash).
 * @param {string} endpoint
 * @param {Iterable<FuzzCase>} cases
 * @param {{ timeoutMs?: number, dropWaitMs?: number, alive?: () => boolean, stats?: FuzzStats }} [options]
 * @returns {Promise<FuzzStats>}
 */
export async function sendCases(endpoint, cases, options = {}) {
  const timeoutMs = options.timeoutMs ?? 2000;
  const dropWaitMs = options.dropWaitMs ?? 1000;
  const alive = options.alive ?? (() => true);
  const stats = options.stats ?? emptyStats();
  /** @param {string} what */
  const failure = (what) => {
    if (stats.failures.length < 20) stats.failures.push(what);
  };
  let reqSocket = newRequest(timeoutMs);
  reqSocket.connect(endpoint);
  let dealer = newDealer(timeoutMs);
  dealer.connect(endpoint);
  try {
    for (const c of cases) {
      if (!alive()) {
        stats.crashed = true;
        break;
      }
      stats.sent++;
      stats.byKind[c.kind] ??= { sent: 0, error: 0, other: 0 };
      const perKind = stats.byKind[c.kind];
      perKind.sent++;
      if (c.expect === 'drop') {
        // A throwaway socket: ZeroMQ closes its connection.
        const dropper = newDealer(dropWaitMs);
        dropper.connect(endpoint);
        try {
          await dropper.send(c.frames);
          await dropper.receive();
          stats.unexpectedReplies++;
          perKind.other++;
          failure(`${c.kind}: got a reply, expected the connection to be dropped`);
        } catch {
          stats.dropped++;
        } finally {
          dropper.close();
        }
        continue;
      }
      /** @type {Uint8Array[] | undefined} */
      let reply;
      const socket = c.socket === 'req' ? reqSocket : dealer;
      // Big messages get time to travel too: 1 ms more per 20 kB (64 MiB: 3.4 s more).
      const limit = timeoutMs + Math.ceil(c.frames.reduce((n, f) => n + f.length, 0) / 20_000);
      socket.receiveTimeout = limit;
      socket.sendTimeout = limit;
      try {
        await socket.send(c.frames);
        reply = await socket.receive();
      } catch {
        reply = undefined;
      }
      if (reply === undefined) {
        if (!alive()) {
          stats.crashed = true;
          break;
        }
        stats.hangs++;
        perKind.other++;
        failure(`${c.kind}: no reply within ${limit} ms`);
        // A fresh socket, so a late reply is not taken for the next one's.
        if (c.socket === 'req') {
          reqSocket.close();
          reqSocket = newRequest(timeoutMs);
          reqSocket.connect(endpoint);
        } else {
          dealer.close();
          dealer = newDealer(timeoutMs);
          dealer.connect(endpoint);
        }
        continue;
      }
      const envelope = c.socket === 'dealer' ? (c.replyEnvelope ?? []) : [];
      const outcome = sameFrames(reply.slice(0, -1), envelope)
        ? classifyReply(reply[reply.length - 1])
        : `reply of ${reply.length} frames with the wrong envelope`;
      if (outcome === 'error') {
        stats.errorReplies++;
        perKind.error++;
      } else if (outcome === 'ok') {
        stats.okReplies++;
        perKind.other++;
        failure(`${c.kind}: ok reply`);
      } else {
        stats.badReplies++;
        perKind.other++;
        failure(`${c.kind}: ${outcome}`);
      }
    }
  } finally {
    reqSocket.close();
    dealer.close();
  }
  return stats;
}

/**
 * Send one message on a fresh REQ socket; resolve with the reply's text
 * (status and message) and the round trip in ms, or undefined without one.
 * @param {string} endpoint
 * @param {Uint8Array} body
 * @param {number} [timeoutMs]
 * @returns {Promise<{ status: string, message: string, ms: number } | undefined>}
 */
export async function askOnce(endpoint, body, timeoutMs = 5000) {
  const socket = newRequest(timeoutMs);
  socket.connect(endpoint);
  try {
    const start = performance.now();
    await socket.send(body);
    const [reply] = await socket.receive();
    const ms = performance.now() - start;
    const decoded = reply === undefined ? undefined : decodeReply(reply);
    if (!decoded?.ok) return { status: 'undecodable', message: decoded?.error ?? 'no body frame', ms };
    const value = decoded.value;
    return { status: value.status, message: value.status === 'error' ? value.message : '', ms };
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

/**
 * Heartbeat round trips on one connected socket (after one to connect).
 * @param {string} endpoint
 * @param {number} count
 * @returns {Promise<number[]>} round trips in ms, sorted
 */
export async function heartbeatRoundTrips(endpoint, count) {
  const socket = newRequest(5000);
  socket.connect(endpoint);
  const body = encode({ cmd: 'heartbeat', payload: {} });
  const times = [];
  try {
    await socket.send(body);
    await socket.receive();
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await socket.send(body);
      const [reply] = await socket.receive();
      times.push(performance.now() - start);
      const decoded = reply === undefined ? undefined : decodeReply(reply);
      if (!decoded?.ok || decoded.value.status !== 'ok') throw new Error('heartbeat not answered with ok');
    }
  } finally {
    socket.close();
  }
  return times.sort((a, b) => a - b);
}
