/**
 * Message shapes of the remote action protocol, builders that lay keys out in
 * the order the Python implementation sends them (so the bytes match), and
 * validating parsers that never throw.
 */
import { decode, encode, type WireMap, type WireValue } from './codec.js';
import { type ActionStatusName, isActionStatusName, type TreeStatusName, treeStatusFromTerminate } from './status.js';

export type CommandName = 'init' | 'setup' | 'execute' | 'update' | 'terminate' | 'reset' | 'heartbeat';
export const COMMAND_NAMES: readonly CommandName[] = [
  'init',
  'setup',
  'execute',
  'update',
  'terminate',
  'reset',
  'heartbeat',
];

export interface InitPayload {
  /** uuid4 text chosen by the client, one per remote action. */
  readonly action_id: string;
  /** Action name, e.g. `run_process`. */
  readonly plugin_key: string;
  /** Arguments the action consumes at construction. */
  readonly init_args: WireMap;
  readonly output_dir: string | null;
}

export interface SetupPayload {
  readonly action_id: string;
  /** Seconds between ticks; nil means the default 0.1. */
  readonly tick_period: number | null;
  readonly output_dir: string | null;
  /** Absolute directory of the client's scenario file ('' when unknown). */
  readonly scenario_file_directory: string;
}

export interface ExecutePayload {
  readonly action_id: string;
  readonly exec_args: WireMap;
}

export interface UpdatePayload {
  readonly action_id: string;
}

export interface TerminatePayload {
  readonly action_id: string;
  readonly new_status: TreeStatusName;
}

/** Without `action_id` (or with an empty one): reset every action. */
export interface ResetPayload {
  readonly action_id?: string;
}

export type HeartbeatPayload = Record<string, never>;

export interface PayloadByCommand {
  init: InitPayload;
  setup: SetupPayload;
  execute: ExecutePayload;
  update: UpdatePayload;
  terminate: TerminatePayload;
  reset: ResetPayload;
  heartbeat: HeartbeatPayload;
}

export type RequestOf<C extends CommandName> = { readonly cmd: C; readonly payload: PayloadByCommand[C] };
export type Request = { [C in CommandName]: RequestOf<C> }[CommandName];

/** One line an action logged, carried back in a reply (an extension; Python clients ignore it). */
export interface LogLine {
  readonly level: LogLevel;
  readonly msg: string;
}
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Keys our server adds to replies; a Python client ignores them. */
export interface ReplyExtras {
  /** Lines the action logged since the previous reply about it. */
  readonly log?: readonly LogLine[];
  /** The action's current feedback message. */
  readonly feedback?: string;
}

export interface OkReply extends ReplyExtras {
  readonly status: 'ok';
  /** Present in replies to `update`. */
  readonly action_status?: ActionStatusName;
}

export interface ErrorReply extends ReplyExtras {
  readonly status: 'error';
  readonly message: string;
}

export type Reply = OkReply | ErrorReply;

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A request that could not be understood, with what is known about it (for logging). */
export interface RequestError {
  readonly ok: false;
  readonly error: string;
  readonly cmd?: string;
  readonly actionId?: string;
}
export type RequestParseResult = { readonly ok: true; readonly value: Request } | RequestError;

/** Largest message a peer should accept by default. */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Building

/** Payload keys in the order the Python client sends them. */
const PAYLOAD_KEY_ORDER: { readonly [C in CommandName]: readonly string[] } = {
  init: ['action_id', 'plugin_key', 'init_args', 'output_dir'],
  setup: ['action_id', 'tick_period', 'output_dir', 'scenario_file_directory'],
  execute: ['action_id', 'exec_args'],
  update: ['action_id'],
  terminate: ['action_id', 'new_status'],
  reset: ['action_id'],
  heartbeat: [],
};

/** A copy of `source` with the keys of `order` first, then its other own keys; undefined values left out. */
function ordered(source: object, order: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of order) if (record[key] !== undefined) out[key] = record[key];
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || Object.hasOwn(out, key)) continue;
    // Assigning "__proto__" would set the copy's prototype, not a key: it is defined instead.
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A request with its payload keys in wire order. */
export function makeRequest<C extends CommandName>(cmd: C, payload: PayloadByCommand[C]): RequestOf<C> {
  return { cmd, payload: ordered(payload, PAYLOAD_KEY_ORDER[cmd]) as unknown as PayloadByCommand[C] };
}

