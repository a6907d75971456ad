/**
 * The host side of the process supervisor (`program.ts`): one supervisor per
 * host process, started on the first {@link ProcessSupervisor.spawn}, in a
 * session of its own (so a signal to the host's process group or terminal does
 * not stop it before it cleaned up).
 *
 * Starting or signalling a process costs the host one line written to a pipe;
 * the fork/exec, the signals (a `kill` that wakes a process can cost the sender
 * a time slice), the reading of the children's pipes and the reaping happen in
 * the supervisor. The supervisor's handles are unreferenced while no process runs, so it
 * never keeps the host alive; when the host exits or dies, the supervisor
 * kills every process group it started and exits.
 *
 * If the supervisor itself dies, the host kills the process groups of the
 * processes it ran, reports them as killed (SIGKILL), and starts a new
 * supervisor for the next process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import type { HostMessage, SupervisorEvent, SupervisorOptions } from './messages.js';
import { supervisorProgram } from './program.js';

/** Longest line of output relayed (bytes); the rest of a longer line is dropped and counted. */
export const MAX_LINE_BYTES = 64 * 1024;

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

/** The source run by `node -e` in the supervisor process. */
export function supervisorSource(options: SupervisorOptions = DEFAULT_OPTIONS): string {
  return `(${supervisorProgram.toString()})(${JSON.stringify(options)});\n`;
}

export class ProcessSupervisor {
  private child: ChildProcess | undefined;
  private nextId = 1;
  /** Processes being started or not yet exited and closed, by request id. */
  private readonly entries = new Map<number, Entry>();
  private outbox: HostMessage[] = [];
  private flushQueued = false;
  private received = '';
  private referenced = true;
  /** Whether the children of the running supervisor die with it (setpriv). */
  private pdeathsig: boolean | undefined;
  /** The last `env` message sent to the running supervisor. */
  private sentEnvironment: string | undefined;
  /** What the supervisor said before it gave up. */
  private fatalMessage: string | undefined;

  constructor(private readonly options: SupervisorOptions = DEFAULT_OPTIONS) {}

  /** Process id of the supervisor, once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether its children get SIGKILL when it dies; undefined until it said so. */
  get childrenDieWithSupervisor(): boolean | undefined {
    return this.pdeathsig;
  }

  /** Start `file` with `args` in a process group of its own; resolves once it runs or failed. */
  spawn(file: string, args: readonly string[], listener: ProcessListener): Promise<SpawnResult> {
    const id = this.nextId++;
    const entry: Entry = { listener, answer: undefined, pid: undefined, exited: false, closed: false };
    const result = new Promise<SpawnResult>((resolve) => {
      entry.answer = resolve;
    });
    this.entries.set(id, entry);
    if (!this.ensureRunning()) return result;
    this.updateReference();
    this.post({ t: 'spawn', id, file, args, cwd: process.cwd() });
    return result;
  }

  /**
   * Send `signal` to process group `pgid` (one started here), from the
   * supervisor; directly when no supervisor runs.
   */
  signal(pgid: number, signal: number): void {
    if (this.child !== undefined) {
      this.post({ t: 'signal', pgid, signal });
      return;
    }
    try {
      process.kill(-pgid, signal);
    } catch {
      // Gone already.
    }
  }

  /** The host will not signal this group again; the supervisor need not kill it at the end. */
  forget(pgid: number): void {
    if (this.child !== undefined) this.post({ t: 'forget', pgid });
  }

  private ensureRunning(): boolean {
    if (this.child !== undefined) return true;
    const env = { ...process.env };
    // The host's Node options (loaders, inspector) are not meant for the supervisor.
    delete env.NODE_OPTIONS;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-e', supervisorSource(this.options)], {
        detached: true,
        stdio: ['pipe', 'pipe', 'ignore'],
        env,
      });
    } catch (error) {
      this.lose(undefined, `cannot start the process supervisor: ${(error as Error).message}`);
      return false;
    }
    this.child = child;
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
    child.stdout?.on('data', (text: string) => this.receive(text));
    this.updateReference();
    return true;
  }

  private post(message: HostMessage): void {
    this.outbox.push(message);
    if (this.flushQueued) return;
    this.flushQueued = true;
    // One write for everything asked in this turn (e.g. a parallel of many run_process).
    queueMicrotask(() => {
      this.flushQueued = false;
      const messages = this.outbox;
      this.outbox = [];
      let text = '';
      if (messages.some((message) => message.t === 'spawn')) text += this.environmentUpdate();
      for (const message of messages) text += `${JSON.stringify(message)}\n`;
      this.child?.stdin?.write(text);
    });
  }

  /**
   * The `env` message when `process.env` changed since it was last sent
   * (reading `process.env` is slow: once per batch of spawns, not per spawn).
   */
  private environmentUpdate(): string {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    const line = `${JSON.stringify({ t: 'env', env } satisfies HostMessage)}\n`;
    if (line === this.sentEnvironment) return '';
    this.sentEnvironment = line;
    return line;
  }

  private receive(text: string): void {
    this.received += text;
    let newline = this.received.indexOf('\n');
    while (newline !== -1) {
      const line = this.received.slice(0, newline);
      this.received = this.received.slice(newline + 1);
      if (line !== '') this.dispatch(JSON.parse(line) as SupervisorEvent);
      newline = this.received.indexOf('\n');
    }
  }

  private dispatch(event: SupervisorEvent): void {
    if (event.t === 'ready') {
      this.pdeathsig = event.pdeathsig;
      return;
    }
    if (event.t === 'fatal') {
      // The supervisor kills its groups and exits; 'close' reports the processes.
      this.fatalMessage = event.message;
      return;
    }
    const entry = this.entries.get(event.id);
    if (entry === undefined) return;
    switch (event.t) {
      case 'spawned':
        entry.pid = event.pid;
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
        entry.listener.exit(event.code, event.signal);
        break;
      case 'closed':
        entry.closed = true;
        entry.listener.closed();
        break;
    }
    if (entry.exited && entry.closed) this.entries.delete(event.id);
    this.updateReference();
  }

  private answer(entry: Entry, result: SpawnResult): void {
    const answer = entry.answer;
    entry.answer = undefined;
    answer?.(result);
  }

  /** The supervisor is gone (or never started): fail or end everything it had. */
  private lose(child: ChildProcess | undefined, reason: string): void {
    if (child !== this.child) return;
    const why = this.fatalMessage !== undefined ? `${reason}: ${this.fatalMessage}` : reason;
    this.child = undefined;
    this.fatalMessage = undefined;
    this.received = '';
    this.outbox = [];
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      if (entry.answer !== undefined) {
        this.answer(entry, { ok: false, code: undefined, message: why });
        continue;
      }
      if (entry.pid !== undefined) {
        try {
          process.kill(-entry.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      entry.listener.lost(why);
      if (!entry.exited) entry.listener.exit(null, 'SIGKILL');
      if (!entry.closed) entry.listener.closed();
    }
  }

  /** Keep the host alive while a process is being started or runs, and only then. */
  private updateReference(): void {
    const child = this.child;
    if (child === undefined) return;
    const wanted = this.entries.size > 0;
    if (wanted === this.referenced) return;
    this.referenced = wanted;
    for (const handle of [child, child.stdin as Socket | null, child.stdout as Socket | null]) {
      if (handle === null) continue;
      if (wanted) handle.ref();
      else handle.unref();
    }
  }
}

let shared: ProcessSupervisor | undefined;

/** The supervisor of this process (created on first use; started on the first spawn). */
export function processSupervisor(): ProcessSupervisor {
  shared ??= new ProcessSupervisor();
  return shared;
}
