/**
 * Console logger with the Python engine's line format:
 * `[scenario_execution] [INFO] msg`, warnings in yellow, errors in red when
 * colours are on (see colour.ts), debug lines only with `--debug`. Everything
 * goes to stdout, as Python's print.
 */
import type { ActionLogger } from '../shared/values.js';
import { colourEnabled, paint, SGR } from './colour.js';

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
  /**
   * Colour warnings and errors. Default: by the colour rule for stdout when
   * writing there; on with a sink of your own (pass what its target needs).
   */
  readonly colour?: boolean;
}

export class Logger implements ActionLogger {
  readonly debugEnabled: boolean;
  readonly colour: boolean;
  private readonly sink: LogSink;

  constructor(
    readonly name = 'scenario_execution',
    options: LoggerOptions = {},
  ) {
    this.debugEnabled = options.debug ?? false;
    this.sink = options.sink ?? stdoutSink;
    this.colour = options.colour ?? (options.sink === undefined ? colourEnabled(process.stdout) : true);
  }

  info(msg: string): void {
    this.sink(`[${this.name}] [INFO] ${msg}`);
  }

  debug(msg: string): void {
    if (this.debugEnabled) this.sink(`[${this.name}] [DEBUG] ${msg}`);
  }

  warn(msg: string): void {
    this.sink(paint(this.colour, SGR.yellow, `[${this.name}] [WARN] ${msg}`));
  }

  /** Alias of {@link warn} (the Python logger's name). */
  warning(msg: string): void {
    this.warn(msg);
  }

  error(msg: string): void {
    this.sink(paint(this.colour, SGR.red, `[${this.name}] [ERROR] ${msg}`));
  }

  /** Raw text through the same sink (Python's bare `print`, e.g. the live tree). */
  print(text: string): void {
    this.sink(text);
  }

  /** Same sink and settings under another name. */
  withName(name: string): Logger {
    return newLogger(name, { debug: this.debugEnabled, sink: this.sink, colour: this.colour });
  }
}

// Outside the class: a class body naming its own class is bundled as `class _Logger`
// (esbuild keeps the inner binding apart), and the bundle keeps no names of its own.
function newLogger(name: string, options: LoggerOptions): Logger {
  return new Logger(name, options);
}
