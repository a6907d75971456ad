/**
 * `run_process(command, wait_for_shutdown, shutdown_signal, shutdown_timeout)`.
 *
 * The command is split on single spaces (as the engine does, no shell). The
 * process runs in its own process group; stdout lines are logged at INFO,
 * stderr lines at ERROR. Exit code 0 → SUCCESS, otherwise FAILURE. With
 * `wait_for_shutdown: false` the action succeeds once the process runs; the
 * process keeps running until scenario shutdown, where it gets
 * `shutdown_signal` and, after `shutdown_timeout` seconds, SIGKILL. An
 * interrupted invocation (INVALID) stops its process the same way, and no
 * process group outlives the scenario (nor this Node process).
 *
 * Processes are started, signalled, read and reaped by the process supervisor
 * (`process-supervisor/`), off this process's event loop; it also kills them
 * when this process dies without cleaning up (SIGKILL, OOM, crash). Lines
 * longer than 64 KiB are cut there (the rest is dropped and counted).
 */
import { constants as osConstants } from 'node:os';
import type { MaybePromise } from '../runtime/behaviour.js';
import { pyRepr, pyStrOf } from '../runtime/py-format.js';
import { Status } from '../runtime/status.js';
import type { Action, ActionContext, ActionDefinition, ActionLogger, ArgValue, VariableRef } from './api.js';
import { processSupervisor, type SpawnResult } from './process-supervisor/client.js';
import { argumentValue } from './variables.js';

const SIGNALS = osConstants.signals as Readonly<Record<string, number>>;
const SIGTERM = SIGNALS.SIGTERM ?? 15;
const SIGKILL = SIGNALS.SIGKILL ?? 9;

/** `SIGTERM` for 15, as Python's `signal.Signals(n).name`. */
export function signalName(signal: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === signal) return name;
  return `signal ${signal}`;
}

/** A signal argument: enum `[name, number]`, a number, or a name like `sigint`/`SIGINT`. */
export function parseSignal(value: ArgValue | undefined): number {
  if (value === undefined || value === null) return SIGTERM;
  if (Array.isArray(value)) return parseSignal(value[1] as ArgValue | undefined);
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const upper = value.toUpperCase();
    const byName = SIGNALS[upper] ?? SIGNALS[`SIG${upper}`];
    if (byName !== undefined) return byName;
  }
  throw new Error(`invalid shutdown signal ${pyRepr(value)}`);
}

/** Process groups started by run_process that may still have members. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort if the scenario could not shut down (crash, process.exit).
    process.on('exit', () => {
      for (const group of liveGroups) {
        try {
          process.kill(-group, SIGKILL);
        } catch {
          // Gone already.
        }
      }
    });
  }
}

/** The group was killed or is empty: no more cleanup for it, here or in the supervisor. */
function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
  processSupervisor().forget(pgid);
}

/** Whether a process group still has a member (signal 0: a check, nothing is delivered). */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signal a whole process group (sent by the supervisor, off this event loop). */
function signalGroup(pgid: number, signal: number): void {
  processSupervisor().signal(pgid, signal);
}

/** One spawned process and what we know about it. */
interface SpawnedProcess {
  /** Process id = process group id; 0 until the supervisor answered. */
  pid: number;
  /** Python-style return code (negative signal number when killed); undefined while running. */
  returnCode: number | undefined;
  /** stdout and stderr fully read. */
  closed: boolean;
  /** An update already saw the exit (so we stop waiting for the pipes to close). */
  exitSeen: boolean;
  readonly exited: Promise<void>;
}

/** Bounds of the first update's wait for its process to start (see `startWaitMs`). */
const MIN_START_WAIT_MS = 20;
const MAX_START_WAIT_MS = 500;

/** `promise`'s value if it settles within `ms`, else `fallback` (the promise goes on). */
function settledWithin<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Python's OSError text for a failed spawn (`[Errno 2] No such file or directory: 'x'`). */
function spawnErrorText(
  failure: { readonly code?: string | undefined; readonly message: string },
  file: string,
): string {
  if (failure.code === 'ENOENT') return `[Errno 2] No such file or directory: ${pyRepr(file)}`;
  if (failure.code === 'EACCES') return `[Errno 13] Permission denied: ${pyRepr(file)}`;
  return failure.message;
}

export class RunProcessAction implements Action {
  protected ctx: ActionContext | undefined;
  protected command: string[] = [];
  protected waitForShutdown = true;
  protected shutdownTimeout = 10;
  protected shutdownSignal = SIGTERM;
  /** Every output line (stdout and stderr) of the current process. */
  readonly output: string[] = [];
  protected current: SpawnedProcess | undefined;
  private started = false;
  /** The last update reported RUNNING while waiting for the process. */
  private waiting = false;
  private readonly spawned: SpawnedProcess[] = [];
  private readonly stopping = new Map<SpawnedProcess, Promise<void>>();
  /** The start in progress (the supervisor has not answered yet). */
  private starting: Promise<Status> | undefined;
  /** Interrupted (INVALID) while starting: stop the process as soon as it runs. */
  private interruptedWhileStarting = false;

