/**
 * Messages between a host process and its process supervisor, and their wire
 * format. Two supervisors implement it: the native one
 * (`native/se-spawner.c`, used when it was built) and the Node one
 * (`program.ts`); the host side is `client.ts`.
 *
 * Wire format (protocol 1), the same in both directions: one message per line,
 * host → supervisor on the supervisor's stdin, supervisor → host on its
 * stdout. A line is a list of fields separated by TAB and ended by LF; the
 * first field is the message type. In a field, the bytes `\`, TAB, LF and CR
 * are written `\\`, `\t`, `\n` and `\r` (any other `\x` reads as `x`); a field
 * never contains NUL. Numbers are written in decimal; an empty field is an
 * absent value. Text is UTF-8; output lines are relayed as the bytes the
 * process wrote, and decoded by the host (invalid UTF-8 becomes U+FFFD).
 *
 * Host → supervisor:
 *
 * - `spawn` id cwd file arg…: start `file` (looked up in the PATH of the last
 *   `env`, as execvp does) with `arg…`, in a session of its own; an empty
 *   `cwd` means the supervisor's working directory.
 * - `env` NAME=VALUE…: the environment of the processes started from now on.
 * - `forget` pgid: no need to kill this group when the host goes away.
 * - `signal` pgid signal: send signal number `signal` to the group, if it is
 *   one the supervisor started, did not forget, and may still have members.
 *
 * Supervisor → host:
 *
 * - `ready` pdeathsig: ready for requests; `1` when its children die with it.
 * - `spawned` id pid: process `id` runs as `pid` (also its process group id).
 * - `failed` id code message: process `id` could not start; `code` is the
 *   errno name (`ENOENT`), empty when unknown.
 * - `out` id fd line…: complete lines (one or more) of stdout (`fd` 1) or
 *   stderr (`fd` 2), in order.
 * - `exit` id code signal: the process exited with `code`, or was killed by
 *   signal number `signal` (the other field is empty).
 * - `closed` id: its stdout and stderr ended; every line was sent before.
 * - `empty` pgid: the group has no member left (process reaped, pipes closed).
 * - `fatal` message: internal error; the supervisor kills its groups and exits.
 *
 * Lines of output are split at `\n`, `\r\n` and `\r` and hold at most
 * `maxLineBytes` bytes, cut at a UTF-8 character boundary and followed by
 * ` [... N more bytes of this line dropped]` when longer.
 *
 * When its stdin ends, a write to its stdout fails, its parent changes (or,
 * for the native one, it gets SIGTERM, its parent-death signal), SIGINT or
 * SIGHUP, the supervisor SIGKILLs every group it started and did not forget,
 * and exits. A host lets an idle supervisor go by closing its stdin.
 */

/** Start `file` with `args` (no shell) in a process group of its own, with the last environment sent. */
export interface SpawnRequest {
  readonly t: 'spawn';
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  /** The host's working directory; absent when it has none (removed): then the supervisor's. */
  readonly cwd?: string | undefined;
}

/** The environment of the processes started from now on (the host's `process.env`, sent when it changed). */
export interface EnvRequest {
  readonly t: 'env';
  readonly env: Readonly<Record<string, string>>;
}

/** The host is done with this process group: no need to kill it when the host goes away. */
export interface ForgetRequest {
  readonly t: 'forget';
  readonly pgid: number;
}

/** Send `signal` (a number) to process group `pgid`, if it is one the supervisor started and may still have members. */
export interface SignalRequest {
  readonly t: 'signal';
  readonly pgid: number;
  readonly signal: number;
}

export type HostMessage = SpawnRequest | EnvRequest | ForgetRequest | SignalRequest;

/** The supervisor is ready; `pdeathsig` tells whether its children die with it. */
export interface ReadyEvent {
  readonly t: 'ready';
  readonly pdeathsig: boolean;
}

/** Process `id` runs as `pid` (also its process group id). */
export interface SpawnedEvent {
  readonly t: 'spawned';
  readonly id: number;
  readonly pid: number;
}

/** Process `id` could not be started: `code` is the errno name (`ENOENT`). */
export interface FailedEvent {
  readonly t: 'failed';
  readonly id: number;
  readonly code: string | undefined;
  readonly message: string;
}

/** Complete lines of stdout (`fd` 1) or stderr (`fd` 2), in order. */
export interface OutputEvent {
  readonly t: 'out';
  readonly id: number;
  readonly fd: 1 | 2;
  readonly lines: string[];
}

/** The process exited with `code`, or was killed by signal number `signal`. */
export interface ExitEvent {
  readonly t: 'exit';
  readonly id: number;
  readonly code: number | null;
  readonly signal: number | null;
}

