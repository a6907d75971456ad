/**
 * Messages between a host process and its process supervisor: one JSON object
 * per line, host → supervisor on the supervisor's stdin, supervisor → host on
 * its stdout.
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

/** The process exited (or was killed by `signal`). */
export interface ExitEvent {
  readonly t: 'exit';
  readonly id: number;
  readonly code: number | null;
  readonly signal: string | null;
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
  /** Start children through `setpriv --pdeathsig KILL` when it works (they die with the supervisor). */
  readonly usePdeathsig: boolean;
}
