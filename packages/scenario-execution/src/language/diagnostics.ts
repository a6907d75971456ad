/**
 * Source positions and the one error type the front end and the model raise.
 * Every error a user can cause prints as
 *
 *     file:line:col: error: message
 *         source line
 *         ^
 */

/** A loaded source text, with line starts for position look-ups. */
export class SourceFile {
  /** Offsets where lines start, found so far (up to `scannedTo`): an error near the start of a huge file needs few. */
  private readonly lineStarts: number[] = [0];
  private scannedTo = 0;

  constructor(
    /** Path as the user gave it (or `osc.<name>` for bundled libraries). */
    readonly path: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    this.scanTo(offset, Number.POSITIVE_INFINITY);
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }

  /** Text of a 1-based line, without its line break. */
  lineText(line: number): string {
    this.scanTo(Number.POSITIVE_INFINITY, line + 1);
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  /** Finds line starts until past `offset` or until `lines` lines are known (or the end). */
  private scanTo(offset: number, lines: number): void {
    const starts = this.lineStarts;
    const text = this.text;
    const length = text.length;
    let i = this.scannedTo;
    while (i < length && i <= offset && starts.length < lines) {
      const c = text.charCodeAt(i);
      i++;
      if (c === 10) starts.push(i);
      else if (c === 13 && text.charCodeAt(i) !== 10) starts.push(i);
    }
    this.scannedTo = i;
  }
}

/** A position in a source file: 1-based line and column. */
export interface Location {
  readonly file: SourceFile;
  readonly line: number;
  readonly column: number;
}

/** Characters of a source line shown on each side of the caret; a longer line is cut, marked with `…`. */
export const SHOWN_LINE_CONTEXT = 80;

/** An error in a scenario (syntax, resolution, types, units, …). */
export class OscError extends Error {
  constructor(
    message: string,
    readonly location: Location | undefined,
    /** For an error about a whole file (no line): its path, printed as `path: error: message`. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'OscError';
  }

  /** `file:line:col: error: message`, then the source line and a caret. */
  format(): string {
    const loc = this.location;
    if (!loc) return this.path === undefined ? `error: ${this.message}` : `${this.path}: error: ${this.message}`;
    const head = `${loc.file.path}:${loc.line}:${loc.column}: error: ${this.message}`;
    const shown = shownLine(loc.file.lineText(loc.line), loc.column);
    if (shown === undefined) return head;
    return `${head}\n    ${shown.text}\n    ${shown.pad}^`;
  }
}

/**
 * The part of a source line to print under an error, and the blanks that put
 * the caret under `column`. At most SHOWN_LINE_CONTEXT characters each side of
 * the caret: a generated or binary-looking line may be megabytes long.
 */
function shownLine(line: string, column: number): { text: string; pad: string } | undefined {
  if (line === '') return undefined;
  const caret = Math.min(column - 1, line.length);
  const from = Math.max(0, caret - SHOWN_LINE_CONTEXT);
  const to = Math.min(line.length, caret + 1 + SHOWN_LINE_CONTEXT);
  const before = from > 0 ? '…' : '';
  const after = to < line.length ? '…' : '';
  // Keep tabs so the caret lines up under the same column in a terminal.
  const pad = (before + line.slice(from, caret)).replace(/[^\t]/g, ' ');
  return { text: before + line.slice(from, to) + after, pad };
}

/** User-facing text of an error: an OscError with location and source line, else the message. */
export function describeError(error: unknown): string {
  if (error instanceof OscError) return error.format();
  return errorMessage(error);
}

/** The message of anything thrown (an Error's message, else its text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
