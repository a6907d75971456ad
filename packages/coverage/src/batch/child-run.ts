/**
 * One launch command, run for one scenario: started in a session and process
 * group of its own (so that stopping it reaches everything it started), its
 * stdout and stderr written line by line to the scenario's log file (trailing
 * white space dropped, as the Python tool's log does) and, when asked, passed
 * on line by line to the batch's own output.
 *
 * The commands are started by the engine's process supervisor (as
 * `run_process` starts its processes), not by the batch itself: when the batch
 * dies, however (SIGKILL, the out-of-memory killer, a crash), the supervisor
 * notices and kills every command's process group; a `scenario_execution`
 * killed so takes its own processes with it the same way.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import {
  MAX_LINE_BYTES,
  type ProcessListener,
  ProcessSupervisor,
  type SupervisorOptions,
} from 'scenario-execution/process-supervisor';

/** How a launch command ended. */
export interface ChildOutcome {
  /** Exit code, or undefined when a signal ended it or it never started. */
  readonly code: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  /** Why it could not be started (e.g. the program was not found). */
  readonly startError: string | undefined;
}

export interface ChildRunOptions {
  readonly command: readonly string[];
  readonly logFile: string;
  /** Called with each line of output (without its newline), in the order read. */
  readonly onLine?: (line: string) => void;
}

/**
 * After the command exited, how long its output pipes may stay open (held by
 * a process it left behind) before the batch stops waiting for them.
 */
const PIPE_GRACE_MS = 1000;

/**
 * Longest line of a command's output kept whole in its log (bytes): a scenario
 * may log long lines (a resolved model, a big blackboard value); the rest of a
 * longer line is dropped by the supervisor and the drop is counted there.
 */
export const MAX_LOG_LINE_BYTES = 16 * MAX_LINE_BYTES;

const SUPERVISOR_OPTIONS: SupervisorOptions = {
  maxLineBytes: MAX_LOG_LINE_BYTES,
  parentCheckMs: 250,
  usePdeathsig: true,
};

let supervisor: ProcessSupervisor | undefined;

/** The batch's one supervisor, started with the first command. */
function batchSupervisor(): ProcessSupervisor {
  supervisor ??= new ProcessSupervisor(SUPERVISOR_OPTIONS);
  return supervisor;
}

/** A running launch command. */
export class ChildRun {
  readonly outcome: Promise<ChildOutcome>;
  private processId: number | undefined;
  private exited = false;
  private ended = false;
  /** A signal asked for while the command was still starting: sent once it runs. */
  private pendingSignal: NodeJS.Signals | undefined;

  constructor(options: ChildRunOptions) {
    const [program, ...args] = options.command;
    const log = openSync(options.logFile, 'w');
    let logOpen = true;
    const writeLine = (line: string) => {
      if (!logOpen) return;
      const text = line.trimEnd();
      writeSync(log, `${text}\n`);
      options.onLine?.(text);
    };
    let settle!: (outcome: ChildOutcome) => void;
    this.outcome = new Promise<ChildOutcome>((resolve) => {
      settle = (outcome) => {
        if (this.ended) return;
        this.ended = true;
        logOpen = false;
        closeSync(log);
        resolve(outcome);
      };
    });
    let exitOutcome: ChildOutcome | undefined;
    let outputClosed = false;
    const listener: ProcessListener = {
      line: (_fd, line) => writeLine(line),
      exit: (code, signal) => {
        this.exited = true;
        exitOutcome = {
          code: code ?? undefined,
          signal: (signal ?? undefined) as NodeJS.Signals | undefined,
          startError: undefined,
        };
        if (outputClosed) settle(exitOutcome);
        else setTimeout(() => settle(exitOutcome as ChildOutcome), PIPE_GRACE_MS).unref();
      },
      closed: () => {
        outputClosed = true;
        if (exitOutcome !== undefined) settle(exitOutcome);
      },
      lost: (reason) => {
        this.exited = true;
        writeLine(`### ${reason}`);
        settle({ code: undefined, signal: 'SIGKILL', startError: undefined });
      },
    };
    batchSupervisor()
      .spawn(program as string, args, listener)
      .then((started) => {
        if (started.ok) {
          this.processId = started.pid;
          if (this.pendingSignal !== undefined) this.signalGroup(this.pendingSignal);
          return;
        }
        const reason = started.code === 'ENOENT' ? `${program}: command not found` : started.message;
        writeLine(reason);
        settle({ code: undefined, signal: undefined, startError: reason });
      });
  }

  /** The process id (also its process group id), once started. */
  get pid(): number | undefined {
    return this.processId;
  }

  /**
   * Send `signal` to the command's process group (also after the command
   * exited: to what it left behind); false when it never started.
   */
  signalGroup(signal: NodeJS.Signals): boolean {
    const pid = this.processId;
    if (pid === undefined) {
      if (this.ended) return false;
      // Still starting: the signal goes out as soon as it runs (a later one wins: SIGKILL after SIGINT).
      this.pendingSignal = signal;
      return true;
    }
    batchSupervisor().signal(pid, constants.signals[signal]);
    return true;
  }

  get hasExited(): boolean {
    return this.exited;
  }
}

/** `code`/`signal` as one word for messages: `exit status 1`, `signal SIGKILL`. */
export function describeOutcome(outcome: ChildOutcome): string {
  if (outcome.startError !== undefined) return `not started: ${outcome.startError}`;
  if (outcome.signal !== undefined) return `signal ${outcome.signal}`;
  return `exit status ${outcome.code}`;
}

/** Whether the command succeeded (started and exited 0). */
export function succeeded(outcome: ChildOutcome): boolean {
  return outcome.startError === undefined && outcome.signal === undefined && outcome.code === 0;
}
