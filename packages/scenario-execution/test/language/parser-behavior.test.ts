import { describe, expect, it } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import { at, declaration, lines, parseText, show } from './helpers.js';

/** The `do` member of `scenario test:` with the given body lines (indented by 4). */
function doMember(...body: string[]): Ast.DoMember {
  const scenario = declaration(parseText(lines('scenario test:', ...body.map((b) => `    ${b}`))), 'Scenario');
  const directive = scenario.members.find((m) => m.kind === 'Do');
  if (directive?.kind !== 'Do') throw new Error('no do');
  return directive.member;
}

function composition(member: Ast.DoMember | undefined): Ast.Composition {
  if (member?.kind !== 'Composition') throw new Error(`expected a composition, got ${member?.kind}`);
  return member;
}

function invocation(member: Ast.DoMember | undefined): Ast.BehaviorInvocation {
  if (member?.kind !== 'BehaviorInvocation') throw new Error(`expected an invocation, got ${member?.kind}`);
  return member;
}

describe('parser: compositions', () => {
  it('parses serial, parallel and one_of with nesting', () => {
    const root = composition(
      doMember('do serial:', '    parallel:', '        a()', '        b()', '    one_of:', '        c()', '    d()'),
    );
    expect(root.operator).toBe('serial');
    expect(root.members.map((m) => m.kind)).toEqual(['Composition', 'Composition', 'BehaviorInvocation']);
    const parallel = composition(root.members[0]);
    expect(parallel.operator).toBe('parallel');
    expect(parallel.members.map((m) => invocation(m).name.name)).toEqual(['a', 'b']);
    expect(composition(root.members[1]).operator).toBe('one_of');
    expect(at(root)).toBe('2:8');
    expect(at(parallel)).toBe('3:9');
    expect(at(invocation(root.members[2]))).toBe('8:9');
  });

  it('parses labels and arguments of compositions', () => {
    const root = composition(
      doMember('do main: serial(memory: false):', '    step1: parallel:', '        a()', '    step2: b()'),
    );
    expect(root.label?.name).toBe('main');
    expect(root.arguments.map((a) => [a.name?.name, show(a.value)])).toEqual([['memory', 'false']]);
    expect(at(root)).toBe('2:8');
    expect(at(root.operatorLoc ? { loc: root.operatorLoc } : root)).toBe('2:14');
    const step1 = composition(root.members[0]);
    expect(step1.label?.name).toBe('step1');
    expect(invocation(root.members[1]).label?.name).toBe('step2');
    expect(at(invocation(root.members[1]))).toBe('5:9');
  });

  it('parses an empty argument list of a composition', () => {
    const root = composition(doMember('do parallel():', '    a()'));
    expect(root.arguments).toEqual([]);
  });

  it('parses a with-block after a composition', () => {
    const root = composition(
      doMember(
        'do serial:',
        '    parallel:',
        '        a()',
        '    with:',
        '        repeat(2)',
        '    b()',
        'with:',
        '    timeout(10s)',
        '    keep(x == 1)',
      ),
    );
    expect(root.withMembers.map((m) => m.kind)).toEqual(['ModifierInvocation', 'Keep']);
    const parallel = composition(root.members[0]);
    expect(parallel.withMembers.map((m) => (m.kind === 'ModifierInvocation' ? m.name.name : ''))).toEqual(['repeat']);
    expect(root.members).toHaveLength(2);
  });

  it('keeps a modifier written as a line of a composition as an invocation', () => {
    const root = composition(doMember('do serial:', '    repeat()', '    a()', '    wait elapsed(0.5s)'));
    const first = invocation(root.members[0]);
    expect(first).toMatchObject({ name: { name: 'repeat' }, actor: undefined, arguments: [] });
    expect(root.members.map((m) => m.kind)).toEqual(['BehaviorInvocation', 'BehaviorInvocation', 'Wait']);
  });

  it('reaches the end offset of its last line', () => {
    const text = lines('scenario test:', '    do serial:', '        a()', '        b(1)');
    const scenario = declaration(parseText(text), 'Scenario');
    const member = scenario.members[0] as Ast.DoDirective;
    expect(text.slice(member.start, member.end)).toBe('do serial:\n        a()\n        b(1)');
  });
});

