/**
 * Console logger with the Python engine's line format:
 * `[scenario_execution] [INFO] msg`, warnings in yellow, errors in red,
 * debug lines only with `--debug`. Everything goes to stdout, as Python's print.
 */
import type { ActionLogger } from '../shared/values.js';

/** Receives one complete line (without the trailing newline). */
export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

export interface LoggerOptions {
  /** Print debug lines. */
  readonly debug?: boolean;
  /** Where lines go; stdout by default (tests collect them). */
  readonly sink?: LogSink;
}

const YELLOW = '\x1b[33m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export class Logger implements ActionLogger {
  readonly debugEnabled: boolean;
  private readonly sink: LogSink;

  constructor(
    readonly name = 'scenario_execution',
    options: LoggerOptions = {},
  ) {
    this.debugEnabled = options.debug ?? false;
    this.sink = options.sink ?? stdoutSink;
  }

  info(msg: string): void {
    this.sink(`[${this.name}] [INFO] ${msg}`);
  }

  debug(msg: string): void {
    if (this.debugEnabled) this.sink(`[${this.name}] [DEBUG] ${msg}`);
  }

  warn(msg: string): void {
    this.sink(`${YELLOW}[${this.name}] [WARN] ${msg}${RESET}`);
  }

  /** Alias of {@link warn} (the Python logger's name). */
  warning(msg: string): void {
    this.warn(msg);
  }

  error(msg: string): void {
    this.sink(`${RED}[${this.name}] [ERROR] ${msg}${RESET}`);
  }

  /** Raw text through the same sink (Python's bare `print`, e.g. the live tree). */
  print(text: string): void {
    this.sink(text);
  }

  /** Same sink and settings under another name. */
  withName(name: string): Logger {
    return new Logger(name, { debug: this.debugEnabled, sink: this.sink });
  }
}