/**
 * Whether `record` encodes as it is to the bytes of `ordered(record, order)`:
 * its defined keys are the wire-order ones, in that order, then any others.
 * Payloads built in wire order (by makeRequest, or by hand like the client's)
 * pass, and skip the copy.
 */
function inWireOrder(record: Record<string, unknown>, order: readonly string[]): boolean {
  const keys = Object.keys(record);
  let next = 0;
  let extra = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (record[key] === undefined) continue;
    const at = order.indexOf(key);
    if (at < 0) {
      extra = true;
    } else {
      if (extra || at < next) return false;
      next = at + 1;
    }
  }
  return true;
}

/** msgpack bytes of a request, identical to what the Python client sends. */
export function encodeRequest(request: Request): Buffer {
  const payload = request.payload as Record<string, unknown>;
  const order = PAYLOAD_KEY_ORDER[request.cmd];
  return encode({ cmd: request.cmd, payload: inWireOrder(payload, order) ? payload : ordered(payload, order) });
}

/**
 * The bytes of a heartbeat, as every client we know sends it (ours and the
 * Python one alike): clients send these, and a server recognises them without
 * decoding. Shared, so never written into.
 */
export const HEARTBEAT_REQUEST_BYTES: Buffer = encodeRequest({ cmd: 'heartbeat', payload: {} });

export function okReply(extras: ReplyExtras & { action_status?: ActionStatusName } = {}): OkReply {
  return { status: 'ok', ...extras };
}

export function errorReply(message: string, extras: ReplyExtras = {}): ErrorReply {
  return { status: 'error', message, ...extras };
}

/**
 * msgpack bytes of a reply. Without extras (or with empty ones) they are
 * identical to the Python server's; `log`/`feedback` are only written when set.
 */
export function encodeReply(reply: Reply): Buffer {
  const plain = reply.status === 'ok' && !reply.feedback && !(reply.log && reply.log.length > 0);
  if (plain && (reply.action_status === undefined || isActionStatusName(reply.action_status))) {
    return plainOkReplyBytes(reply.action_status);
  }
  const out: Record<string, unknown> = { status: reply.status };
  if (reply.status === 'ok') {
    if (reply.action_status !== undefined) out.action_status = reply.action_status;
  } else {
    out.message = reply.message;
  }
  if (reply.log && reply.log.length > 0) out.log = reply.log.map((line) => ({ level: line.level, msg: line.msg }));
  if (reply.feedback) out.feedback = reply.feedback;
  return encode(out);
}

/**
 * Most replies are a plain `ok`, with or without an action status: their bytes
 * are encoded once and shared (callers must not modify them).
 */
const plainOkReplies = new Map<ActionStatusName | undefined, Buffer>();

function plainOkReplyBytes(actionStatus: ActionStatusName | undefined): Buffer {
  let bytes = plainOkReplies.get(actionStatus);
  if (bytes === undefined) {
    bytes = encode(actionStatus === undefined ? { status: 'ok' } : { status: 'ok', action_status: actionStatus });
    plainOkReplies.set(actionStatus, bytes);
  }
  return bytes;
}

// ---------------------------------------------------------------------------
// Parsing

