/**
 * The host side of the process supervisor (`program.ts`): at most one
 * supervisor per host process, started when `run_process` is first set up or
 * used, in a session of its own (so a signal to the host's process group or
 * terminal does not stop it before it cleaned up).
 *
 * Starting or signalling a process costs the host one line written to a pipe;
 * the fork/exec, the signals (a `kill` that wakes a process can cost the sender
 * a time slice), the reading of the children's pipes and the reaping happen in
 * the supervisor. The supervisor's handles are unreferenced while no process
 * is starting or running, so it never keeps the host alive; when the host
 * exits or dies, the supervisor kills every process group it started and
 * exits. After {@link IDLE_EXIT_MS} with no process and no process group left
 * to clean up, the host lets it go (closes its stdin); the next process starts
 * a new one.
 *
 * If the supervisor itself dies, the host kills the process groups it knows of,
 * reports their processes as killed (SIGKILL), and starts a new supervisor for
 * the next process.
 *
 * Two supervisors speak the protocol of `messages.ts`: the native one
 * (`native/se-spawner.c`, built by `npm run build` into
 * `dist/native/se-spawner` when a C compiler is found), which starts a process
 * for a fraction of the CPU a Node `child_process.spawn` costs, and the Node
 * one (`program.ts`, run with `node -e`). The native one is used when its
 * executable exists and starts; otherwise, or when the environment variable
 * `SCENARIO_EXECUTION_SUPERVISOR` is `node`, the Node one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import type { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  decodeSupervisorEvent,
  encodeHostMessage,
  escapeField,
  type HostMessage,
  hasNul,
  type SupervisorEvent,
  type SupervisorOptions,
  unescapeField,
} from './messages.js';
import { supervisorProgram } from './program.js';

/** Longest line of output relayed (bytes); the rest of a longer line is dropped and counted. */
export const MAX_LINE_BYTES = 64 * 1024;

/** How long an idle supervisor (no process, no group to clean up) is kept for the next process. */
export const IDLE_EXIT_MS = 2000;

/** Longest wait for a starting supervisor to say it is ready. */
const READY_LIMIT_MS = 10_000;

/** The native supervisor's executable (from `src/…` and from `dist/…` alike). */
export const NATIVE_SUPERVISOR_PATH = fileURLToPath(new URL('../../../dist/native/se-spawner', import.meta.url));

export type SupervisorImplementation = 'native' | 'node';

/** Which supervisor to run: `auto` is the native one when it is there and starts, else the Node one. */
export type SupervisorChoice = 'auto' | SupervisorImplementation;

/** The choice made by `SCENARIO_EXECUTION_SUPERVISOR` (`native`, `node`), else `auto`. */
export function defaultSupervisorChoice(): SupervisorChoice {
  const chosen = process.env.SCENARIO_EXECUTION_SUPERVISOR;
  return chosen === 'native' || chosen === 'node' ? chosen : 'auto';
}

/** Whether the native supervisor is built (an executable file). */
export function nativeSupervisorBuilt(path: string = NATIVE_SUPERVISOR_PATH): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Native supervisors that were there but did not start: `auto` uses the Node one instead from then on. */
const failedNativePaths = new Set<string>();

const SIGNAL_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(osConstants.signals as Readonly<Record<string, number>>)) {
  if (!SIGNAL_NAMES.has(value)) SIGNAL_NAMES.set(value, name);
}

const DEFAULT_OPTIONS: SupervisorOptions = {
  maxLineBytes: MAX_LINE_BYTES,
  parentCheckMs: 250,
  usePdeathsig: true,
};

/** What the host hears about one process. */
export interface ProcessListener {
  /** A line of stdout (`fd` 1) or stderr (`fd` 2), without its line break. */
  line(fd: 1 | 2, line: string): void;
  /** Exit code, or the name of the signal that killed it. */
  exit(code: number | null, signal: string | null): void;
  /** stdout and stderr ended; every line was delivered before. */
  closed(): void;
  /** The supervisor ended while the process ran (the process was killed). */
  lost(reason: string): void;
}

export type SpawnResult =
  | { readonly ok: true; readonly pid: number }
  | { readonly ok: false; readonly code: string | undefined; readonly message: string };

interface Entry {
  readonly listener: ProcessListener;
  /** Set until the spawn was answered. */
  answer: ((result: SpawnResult) => void) | undefined;
  pid: number | undefined;
  exited: boolean;
  closed: boolean;
}

/** The source run by `node -e` in the Node supervisor process. */
export function supervisorSource(options: SupervisorOptions = DEFAULT_OPTIONS): string {
  const codec = `{ escape: ${escapeField.toString()}, unescape: ${unescapeField.toString()} }`;
  return `(${supervisorProgram.toString()})(${JSON.stringify(options)}, ${codec});\n`;
}

