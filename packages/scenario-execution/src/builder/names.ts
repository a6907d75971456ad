/**
 * Node names the Python engine gives to scenario directives, so trees, logs
 * and failure snapshots read the same: `wait 0.3s`, `wait 1s`, `counter>2`.
 */
import type { Location } from '../language/diagnostics.js';
import type { Expr } from '../model/model.js';
import { pyFloat } from '../runtime/py-format.js';

/** The numeric literal written at a location (`1`, `0.3`, `2e3`), if any. */
function writtenNumber(location: Location): string | undefined {
  const rest = location.file.lineText(location.line).slice(location.column - 1);
  return /^[-+]?(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)/.exec(rest)?.[0];
}

/**
 * Python prints the elapsed duration as `value * unit factor`: an int when
 * both are ints (`wait 1s`, `wait 60s` for `1min`), a float otherwise
 * (`wait 0.3s`, `wait 1.0s`).
 */
export function elapsedName(duration: Expr, seconds: number): string {
  let integral = false;
  if (duration.kind === 'literal' && duration.value.kind === 'physical') {
    const written = writtenNumber(duration.location);
    const unit = duration.value.unit;
    const writtenAsInt = written !== undefined && /^[-+]?(0[xX][0-9a-fA-F]+|\d+)$/.test(written);
    integral = writtenAsInt && (unit === undefined || Number.isInteger(unit.factor)) && Number.isInteger(seconds);
  }
  return `wait ${integral ? String(seconds) : pyFloat(seconds)}s`;
}

/**
 * The condition as ANTLR's `getText()` renders it: the source text without
 * whitespace (kept inside string literals) and without a trailing comment.
 */
export function conditionName(location: Location): string {
  const text = location.file.lineText(location.line).slice(location.column - 1);
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== undefined) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) out += text[++i];
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
    } else if (ch === '#') {
      break;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}

/** `file:line:col` of a location, for messages to plugins. */
export function locationText(location: Location): string {
  return `${location.file.path}:${location.line}:${location.column}`;
}
