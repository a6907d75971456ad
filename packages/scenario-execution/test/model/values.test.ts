import { describe, expect, it } from 'vitest';
import type { EnumDecl, PhysicalTypeDecl, StructDecl, Value } from '../../src/model/index.js';
import { didYouMean, editDistance, formatValue, fromWire, toWire, zeroValue } from '../../src/model/index.js';

const loc = undefined as never;
const time: PhysicalTypeDecl = { kind: 'physicalType', name: 'time', exponents: { s: 1 }, location: loc };
const signal: EnumDecl = {
  kind: 'enum',
  name: 'signal',
  members: [
    { name: 'sigint', value: 2, location: loc },
    { name: 'sigterm', value: 15, location: loc },
  ],
  location: loc,
};
const point: StructDecl = {
  kind: 'struct',
  name: 'point',
  base: undefined,
  fields: [
    { kind: 'parameter', name: 'x', type: { kind: 'float' }, value: undefined, hasDefault: false, location: loc },
    {
      kind: 'parameter',
      name: 'sig',
      type: { kind: 'enum', decl: signal },
      value: undefined,
      hasDefault: false,
      location: loc,
    },
  ],
  variables: [],
  events: [],
  methods: [],
  location: loc,
};

describe('wire form', () => {
  it('converts physical → SI number, enum → [name, value], struct → object, none → null', () => {
    const value: Value = {
      kind: 'list',
      items: [
        { kind: 'physical', si: 0.25, type: time, unit: undefined, integral: false },
        { kind: 'enum', decl: signal, name: 'sigterm', value: 15 },
        { kind: 'struct', decl: point, fields: { x: { kind: 'float', value: 1.5 }, sig: { kind: 'none' } } },
        { kind: 'string', value: 's' },
        { kind: 'bool', value: true },
        { kind: 'int', value: 3 },
      ],
    };
    expect(toWire(value)).toEqual([0.25, ['sigterm', 15], { x: 1.5, sig: null }, 's', true, 3]);
  });

  it('reads wire values back with their declared type', () => {
    expect(fromWire(0.5, { kind: 'physical', decl: time })).toEqual({
      kind: 'physical',
      si: 0.5,
      type: time,
      unit: undefined,
      integral: false,
    });
    // The wire form has no int/float: an integral number is read as Python's int.
    expect(fromWire(3, { kind: 'physical', decl: time })).toMatchObject({ si: 3, integral: true });
    expect(fromWire(['sigint', 2], { kind: 'enum', decl: signal })).toEqual({
      kind: 'enum',
      decl: signal,
      name: 'sigint',
      value: 2,
    });
    expect(fromWire({ x: 2, sig: ['sigterm', 15] }, { kind: 'struct', decl: point })).toEqual({
      kind: 'struct',
      decl: point,
      fields: { x: { kind: 'float', value: 2 }, sig: { kind: 'enum', decl: signal, name: 'sigterm', value: 15 } },
    });
    expect(fromWire(4, { kind: 'int' })).toEqual({ kind: 'int', value: 4 });
    expect(fromWire(4.5, { kind: 'int' })).toEqual({ kind: 'float', value: 4.5 });
    expect(fromWire('text', { kind: 'int' })).toEqual({ kind: 'string', value: 'text' });
    expect(fromWire(null, { kind: 'string' })).toEqual({ kind: 'none' });
  });

  it('gives zero values per type', () => {
    expect(toWire(zeroValue({ kind: 'int' }))).toBe(0);
    expect(toWire(zeroValue({ kind: 'string' }))).toBe('');
    expect(toWire(zeroValue({ kind: 'bool' }))).toBe(false);
    expect(toWire(zeroValue({ kind: 'enum', decl: signal }))).toEqual(['sigint', 2]);
    expect(toWire(zeroValue({ kind: 'list', element: { kind: 'int' } }))).toEqual([]);
    expect(toWire(zeroValue({ kind: 'physical', decl: time }))).toBe(0);
  });

  it('formats values readably, in their written unit', () => {
    const ms = {
      kind: 'unit' as const,
      name: 'ms',
      physicalType: time,
      factor: 0.001,
      offset: 0,
      integerFactor: false,
      location: loc,
    };
    expect(formatValue({ kind: 'physical', si: 0.25, type: time, unit: ms, integral: false })).toBe('250ms');
    expect(formatValue({ kind: 'float', value: 2 })).toBe('2.0');
    expect(formatValue({ kind: 'enum', decl: signal, name: 'sigint', value: 2 })).toBe('signal!sigint');
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('alhpa', 'alpha')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests close names only', () => {
    expect(didYouMean('lgo', ['log', 'run_process'])).toBe('; did you mean `log`?');
    expect(didYouMean('LOG', ['log'])).toBe('; did you mean `log`?');
    expect(didYouMean('xyz', ['log', 'run_process'])).toBe('');
  });
});