function isMap(v: WireValue | undefined): v is WireMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function typeName(v: WireValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

class ShapeError extends Error {}

function field<T>(
  payload: WireMap,
  key: string,
  cmd: string,
  accept: (v: WireValue | undefined) => v is WireValue & T,
  what: string,
): T {
  const v = Object.hasOwn(payload, key) ? payload[key] : undefined;
  if (!accept(v)) throw new ShapeError(`'${cmd}' payload: '${key}' must be ${what}, got ${typeName(v)}`);
  return v;
}

const isText = (v: WireValue | undefined): v is string => typeof v === 'string';
const isTextOrAbsent = (v: WireValue | undefined): v is string | null =>
  v === undefined || v === null || typeof v === 'string';
const isNumberOrAbsent = (v: WireValue | undefined): v is number | null =>
  v === undefined || v === null || typeof v === 'number';
const isMapOrAbsent = (v: WireValue | undefined): v is WireMap | null => v === undefined || v === null || isMap(v);

function parsePayload(cmd: CommandName, p: WireMap): Request {
  const actionId = () => field(p, 'action_id', cmd, isText, 'text');
  switch (cmd) {
    case 'init':
      return {
        cmd,
        payload: {
          action_id: actionId(),
          plugin_key: field(p, 'plugin_key', cmd, isText, 'text'),
          init_args: field(p, 'init_args', cmd, isMapOrAbsent, 'a map') ?? {},
          output_dir: field(p, 'output_dir', cmd, isTextOrAbsent, 'text or nil') ?? null,
        },
      };
    case 'setup':
      return {
        cmd,
        payload: {
          action_id: actionId(),
          tick_period: field(p, 'tick_period', cmd, isNumberOrAbsent, 'a number or nil') ?? null,
          output_dir: field(p, 'output_dir', cmd, isTextOrAbsent, 'text or nil') ?? null,
          scenario_file_directory: field(p, 'scenario_file_directory', cmd, isTextOrAbsent, 'text or nil') ?? '',
        },
      };
    case 'execute':
      return {
        cmd,
        payload: { action_id: actionId(), exec_args: field(p, 'exec_args', cmd, isMapOrAbsent, 'a map') ?? {} },
      };
    case 'update':
      return { cmd, payload: { action_id: actionId() } };
    case 'terminate':
      return { cmd, payload: { action_id: actionId(), new_status: treeStatusFromTerminate(p.new_status) } };
    case 'reset': {
      const id = field(p, 'action_id', cmd, isTextOrAbsent, 'text or nil');
      return { cmd, payload: id ? { action_id: id } : {} };
    }
    case 'heartbeat':
      return { cmd, payload: {} };
  }
}

/**
 * Check a decoded value is a request. Unknown commands give the Python server's
 * message `Unknown command: '<cmd>'`. Never throws.
 */
export function parseRequest(value: WireValue): RequestParseResult {
  if (!isMap(value)) return { ok: false, error: `request must be a map, got ${typeName(value)}` };
  const cmd = Object.hasOwn(value, 'cmd') ? value.cmd : undefined;
  if (typeof cmd !== 'string') return { ok: false, error: `request 'cmd' must be text, got ${typeName(cmd)}` };
  const rawPayload = Object.hasOwn(value, 'payload') ? value.payload : undefined;
  const payload = rawPayload ?? {};
  const actionId = isMap(payload) && typeof payload.action_id === 'string' ? payload.action_id : undefined;
  if (!(COMMAND_NAMES as readonly string[]).includes(cmd)) {
    return { ok: false, error: `Unknown command: '${cmd}'`, cmd, actionId };
  }
  if (!isMap(payload)) {
    return { ok: false, error: `'${cmd}' payload must be a map, got ${typeName(payload)}`, cmd, actionId };
  }
  try {
    return { ok: true, value: parsePayload(cmd as CommandName, payload) };
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, error: err.message, cmd, actionId };
    throw err;
  }
}

/** Decode and check a request frame. Never throws. */
export function decodeRequest(data: Uint8Array): RequestParseResult {
  const decoded = decode(data);
  return decoded.ok ? parseRequest(decoded.value) : { ok: false, error: decoded.error };
}

function parseLogLines(v: WireValue | undefined): LogLine[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const lines: LogLine[] = [];
  for (const item of v as readonly WireValue[]) {
    if (!isMap(item) || typeof item.msg !== 'string') continue;
    const level = (LOG_LEVELS as readonly WireValue[]).includes(item.level) ? (item.level as LogLevel) : 'info';
    lines.push({ level, msg: item.msg });
  }
  return lines;
}

/**
 * Check a decoded value is a reply. Lenient where the Python client is
 * (an error without message reads as 'unknown error'); unknown extra keys are
 * dropped. Never throws.
 */
export function parseReply(value: WireValue): ParseResult<Reply> {
  if (!isMap(value)) return { ok: false, error: `reply must be a map, got ${typeName(value)}` };
  const extras: { log?: LogLine[]; feedback?: string } = {};
  const log = parseLogLines(value.log);
  if (log) extras.log = log;
  if (typeof value.feedback === 'string') extras.feedback = value.feedback;
  if (value.status === 'ok') {
    const status = value.action_status;
    if (status === undefined || status === null) return { ok: true, value: okReply(extras) };
    if (!isActionStatusName(status)) return { ok: false, error: `reply has unknown action_status ${String(status)}` };
    return { ok: true, value: okReply({ ...extras, action_status: status }) };
  }
  if (value.status === 'error') {
    const message = typeof value.message === 'string' ? value.message : 'unknown error';
    return { ok: true, value: errorReply(message, extras) };
  }
  return { ok: false, error: `reply 'status' must be 'ok' or 'error', got ${typeName(value.status)}` };
}

/** Decode and check a reply frame. Never throws. */
export function decodeReply(data: Uint8Array): ParseResult<Reply> {
  const decoded = decode(data);
  return decoded.ok ? parseReply(decoded.value) : { ok: false, error: decoded.error };
}
