import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { OscError } from '../../src/language/diagnostics.js';
import type { OscModel } from '../../src/model/index.js';
import { applyParameterOverrides, createParameterTemplate, evaluate, evaluateToWire } from '../../src/model/index.js';
import { pythonRepr } from '../../src/model/python-text.js';
import { load, MapStore } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

function values(model: OscModel): Record<string, unknown> {
  return Object.fromEntries(
    model.scenario.parameters.map((p) => [p.name, p.value ? evaluateToWire(p.value, new MapStore()) : undefined]),
  );
}

async function override(scenario: string, yaml: string): Promise<Record<string, unknown>> {
  const model = await load(scenario);
  applyParameterOverrides(model, yaml, 'params.yaml');
  return values(model);
}

async function overrideError(scenario: string, yaml: string): Promise<string> {
  const model = await load(scenario);
  try {
    applyParameterOverrides(model, yaml, 'params.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(OscError);
    return (e as OscError).message;
  }
  throw new Error('expected an error');
}

const BASE = lines(
  'import osc.types',
  'scenario test:',
  '    test_string: string = "Test"',
  '    test_float: float = 1.0',
  '    test_bool: bool = true',
  '    test_integer: int = 1',
  '    test_length: length = 1.0m',
  '    empty_int: int',
);

describe('applyParameterOverrides (as test_parameter_override.py)', () => {
  it('overrides base parameters', async () => {
    const v = await override(
      BASE,
      'test:\n  test_string: override\n  test_bool: false\n  test_float: 99.0\n  test_integer: 42\n  test_length: 3.14\n  empty_int: 7\n',
    );
    expect(v).toEqual({
      test_string: 'override',
      test_float: 99,
      test_bool: false,
      test_integer: 42,
      test_length: 3.14,
      empty_int: 7,
    });
  });

  it('converts numbers for strings like Python str() and ints for floats', async () => {
    const v = await override(BASE, 'test:\n  test_string: 42.0\n  test_float: 42\n');
    expect(v.test_string).toBe('42.0');
    expect(v.test_float).toBe(42);
    const tiny = await override(BASE, 'test:\n  test_string: 0.00001\n');
    expect(tiny.test_string).toBe('1e-05');
    const whole = await override(BASE, 'test:\n  test_string: 42\n');
    expect(whole.test_string).toBe('42');
  });

  it('rejects values of the wrong type, naming the parameter', async () => {
    expect(await overrideError(BASE, 'test:\n  test_float: test\n')).toBe(
      'scenario parameter file \'params.yaml\': parameter `test_float`: expected float, got string "test"',
    );
    expect(await overrideError(BASE, 'test:\n  test_bool: test\n')).toMatch(
      /parameter `test_bool`: expected bool, got string/,
    );
    expect(await overrideError(BASE, 'test:\n  empty_int: 42.0\n')).toMatch(
      /parameter `empty_int`: expected int, got float 42/,
    );
    expect(await overrideError(BASE, 'test:\n  test_length: bla\n')).toMatch(
      /parameter `test_length`: expected length, got string/,
    );
  });

  it('rejects unknown parameters and scenarios with hints', async () => {
    expect(await overrideError(BASE, 'test:\n  test_strng: x\n')).toBe(
      "scenario parameter file 'params.yaml': unknown parameter(s) of scenario `test`: test_strng; did you mean `test_string`?",
    );
    expect(await overrideError(BASE, 'tset:\n  test_string: x\n')).toBe(
      "scenario parameter file 'params.yaml': unknown scenario(s): tset; did you mean `test`?",
    );
  });

  it('rejects a file that is not YAML', async () => {
    expect(await overrideError(BASE, 'test: [unclosed\n')).toMatch(
      /^unable to parse scenario parameter file 'params\.yaml': /,
    );
  });

  it('accepts an empty file and an empty scenario entry', async () => {
    expect((await override(BASE, '')).test_string).toBe('Test');
    expect((await override(BASE, 'test:\n')).test_string).toBe('Test');
  });

  const STRUCTS = lines(
    'import osc.types',
    'struct sub_struct:',
    '    test_sub_string: string = "bla"',
    'struct base_struct:',
    '    test_string: string = "test"',
    '    test_float: float = 1.0',
    '    test_sub_struct: sub_struct',
    'scenario test:',
    '    my_struct: base_struct = base_struct(test_string: "override", test_float: 42.0)',
    '    no_init: base_struct',
    '    my_goal: pose_3d',
  );

  it('merges struct overrides into the written value', async () => {
    const v = await override(
      STRUCTS,
      'test:\n  my_struct:\n    test_float: 7.5\n  no_init:\n    test_sub_struct:\n      test_sub_string: o\n',
    );
    expect(v.my_struct).toEqual({
      test_string: 'override',
      test_float: 7.5,
      test_sub_struct: { test_sub_string: 'bla' },
    });
    expect(v.no_init).toEqual({ test_string: 'test', test_float: 1, test_sub_struct: { test_sub_string: 'o' } });
  });

  it('merges into pose_3d (as test_pose3d_example)', async () => {
    const v = await override(STRUCTS, 'test:\n  my_goal:\n    orientation:\n      pitch: 1.23\n');
    expect(v.my_goal).toEqual({ position: { x: 0, y: 0, z: 0 }, orientation: { roll: 0, pitch: 1.23, yaw: 0 } });
  });

  it('rejects unknown and mistyped struct members', async () => {
    expect(await overrideError(STRUCTS, 'test:\n  no_init:\n    test_sub_struct:\n      UNKNOWN: x\n')).toMatch(
      /parameter `no_init.test_sub_struct`: `sub_struct` has no field\(s\) UNKNOWN$/,
    );
    expect(await overrideError(STRUCTS, 'test:\n  no_init:\n    test_float: x\n')).toMatch(
      /parameter `no_init.test_float`: expected float, got string "x"$/,
    );
    expect(await overrideError(STRUCTS, 'test:\n  no_init: 3.14\n')).toMatch(
      /parameter `no_init`: expected base_struct, got float/,
    );
  });

  const LISTS = lines(
    'struct ts:',
    '    test_int: int = 0',
    '    test_float: float = 0.0',
    'scenario test:',
    '    structs: list of ts = [ts(1, 1.0)]',
    '    empty_structs: list of ts',
    '    floats: list of float = [1.0, 1.1]',
  );

  it('replaces lists', async () => {
    const v = await override(
      LISTS,
      'test:\n  structs:\n    - {test_int: 3, test_float: 3.22}\n    - {test_int: 4}\n  empty_structs: []\n  floats: [4, 4.1]\n',
    );
    expect(v.structs).toEqual([
      { test_int: 3, test_float: 3.22 },
      { test_int: 4, test_float: 0 },
    ]);
    expect(v.empty_structs).toEqual([]);
    expect(v.floats).toEqual([4, 4.1]);
  });

  it('rejects invalid list entries', async () => {
    expect(await overrideError(LISTS, 'test:\n  floats: [4.0, bla]\n')).toMatch(
      /parameter `floats\[1\]`: expected float, got string "bla"$/,
    );
    expect(await overrideError(LISTS, 'test:\n  floats: {invalid: val}\n')).toMatch(
      /parameter `floats`: expected list of float, got mapping$/,
    );
    expect(await overrideError(LISTS, 'test:\n  structs: [{test_int: 4, UNKNOWN: 4.22}]\n')).toMatch(
      /`ts` has no field\(s\) UNKNOWN$/,
    );
  });

  it('sets enum parameters by member name', async () => {
    const model = await load(lines('import osc.helpers', 'scenario test:', '    sig: signal = signal!sigterm'));
    applyParameterOverrides(model, 'test:\n  sig: sigint\n', 'p.yaml');
    expect(values(model).sig).toEqual(['sigint', 2]);
  });
});

describe('createParameterTemplate (as test_base_params_template)', () => {
  it('writes every parameter with its value or a zero value', async () => {
    const model = await load(
      lines(
        'import osc.types',
        'scenario nav_scenario:',
        '    list_val_struct: list of pose_3d = [pose_3d(position_3d(1.0, 2.0, 3.0), orientation_3d(0.1rad, 0.2rad, 0.3rad))]',
        '    list_no_val_struct: list of pose_3d',
        '    list_base_val: list of int = [1, 2, 3]',
        '    list_no_base_val: list of int',
        '    float_val: float = 3.1',
        '    float_no_val: float',
        '    bool_val: bool = true',
        '    bool_no_val: bool',
        '    int_val: int = 42',
        '    int_no_val: int',
        "    str_val: string = 'hello'",
        '    str_no_val: string',
        '    time_val: time = 42ms',
        '    time_no_val: time',
        '    struct_val: pose_3d = pose_3d(position_3d(1.0, 2.0, 3.0), orientation_3d(0.1rad, 0.2rad, 0.3rad))',
        '    struct_no_val: pose_3d',
        '    do parallel:',
        '        wait elapsed(0.5s)',
      ),
    );
    const text = createParameterTemplate(model);
    const zeroPose = { orientation: { pitch: 0, roll: 0, yaw: 0 }, position: { x: 0, y: 0, z: 0 } };
    const pose = { orientation: { pitch: 0.2, roll: 0.1, yaw: 0.3 }, position: { x: 1, y: 2, z: 3 } };
    expect(parseYaml(text)).toEqual({
      nav_scenario: {
        bool_no_val: false,
        bool_val: true,
        float_no_val: 0,
        float_val: 3.1,
        int_no_val: 0,
        int_val: 42,
        list_base_val: [1, 2, 3],
        list_no_base_val: [],
        list_no_val_struct: [],
        list_val_struct: [pose],
        str_no_val: '',
        str_val: 'hello',
        struct_no_val: zeroPose,
        struct_val: pose,
        time_no_val: 0,
        time_val: 42,
      },
    });
    // floats stay floats in the text (as Python's yaml.dump writes them)
    expect(text).toContain('float_no_val: 0.0');
    expect(text).toContain('int_no_val: 0\n');
    // a physical value in the unit the parameter file reads it in (42ms: 42)
    expect(text).toContain('time_val: 42\n');
    // keys sorted at every level, as Python's yaml.dump writes them
    const keys = [...text.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
    expect(keys).toEqual([...keys].sort());
    expect(text).toContain('struct_no_val:\n    orientation:');
    // block sequences and quotes as Python's yaml.dump writes them
    expect(text).toContain('list_base_val:\n  - 1\n  - 2\n');
    expect(text).toContain("str_no_val: ''\n");
  });

  it('round-trips: applying the template keeps every value', async () => {
    const scenario = lines(
      'import osc.types',
      'scenario test:',
      '    a: time = 1500ms',
      '    b: pose_3d',
      '    c: list of float = [1.5]',
    );
    const model = await load(scenario);
    const before = values(model);
    applyParameterOverrides(model, createParameterTemplate(model), 't.yaml');
    expect(values(model)).toEqual(before);
  });
});

/** Every parameter's value as Python's repr() (tells `2000` from `2000.0`). */
function pythonValues(model: OscModel): Record<string, string> {
  return Object.fromEntries(
    model.scenario.parameters.map((p) => [p.name, p.value ? pythonRepr(evaluate(p.value, new MapStore())) : '-']),
  );
}

async function overridePython(scenario: string, yaml: string): Promise<Record<string, string>> {
  const model = await load(scenario);
  applyParameterOverrides(model, yaml, 'params.yaml');
  return pythonValues(model);
}

describe('physical values in a parameter file (as the Python engine reads them)', () => {
  const UNITS = lines(
    'import osc.types',
    'scenario test:',
    '    near: length = 3km',
    '    far: length = 3.0km',
    '    behind: length = -3km',
    '    pause: time = 500ms',
    '    short_pause: time = 42.5ms',
    '    turn: angle = 90deg',
    '    free: length',
    '    product: length = 3km * 2',
    '    distances: list of length = [1km, 2km]',
  );

  it('reads a value replacing a literal in that literal unit (km, ms, deg)', async () => {
    const v = await overridePython(
      UNITS,
      'test:\n  near: 2\n  far: 2\n  behind: 2\n  pause: 1\n  short_pause: 1.5\n  turn: 180\n',
    );
    // int × integral factor stays an int, as in Python (`3km` ← 2 is 2000, `3.0km` ← 2 is 2000.0)
    expect(v.near).toBe('2000');
    expect(v.far).toBe('2000.0');
    // the whole literal is replaced, its sign included
    expect(v.behind).toBe('2000');
    expect(v.pause).toBe('0.001');
    expect(v.short_pause).toBe('0.0015');
    expect(v.turn).toBe('3.1415926536');
  });

  it('reads a float for a literal written as an int in that unit (Python rejects it)', async () => {
    expect((await overridePython(UNITS, 'test:\n  near: 2.5\n')).near).toBe('2500.0');
  });

  it('reads values without a literal to replace in SI base units', async () => {
    const v = await overridePython(UNITS, 'test:\n  free: 2\n  product: 2\n  distances: [1, 2.5]\n');
    expect(v.free).toBe('2.0');
    // a default that is no literal (Python cannot override it): a YAML int stays an int
    expect(v.product).toBe('2');
    // list items: SI floats, whatever the unit of the default's items
    expect(v.distances).toBe('[1.0, 2.5]');
  });

  const NESTED = lines(
    'import osc.types',
    'struct inner_holder:',
    '    depth: length = 5mm',
    'struct holder:',
    '    distance: length = 2km',
    '    pause: time = 250ms',
    '    free: length',
    '    inner: inner_holder',
    '    distances: list of length = [1km]',
    'scenario test:',
    '    empty_call: holder = holder()',
    '    named: holder = holder(distance: 3mm, pause: 1.0s)',
    '    positional: holder = holder(3mm, 1min)',
    '    unset: holder',
    '    items: list of holder = [holder(distance: 7mm)]',
  );

  it('reads struct fields in the unit of their argument or default, nested structs included', async () => {
    const v = await overridePython(
      NESTED,
      lines(
        'test:',
        '  empty_call: {distance: 5, pause: 2, free: 3, inner: {depth: 7}, distances: [1, 2]}',
        '  named: {distance: 5, pause: 2}',
        '  positional: {distance: 5, pause: 2}',
        '  unset: {inner: {depth: 7}}',
        '  items: [{distance: 1}, {pause: 4}]',
      ),
    );
    // the outcomes the Python engine logs for these (fixtures ovr_struct_field_units*)
    expect(v.empty_call).toBe(
      "{'distance': 5000, 'pause': 0.002, 'free': 3, 'inner': {'depth': 0.007}, 'distances': [1.0, 2.0]}",
    );
    expect(v.named).toBe(
      "{'distance': 0.005, 'pause': 2.0, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}",
    );
    expect(v.positional).toBe(
      "{'distance': 0.005, 'pause': 120, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}",
    );
    expect(v.unset).toBe(
      "{'distance': 2000, 'pause': 0.25, 'free': None, 'inner': {'depth': 0.007}, 'distances': [1000]}",
    );
    // fields of list items: in the unit of the field's default, not of the replaced item's argument
    expect(v.items).toBe(
      "[{'distance': 1000, 'pause': 0.25, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}, " +
        "{'distance': 2000, 'pause': 0.004, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}]",
    );
  });

  it('writes the template in the unit each value is read in, so that it reads back unchanged', async () => {
    const scenario = lines(
      'import osc.types',
      'struct inner_holder:',
      '    depth: length = 5mm',
      'struct holder:',
      '    distance: length = 2km',
      '    pause: time = 250ms',
      '    inner: inner_holder',
      '    distances: list of length = [1km]',
      'scenario test:',
      '    near: length = 3km',
      '    far: length = 3.0km',
      '    behind: length = -3km',
      '    pause: time = 500ms',
      '    short_pause: time = 42.5ms',
      '    turn: angle = 90deg',
      '    pace: speed = 36kph',
      '    product: length = 3km * 2',
      '    distances: list of length = [1.5km, 2.0m]',
      '    item: holder',
      '    named: holder = holder(distance: 3mm, pause: 1.0s)',
      '    items: list of holder = [holder(distance: 7km)]',
    );
    const model = await load(scenario);
    const before = pythonValues(model);
    const text = createParameterTemplate(model);
    expect(parseYaml(text)).toEqual({
      test: {
        near: 3,
        far: 3,
        behind: -3,
        pause: 500,
        short_pause: 42.5,
        turn: 90,
        pace: 36,
        product: 6000,
        distances: [1500, 2],
        item: { distance: 2, pause: 250, inner: { depth: 5 }, distances: [1000] },
        named: { distance: 3, pause: 1, inner: { depth: 5 }, distances: [1000] },
        items: [{ distance: 7, pause: 250, inner: { depth: 5 }, distances: [1000] }],
      },
    });
    // ints and floats as the replaced literal needs them (Python rejects a float for `3km`)
    expect(text).toContain('  near: 3\n');
    expect(text).toContain('  far: 3.0\n');
    expect(text).toContain('  pause: 500\n');
    expect(text).toContain('    pause: 1.0\n');
    applyParameterOverrides(model, text, 't.yaml');
    const after = pythonValues(model);
    // integral list items are read back as floats (as in Python); every other value is unchanged
    const asFloats = (text: string) => text.replaceAll("'distances': [1000]", "'distances': [1000.0]");
    expect(before.item).toContain("'distances': [1000]");
    expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [k, asFloats(v)])));
    // a second round changes nothing at all
    const again = await load(scenario);
    applyParameterOverrides(again, text, 't.yaml');
    applyParameterOverrides(again, createParameterTemplate(again), 't.yaml');
    expect(pythonValues(again)).toEqual(after);
  });

  it('writes values in SI base units as the Python engine does (int or float as Python holds them)', async () => {
    const model = await load(
      lines(
        'import osc.types',
        'struct holder:',
        '    distance: length = 2m',
        'scenario test:',
        '    whole: length = 1m',
        '    fraction: length = 1.0m',
        '    product: length = 3km * 2',
        '    distances: list of length = [1km, 2.0m]',
        '    items: list of holder = [holder(distance: 7km)]',
        '    unset: length',
      ),
    );
    const text = createParameterTemplate(model);
    expect(text).toBe(
      lines(
        'test:',
        '  distances:',
        '  - 1000',
        '  - 2.0',
        '  fraction: 1.0',
        '  items:',
        '  - distance: 7000',
        '  product: 6000',
        '  unset: 0.0',
        '  whole: 1',
      ),
    );
  });
});
