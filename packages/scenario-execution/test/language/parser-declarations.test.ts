import { describe, expect, it } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import { at, declaration, lines, parseText, show } from './helpers.js';

describe('parser: file and imports', () => {
  it('parses an empty file', () => {
    const file = parseText('');
    expect(file).toMatchObject({ kind: 'File', imports: [], declarations: [], start: 0, end: 0 });
    expect(file.loc.line).toBe(1);
  });

  it('parses library and file imports', () => {
    const file = parseText(lines('import osc.types', '', 'import "lib/my file.osc"', "import 'other.osc'"));
    expect(file.imports).toHaveLength(3);
    expect(file.imports[0]).toMatchObject({
      kind: 'Import',
      source: 'library',
      name: 'osc.types',
      parts: ['osc', 'types'],
    });
    expect(file.imports[1]).toMatchObject({ source: 'file', name: 'lib/my file.osc', parts: ['lib/my file.osc'] });
    expect(file.imports[2]).toMatchObject({ source: 'file', name: 'other.osc' });
    expect(at(file.imports[1] as Ast.ImportStatement)).toBe('3:1');
  });

  it('parses a deeper structured import name', () => {
    const file = parseText('import osc.ros.nav2\n');
    expect(file.imports[0]).toMatchObject({ name: 'osc.ros.nav2', parts: ['osc', 'ros', 'nav2'] });
  });

  it('sets the source file on the root', () => {
    const file = parseText('global a: int\n');
    expect(file.file.path).toBe('test.osc');
    expect(file.loc.file).toBe(file.file);
  });
});

describe('parser: physical types and units', () => {
  it('parses a physical type', () => {
    const file = parseText('type speed is SI(m: 1, s: -1)\n');
    const type = declaration(file, 'PhysicalType');
    expect(type.name.name).toBe('speed');
    expect(type.exponents.map((e) => [e.unit, e.exponent])).toEqual([
      ['m', 1],
      ['s', -1],
    ]);
    expect(at(type)).toBe('1:1');
    expect(at(type.exponents[1] as Ast.SIExponent)).toBe('1:24');
  });

  it('parses every SI base unit', () => {
    const file = parseText('type all is SI(kg: 1, m: 2, s: 3, A: 4, K: 5, mol: 6, cd: 7, rad: 0x8)\n');
    const type = declaration(file, 'PhysicalType');
    expect(type.exponents.map((e) => `${e.unit}${e.exponent}`).join(' ')).toBe('kg1 m2 s3 A4 K5 mol6 cd7 rad8');
  });

  it('parses units with factor and offset', () => {
    const file = parseText(
      lines(
        'unit m of length is SI(m: 1, factor: 1)',
        'unit cm of length is SI(m: 1, factor: 0.01)',
        'unit celsius of temperature is SI(K: 1, factor: 1.0, offset: 273.15)',
        'unit neg of temperature is SI(K: 1, offset: -5)',
        'unit plain of length is SI(m: 1)',
      ),
    );
    const units = file.declarations as Ast.UnitDeclaration[];
    expect(units.map((u) => u.name.name)).toEqual(['m', 'cm', 'celsius', 'neg', 'plain']);
    expect(units[0]).toMatchObject({ physicalType: { name: 'length' }, factor: { value: 1, isFloat: false } });
    expect(units[1]?.factor).toMatchObject({ value: 0.01, isFloat: true, text: '0.01' });
    expect(units[2]?.offset).toMatchObject({ value: 273.15, isFloat: true });
    expect(units[3]).toMatchObject({ factor: undefined, offset: { value: -5, text: '-5', isFloat: false } });
    expect(units[4]).toMatchObject({ factor: undefined, offset: undefined });
    expect(at(units[2]?.offset as Ast.NumberValue)).toBe('3:62');
  });
});

