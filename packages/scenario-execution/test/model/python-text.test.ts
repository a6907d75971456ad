/**
 * Python's `str()` of model values. Every expected text was printed by the
 * Python engine for the same expression (`log(<expression>)`).
 */
import { describe, expect, it } from 'vitest';
import type { OscModel } from '../../src/model/index.js';
import { applyParameterOverrides, evaluate } from '../../src/model/index.js';
import { pythonRepr, pythonStr } from '../../src/model/python-text.js';
import { globalValue, load, MapStore } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

async function strOfGlobals(declarations: Record<string, string>): Promise<Record<string, string>> {
  const model = await load(
    lines(
      'import osc.helpers',
      'import osc.robotics',
      'enum color: [red, green = 5]',
      'struct st:',
      '    c: color = color!green',
      '    l: list of length = [1m, 2.5m]',
      '    b: bool = true',
      '    txt: string = "x"',
      ...Object.entries(declarations).map(([name, decl]) => `global ${name}: ${decl}`),
      'scenario test:',
      '    do log("x")',
    ),
  );
  return Object.fromEntries(Object.keys(declarations).map((name) => [name, pythonStr(globalValue(model, name))]));
}

describe('pythonStr', () => {
  it('keeps the int/float-ness Python gives a physical value', async () => {
    expect(
      await strOfGlobals({
        int_literal: 'length = 3m',
        float_literal: 'length = 0.0m',
        int_factor: 'length = 3km',
        float_factor: 'time = 250ms',
        float_times_int_factor: 'length = 1.5km',
        product: 'length = 2 * 3m',
        float_product: 'length = 2.0 * 3m',
        product_by_float: 'length = 3m * 2.0',
        quotient: 'length = 3m / 2',
        ratio: 'float = 6m / 3m',
        remainder: 'length = 10km % 3m',
        sum: 'length = 3m + 2m',
        float_sum: 'length = 1m + 0.5m',
        mixed_units: 'time = 100ms + 1s',
        negated: 'length = -2m',
        kmph: 'speed = 36kmph',
      }),
    ).toEqual({
      int_literal: '3',
      float_literal: '0.0',
      int_factor: '3000',
      float_factor: '0.25',
      float_times_int_factor: '1500.0',
      product: '6',
      float_product: '6.0',
      product_by_float: '6.0',
      quotient: '1.5',
      ratio: '2.0',
      remainder: '1',
      sum: '5',
      float_sum: '1.5',
      mixed_units: '1.1',
      negated: '-2',
      kmph: '10.000000007999999',
    });
  });

  it('writes structs as dicts, lists with reprs, enums as tuples', async () => {
    expect(
      await strOfGlobals({
        item: 'st',
        shades: 'list of color = [color!green, color!red]',
        shade: 'color = color!red',
        floats: 'list of float = [1.0, 2.5, 1.0e20, 0.00001]',
        big: 'float = 1.0e16',
        flag: 'bool = true',
        text: 'string = "plain"',
        pose: 'pose_3d',
      }),
    ).toEqual({
      item: "{'c': ('green', 5), 'l': [1, 2.5], 'b': True, 'txt': 'x'}",
      shades: "[('green', 5), ('red', 0)]",
      shade: "('red', 0)",
      floats: '[1.0, 2.5, 1e+20, 1e-05]',
      big: '1e+16',
      flag: 'True',
      text: 'plain',
      pose: "{'position': {'x': 0.0, 'y': 0.0, 'z': 0.0}, 'orientation': {'roll': 0.0, 'pitch': 0.0, 'yaw': 0.0}}",
    });
  });

  it('quotes strings only inside containers, as repr does', () => {
    const text = (value: string) => ({ kind: 'string', value }) as const;
    expect(pythonStr(text("it's"))).toBe("it's");
    expect(pythonRepr({ kind: 'list', items: [text("it's"), text('a"b'), text('x\ny')] })).toBe(
      `["it's", 'a"b', 'x\\ny']`,
    );
    expect(pythonStr({ kind: 'none' })).toBe('None');
  });
});

describe('pythonStr of overridden parameters', () => {
  async function overridden(yaml: string): Promise<Record<string, string>> {
    const model: OscModel = await load(
      lines(
        'import osc.helpers',
        'struct holder:',
        '    number: float = 1.0',
        '    n2: float',
        '    len: length = 1m',
        '    len2: length',
        'scenario test:',
        '    a: float',
        '    b: float = 1.0',
        '    c: list of float',
        '    e: holder',
        '    f: length',
        '    g: length = 1.0m',
        '    h: length = 3m',
        '    do log("x")',
      ),
    );
    applyParameterOverrides(model, yaml, 'params.yaml');
    return Object.fromEntries(
      model.scenario.parameters.map((p) => [p.name, p.value ? pythonStr(evaluate(p.value, new MapStore())) : '']),
    );
  }

  it('keeps an int only where Python keeps the literal it replaces or has none', async () => {
    expect(
      await overridden('test: {a: 3, b: 3, c: [4, 4.5], e: {number: 5, n2: 6, len: 7, len2: 8}, f: 9, g: 10, h: 4}'),
    ).toEqual({
      a: '3.0',
      b: '3.0',
      c: '[4.0, 4.5]',
      e: "{'number': 5.0, 'n2': 6, 'len': 7, 'len2': 8}",
      f: '9.0',
      g: '10.0',
      h: '4',
    });
  });

  it('takes a float override as a float', async () => {
    expect(await overridden('test: {h: 42.0, f: 42.0}')).toMatchObject({ h: '42.0', f: '42.0' });
  });
});
