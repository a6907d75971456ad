/**
 * Text the way Python prints it, so console lines and failure reports read
 * exactly like the Python engine's (`repr(0.1)`, `['sleep', '30']`, `True`).
 * The forms of numbers and strings live in shared/py-format.ts (the model
 * uses them too); this module adds those of wire values.
 */
import { pyFloat, pyStr } from '../shared/py-format.js';

export { pyFloat, pyStr };

/**
 * Python's `repr` of a plain value: integral numbers print as ints, other
 * numbers as floats; arrays as lists, objects as dicts, null as None.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Python's `str` of a value: strings as they are, the rest as `repr`. */
export function pyStrOf(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