describe('parser: enums', () => {
  it('parses members with and without values', () => {
    const file = parseText('enum color: [red, green = 5, blue, cyan = 0x1F]\n');
    const e = declaration(file, 'Enum');
    expect(e.name.name).toBe('color');
    expect(e.members.map((m) => [m.name.name, m.value?.value])).toEqual([
      ['red', undefined],
      ['green', 5],
      ['blue', undefined],
      ['cyan', 31],
    ]);
    expect(at(e.members[1] as Ast.EnumMember)).toBe('1:19');
  });

  it('allows the member list over several lines', () => {
    const file = parseText(lines('enum e: [', '  a,', '  b', ']'));
    expect(declaration(file, 'Enum').members).toHaveLength(2);
  });
});

describe('parser: structs, actors, actions, scenarios, modifiers', () => {
  it('parses a struct with members and inheritance', () => {
    const file = parseText(
      lines('struct position_3d inherits base:', '    x: length = 0m', '    y: length', '', 'struct empty'),
    );
    const s = declaration(file, 'Struct');
    expect(s.name.name).toBe('position_3d');
    expect(s.inherits?.name.text).toBe('base');
    expect(s.members.map((m) => m.kind)).toEqual(['Parameter', 'Parameter']);
    expect(declaration(file, 'Struct', 1)).toMatchObject({ name: { name: 'empty' }, inherits: undefined, members: [] });
  });

  it('parses an actor', () => {
    const file = parseText(lines('actor robot inherits osc_actor:', '    speed: speed = 1.5mps', '    event arrived'));
    const actor = declaration(file, 'Actor');
    expect(actor.name.name).toBe('robot');
    expect(actor.inherits?.name.name.name).toBe('osc_actor');
    expect(actor.members.map((m) => m.kind)).toEqual(['Parameter', 'Event']);
  });

  it('parses actions with and without actor', () => {
    const file = parseText(
      lines('action log:', '    msg: string', 'action robot.move inherits robot.base_move', 'action plain'),
    );
    const log = declaration(file, 'Action');
    expect(log.name).toMatchObject({ actor: undefined, name: { name: 'log' }, text: 'log' });
    const move = declaration(file, 'Action', 1);
    expect(move.name).toMatchObject({ actor: { name: 'robot' }, name: { name: 'move' }, text: 'robot.move' });
    expect(move.inherits?.name.text).toBe('robot.base_move');
    expect(move.members).toEqual([]);
    expect(at(move.name.name)).toBe('3:14');
  });

  it('parses a scenario with fields, vars, events, keep and do', () => {
    const file = parseText(
      lines(
        'scenario test inherits base:',
        '    timeout(3s)',
        '    my_var: int = 0',
        '    var counter: int = 1',
        '    event done',
        '    keep(my_var == 0)',
        '    do serial:',
        '        wait elapsed(1s)',
      ),
    );
    const s = declaration(file, 'Scenario');
    expect(s.name.text).toBe('test');
    expect(s.inherits?.name.text).toBe('base');
    expect(s.members.map((m) => m.kind)).toEqual([
      'ModifierInvocation',
      'Parameter',
      'Variable',
      'Event',
      'Keep',
      'Do',
    ]);
    expect(s.members.map(at)).toEqual(['2:5', '3:5', '4:5', '5:5', '6:5', '7:5']);
  });

  it('parses a modifier declaration', () => {
    const file = parseText(lines('modifier repeat:', '    count: int = -1', '    other(1)', 'modifier empty'));
    const m = declaration(file, 'Modifier');
    expect(m.name.name).toBe('repeat');
    expect(m.members.map((x) => x.kind)).toEqual(['Parameter', 'ModifierInvocation']);
    expect(declaration(file, 'Modifier', 1).members).toEqual([]);
  });

  it('parses a structured type extension', () => {
    const file = parseText(
      lines('extend robot:', '    battery: float = 1.0', 'extend robot.move:', '    keep(it.x == 1)'),
    );
    const first = declaration(file, 'Extend');
    expect(first.target).toMatchObject({ text: 'robot', actor: undefined });
    expect(first.members.map((m) => m.kind)).toEqual(['Parameter']);
    const second = declaration(file, 'Extend', 1);
    expect(second.target.text).toBe('robot.move');
    expect(second.members.map((m) => m.kind)).toEqual(['Keep']);
  });

  it('parses global parameters with default and with-block', () => {
    const file = parseText(
      lines('global speed_limit: speed = 10kph', 'global p: pose with:', '    keep(it.x == 1)', 'global n: int'),
    );
    const g = file.declarations as Ast.GlobalParameterDeclaration[];
    expect(g[0]).toMatchObject({ kind: 'Global', name: { name: 'speed_limit' }, type: { text: 'speed' } });
    expect(show(g[0]?.defaultValue as Ast.Expression)).toBe('10<kph>');
    expect(g[1]?.constraints).toHaveLength(1);
    expect(g[1]?.defaultValue).toBeUndefined();
    expect(g[2]).toMatchObject({ defaultValue: undefined, constraints: [] });
  });

  it('accepts |quoted| names, also for reserved words', () => {
    const file = parseText(lines('struct |my struct|:', '    |m|: float'));
    const s = declaration(file, 'Struct');
    expect(s.name.name).toBe('my struct');
    expect((s.members[0] as Ast.ParameterDeclaration).name.name).toBe('m');
  });

  it('records start and end offsets of declarations', () => {
    const text = lines('struct a:', '    x: int = 5', 'global b: int');
    const file = parseText(text);
    const s = declaration(file, 'Struct');
    const member = s.members[0] as Ast.ParameterDeclaration;
    expect(text.slice(member.start, member.end)).toBe('x: int = 5');
    const global = declaration(file, 'Global');
    expect(text.slice(global.start, global.end)).toBe('global b: int');
    const withText = lines('struct a:', '    x: int with:', '        keep(it == 1)', 'global b: int');
    const withBlock = declaration(parseText(withText), 'Struct').members[0] as Ast.ParameterDeclaration;
    expect(withText.slice(withBlock.start, withBlock.end)).toBe('x: int with:\n        keep(it == 1)');
  });
});

