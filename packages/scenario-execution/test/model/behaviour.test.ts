import { describe, expect, it } from 'vitest';
import type {
  ActionInvocationNode,
  BehaviourNode,
  CompositionNode,
  OscModel,
  WaitNode,
} from '../../src/model/index.js';
import { evaluate, evaluateToWire, initializeVariables, toWire } from '../../src/model/index.js';
import { expectError, load, MapStore } from './helpers.js';

/** Join lines (the first line of a scenario text is line 1). */
const lines = (...l: string[]) => `${l.join('\n')}\n`;

function top(model: OscModel): CompositionNode {
  const node = model.scenario.behaviour[0];
  if (node?.kind !== 'composition') throw new Error('expected a composition');
  return node;
}

function action(node: BehaviourNode | undefined): ActionInvocationNode {
  if (node?.kind !== 'action') throw new Error(`expected an action, got ${node?.kind}`);
  return node;
}

function wireArgs(node: ActionInvocationNode, store = new MapStore()): Record<string, unknown> {
  return Object.fromEntries(node.args.map((a) => [a.name, evaluateToWire(a.value, store)]));
}

describe('compositions and modifiers', () => {
  it('keeps operators, labels and children in written order', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        a: parallel:',
        '            log("1")',
        '            log("2")',
        '        b: one_of:',
        '            log("3")',
        '        log("4")',
      ),
    );
    const serial = top(model);
    expect(serial.operator).toBe('serial');
    expect(serial.label).toBeUndefined();
    expect(serial.children.map((c) => [c.kind, c.label])).toEqual([
      ['composition', 'a'],
      ['composition', 'b'],
      ['action', undefined],
    ]);
    const [a, b] = serial.children as CompositionNode[];
    expect(a!.operator).toBe('parallel');
    expect(b!.operator).toBe('one_of');
    expect(a!.children.map((c) => wireArgs(action(c)).msg)).toEqual(['1', '2']);
    expect(serial.location).toMatchObject({ line: 3, column: 8 });
  });

  it('applies a modifier line to its composition, before the `with:` modifiers', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        repeat(2)',
        '        log("a")',
        '        timeout(5s)',
        '        log("b")',
        '    with:',
        '        inverter()',
      ),
    );
    const serial = top(model);
    expect(serial.children.map((c) => wireArgs(action(c)).msg)).toEqual(['a', 'b']);
    expect(serial.modifiers.map((m) => m.modifier.name)).toEqual(['repeat', 'timeout', 'inverter']);
    expect(evaluateToWire(serial.modifiers[0]!.args[0]!.value, new MapStore())).toBe(2);
    expect(serial.modifiers[1]!.args.map((a) => [a.name, evaluateToWire(a.value, new MapStore())])).toEqual([
      ['duration', 5],
    ]);
  });

  it('applies `with:` modifiers of an invocation in written order, with defaults', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        log("a") with:',
        '            repeat()',
        '            timeout(duration: 250ms)',
      ),
    );
    const log = action(top(model).children[0]);
    expect(log.modifiers.map((m) => m.modifier.name)).toEqual(['repeat', 'timeout']);
    expect(log.modifiers[0]!.args).toMatchObject([{ name: 'count', source: 'default' }]);
    expect(evaluateToWire(log.modifiers[0]!.args[0]!.value, new MapStore())).toBe(-1);
    expect(evaluateToWire(log.modifiers[1]!.args[0]!.value, new MapStore())).toBe(0.25);
  });

  it('puts modifiers written as scenario members on the scenario', async () => {
    const model = await load(
      lines('import osc.helpers', 'scenario test:', '    timeout(3s)', '    do serial:', '        log("a")'),
    );
    expect(model.scenario.modifiers.map((m) => m.modifier.name)).toEqual(['timeout']);
    expect(top(model).modifiers).toEqual([]);
  });

  it('reports an unknown modifier with a hint', async () => {
    await expectError(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        log("a") with:',
        '            timeot(1s)',
      ),
      'unknown modifier `timeot`; did you mean `timeout`?',
      5,
      13,
    );
  });

  it('reports a modifier line with a label', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        r: repeat(2)', '        log("a")'),
      'a modifier line cannot have a label',
      4,
      9,
    );
  });

  it('reports keep on a composition', async () => {
    await expectError(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        log("a")',
        '    with:',
        '        keep(it.x == 1)',
      ),
      'keep(…) is not supported on a composition',
      6,
      9,
    );
  });

  it('reports composition arguments as not supported', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial(duration: 5s):', '        log("a")'),
      'arguments of `serial` are not supported',
      3,
      15,
    );
  });
});

