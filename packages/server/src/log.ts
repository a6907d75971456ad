/**
 * The server's log: one line per event, in the Python server's format
 * `2024-05-01 10:00:00,123 [INFO] <logger name>: <message>`, to stdout.
 */

export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';

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

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** A named logger; `child(name)` shares the sink and threshold. */
export class ServerLog {
  constructor(
    readonly name: string,
    private readonly sink: LogSink = stdoutSink,
    readonly threshold: ServerLogLevel = 'info',
  ) {}

  child(name: string): ServerLog {
    return new ServerLog(name, this.sink, this.threshold);
  }

  enabled(level: ServerLogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.threshold];
  }

  log(level: ServerLogLevel, msg: string): void {
    if (!this.enabled(level)) return;
    this.sink(`${formatTimestamp(new Date())} [${LEVEL_LABEL[level]}] ${this.name}: ${msg}`, level);
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