describe('parser: members', () => {
  function members(...body: string[]): readonly Ast.ScenarioMember[] {
    return declaration(parseText(lines('scenario sc:', ...body.map((b) => `    ${b}`))), 'Scenario').members;
  }

  it('parses fields of every type form', () => {
    const list = members(
      'a: int',
      'b: uint = 3',
      'c: float = 1.5',
      'd: bool = true',
      'e: string = "x"',
      'f: position_3d',
      'g: list of float = [1.0, 2.0]',
      'h: list of pose',
      'i: robot.move',
    ) as Ast.ParameterDeclaration[];
    expect(list.map((p) => [p.name.name, p.type.text, p.type.primitive, p.type.isList])).toEqual([
      ['a', 'int', 'int', false],
      ['b', 'uint', 'uint', false],
      ['c', 'float', 'float', false],
      ['d', 'bool', 'bool', false],
      ['e', 'string', 'string', false],
      ['f', 'position_3d', undefined, false],
      ['g', 'list of float', 'float', true],
      ['h', 'list of pose', undefined, true],
      ['i', 'robot.move', undefined, false],
    ]);
    expect(list[8]?.type).toMatchObject({ actor: { name: 'robot' }, name: { name: 'move' } });
    expect(show(list[6]?.defaultValue as Ast.Expression)).toBe('list(1.0, 2.0)');
    expect(at(list[6]?.type as Ast.TypeRef)).toBe('8:8');
  });

  it('parses a field with a with-block of keep constraints', () => {
    const [p] = members('pose: pose_3d with:', '    keep(it.position.x == 2)', '    keep(default it.y == 1)') as [
      Ast.ParameterDeclaration,
    ];
    expect(p.constraints.map((c) => [c.qualifier, show(c.expression)])).toEqual([
      [undefined, '(it.position.x == 2)'],
      ['default', '(it.y == 1)'],
    ]);
    expect(at(p.constraints[1] as Ast.KeepConstraint)).toBe('4:9');
  });

  it('parses var declarations', () => {
    const list = members(
      'var a: int',
      'var b: float = -1.5',
      'var c: string = "s"',
      'var d: color = color!red',
      'var e: list of int = [1, 2]',
      'var f: length = 2m',
      'var g: int = other.value',
    ) as Ast.VariableDeclaration[];
    expect(list.map((v) => v.kind)).toEqual(Array(7).fill('Variable'));
    expect(list.map((v) => (v.defaultValue ? show(v.defaultValue) : '-'))).toEqual([
      '-',
      '-1.5',
      '"s"',
      'color!red',
      'list(1, 2)',
      '2<m>',
      'other.value',
    ]);
  });

  it('parses event declarations', () => {
    const list = members(
      'event start',
      'event with_args(a: int, b: float = 1.0)',
      'event timed is elapsed(2s)',
      'event ref is @other.done',
      'event cond is x > 3',
    ) as Ast.EventDeclaration[];
    expect(list[0]).toMatchObject({ kind: 'Event', name: { name: 'start' }, parameters: [], specification: undefined });
    expect(list[1]?.parameters.map((p) => [p.name.name, p.type.text, p.defaultValue?.kind])).toEqual([
      ['a', 'int', undefined],
      ['b', 'float', 'Float'],
    ]);
    expect(list[2]?.specification?.kind).toBe('Elapsed');
    expect(list[3]?.specification).toMatchObject({
      kind: 'EventReference',
      path: 'other.done',
      event: { name: 'done' },
    });
    expect(list[4]?.specification?.kind).toBe('BoolCondition');
  });

  it('parses method declarations', () => {
    const list = members(
      'def get_value() -> float is external my_lib.methods.get_value()',
      'def add(a: int, b: int = 2) -> int is only external lib.add(a, b: 3)',
      'def twice(x: float) -> float is expression x * 2',
      'def nothing() is undefined',
    ) as Ast.MethodDeclaration[];
    const [external, add, twice, nothing] = list as [
      Ast.MethodDeclaration,
      Ast.MethodDeclaration,
      Ast.MethodDeclaration,
      Ast.MethodDeclaration,
    ];
    expect(external).toMatchObject({ name: { name: 'get_value' }, parameters: [], returnType: { text: 'float' } });
    expect(external.body).toMatchObject({
      kind: 'ExternalMethod',
      only: false,
      target: 'my_lib.methods.get_value',
      arguments: [],
    });
    expect(add.parameters.map((p) => p.name.name)).toEqual(['a', 'b']);
    expect(add.body.kind === 'ExternalMethod' && add.body.arguments.map((a) => a.name?.name)).toEqual([undefined, 'b']);
    expect(add.body.only).toBe(true);
    expect(twice.body.kind === 'ExpressionMethod' && show(twice.body.expression)).toBe('(x * 2)');
    expect(nothing).toMatchObject({ returnType: undefined, body: { kind: 'UndefinedMethod', only: false } });
    expect(at(external.body)).toBe('2:30');
  });

  it('parses keep constraints with qualifiers', () => {
    const list = members('keep(x == 1)', 'keep(default y == 2)', 'keep(hard z == 3)') as Ast.KeepConstraint[];
    expect(list.map((k) => k.qualifier)).toEqual([undefined, 'default', 'hard']);
    expect(list.map((k) => show(k.expression))).toEqual(['(x == 1)', '(y == 2)', '(z == 3)']);
  });

  it('parses modifier invocations as scenario members', () => {
    const list = members('timeout(3s)', 'robot.slow(rate: 2)', 'robot.move.limit(1, 2)') as Ast.ModifierInvocation[];
    expect(list[0]).toMatchObject({ actor: undefined, behavior: undefined, name: { name: 'timeout' } });
    expect(list[1]).toMatchObject({ actor: { name: 'robot' }, behavior: undefined, name: { name: 'slow' } });
    expect(list[1]?.arguments[0]?.name?.name).toBe('rate');
    expect(list[2]).toMatchObject({ actor: { name: 'robot' }, behavior: { name: 'move' }, name: { name: 'limit' } });
    expect(list[2]?.arguments).toHaveLength(2);
  });

  it('parses an on directive', () => {
    const [on] = members('on @ev:', '    emit other', '    emit third(a: 1)') as [Ast.OnDirective];
    expect(on.kind).toBe('On');
    expect(on.specification).toMatchObject({ kind: 'EventReference', path: 'ev' });
    expect(on.members.map((m) => m.event.name)).toEqual(['other', 'third']);
  });
});
