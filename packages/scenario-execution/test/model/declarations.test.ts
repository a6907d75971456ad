import { describe, expect, it } from 'vitest';
import type { OscModel } from '../../src/model/index.js';
import { evaluateToWire, toWire } from '../../src/model/index.js';
import { expectError, globalValue, load, MapStore } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

function param(model: OscModel, name: string): unknown {
  const p = model.scenario.parameters.find((x) => x.name === name);
  if (!p?.value) throw new Error(`no value for ${name}`);
  return evaluateToWire(p.value, new MapStore());
}

function structDefaults(model: OscModel, name: string): Record<string, unknown> {
  const decl = model.declarations.structs.get(name)!;
  return Object.fromEntries(decl.fields.map((f) => [f.name, f.value ? evaluateToWire(f.value, new MapStore()) : null]));
}

describe('physical types and units', () => {
  it('records SI exponents, factors and offsets', async () => {
    const model = await load(
      lines(
        'type speed is SI(m: 1, s: -1)',
        'unit kmph of speed is SI(m: 1, s: -1, factor: 0.277777778)',
        'type temperature is SI(K: 1)',
        'unit F of temperature is SI(K: 1, factor: 0.555555556, offset: 255.372222222)',
        'unit mK of temperature is SI(K: 1, factor: 1000)',
        'scenario test',
      ),
    );
    expect(model.declarations.physicalTypes.get('speed')?.exponents).toEqual({ m: 1, s: -1 });
    expect(model.declarations.units.get('kmph')).toMatchObject({
      factor: 0.277777778,
      offset: 0,
      integerFactor: false,
    });
    expect(model.declarations.units.get('F')).toMatchObject({ factor: 0.555555556, offset: 255.372222222 });
    expect(model.declarations.units.get('mK')).toMatchObject({ factor: 1000, offset: 0, integerFactor: true });
  });

  it('reports a unit of an unknown type (as test_si_unknown_type)', async () => {
    await expectError(
      lines('type length is SI(m: 1)', 'unit cm of lenght is SI(m: 1, factor: 0.01)', 'scenario test'),
      'unit `cm` is of unknown physical type `lenght`; did you mean `length`?',
      2,
      12,
    );
  });

  it('reports a unit whose exponents differ from its type', async () => {
    await expectError(
      lines('type length is SI(m: 1)', 'unit cm of length is SI(s: 1, factor: 0.01)', 'scenario test'),
      'the SI exponents of unit `cm` differ from those of `length`',
      2,
      1,
    );
  });

  it('reports a physical value for a string (as test_si_invalid_type)', async () => {
    await expectError(
      lines(
        'type length is SI(m: 1)',
        'unit cm of length is SI(m: 1, factor: 0.01)',
        'global val1: string = 3.2cm',
        'scenario test',
      ),
      '`val1`: expected string, got length',
      3,
      23,
    );
  });
});

describe('types', () => {
  it('reports an unknown type with a hint (as test_unknown_type)', async () => {
    await expectError(
      lines('struct pose:', '    x: int = 0', 'scenario test:', '    p: poes'),
      'unknown type `poes`; did you mean `pose`?',
      4,
      8,
    );
  });

  it('reports a declaration that is not a type', async () => {
    await expectError(lines('action move', 'scenario test:', '    p: move'), '`move` is an action, not a type', 3, 8);
  });

  it('reports a list of the wrong element type (as test_assign_wrong_basetype_list)', async () => {
    await expectError(
      lines('global t1: list of float = [2.1, 4.3]', 'global t2: list of string = t1', 'scenario test'),
      '`t2`: expected list of string, got list of float',
      2,
      29,
    );
  });

  it('assigns struct lists (as test_assign_struct_list)', async () => {
    const model = await load(
      lines(
        'struct ts:',
        '    member: string',
        "global t1: list of ts = [ts('val1'), ts('val2')]",
        'global t2: list of ts = t1',
        'scenario test',
      ),
    );
    expect(toWire(globalValue(model, 't2'))).toEqual([{ member: 'val1' }, { member: 'val2' }]);
  });

  it('reports different structs in a list (as test_different_structs_in_list)', async () => {
    await expectError(
      lines(
        'struct a:',
        '    m1: string',
        'struct b:',
        '    m2: string',
        "global t: list of a = [a('x'), b('y')]",
        'scenario test',
      ),
      'list elements must have one type: expected a, got b',
      5,
      32,
    );
  });
});

