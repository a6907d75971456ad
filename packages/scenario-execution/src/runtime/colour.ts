/**
 * Whether text for an output stream gets terminal colours, by the common
 * conventions (the same rule for the engine and the server):
 *
 * - `FORCE_COLOR` set: colours on, unless it is `0` or `false` (as Node reads it;
 *   it wins over `NO_COLOR`, as in Node);
 * - `NO_COLOR` set to anything but the empty string: colours off (no-color.org);
 * - otherwise colours only when the stream is a terminal, and not `TERM=dumb`.
 */

/** What the rule needs to know of a stream (`process.stdout` is one). */
export interface ColourTarget {
  readonly isTTY?: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function colourEnabled(target: ColourTarget, env: Environment = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTerminal(target, env);
}

/** A terminal that understands cursor movement (for redrawing in place): a TTY, and not `TERM=dumb`. */
export function isTerminal(target: ColourTarget, env: Environment = process.env): boolean {
  return target.isTTY === true && env.TERM !== 'dumb';
}

/** SGR codes used by the logs and the live tree. */
export const SGR = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
} as const;

/** `text` in `code` when `on`, as it is otherwise. */
export function paint(on: boolean, code: string, text: string): string {
  return on ? `${code}${text}${SGR.reset}` : text;
}
