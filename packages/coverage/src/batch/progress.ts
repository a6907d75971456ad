/**
 * The batch's console: whole lines, and on a terminal one status line kept
 * at the bottom (done / running / failed, elapsed, estimated time left),
 * redrawn after every line printed above it. Piped, only the lines appear.
 */

/** Where the console writes (process.stdout, or a stand-in in tests). */
export interface ConsoleStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressCounts {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function clockText(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/**
 * The status line. The time left assumes the scenarios still to finish take
 * as long, on average, as those done so far did (at the same parallelism).
 */
export function statusText(counts: ProgressCounts, elapsedSeconds: number): string {
  const left = counts.done === 0 ? '?' : clockText((elapsedSeconds / counts.done) * (counts.total - counts.done));
  return (
    `[${counts.done}/${counts.total} done, ${counts.running} running, ${counts.failed} failed] ` +
    `${clockText(elapsedSeconds)} elapsed, ~${left} left`
  );
}

export class BatchConsole {
  private status = '';

  constructor(private readonly out: ConsoleStream) {}

  /** Whether a status line is shown (the output is a terminal). */
  get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Print a line above the status line. */
  line(text: string): void {
    if (this.live && this.status !== '') this.out.write(`\r\x1b[K${text}\n${this.status}`);
    else this.out.write(`${text}\n`);
  }

  /** Show (or replace) the status line; nothing when piped. */
  setStatus(text: string): void {
    if (!this.live) return;
    // Cut to the terminal width: a wrapped line could not be redrawn in place.
    // A pseudo-terminal may report 0 columns: then assume 80.
    const width = this.out.columns || 80;
    this.status = text.length >= width ? text.slice(0, Math.max(0, width - 1)) : text;
    this.out.write(`\r\x1b[K${this.status}`);
  }

  /** Remove the status line (before the last lines of a run). */
  clearStatus(): void {
    if (this.live && this.status !== '') this.out.write('\r\x1b[K');
    this.status = '';
  }
}