describe('structs and actors', () => {
  it('inherits members (base first) and resolves nested struct defaults', async () => {
    const model = await load(
      lines(
        'global level2: string = "hey!"',
        'struct base_struct:',
        '    base_param1: string = level2',
        'struct derived inherits base_struct:',
        '    y: string = "derived"',
        'struct holder:',
        '    a: base_struct',
        '    b: base_struct = base_struct("override")',
        'actor bot inherits osc_actor:',
        '    speed: float = 1.0',
        'actor osc_actor',
        'scenario test',
      ),
    );
    expect(structDefaults(model, 'derived')).toEqual({ base_param1: 'hey!', y: 'derived' });
    expect(structDefaults(model, 'holder')).toEqual({ a: { base_param1: 'hey!' }, b: { base_param1: 'override' } });
    expect(model.declarations.structs.get('bot')).toMatchObject({ kind: 'actor', base: { name: 'osc_actor' } });
  });

  it('applies keep constraints in a body to the declaring type only', async () => {
    const model = await load(
      lines(
        'struct base:',
        '    x: string = "base"',
        'struct derived inherits base:',
        '    keep(it.x == "kept")',
        'scenario test',
      ),
    );
    expect(structDefaults(model, 'base')).toEqual({ x: 'base' });
    expect(structDefaults(model, 'derived')).toEqual({ x: 'kept' });
  });

  it('reports unknown bases and inheritance cycles', async () => {
    await expectError(
      lines('actor derived inherits UNKNOWN:', '    y: string = "d"', 'scenario test'),
      'actor `derived` inherits from unknown `UNKNOWN`',
      1,
      24,
    );
    await expectError(
      lines('action derived inherits UNKNOWN', 'scenario test'),
      'action `derived` inherits from unknown `UNKNOWN`',
      1,
      25,
    );
    await expectError(
      lines('scenario derived inherits UNKNWN'),
      'scenario `derived` inherits from unknown `UNKNWN`',
      1,
      27,
    );
    await expectError(
      lines('struct a inherits b', 'struct b inherits a', 'scenario test'),
      'struct `a` inherits from itself',
      1,
      19,
    );
  });

  it('reports a struct that contains itself without a default', async () => {
    await expectError(
      lines('struct node:', '    next: node', 'scenario test'),
      'struct `node` contains itself; give the field a default value',
      2,
      5,
    );
  });

  it('reports duplicate fields', async () => {
    await expectError(
      lines('struct a:', '    x: int = 1', '    x: int = 2', 'scenario test'),
      /^`x` is already declared at .*test\.osc:2:5$/,
      3,
      5,
    );
  });

  it('extends a struct with `extend`', async () => {
    const model = await load(lines('struct a:', '    x: int = 1', 'extend a:', '    y: int = 2', 'scenario test'));
    expect(structDefaults(model, 'a')).toEqual({ x: 1, y: 2 });
  });

  it('inherits action parameters (as test_actor_inheritance_invalid_2)', async () => {
    const model = await load(
      lines(
        'action base:',
        '    x: string = "base"',
        'action derived inherits base:',
        '    y: string = "derived"',
        'scenario test',
      ),
    );
    expect(model.declarations.actions.get('derived')!.parameters.map((p) => p.name)).toEqual(['x', 'y']);
  });

  it('reports the unknown actor of an action or a scenario with a hint', async () => {
    await expectError(
      lines('actor robot', 'action robt.move', 'scenario test'),
      'action `robt.move` refers to unknown actor `robt`; did you mean `robot`?',
      2,
      8,
    );
    await expectError(
      lines('actor robot', 'scenario robt.patrol'),
      'scenario `robt.patrol` refers to unknown actor `robt`; did you mean `robot`?',
      2,
      10,
    );
  });
});

