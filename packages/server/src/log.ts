/**
 * The server's log: one line per event, in the Python server's format
 * `2024-05-01 10:00:00,123 [INFO] <logger name>: <message>`, to stdout; or,
 * with `--log-format json`, one JSON object a line (see log-format.ts).
 *
 * Much of what is logged comes from clients (action names, commands, error
 * messages that quote them). Every message has its control characters escaped
 * here, so no client can forge a log line or drive a terminal; values quoted
 * from a request go through {@link clientText}, which also bounds their length.
 */

import { colourEnabled, SGR } from 'scenario-execution/colour';
import { actionIdOf, formatJsonLine } from './log-format.js';

export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Name of the server's own logger in log lines. */
export const LOGGER_NAME = 'scenario_execution_server.server';
/** Name of the action host's logger (actions log as `action.<id prefix>`). */
export const HOST_LOGGER_NAME = 'scenario_execution_server.action_host';

/** How lines are written: the Python server's text, or JSON objects. */
export type ServerLogFormat = 'text' | 'json';

const LEVEL_RANK: Record<ServerLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Python's level names, as they appear in its log lines. */
const LEVEL_LABEL: Record<ServerLogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

/** Receives finished log lines (stdout by default; tests collect them). */
export type LogSink = (line: string, level: ServerLogLevel) => void;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time as Python's logging `asctime`: `2024-05-01 10:00:00,123`. */
export function formatTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

/** The timestamp of the last line, and its millisecond: a busy server writes many lines a millisecond. */
let stampMs = Number.NaN;
let stampText = '';

function currentTimestamp(): string {
  const ms = Date.now();
  if (ms !== stampMs) {
    stampMs = ms;
    stampText = formatTimestamp(new Date(ms));
  }
  return stampText;
}

/** Longest client-supplied value quoted in a log line, in characters. */
export const MAX_LOGGED_VALUE_CHARS = 200;

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** The same class, to test for: most lines have none, and a test allocates nothing. */
const HAS_CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function escapeControl(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = char.charCodeAt(0);
      return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
}

/** `text` with every control character written as an escape (`\n`, `\x1b`, …): always one line. */
export function escapeControlCharacters(text: string): string {
  return HAS_CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, escapeControl) : text;
}

/**
 * A client-supplied value as it may appear in a log line: control characters
 * escaped, cut to `limit` characters with the full length noted.
 */
export function clientText(value: unknown, limit = MAX_LOGGED_VALUE_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  // Cut before escaping: escaping a 16 MiB value only to drop most of it would cost for nothing.
  const cut = text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
  return escapeControlCharacters(cut);
}

/** Lines written since the last flush of {@link stdoutSink}. */
let pendingStdout = '';
let stdoutFlushScheduled = false;
/** Above this many characters a batch is written at once. */
const MAX_PENDING_STDOUT_CHARS = 64 * 1024;

function flushStdout(): void {
  stdoutFlushScheduled = false;
  if (pendingStdout === '') return;
  const text = pendingStdout;
  pendingStdout = '';
  process.stdout.write(text);
}

/**
 * Standard output, one write per turn of the event loop: a busy server logs
 * several lines per request, and a write each (a system call that wakes the
 * reader of the pipe) cost it more than answering. Written before the process
 * exits, however it exits through Node.
 */
export const stdoutSink: LogSink = (line) => {
  pendingStdout += `${line}\n`;
  if (pendingStdout.length >= MAX_PENDING_STDOUT_CHARS) {
    flushStdout();
    return;
  }
  if (stdoutFlushScheduled) return;
  stdoutFlushScheduled = true;
  setImmediate(flushStdout);
};
process.on('exit', flushStdout);

/** Colours of text lines by level when colours are on (warnings yellow, errors red, as the engine's). */
const LEVEL_COLOUR: Partial<Record<ServerLogLevel, string>> = { warn: SGR.yellow, error: SGR.red };

/** A named logger; `child(name)` shares the sink, threshold, format and colours. */
export class ServerLog {
  constructor(
    readonly name: string,
    private readonly sink: LogSink = stdoutSink,
    readonly threshold: ServerLogLevel = 'info',
    readonly format: ServerLogFormat = 'text',
    /** Colour warning and error text lines; by default by the colour rule when writing to stdout. */
    readonly colour: boolean = sink === stdoutSink && colourEnabled(process.stdout),
  ) {}

  child(name: string): ServerLog {
    return new ServerLog(name, this.sink, this.threshold, this.format, this.colour);
  }

  enabled(level: ServerLogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.threshold];
  }

  /** Write `msg` at `level`; `actionId` (its first 8 characters) names the action the line is about. */
  log(level: ServerLogLevel, msg: string, actionId?: string): void {
    if (!this.enabled(level)) return;
    if (this.format === 'json') {
      // JSON escapes what must be escaped (see log-format.ts): the message stays as it was.
      const id = actionIdOf(this.name, msg, actionId);
      this.sink(
        formatJsonLine({ time: new Date(), level: LEVEL_LABEL[level], logger: this.name, message: msg, actionId: id }),
        level,
      );
      return;
    }
    const text = escapeControlCharacters(msg);
    const line = `${currentTimestamp()} [${LEVEL_LABEL[level]}] ${this.name}: ${text}`;
    const colour = this.colour ? LEVEL_COLOUR[level] : undefined;
    this.sink(colour === undefined ? line : `${colour}${line}${SGR.reset}`, level);
  }

  debug(msg: string): void {
    this.log('debug', msg);
  }
  info(msg: string): void {
    this.log('info', msg);
  }
  warn(msg: string): void {
    this.log('warn', msg);
  }
  error(msg: string): void {
    this.log('error', msg);
  }
}