/** The command line of a supervisor for a host of process id `parent`. */
export function supervisorCommand(
  implementation: SupervisorImplementation,
  options: SupervisorOptions = DEFAULT_OPTIONS,
  parent: number = process.pid,
  nativePath: string = NATIVE_SUPERVISOR_PATH,
): { readonly file: string; readonly args: readonly string[] } {
  if (implementation === 'node') return { file: process.execPath, args: ['-e', supervisorSource(options)] };
  const args = [
    `--parent=${parent}`,
    `--max-line-bytes=${options.maxLineBytes}`,
    `--parent-check-ms=${options.parentCheckMs}`,
  ];
  if (!options.usePdeathsig) args.push('--no-pdeathsig');
  return { file: nativePath, args };
}

export class ProcessSupervisor {
  private child: ChildProcess | undefined;
  /** Which supervisor `child` is. */
  private running: SupervisorImplementation | undefined;
  private nextId = 1;
  /** Processes being started or not yet exited and closed, by request id. */
  private readonly entries = new Map<number, Entry>();
  /** Process groups started by the running supervisor that may still have members. */
  private readonly groups = new Set<number>();
  private outbox: HostMessage[] = [];
  private flushQueued = false;
  private received = '';
  private referenced = true;
  private idleTimer: NodeJS.Timeout | undefined;
  /** The running supervisor said it is ready. */
  private ready = false;
  /** Callers of {@link whenReady} waiting for that. */
  private readyWaiters: (() => void)[] = [];
  /** Whether the children of the running supervisor die with it (setpriv). */
  private pdeathsig: boolean | undefined;
  /** The last `env` message sent to the running supervisor. */
  private sentEnvironment: string | undefined;
  /** What the supervisor said before it gave up. */
  private fatalMessage: string | undefined;

  constructor(
    private readonly options: SupervisorOptions = DEFAULT_OPTIONS,
    private readonly idleExitMs = IDLE_EXIT_MS,
    private readonly choice: SupervisorChoice = defaultSupervisorChoice(),
    /** The native supervisor's executable (another one in tests). */
    private readonly nativePath: string = NATIVE_SUPERVISOR_PATH,
  ) {}

  /** Process id of the running supervisor, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Which supervisor runs (or was started last and is starting), if one does. */
  get implementation(): SupervisorImplementation | undefined {
    return this.child === undefined ? undefined : this.running;
  }

  /** Whether its children get SIGKILL when it dies; undefined until it said so. */
  get childrenDieWithSupervisor(): boolean | undefined {
    return this.pdeathsig;
  }

