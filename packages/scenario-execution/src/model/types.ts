/** Type rules: assignability, results of operators. */
import type { OscType, PhysicalTypeDecl, StructDecl } from './model.js';
import { sameDimension, typeName } from './values.js';

export const INT: OscType = { kind: 'int' };
export const FLOAT: OscType = { kind: 'float' };
export const BOOL: OscType = { kind: 'bool' };
export const STRING: OscType = { kind: 'string' };

export function isNumeric(t: OscType): boolean {
  return t.kind === 'int' || t.kind === 'uint' || t.kind === 'float';
}

export function isIntegral(t: OscType): boolean {
  return t.kind === 'int' || t.kind === 'uint';
}

/** `decl` is `base` or inherits from it. */
export function inheritsFrom(decl: StructDecl, base: StructDecl): boolean {
  for (let cur: StructDecl | undefined = decl; cur; cur = cur.base) if (cur === base) return true;
  return false;
}

export function isTimeType(t: OscType): t is { kind: 'physical'; decl: PhysicalTypeDecl } {
  return t.kind === 'physical' && sameDimension(t.decl.exponents, { s: 1 });
}

/**
 * How strictly a value must match its target:
 * - `declaration`: a default/initial value, a struct field, a `keep` value;
 * - `argument`: an argument of an action/modifier invocation. Like the Python
 *   engine, a `string` parameter takes any value there (`log(counter)`,
 *   `compare(x, "==", 2)`, `increment(counter)` all pass non-strings).
 */
export type AssignMode = 'declaration' | 'argument';

/**
 * Whether a value of type `from` may be given where `to` is expected.
 * Promotions: int → float; a plain number → a physical type (taken as SI
 * base units, as the Python engine passes it on unchanged).
 */
export function isAssignable(from: OscType, to: OscType, mode: AssignMode): boolean {
  switch (to.kind) {
    case 'string':
      return mode === 'argument' || from.kind === 'string';
    case 'int':
    case 'uint':
      return isIntegral(from);
    case 'float':
      return isNumeric(from);
    case 'bool':
      return from.kind === 'bool';
    case 'physical':
      return isNumeric(from) || (from.kind === 'physical' && sameDimension(from.decl.exponents, to.decl.exponents));
    case 'enum':
      return from.kind === 'enum' && from.decl === to.decl;
    case 'struct':
      return from.kind === 'struct' && inheritsFrom(from.decl, to.decl);
    case 'list':
      return from.kind === 'list' && isAssignable(from.element, to.element, mode === 'argument' ? 'declaration' : mode);
  }
}

/** Readable type for messages: `int`, `time`, `list of float`. */
export function describeType(t: OscType): string {
  return typeName(t);
}

/** Types that `==`/`!=` may compare. */
export function isComparable(a: OscType, b: OscType): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind === 'physical' && b.kind === 'physical') return sameDimension(a.decl.exponents, b.decl.exponents);
  if (a.kind === 'physical' || b.kind === 'physical') return isNumeric(a) || isNumeric(b);
  if (a.kind === 'enum' && b.kind === 'enum') return a.decl === b.decl;
  if (a.kind === 'struct' && b.kind === 'struct') return inheritsFrom(a.decl, b.decl) || inheritsFrom(b.decl, a.decl);
  if (a.kind === 'list' && b.kind === 'list') return isComparable(a.element, b.element);
  return a.kind === b.kind;
}

/** Types that `<`, `<=`, `>`, `>=` may order. */
export function isOrderable(a: OscType, b: OscType): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind === 'physical' && b.kind === 'physical') return sameDimension(a.decl.exponents, b.decl.exponents);
  if (a.kind === 'physical' || b.kind === 'physical') return isNumeric(a) || isNumeric(b);
  return a.kind === 'string' && b.kind === 'string';
}