describe('action invocations', () => {
  const ACTIONS = lines(
    'import osc.helpers',
    'action test_action:',
    '    param1: string = "val1"',
    '    param2: int',
    '    param3: time = 1s',
  );

  it('binds positional, named and default arguments in declaration order', async () => {
    const model = await load(
      `${ACTIONS}${lines('scenario test:', '    do serial:', '        test_action("a", param3: 2ms, param2: 3)')}`,
    );
    const node = action(top(model).children[0]);
    expect(node.action.name).toBe('test_action');
    expect(node.args.map((a) => [a.name, a.source])).toEqual([
      ['param1', 'positional'],
      ['param2', 'named'],
      ['param3', 'named'],
    ]);
    expect(wireArgs(node)).toEqual({ param1: 'a', param2: 3, param3: 0.002 });
  });

  it('uses defaults and `with: keep(it.x == v)` (keep wins)', async () => {
    const model = await load(
      `${ACTIONS}${lines('scenario test:', '    do serial:', '        test_action(param2: 1) with:', '            keep(it.param1 == "kept")')}`,
    );
    const node = action(top(model).children[0]);
    expect(wireArgs(node)).toEqual({ param1: 'kept', param2: 1, param3: 1 });
    expect(node.args.map((a) => a.source)).toEqual(['constraint', 'named', 'default']);
  });

  it('reports an unknown action with a hint', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        lgo("x")'),
      'unknown action `lgo`; did you mean `log`?',
      4,
      9,
    );
  });

  it('reports an unknown argument name with a hint', async () => {
    await expectError(
      `${ACTIONS}${lines('scenario test:', '    do serial:', '        test_action(param2: 1, parm1: "x")')}`,
      'action `test_action` has no parameter `parm1`; did you mean `param1`?',
      8,
      32,
    );
  });

  it('reports too many arguments', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        log("a", "b")'),
      'too many arguments: action `log` takes 1 argument, 2 given',
      4,
      18,
    );
  });

  it('reports a missing argument at the invocation', async () => {
    await expectError(
      `${ACTIONS}${lines('scenario test:', '    do serial:', '        test_action("x")')}`,
      'missing argument `param2` of action `test_action`',
      8,
      9,
    );
  });

  it('reports an argument of the wrong type', async () => {
    await expectError(
      `${ACTIONS}${lines('scenario test:', '    do serial:', '        test_action(param2: "two")')}`,
      'argument `param2` of action `test_action`: expected int, got string',
      8,
      29,
    );
    await expectError(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        log("a") with:',
        '            timeout(5m)',
      ),
      'argument `duration` of modifier `timeout`: expected time, got length',
      5,
      21,
    );
  });

  it('reports an argument given twice', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        log("a", msg: "b")'),
      'argument `msg` of action `log` given twice',
      4,
      18,
    );
  });

  it('passes any value to a string parameter (as Python: log(3.5), compare(counter, …))', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    var counter: int = 2',
        '    do serial:',
        '        log(3.5)',
        '        compare(counter, "==", 2)',
      ),
    );
    const [log, compare] = top(model).children.map(action);
    expect(wireArgs(log!)).toEqual({ msg: 3.5 });
    const store = new MapStore();
    initializeVariables(model, store);
    expect(wireArgs(compare!, store)).toEqual({ left_value: 2, operator: '==', right_value: 2 });
    expect(compare!.args[0]!.value).toMatchObject({ kind: 'variable', name: '/test/counter' });
  });

  it('rejects the reserved parameter names of actions (as Python)', async () => {
    await expectError(
      lines('action a:', "    name: string = 'x'", 'scenario test'),
      'action `a` uses the reserved parameter name `name`',
      2,
      5,
    );
    await expectError(
      lines('action a:', "    associated_actor: string = 'x'", 'scenario test'),
      'action `a` uses the reserved parameter name `associated_actor`',
      2,
      5,
    );
  });

  it('binds struct parameters with nested keep constraints (as test_base_vals)', async () => {
    const model = await load(
      lines(
        'import osc.types',
        'actor osc_object:',
        '    model: string',
        'action osc_object.spawn:',
        '    spawn_pose: pose_3d',
        "    world_name: string = 'default'",
        'actor differential_drive_robot inherits osc_object:',
        "    namespace: string = ''",
        'scenario test:',
        '    turtlebot4: differential_drive_robot with:',
        "        keep(it.model == 'topic:///robot_description')",
        '    do parallel:',
        '        turtlebot4.spawn() with:',
        '            keep(it.spawn_pose.position.z == 0.1m)',
        '            keep(it.spawn_pose.orientation.roll == 1.0rad)',
      ),
    );
    const node = action(top(model).children[0]);
    expect(node.action.name).toBe('osc_object.spawn');
    expect(wireArgs(node)).toEqual({
      spawn_pose: { position: { x: 0, y: 0, z: 0.1 }, orientation: { roll: 1, pitch: 0, yaw: 0 } },
      world_name: 'default',
    });
    expect(node.actor?.name).toBe('turtlebot4');
    expect(evaluateToWire(node.actor!.value, new MapStore())).toEqual({
      model: 'topic:///robot_description',
      namespace: '',
    });
  });

  it('finds actions of a base actor (as test_behavior_from_base_actor)', async () => {
    const model = await load(
      lines(
        'actor osc_object',
        'action osc_object.spawn:',
        '    param1: string',
        'actor robot inherits osc_object',
        'scenario test:',
        '    obstacle: robot',
        '    do parallel:',
        "        spawn_it: obstacle.spawn(param1: 'override1')",
      ),
    );
    const node = action(top(model).children[0]);
    expect(node.label).toBe('spawn_it');
    expect(wireArgs(node)).toEqual({ param1: 'override1' });
  });

  it('reports an unknown actor and an unknown action of an actor', async () => {
    await expectError(
      lines(
        'actor car',
        'action car.drive',
        'scenario test:',
        '    my_car: car',
        '    do serial:',
        '        my_cr.drive()',
      ),
      'unknown actor `my_cr`; did you mean `my_car`?',
      6,
      9,
    );
    await expectError(
      lines(
        'actor car',
        'action car.drive',
        'scenario test:',
        '    my_car: car',
        '    do serial:',
        '        my_car.drve()',
      ),
      'actor `car` has no action `drve`; did you mean `drive`?',
      6,
      16,
    );
  });

  it('reports a keep constraint on an unknown parameter', async () => {
    await expectError(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        log() with:',
        '            keep(it.mgs == "x")',
      ),
      'action `log` has no parameter `mgs`; did you mean `msg`?',
      5,
      21,
    );
  });

  it('reports invoking a scenario as not supported', async () => {
    await expectError(
      lines('scenario test:', '    do serial:', '        test()'),
      'invoking a scenario (`test`) as a behaviour is not supported',
      3,
      9,
    );
  });
});

