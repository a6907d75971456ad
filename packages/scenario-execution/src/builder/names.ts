/**
 * Node names the Python engine gives to scenario directives, so trees, logs
 * and failure snapshots read the same: `wait 0.3s`, `wait 1s`, `counter>2`.
 */
import type { Location } from '../language/diagnostics.js';
import type { Value } from '../model/model.js';
import { pythonStr } from '../model/python-text.js';

/**
 * `wait <seconds>s`, the seconds as Python's `str()` of the duration's value:
 * an int when Python computed it from ints (`wait 1s`, `wait 60s` for `1min`),
 * a float otherwise (`wait 0.3s`, `wait 1.0s`).
 */
export function elapsedName(duration: Value): string {
  return `wait ${pythonStr(duration)}s`;
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
