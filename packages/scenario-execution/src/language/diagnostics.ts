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
  private lineStarts: number[] | undefined;

  constructor(
    /** Path as the user gave it (or `osc.<name>` for bundled libraries). */
    readonly path: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
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
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
    return starts;
  }
}

/** A position in a source file: 1-based line and column. */
export interface Location {
  readonly file: SourceFile;
  readonly line: number;
  readonly column: number;
}

/** An error in a scenario (syntax, resolution, types, units, …). */
export class OscError extends Error {
  constructor(
    message: string,
    readonly location: Location | undefined,
  ) {
    super(message);
    this.name = 'OscError';
  }

  /** `file:line:col: error: message`, then the source line and a caret. */
  format(): string {
    const loc = this.location;
    if (!loc) return `error: ${this.message}`;
    const head = `${loc.file.path}:${loc.line}:${loc.column}: error: ${this.message}`;
    const line = loc.file.lineText(loc.line);
    if (line === '') return head;
    // Keep tabs so the caret lines up under the same column in a terminal.
    const pad = line.slice(0, loc.column - 1).replace(/[^\t]/g, ' ');
    return `${head}\n    ${line}\n    ${pad}^`;
  }
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