describe('wait and emit', () => {
  function waits(model: OscModel): WaitNode[] {
    return top(model).children.filter((c): c is WaitNode => c.kind === 'wait');
  }

  it('binds elapsed, events and conditions', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    delay: time = 250ms',
        '    var counter: int = 0',
        '    event ev',
        '    do serial:',
        '        wait elapsed(1s)',
        '        wait elapsed(delay)',
        '        wait @ev',
        '        wait counter > 2',
        '        emit ev',
        '        emit end',
      ),
    );
    const [w1, w2, w3, w4] = waits(model);
    const store = new MapStore();
    initializeVariables(model, store);
    expect(w1!.condition.kind === 'elapsed' && evaluateToWire(w1!.condition.duration, store)).toBe(1);
    expect(w2!.condition.kind === 'elapsed' && evaluateToWire(w2!.condition.duration, store)).toBe(0.25);
    expect(w3!.condition).toMatchObject({ kind: 'event', event: { name: 'ev', qualifiedName: '/test/ev' } });
    if (w4!.condition.kind !== 'condition') throw new Error('expected a condition');
    expect(evaluate(w4!.condition.expression, store)).toEqual({ kind: 'bool', value: false });
    store.set('/test/counter', 3);
    expect(evaluate(w4!.condition.expression, store)).toEqual({ kind: 'bool', value: true });
    const emits = top(model).children.filter((c) => c.kind === 'emit');
    expect(emits.map((e) => e.kind === 'emit' && [e.event.qualifiedName, e.event.decl?.name])).toEqual([
      ['/test/ev', 'ev'],
      ['/test/end', undefined],
    ]);
    expect(model.events.map((e) => e.qualifiedName)).toEqual(['/test/ev']);
  });

  it('takes an external method call giving a number as seconds (as Python does)', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        wait elapsed(random.get_int(2, 2))',
        '        wait elapsed(random.get_float(0.5, 0.5))',
      ),
      { externalMethods: (_module, fn) => (fn === 'get_int' ? () => 2 : () => 0.5) },
    );
    const durations = waits(model).map((w) =>
      w.condition.kind === 'elapsed' ? evaluate(w.condition.duration, new MapStore()) : undefined,
    );
    expect(durations).toEqual([
      { kind: 'int', value: 2 },
      { kind: 'float', value: 0.5 },
    ]);
  });

  it('reports elapsed without a time (as Python rejects `wait elapsed(1)`)', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        wait elapsed(1)'),
      'elapsed(…) needs a time such as `1s`, got int',
      4,
      22,
    );
  });

  it('reports a wait condition that is not a bool', async () => {
    await expectError(
      lines('import osc.helpers', 'scenario test:', '    var x: int = 0', '    do serial:', '        wait x + 1'),
      'a wait condition must be a bool, got int',
      5,
      14,
    );
  });

  it('reports unknown events with a hint', async () => {
    await expectError(
      lines('scenario test:', '    event ready', '    do serial:', '        wait @redy'),
      'unknown event `redy`; did you mean `ready`?',
      4,
      15,
    );
    await expectError(
      lines('scenario test:', '    event ready', '    do serial:', '        emit redy'),
      'unknown event `redy`; did you mean `ready`?',
      4,
      14,
    );
  });

  it('reports reserved event names (as Python)', async () => {
    await expectError(lines('scenario test:', '    event end'), '`end` is a reserved event name', 2, 11);
  });

  it('reports `on` directives as not supported', async () => {
    await expectError(
      lines('scenario test:', '    event ev', '    on @ev:', '        emit end'),
      '`on` directives are not supported',
      3,
      5,
    );
  });

  it('reports `do` outside a scenario (as test_do_not_in_scenario)', async () => {
    await expectError(
      lines('import osc.helpers', 'action test_action:', '    do serial:', '        log("test")', 'scenario test'),
      '`do` is only supported in a scenario',
      3,
      5,
    );
  });
});

