import { describe, expect, it } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import * as language from '../../src/language/index.js';
import { declaration, lines, source } from './helpers.js';

const LIBRARY = lines(
  '# A small library in the style of the bundled ones',
  'type length is SI(m: 1)',
  'type time is SI(s: 1)',
  'type speed is SI(m: 1, s: -1)',
  'unit m of length is SI(m: 1, factor: 1)',
  'unit cm of length is SI(m: 1, factor: 0.01)',
  'unit s of time is SI(s: 1, factor: 1)',
  'unit ms of time is SI(s: 1, factor: 0.001)',
  'unit mps of speed is SI(m: 1, s: -1, factor: 1)',
  '',
  'enum signal: [',
  '    start,      # comments inside brackets are fine',
  '    stop = 5,',
  '    pause = 0x10',
  ']',
  '',
  'struct position_3d:',
  '    x: length = 0m',
  '    y: length = 0m',
  '    z: length = 0m',
  '',
  'actor osc_actor:',
  '    name: string = ""',
  '',
  'actor robot inherits osc_actor:',
  '    max_speed: speed = 1.5mps',
  '    event arrived',
  '    def distance_to(p: position_3d) -> length is external my_lib.geometry.distance(p)',
  '',
  'action log:',
  '    msg: string',
  '',
  'action robot.move:',
  '    goal: position_3d',
  '    speed: speed = 1mps',
  '',
  'modifier repeat:',
  '    count: int = -1',
  '',
  'modifier timeout:',
  '    timeout: time',
);

const SCENARIO = lines(
  'import osc.helpers',
  "import 'library.osc'",
  '',
  'global run_count: int = 0',
  '',
  'scenario patrol:',
  '    timeout(60s)',
  '    bot: robot with:',
  '        keep(it.max_speed == 2mps)',
  '    home: position_3d',
  '    var visits: int = 0',
  '    event lap_done',
  '    do main: serial:',
  '        log("starting patrol")',
  '        laps: serial:',
  '            repeat(3)',
  '            bot.move(goal: home, speed: bot.max_speed)',
  '            emit lap_done',
  '        with:',
  '            timeout(30s)',
  '        parallel:',
  '            wait @bot.arrived',
  '            wait elapsed(500ms)',
  '        one_of:',
  '            wait visits > 2 and not (run_count == 0)',
  '            check: log(msg: "done")',
);

describe('parser: whole files', () => {
  it('parses a library file', () => {
    const file = language.parse(source(LIBRARY, 'library.osc'));
    expect(file.declarations.map((d) => d.kind)).toEqual([
      'PhysicalType',
      'PhysicalType',
      'PhysicalType',
      'Unit',
      'Unit',
      'Unit',
      'Unit',
      'Unit',
      'Enum',
      'Struct',
      'Actor',
      'Actor',
      'Action',
      'Action',
      'Modifier',
      'Modifier',
    ]);
    const robot = declaration(file, 'Actor', 1);
    expect(robot.members.map((m) => m.kind)).toEqual(['Parameter', 'Event', 'Method']);
    expect(robot.loc).toMatchObject({ line: 25, column: 1 });
    expect(robot.loc.file.path).toBe('library.osc');
  });

  it('parses a scenario file with nested behavior', () => {
    const file = language.parse(source(SCENARIO));
    expect(file.imports.map((i) => i.name)).toEqual(['osc.helpers', 'library.osc']);
    const scenario = declaration(file, 'Scenario');
    expect(scenario.members.map((m) => m.kind)).toEqual([
      'ModifierInvocation',
      'Parameter',
      'Parameter',
      'Variable',
      'Event',
      'Do',
    ]);
    const main = (scenario.members[5] as Ast.DoDirective).member as Ast.Composition;
    expect(main).toMatchObject({ kind: 'Composition', operator: 'serial', label: { name: 'main' } });
    expect(main.members.map((m) => m.kind)).toEqual([
      'BehaviorInvocation',
      'Composition',
      'Composition',
      'Composition',
    ]);
    const laps = main.members[1] as Ast.Composition;
    expect(laps.label?.name).toBe('laps');
    expect(laps.members.map((m) => m.kind)).toEqual(['BehaviorInvocation', 'BehaviorInvocation', 'Emit']);
    expect(laps.withMembers).toHaveLength(1);
    const oneOf = main.members[3] as Ast.Composition;
    expect(oneOf.members.map((m) => m.loc.line)).toEqual([25, 26]);
  });

  it('exports the front end from the index module', () => {
    expect(typeof language.parse).toBe('function');
    expect(typeof language.parseWithErrors).toBe('function');
    expect(typeof language.tokenize).toBe('function');
    expect(language.KEYWORDS.has('scenario')).toBe(true);
    expect(language.TokenKind.Indent).toBe(2);
    const error = new language.OscError('x', undefined);
    expect(error.format()).toBe('error: x');
    const result = language.parseWithErrors(new language.SourceFile('a.osc', 'global x: int\n'));
    expect(result.errors).toEqual([]);
  });

  // Its speed is measured by `npm run bench` (parse and resolve of a 2,800-line scenario), not here.
  it('parses a 2,400-line scenario', () => {
    const block = SCENARIO.split('\n').slice(13, 26).join('\n');
    const body: string[] = [];
    while (body.length * 13 < 2400) body.push(block);
    const text = `${LIBRARY}scenario big:\n    do serial:\n${body.join('\n')}\n`;
    const file = source(text);
    const ast = language.parse(file);
    const big = ast.declarations[ast.declarations.length - 1] as Ast.ScenarioDeclaration;
    const root = (big.members[0] as Ast.DoDirective).member as Ast.Composition;
    expect(root.members.length).toBe(4 * body.length);
    expect(text.split('\n').length).toBeGreaterThan(2400);
  });
});
