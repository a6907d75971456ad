/**
 * One launch command, run for one scenario: started in a process group of its
 * own (so that stopping it reaches everything it started), its stdout and
 * stderr written line by line to the scenario's log file (trailing white space
 * dropped, as the Python tool's log does) and, when asked, passed on line by
 * line to the batch's own output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

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
 * a process it left behind) before the batch stops reading them.
 */
const PIPE_GRACE_MS = 1000;

/** A running launch command. */
export class ChildRun {
  readonly outcome: Promise<ChildOutcome>;
  private readonly child: ChildProcess;
  private exited = false;

  constructor(options: ChildRunOptions) {
    const [program, ...args] = options.command;
    const log = openSync(options.logFile, 'w');
    // A new session and process group: a Ctrl-C at the terminal reaches the
    // batch only, which then stops each group itself.
    this.child = spawn(program as string, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let logOpen = true;
    const writeLine = (line: string) => {
      if (!logOpen) return;
      const text = line.trimEnd();
      writeSync(log, `${text}\n`);
      options.onLine?.(text);
    };
    /** Per stream: write its last line when it did not end with a newline. */
    const flushes: (() => void)[] = [];
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream === null) continue;
      const decoder = new StringDecoder('utf8');
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + decoder.write(chunk)).split('\n');
        partial = lines.pop() as string;
        for (const line of lines) writeLine(line);
      });
      const flush = () => {
        const rest = partial + decoder.end();
        partial = '';
        if (rest !== '') writeLine(rest);
      };
      stream.on('end', flush);
      flushes.push(flush);
    }
    this.outcome = new Promise<ChildOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: ChildOutcome) => {
        if (settled) return;
        settled = true;
        for (const flush of flushes) flush();
        logOpen = false;
        closeSync(log);
        resolve(outcome);
      };
      this.child.on('error', (error: NodeJS.ErrnoException) => {
        if (this.child.pid === undefined) {
          const reason = error.code === 'ENOENT' ? `${program}: command not found` : error.message;
          writeSync(log, `${reason}\n`);
          settle({ code: undefined, signal: undefined, startError: reason });
        }
      });
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        const outcome = { code: code ?? undefined, signal: signal ?? undefined, startError: undefined };
        this.child.on('close', () => settle(outcome));
        setTimeout(() => {
          this.child.stdout?.destroy();
          this.child.stderr?.destroy();
          settle(outcome);
        }, PIPE_GRACE_MS).unref();
      });
    });
  }

  /** The process id (also its process group id), once started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Send `signal` to the command's process group; false when there is none any more. */
  signalGroup(signal: NodeJS.Signals): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      // ESRCH: the group is gone.
      return false;
    }
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