describe('variables', () => {
  it('names variables /<scenario>/<var> and those of parameter types /<scenario>/<param>/<var>', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'actor bot:',
        '    var speed: float = 1.5',
        'struct fleet:',
        '    leader: bot',
        'scenario test:',
        '    var counter: int = 1',
        '    var copy: int = counter',
        '    var note: string',
        '    b: bot',
        '    f: fleet',
        '    do serial:',
        '        increment(b.speed)',
        '        log(f.leader.speed)',
      ),
    );
    expect(model.variables.map((v) => v.qualifiedName)).toEqual([
      '/test/counter',
      '/test/copy',
      '/test/note',
      '/test/b/speed',
      '/test/f/leader/speed',
    ]);
    const store = new MapStore();
    initializeVariables(model, store);
    expect(Object.fromEntries(store.values)).toEqual({
      '/test/counter': 1,
      '/test/copy': 1,
      '/test/note': '',
      '/test/b/speed': 1.5,
      '/test/f/leader/speed': 1.5,
    });
    const [inc, log] = top(model).children.map(action);
    expect(inc!.args[0]!.value).toMatchObject({ kind: 'variable', name: '/test/b/speed' });
    expect(log!.args[0]!.value).toMatchObject({ kind: 'variable', name: '/test/f/leader/speed' });
  });

  it('reads variables at the moment of evaluation', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    var counter: int = 0',
        '    do serial:',
        '        log(counter * 2)',
      ),
    );
    const arg = action(top(model).children[0]).args[0]!.value;
    const store = new MapStore();
    initializeVariables(model, store);
    expect(toWire(evaluate(arg, store))).toBe(0);
    store.set('/test/counter', 21);
    expect(toWire(evaluate(arg, store))).toBe(42);
  });

  it('reports a variable of the wrong type', async () => {
    await expectError(lines('scenario test:', '    var x: int = "a"'), '`x`: expected int, got string', 2, 18);
  });
});