describe('keep constraints on parameters (as test_osc2_parser_parameter / _struct)', () => {
  const STRUCTS = lines(
    'struct base_struct:',
    "    param1: string = 'test'",
    'struct l1_struct:',
    '    base: base_struct',
    'struct l2_struct:',
    '    l1: l1_struct',
  );

  it('overrides nested members in every written form', async () => {
    const model = await load(
      `${STRUCTS}${lines(
        'scenario test:',
        '    s1: l2_struct with:',
        '        keep(it.l1 == l1_struct(base: base_struct))',
        '    s2: l2_struct with:',
        "        keep(it.l1 == l1_struct(base: base_struct('override')))",
        '    s3: l2_struct with:',
        "        keep(it.l1.base.param1 == 'override')",
        '    s4: l2_struct with:',
        "        keep(it.l1.base == base_struct('override'))",
      )}`,
    );
    expect(param(model, 's1')).toEqual({ l1: { base: { param1: 'test' } } });
    for (const name of ['s2', 's3', 's4']) expect(param(model, name)).toEqual({ l1: { base: { param1: 'override' } } });
  });

  it('reports an unknown member in the path with a hint', async () => {
    await expectError(
      `${STRUCTS}${lines('scenario test:', '    st: l2_struct with:', "        keep(it.l1.bse.param1 == 'x')")}`,
      '`l1_struct` has no field `bse`; did you mean `base`?',
      9,
      20,
    );
  });

  it('reports keep without `it.` and other operators than ==', async () => {
    await expectError(
      lines(
        'struct pose3d:',
        '    z: string = "base"',
        'scenario test:',
        '    p: pose3d with:',
        '        keep(NO.z == "o")',
      ),
      'keep(…) must constrain a field of `it`: keep(it.<field> == <value>)',
      5,
      14,
    );
    await expectError(
      lines(
        'struct pose3d:',
        '    z: string = "base"',
        'scenario test:',
        '    p: pose3d with:',
        '        keep(it.z <= "o")',
      ),
      'only `==` is supported in keep(…): keep(it.<field> == <value>)',
      5,
      19,
    );
    await expectError(
      lines('actor car:', '    current_position: float', '    keep(current_position < 100.0)', 'scenario test'),
      'only `==` is supported in keep(…): keep(it.<field> == <value>)',
      3,
      27,
    );
  });

  it('reports keep on a parameter that is not a struct', async () => {
    await expectError(
      lines('scenario test:', '    p: int = 1 with:', '        keep(it.x == 1)'),
      'keep(it.… == …) needs a struct or actor, but `p` is int',
      3,
      17,
    );
  });

  it('applies keep on globals (as test_struct_with_keep)', async () => {
    const model = await load(
      lines(
        'struct ts:',
        '    x: string = "value_x"',
        '    y: string = "value_y"',
        'global foo: ts with:',
        '    keep(it.x == "override_x")',
        'scenario test',
      ),
    );
    expect(toWire(globalValue(model, 'foo'))).toEqual({ x: 'override_x', y: 'value_y' });
  });
});

describe('duplicates and scenario selection', () => {
  it('reports a duplicate declaration naming the first one', async () => {
    const error = await expectError(
      lines('import osc.helpers', 'action log:', '    msg: string', 'scenario test'),
      /^`log` is already declared at osc\.helpers:\d+:8$/,
      2,
      8,
    );
    expect(error.format()).toContain('action log:');
  });

  it('reports a duplicate unit', async () => {
    await expectError(
      lines(
        'type length is SI(m: 1)',
        'unit cm of length is SI(m: 1, factor: 0.01)',
        'unit cm of length is SI(m: 1, factor: 0.01)',
        'scenario test',
      ),
      /^unit `cm` is already declared at .*test\.osc:2:6$/,
      3,
      6,
    );
  });

  it('reports no scenario (as fail_parse_no_scenario.osc)', async () => {
    await expectError(lines('import osc.helpers'), 'No scenario defined.', 1, 1);
  });

  it('reports two scenarios at the second one (as fail_parse_two_scenarios.osc)', async () => {
    await expectError(
      lines(
        'import osc.helpers',
        'scenario scenario1:',
        '    do serial:',
        '        log("1")',
        'scenario scenario2:',
        '    do serial:',
        '        log("2")',
      ),
      /^More than one scenario defined: `scenario2` \(the first is `scenario1` at .*test\.osc:2:10\)$/,
      5,
      10,
    );
  });
});

describe('scenario parameters', () => {
  it('inherits parameters of a base scenario and evaluates parameters that refer to others', async () => {
    const model = await load(lines('scenario test:', '    a: int = 2', '    b: int = a', '    c: float = b * 1.5'));
    expect(param(model, 'b')).toBe(2);
    expect(param(model, 'c')).toBe(3);
  });

  it('fails evaluating a parameter without value (as Python)', async () => {
    const model = await load(
      lines('import osc.helpers', 'scenario test:', '    p: string', '    do serial:', '        log(p)'),
    );
    const root = model.scenario.behaviour[0];
    const log = root?.kind === 'composition' ? root.children[0] : undefined;
    if (log?.kind !== 'action') throw new Error('expected log');
    expect(() => evaluateToWire(log.args[0]!.value, new MapStore())).toThrowError(
      "parameter 'p' is used but has no value; give it a default value or an override in the scenario parameter file",
    );
  });
});

describe('not supported constructs left to the model', () => {
  it('reports emit arguments', async () => {
    await expectError(
      lines('scenario test:', '    event e', '    do serial:', '        emit e(1)'),
      'event arguments are not supported',
      4,
      16,
    );
  });

  it('reports event parameters', async () => {
    await expectError(lines('scenario test:', '    event e(x: int)'), 'event parameters are not supported', 2, 13);
  });

  it('reports modifiers applied through an actor', async () => {
    await expectError(
      lines(
        'import osc.helpers',
        'actor car',
        'scenario test:',
        '    c: car',
        '    do serial:',
        '        log("a") with:',
        '            c.repeat()',
      ),
      'modifiers applied through an actor are not supported',
      7,
      13,
    );
  });

  it('reports `def … is undefined`', async () => {
    await expectError(
      lines('struct s1:', '    def f() is undefined', 'scenario test'),
      '`def … is undefined` is not supported (only `is external`)',
      2,
      13,
    );
  });
});