  /**
   * Start the supervisor if none runs, and resolve once it is ready (a new
   * Node process takes ~0.1 s), so that the first process starts at once. It
   * also resolves when the supervisor could not start (the spawn then reports
   * why) and after 10 s at most.
   */
  whenReady(): Promise<void> {
    if (!this.ensureRunning() || this.ready) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const index = this.readyWaiters.indexOf(done);
        if (index !== -1) this.readyWaiters.splice(index, 1);
        this.updateState();
        resolve();
      };
      const timer = setTimeout(done, READY_LIMIT_MS);
      this.readyWaiters.push(done);
      this.updateState();
    });
  }

  /** Start `file` with `args` in a process group of its own; resolves once it runs or failed. */
  spawn(file: string, args: readonly string[], listener: ProcessListener): Promise<SpawnResult> {
    if (hasNul(file) || args.some(hasNul)) {
      // As Node's spawn: such a string cannot reach execve.
      return Promise.resolve({
        ok: false,
        code: 'ERR_INVALID_ARG_VALUE',
        message: 'The arguments of a process must be strings without null bytes',
      });
    }
    const id = this.nextId++;
    const entry: Entry = { listener, answer: undefined, pid: undefined, exited: false, closed: false };
    const result = new Promise<SpawnResult>((resolve) => {
      entry.answer = resolve;
    });
    this.entries.set(id, entry);
    if (!this.ensureRunning()) return result;
    this.updateState();
    this.post({ t: 'spawn', id, file, args, cwd: currentDirectory() });
    return result;
  }

  /**
   * Send `signal` to process group `pgid`, from the supervisor, if it is a
   * group the supervisor started and may still have members. Without a running
   * supervisor there is none: a group of a supervisor that was let go was empty,
   * and those of one that died were SIGKILLed then.
   */
  signal(pgid: number, signal: number): void {
    if (this.child !== undefined && this.groups.has(pgid)) this.post({ t: 'signal', pgid, signal });
  }

  /**
   * Whether process group `pgid` (one the supervisor started) may still have a member, as far
   * as the supervisor said: it reports each group found empty when its process ended. A group
   * left with a member then (a background grandchild) stays "may" until it is forgotten.
   */
  mayHaveMembers(pgid: number): boolean {
    return this.child !== undefined && this.groups.has(pgid);
  }

  /** The host will not signal this group again; the supervisor need not kill it at the end. */
  forget(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.post({ t: 'forget', pgid });
    this.updateState();
  }

  /** The supervisor to start now. */
  private chooseImplementation(): SupervisorImplementation {
    if (this.choice !== 'auto') return this.choice;
    return !failedNativePaths.has(this.nativePath) && nativeSupervisorBuilt(this.nativePath) ? 'native' : 'node';
  }

  private ensureRunning(): boolean {
    if (this.child !== undefined) return true;
    const env = { ...process.env };
    // The host's Node options (loaders, inspector) are not meant for the supervisor.
    delete env.NODE_OPTIONS;
    const implementation = this.chooseImplementation();
    const command = supervisorCommand(implementation, this.options, process.pid, this.nativePath);
    let child: ChildProcess;
    try {
      child = spawn(command.file, command.args, {
        detached: true,
        stdio: ['pipe', 'pipe', 'ignore'],
        env,
      });
    } catch (error) {
      if (this.fallBack(implementation)) return this.ensureRunning();
      this.lose(undefined, `cannot start the process supervisor: ${(error as Error).message}`);
      return false;
    }
    this.child = child;
    this.running = implementation;
    this.ready = false;
    this.received = '';
    this.sentEnvironment = undefined;
    this.pdeathsig = undefined;
    this.referenced = true;
    child.on('error', (error) => this.lose(child, `cannot start the process supervisor: ${error.message}`));
    child.on('close', (code, signal) =>
      this.lose(child, `the process supervisor ended unexpectedly (${signal ?? `exit code ${code}`})`),
    );
    child.stdin?.on('error', () => {
      // The supervisor died; its 'close' handles the processes.
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      if (child === this.child) this.receive(child, text);
    });
    return true;
  }

  /**
   * Whether to retry with the Node supervisor after the native one failed
   * before it was ready (`auto` only; remembered for this process).
   */
  private fallBack(failed: SupervisorImplementation): boolean {
    if (this.choice !== 'auto' || failed !== 'native') return false;
    failedNativePaths.add(this.nativePath);
    return true;
  }

  private post(message: HostMessage): void {
    this.outbox.push(message);
    this.scheduleFlush();
  }

  /**
   * One write for everything asked in this turn of the event loop (e.g. a
   * parallel of many run_process, or a server starting many clients' calls),
   * once the supervisor is ready (until then the requests wait here, so that
   * they can go to another supervisor if this one fails to start). Written
   * after the turn's I/O callbacks, not after its microtasks: a server starts
   * each call in its own chain of promises, and a write (with its read of
   * `process.env`) per call would cost more than the spawns themselves.
   */
  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (this.child === undefined || !this.ready || this.outbox.length === 0) return;
      const messages = this.outbox;
      this.outbox = [];
      let text = '';
      if (messages.some((message) => message.t === 'spawn')) text += this.environmentUpdate();
      for (const message of messages) text += encodeHostMessage(message);
      this.child.stdin?.write(text);
    });
  }

  /**
   * The `env` message when `process.env` changed since it was last sent
   * (reading `process.env` is slow: once per batch of spawns, not per spawn).
   */
  private environmentUpdate(): string {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    const line = encodeHostMessage({ t: 'env', env });
    if (line === this.sentEnvironment) return '';
    this.sentEnvironment = line;
    return line;
  }

  private receive(child: ChildProcess, text: string): void {
    const received = this.received + text;
    let start = 0;
    let newline = received.indexOf('\n');
    while (newline !== -1 && child === this.child) {
      const line = received.slice(start, newline);
      start = newline + 1;
      if (line !== '') {
        let event: SupervisorEvent;
        try {
          event = decodeSupervisorEvent(line);
        } catch (error) {
          // Not our protocol: end it now (not at its 'close', which whatever holds its stdout may delay).
          this.fatalMessage = `${(error as Error).message} (${JSON.stringify(line.slice(0, 100))})`;
          this.received = '';
          child.kill('SIGKILL');
          child.stdin?.destroy();
          child.stdout?.destroy();
          this.lose(child, 'the process supervisor broke the protocol');
          return;
        }
        this.dispatch(event);
      }
      newline = received.indexOf('\n', start);
    }
    this.received = child === this.child ? received.slice(start) : '';
  }

  private dispatch(event: SupervisorEvent): void {
    switch (event.t) {
      case 'ready':
        this.pdeathsig = event.pdeathsig;
        this.ready = true;
        this.scheduleFlush();
        this.releaseWaiters();
        return;
      case 'fatal':
        // The supervisor kills its groups and exits; 'close' reports the processes.
        this.fatalMessage = event.message;
        return;
      case 'empty':
        this.groups.delete(event.pgid);
        this.updateState();
        return;
    }
    const entry = this.entries.get(event.id);
    if (entry === undefined) return;
    switch (event.t) {
      case 'spawned':
        entry.pid = event.pid;
        this.groups.add(event.pid);
        this.answer(entry, { ok: true, pid: event.pid });
        break;
      case 'failed':
        this.entries.delete(event.id);
        this.answer(entry, { ok: false, code: event.code, message: event.message });
        break;
      case 'out':
        for (const line of event.lines) entry.listener.line(event.fd, line);
        break;
      case 'exit':
        entry.exited = true;
        entry.listener.exit(
          event.code,
          event.signal === null ? null : (SIGNAL_NAMES.get(event.signal) ?? `SIG${event.signal}`),
        );
        break;
      case 'closed':
        entry.closed = true;
        entry.listener.closed();
        break;
    }
    if (entry.exited && entry.closed) this.entries.delete(event.id);
    this.updateState();
  }

  private releaseWaiters(): void {
    for (const done of [...this.readyWaiters]) done();
  }

  private answer(entry: Entry, result: SpawnResult): void {
    const answer = entry.answer;
    entry.answer = undefined;
    answer?.(result);
  }

  /** The supervisor is gone (or never started): fail or end everything it had. */
  private lose(child: ChildProcess | undefined, reason: string): void {
    if (child !== this.child) return;
    if (child !== undefined && !this.ready && this.running !== undefined && this.fallBack(this.running)) {
      // Nothing was sent to it yet: the requests waiting go to a Node supervisor.
      this.child = undefined;
      this.fatalMessage = undefined;
      if (this.ensureRunning()) return;
    }
    const why = this.fatalMessage !== undefined ? `${reason}: ${this.fatalMessage}` : reason;
    this.child = undefined;
    this.ready = false;
    this.fatalMessage = undefined;
    this.outbox = [];
    this.stopIdleTimer();
    this.releaseWaiters();
    // Whatever the supervisor left running (its own children die with it when setpriv is used).
    for (const pgid of this.groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    this.groups.clear();
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      if (entry.answer !== undefined) {
        this.answer(entry, { ok: false, code: undefined, message: why });
        continue;
      }
      entry.listener.lost(why);
      if (!entry.exited) entry.listener.exit(null, 'SIGKILL');
      if (!entry.closed) entry.listener.closed();
    }
  }

  /**
   * Keep the host alive while a process is being started or runs, and only
   * then; let the supervisor go after a while with nothing to do.
   */
  private updateState(): void {
    const child = this.child;
    if (child === undefined) return;
    const busy = this.entries.size > 0 || this.readyWaiters.length > 0;
    if (busy !== this.referenced) {
      this.referenced = busy;
      for (const handle of [child, child.stdin as Socket | null, child.stdout as Socket | null]) {
        if (handle === null) continue;
        if (busy) handle.ref();
        else handle.unref();
      }
    }
    if (busy || this.groups.size > 0) this.stopIdleTimer();
    else if (this.idleTimer === undefined) {
      this.idleTimer = setTimeout(() => this.letGo(), this.idleExitMs);
      this.idleTimer.unref();
    }
  }

  private stopIdleTimer(): void {
    if (this.idleTimer === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Still idle: close the supervisor's stdin; with no group to kill, it just exits. */
  private letGo(): void {
    this.idleTimer = undefined;
    const child = this.child;
    if (child === undefined || this.entries.size > 0 || this.groups.size > 0) return;
    this.child = undefined;
    this.outbox = [];
    child.stdin?.end();
  }
}

/** This process's working directory; undefined when it was removed (the supervisor's then). */
function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

let shared: ProcessSupervisor | undefined;

/** The supervisor of this process (created on first use; started on first need). */
export function processSupervisor(): ProcessSupervisor {
  shared ??= new ProcessSupervisor();
  return shared;
}

/**
 * Make `supervisor` the one `processSupervisor()` returns (tests and benchmarks
 * compare the implementations); the previous one is let go when idle.
 */
export function useProcessSupervisor(supervisor: ProcessSupervisor): void {
  shared = supervisor;
}