  setup(ctx: ActionContext): Promise<void> {
    this.ctx = ctx;
    // Start the supervisor now (not in the first tick, which would last its start-up).
    return processSupervisor().whenReady();
  }

  /** Process id (= process group id) of the current process, once started. */
  get pid(): number | undefined {
    return this.current?.pid;
  }

  protected get logger(): ActionLogger {
    if (this.ctx === undefined) throw new Error('run_process: used before setup');
    return this.ctx.logger;
  }

  execute(args: Record<string, ArgValue | VariableRef>): void {
    const command = argumentValue(args.command);
    if (typeof command === 'string') this.command = command.split(' ');
    else if (Array.isArray(command)) this.command = command.map((part) => pyStrOf(part));
    else throw new Error(`run_process(): invalid command ${pyRepr(command)}`);
    const wait = argumentValue(args.wait_for_shutdown);
    this.waitForShutdown = wait === undefined ? true : Boolean(wait);
    const timeout = argumentValue(args.shutdown_timeout);
    this.shutdownTimeout = typeof timeout === 'number' ? timeout : 10;
    this.shutdownSignal = parseSignal(argumentValue(args.shutdown_signal));
    this.started = false;
    this.waiting = false;
    this.interruptedWhileStarting = false;
  }

  update(): MaybePromise<Status> {
    if (!this.started) {
      this.started = true;
      const starting = this.start().finally(() => {
        if (this.starting === starting) this.starting = undefined;
      });
      this.starting = starting;
      return settledWithin(starting, this.startWaitMs(), Status.RUNNING);
    }
    // Still starting (a busy supervisor): running, as far as anyone can tell yet.
    if (this.starting !== undefined) return Status.RUNNING;
    return this.poll();
  }

  /**
   * How long the first update waits for the start: a start takes milliseconds,
   * and then the first update reports its outcome as Python's does (a program
   * that cannot start fails at once). Behind hundreds of other starts it may
   * take seconds; the update must not: it reports RUNNING and a later one the
   * outcome, so neither a tick nor a server's reply waits for the queue.
   */
  private startWaitMs(): number {
    const tickMs = (this.ctx?.tickPeriod ?? 0.1) * 1000;
    return Math.min(Math.max(tickMs / 2, MIN_START_WAIT_MS), MAX_START_WAIT_MS);
  }

  terminate(newStatus: Status): void {
    if (newStatus === Status.INVALID && this.starting !== undefined) this.interruptedWhileStarting = true;
    const process = this.current;
    if (newStatus === Status.INVALID && this.waiting && process && process.returnCode === undefined) {
      this.logger.debug(`Interrupted, stopping '${pyRepr(this.command)}'`);
      this.beginStop(process);
    }
    this.waiting = false;
  }

  async shutdown(): Promise<void> {
    // A process still being started is stopped like the others once it runs.
    if (this.starting !== undefined) await this.starting.catch(() => Status.FAILURE);
    const current = this.current;
    for (const process of this.spawned) {
      if (process !== current && process.returnCode === undefined) this.beginStop(process);
    }
    await Promise.all(this.stopping.values());
    if (current !== undefined && current.returnCode === undefined) await this.stopLogged(current);
    for (const process of this.spawned) {
      // Orphans left in the group (e.g. `sh -c "x &"`) must not outlive the scenario.
      signalGroup(process.pid, SIGKILL);
      forgetGroup(process.pid);
    }
  }

  /** Logger for stdout lines (subclasses may redirect). */
  protected stdoutLogger(): ((line: string) => void) | undefined {
    const logger = this.logger;
    return (line) => logger.info(line);
  }

  /** Logger for stderr lines. */
  protected stderrLogger(): ((line: string) => void) | undefined {
    const logger = this.logger;
    return (line) => logger.error(line);
  }

  /** Status while the process runs. */
  protected checkRunningProcess(): Status {
    return this.waitForShutdown ? Status.RUNNING : Status.SUCCESS;
  }

  /** Status once the process ended with `returnCode`. */
  protected onProcessFinished(returnCode: number): Status {
    const shown = pyRepr(this.command);
    if (returnCode === 0) {
      this.setFeedback(`Successfully executed '${shown}'`);
      return Status.SUCCESS;
    }
    this.setFeedback(`Execution of '${shown}' failed with ${returnCode}`);
    return Status.FAILURE;
  }

  /** Called once the process is running. */
  protected onExecuted(): void {}

  protected setFeedback(message: string): void {
    this.ctx?.setFeedback(message);
  }