/** stdout and stderr of the process reached their end; every line was sent before. */
export interface ClosedEvent {
  readonly t: 'closed';
  readonly id: number;
}

/** Process group `pgid` has no member left (its process exited, its pipes closed): nothing to kill there. */
export interface GroupEmptyEvent {
  readonly t: 'empty';
  readonly pgid: number;
}

/** An internal error of the supervisor; it kills its process groups and exits after this. */
export interface FatalEvent {
  readonly t: 'fatal';
  readonly message: string;
}

export type SupervisorEvent =
  | ReadyEvent
  | SpawnedEvent
  | FailedEvent
  | OutputEvent
  | ExitEvent
  | ClosedEvent
  | GroupEmptyEvent
  | FatalEvent;

export interface SupervisorOptions {
  /** Longest line relayed, in bytes; the rest of a longer line is dropped and counted. */
  readonly maxLineBytes: number;
  /** How often the supervisor checks that its parent still lives (ms). */
  readonly parentCheckMs: number;
  /**
   * Make the children die with the supervisor: PR_SET_PDEATHSIG in the native
   * supervisor, `setpriv --pdeathsig KILL` (when it works) in the Node one.
   */
  readonly usePdeathsig: boolean;
}

/*
 * The two functions below are also passed as source to the Node supervisor
 * (`supervisorSource` in client.ts): they must not refer to anything outside
 * their own bodies.
 */

/** `text` as one field: `\`, TAB, LF and CR escaped. */
export function escapeField(text: string): string {
  if (!/[\\\t\n\r]/.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The text of an escaped field. */
export function unescapeField(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** The line (with its LF) of a request; NUL characters cannot be sent (see `hasNul`). */
export function encodeHostMessage(message: HostMessage): string {
  let fields: readonly (string | number)[];
  switch (message.t) {
    case 'spawn':
      fields = ['spawn', message.id, message.cwd ?? '', message.file, ...message.args];
      break;
    case 'env': {
      const entries: string[] = [];
      for (const [name, value] of Object.entries(message.env)) {
        if (!hasNul(name) && !hasNul(value)) entries.push(`${name}=${value}`);
      }
      fields = ['env', ...entries];
      break;
    }
    case 'forget':
      fields = ['forget', message.pgid];
      break;
    case 'signal':
      fields = ['signal', message.pgid, message.signal];
      break;
  }
  let line = '';
  for (const field of fields) line += `${line === '' ? '' : '\t'}${escapeField(String(field))}`;
  return `${line}\n`;
}

/** Whether `text` has a NUL character (it cannot be an argument, a file name or an environment entry). */
export function hasNul(text: string): boolean {
  return text.includes('\0');
}

/** A number field; throws when it is not one. */
function numberField(field: string | undefined, what: string): number {
  if (field === undefined || !/^\d{1,16}$/.test(field)) throw new Error(`bad ${what} in a supervisor message`);
  return Number(field);
}

/** The event of a line (without its LF) written by a supervisor; throws when it is malformed. */
export function decodeSupervisorEvent(line: string): SupervisorEvent {
  const fields = line.split('\t');
  const type = fields[0];
  switch (type) {
    case 'ready':
      return { t: 'ready', pdeathsig: fields[1] === '1' };
    case 'spawned':
      return { t: 'spawned', id: numberField(fields[1], 'id'), pid: numberField(fields[2], 'pid') };
    case 'failed':
      return {
        t: 'failed',
        id: numberField(fields[1], 'id'),
        code: fields[2] === undefined || fields[2] === '' ? undefined : unescapeField(fields[2]),
        message: unescapeField(fields[3] ?? ''),
      };
    case 'out': {
      const fd = fields[2] === '2' ? 2 : 1;
      const lines: string[] = [];
      for (let i = 3; i < fields.length; i++) lines.push(unescapeField(fields[i] as string));
      return { t: 'out', id: numberField(fields[1], 'id'), fd, lines };
    }
    case 'exit':
      return {
        t: 'exit',
        id: numberField(fields[1], 'id'),
        code: fields[2] === undefined || fields[2] === '' ? null : numberField(fields[2], 'exit code'),
        signal: fields[3] === undefined || fields[3] === '' ? null : numberField(fields[3], 'signal'),
      };
    case 'closed':
      return { t: 'closed', id: numberField(fields[1], 'id') };
    case 'empty':
      return { t: 'empty', pgid: numberField(fields[1], 'pgid') };
    case 'fatal':
      return { t: 'fatal', message: unescapeField(fields.slice(1).join('\t')) };
    default:
      throw new Error(`unknown supervisor message ${JSON.stringify(type)}`);
  }
}
