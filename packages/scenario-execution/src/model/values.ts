/**
 * Values: conversion to and from wire form, zero values, type names and
 * display text.
 */
import { pyFloat } from '../shared/py-format.js';
import type { ArgValue } from '../shared/values.js';
import type { OscType, SiExponents, StructDecl, Value } from './model.js';

/** The value as an action receives it: physical → SI number, enum → [name, value], struct → object. */
export function toWire(value: Value): ArgValue {
  switch (value.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'string':
      return value.value;
    case 'physical':
      return value.si;
    case 'enum':
      return [value.name, value.value];
    case 'list':
      return value.items.map(toWire);
    case 'struct': {
      const out: Record<string, ArgValue> = {};
      for (const [name, field] of Object.entries(value.fields)) out[name] = toWire(field);
      return out;
    }
    case 'none':
      return null;
  }
}

/**
 * A wire value (as stored for a variable) back as a model value of `type`.
 * Lenient: a value that does not fit the type is kept as what it is, so an
 * action that stored something unexpected does not crash an expression.
 */
export function fromWire(wire: ArgValue | undefined, type: OscType): Value {
  if (wire === null || wire === undefined) return NONE;
  switch (type.kind) {
    case 'physical':
      // The wire form cannot tell `3` from `3.0`; an integral number is taken as Python's int.
      if (typeof wire === 'number') {
        return { kind: 'physical', si: wire, type: type.decl, unit: undefined, integral: Number.isInteger(wire) };
      }
      break;
    case 'enum':
      if (Array.isArray(wire) && wire.length === 2 && typeof wire[0] === 'string' && typeof wire[1] === 'number') {
        return { kind: 'enum', decl: type.decl, name: wire[0], value: wire[1] };
      }
      break;
    case 'float':
      if (typeof wire === 'number') return { kind: 'float', value: wire };
      break;
    case 'int':
    case 'uint':
      if (typeof wire === 'number') return { kind: Number.isInteger(wire) ? 'int' : 'float', value: wire };
      break;
    case 'list':
      if (Array.isArray(wire)) return { kind: 'list', items: wire.map((w) => fromWire(w as ArgValue, type.element)) };
      // A `list of` struct field without value holds one element struct's defaults (see evaluate.ts).
      if (typeof wire === 'object' && type.element.kind === 'struct') return fromWire(wire, type.element);
      break;
    case 'struct':
      if (typeof wire === 'object' && !Array.isArray(wire)) {
        const fields: Record<string, Value> = {};
        const obj = wire as { readonly [key: string]: ArgValue };
        for (const field of type.decl.fields) fields[field.name] = fromWire(obj[field.name], field.type);
        return { kind: 'struct', decl: type.decl, fields };
      }
      break;
    default:
      break;
  }
  return untypedFromWire(wire);
}

function untypedFromWire(wire: ArgValue): Value {
  if (typeof wire === 'string') return { kind: 'string', value: wire };
  if (typeof wire === 'boolean') return { kind: 'bool', value: wire };
  if (typeof wire === 'number') return { kind: Number.isInteger(wire) ? 'int' : 'float', value: wire };
  if (wire === null) return NONE;
  if (Array.isArray(wire)) return { kind: 'list', items: wire.map((w) => untypedFromWire(w as ArgValue)) };
  return { kind: 'string', value: JSON.stringify(wire) };
}

export const NONE: Value = { kind: 'none' };

/**
 * The value of a variable declared without an initial value: 0, 0.0, false,
 * '', 0 in SI units, the first enum member, an empty list, the struct's
 * defaults (fields without default: none).
 */
export function zeroValue(type: OscType, structDefaults?: (decl: StructDecl) => Value): Value {
  switch (type.kind) {
    case 'int':
    case 'uint':
      return { kind: 'int', value: 0 };
    case 'float':
      return { kind: 'float', value: 0 };
    case 'bool':
      return { kind: 'bool', value: false };
    case 'string':
      return { kind: 'string', value: '' };
    case 'physical':
      return { kind: 'physical', si: 0, type: type.decl, unit: undefined, integral: true };
    case 'enum': {
      const first = type.decl.members[0];
      return first ? { kind: 'enum', decl: type.decl, name: first.name, value: first.value } : NONE;
    }
    case 'list':
      return { kind: 'list', items: [] };
    case 'struct':
      return structDefaults ? structDefaults(type.decl) : NONE;
  }
}

/** How a type is written in OSC: `int`, `time`, `list of float`. */
export function typeName(type: OscType): string {
  switch (type.kind) {
    case 'physical':
    case 'enum':
    case 'struct':
      return type.decl.name;
    case 'list':
      return `list of ${typeName(type.element)}`;
    default:
      return type.kind;
  }
}

/** Same exponent for every SI base unit. */
export function sameDimension(a: SiExponents, b: SiExponents): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SiExponents>;
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}

/** Exponents of a product (sign 1) or quotient (sign -1). */
export function combineDimensions(a: SiExponents, b: SiExponents, sign: 1 | -1): SiExponents {
  const out: Record<string, number> = {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SiExponents>;
  for (const k of keys) {
    const e = (a[k] ?? 0) + sign * (b[k] ?? 0);
    if (e !== 0) out[k] = e;
  }
  return out;
}

/** `m·s^-1`, or `1` when dimensionless. */
export function formatDimension(exponents: SiExponents): string {
  const parts = Object.entries(exponents)
    .filter(([, e]) => e !== 0)
    .map(([unit, e]) => (e === 1 ? unit : `${unit}^${e}`));
  return parts.length ? parts.join('·') : '1';
}

/** A float as Python prints it (`1.0`, `0.1`, `1e-05`); ints unchanged. */
export function formatNumber(value: number, isFloat: boolean): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return isFloat ? pyFloat(value) : String(value);
}

/** Readable text of a value, for the model listing and messages (`3.0s`, `signal!sigterm`, `[1, 2]`). */
export function formatValue(value: Value): string {
  switch (value.kind) {
    case 'int':
      return String(value.value);
    case 'float':
      return formatNumber(value.value, true);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value.value);
    case 'physical': {
      const unit = value.unit;
      if (unit && unit.factor !== 0) {
        const inUnit = (value.si - unit.offset) / unit.factor;
        return `${formatNumber(roundNoise(inUnit), !Number.isInteger(inUnit))}${unit.name}`;
      }
      return `${formatNumber(value.si, !Number.isInteger(value.si))} (SI ${value.type.name})`;
    }
    case 'enum':
      return `${value.decl.name}!${value.name}`;
    case 'list':
      return `[${value.items.map(formatValue).join(', ')}]`;
    case 'struct':
      return `${value.decl.name}(${Object.entries(value.fields)
        .map(([k, v]) => `${k}: ${formatValue(v)}`)
        .join(', ')})`;
    case 'none':
      return 'none';
  }
}

/** Remove floating point noise from a unit conversion (0.30000000000000004 → 0.3). */
function roundNoise(x: number): number {
  const r = Number.parseFloat(x.toPrecision(12));
  return Math.abs(r - x) < 1e-9 * Math.max(1, Math.abs(x)) ? r : x;
}