describe('parser: behavior invocations', () => {
  it('parses invocations with and without actor', () => {
    const root = composition(doMember('do serial:', '    log("hi")', '    robot.move(goal: p, speed: 1mps)'));
    expect(invocation(root.members[0])).toMatchObject({ actor: undefined, name: { name: 'log' } });
    const move = invocation(root.members[1]);
    expect(move.actor?.name).toBe('robot');
    expect(move.name.name).toBe('move');
    expect(move.arguments.map((a) => [a.name?.name, show(a.value)])).toEqual([
      ['goal', 'p'],
      ['speed', '1<mps>'],
    ]);
    expect(at(move.name)).toBe('4:15');
    expect(at(move.arguments[1] as Ast.Argument)).toBe('4:29');
  });

  it('parses a direct invocation after do', () => {
    const member = invocation(doMember('do log("only")'));
    expect(member.name.name).toBe('log');
    expect(show(member.arguments[0]?.value as Ast.Expression)).toBe('"only"');
  });

  it('parses a with-block of keep and modifier invocations', () => {
    const root = composition(
      doMember('do serial:', '    spawn_it: obstacle.spawn() with:', '        keep(it.x == 1)', '        timeout(2s)'),
    );
    const spawn = invocation(root.members[0]);
    expect(spawn).toMatchObject({ label: { name: 'spawn_it' }, actor: { name: 'obstacle' }, name: { name: 'spawn' } });
    expect(spawn.withMembers.map((m) => m.kind)).toEqual(['Keep', 'ModifierInvocation']);
    expect(spawn.withMembers.map(at)).toEqual(['4:13', '5:13']);
  });

  it('parses with-members with actor and behavior', () => {
    const root = composition(
      doMember('do serial:', '    a() with:', '        robot.slow(1)', '        robot.move.limit(3)'),
    );
    const [slow, limit] = invocation(root.members[0]).withMembers as Ast.ModifierInvocation[];
    expect(slow).toMatchObject({ actor: { name: 'robot' }, behavior: undefined, name: { name: 'slow' } });
    expect(limit).toMatchObject({ actor: { name: 'robot' }, behavior: { name: 'move' }, name: { name: 'limit' } });
    expect(at(limit as Ast.ModifierInvocation)).toBe('5:13');
  });
});

describe('parser: wait and emit', () => {
  function waits(...specs: string[]): Ast.WaitDirective[] {
    const root = composition(doMember('do serial:', ...specs.map((s) => `    ${s}`)));
    return root.members as Ast.WaitDirective[];
  }

  it('parses wait elapsed', () => {
    const [w] = waits('wait elapsed(2s)');
    expect(w?.kind).toBe('Wait');
    const spec = w?.specification as Ast.ElapsedCondition;
    expect(spec.kind).toBe('Elapsed');
    expect(show(spec.duration)).toBe('2<s>');
    expect(at(spec)).toBe('3:14');
  });

  it('parses wait on event references', () => {
    const [a, b, c] = waits('wait @done', 'wait @robot.arrived', 'wait @a.b.finished');
    expect(a?.specification).toMatchObject({ kind: 'EventReference', scope: undefined, path: 'done' });
    const rb = b?.specification as Ast.EventReference;
    expect(rb.event.name).toBe('arrived');
    expect(rb.scope && show(rb.scope)).toBe('robot');
    const rc = c?.specification as Ast.EventReference;
    expect(rc).toMatchObject({ path: 'a.b.finished', event: { name: 'finished' } });
    expect(rc.scope && show(rc.scope)).toBe('a.b');
    expect(at(rc)).toBe('5:14');
    expect(at(rc.event)).toBe('5:19');
  });

  it('parses event references with a member chain on it', () => {
    const [w] = waits('wait @it.done');
    const spec = w?.specification as Ast.EventReference;
    expect(spec.scope?.kind).toBe('It');
    expect(spec.path).toBe('it.done');
  });

  it('parses event references with a field and a condition', () => {
    const [w] = waits('wait @robot.arrived as a if a.x > 1', 'wait @tick if elapsed(1s)');
    const spec = w?.specification as Ast.EventReference;
    expect(spec.fieldName?.name).toBe('a');
    expect(spec.condition?.kind).toBe('BoolCondition');
    const second = waits('wait @tick if elapsed(1s)')[0]?.specification as Ast.EventReference;
    expect(second.condition?.kind).toBe('Elapsed');
  });

  it('parses wait on a boolean expression', () => {
    const [w] = waits('wait x > 3 and not done');
    const spec = w?.specification as Ast.BoolCondition;
    expect(spec.kind).toBe('BoolCondition');
    expect(show(spec.expression)).toBe('((x > 3) and (not done))');
  });

  it('parses a labelled wait', () => {
    const [w] = waits('pause: wait elapsed(1s)');
    expect(w?.label?.name).toBe('pause');
    expect(at(w as Ast.WaitDirective)).toBe('3:9');
  });

  it('parses emit with and without arguments', () => {
    const root = composition(doMember('do serial:', '    emit done', '    emit status("x", code: 3)'));
    const [plain, withArgs] = root.members as Ast.EmitDirective[];
    expect(plain).toMatchObject({ kind: 'Emit', event: { name: 'done' }, arguments: [] });
    expect(withArgs?.arguments.map((a) => a.name?.name)).toEqual([undefined, 'code']);
  });
});