  private async start(): Promise<Status> {
    const [file, ...args] = this.command;
    this.current = undefined;
    this.output.length = 0;
    if (file === undefined || file === '') {
      this.logger.error(`run_process(): empty command ${pyRepr(this.command)}`);
      return Status.FAILURE;
    }
    const [spawned, started] = this.spawn(file, args);
    const result = await started;
    if (!result.ok) {
      this.logger.error(spawnErrorText(result, file));
      return Status.FAILURE;
    }
    spawned.pid = result.pid;
    this.track(spawned);
    this.current = spawned;
    if (this.interruptedWhileStarting) {
      this.interruptedWhileStarting = false;
      this.logger.debug(`Interrupted while starting, stopping '${pyRepr(this.command)}'`);
      this.beginStop(spawned);
      // Whoever interrupted the invocation no longer waits for this result.
      return Status.FAILURE;
    }
    const shown = pyRepr(this.command);
    this.setFeedback(`Executing '${shown}'`);
    this.logger.debug(`Executing '${shown}'`);
    this.onExecuted();
    return this.poll();
  }

  /** Ask the supervisor to start the process; its output and exit arrive through the record. */
  private spawn(file: string, args: readonly string[]): [SpawnedProcess, Promise<SpawnResult>] {
    const logOut = this.stdoutLogger();
    const logErr = this.stderrLogger();
    const logger = this.logger;
    let exitedNow: () => void = () => {};
    const spawned: SpawnedProcess = {
      pid: 0,
      returnCode: undefined,
      closed: false,
      exitSeen: false,
      exited: new Promise<void>((resolve) => {
        exitedNow = resolve;
      }),
    };
    const started = processSupervisor().spawn(file, args, {
      line: (fd, line) => {
        const message = line.trim();
        (fd === 1 ? logOut : logErr)?.(message);
        this.output.push(message);
      },
      exit: (code, signal) => {
        spawned.returnCode = code ?? -(signal ? (SIGNALS[signal] ?? 1) : 1);
        exitedNow();
      },
      closed: () => {
        spawned.closed = true;
      },
      lost: (reason) => logger.error(`run_process: ${reason}`),
    });
    return [spawned, started];
  }

  private track(spawned: SpawnedProcess): void {
    this.forgetEmptyGroups();
    trackGroup(spawned.pid);
    this.spawned.push(spawned);
  }

  /**
   * Drop finished processes whose group has no member left: nothing to kill at
   * shutdown, the list stays short under `repeat`, and a later kill cannot hit
   * an unrelated group that reused the id.
   */
  private forgetEmptyGroups(): void {
    for (let i = this.spawned.length - 1; i >= 0; i--) {
      const process = this.spawned[i] as SpawnedProcess;
      if (process.returnCode === undefined) continue;
      // The supervisor's word first: a probe with kill costs an exception for each empty group.
      if (!processSupervisor().mayHaveMembers(process.pid) || !groupExists(process.pid)) {
        this.spawned.splice(i, 1);
        forgetGroup(process.pid);
      }
    }
  }

  private poll(): Status {
    const process = this.current;
    if (process === undefined) return Status.FAILURE;
    if (process.returnCode !== undefined) {
      // Report the end once its output is logged (or a tick later if a grandchild keeps the pipes open).
      if (process.closed || process.exitSeen) {
        this.waiting = false;
        return this.onProcessFinished(process.returnCode);
      }
      process.exitSeen = true;
    }
    const status = this.checkRunningProcess();
    this.waiting = status === Status.RUNNING;
    return status;
  }

  /** Signal, then SIGKILL after the timeout; quietly (an interrupted invocation). */
  private beginStop(process: SpawnedProcess): void {
    if (this.stopping.has(process)) return;
    signalGroup(process.pid, this.shutdownSignal);
    this.stopping.set(process, this.escalate(process));
  }

  private async escalate(process: SpawnedProcess): Promise<void> {
    if (!(await exitsWithin(process, this.shutdownTimeout))) {
      signalGroup(process.pid, SIGKILL);
      await process.exited;
    }
  }

  /** The engine's shutdown of a still-running process, with its log lines. */
  private async stopLogged(process: SpawnedProcess): Promise<void> {
    const logger = this.logger;
    logger.info(`Sending ${signalName(this.shutdownSignal)} to process...`);
    signalGroup(process.pid, this.shutdownSignal);
    if (process.returnCode === undefined) {
      logger.info(`Waiting ${pyStrOf(this.shutdownTimeout)}s for process to finish...`);
      if (!(await exitsWithin(process, this.shutdownTimeout))) {
        logger.info('Sending SIGKILL to process...');
        signalGroup(process.pid, SIGKILL);
        await process.exited;
      }
    }
    logger.info('Process finished.');
  }
}

/** Whether the process exits within `seconds` (real time). */
function exitsWithin(process: SpawnedProcess, seconds: number): Promise<boolean> {
  if (process.returnCode !== undefined) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, seconds * 1000));
    process.exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export const runProcessAction: ActionDefinition = {
  create: () => new RunProcessAction(),
};

export default runProcessAction;
