/**
 * Ports of the Python engine's scenario tests (test_scenario_modifier,
 * test_scenario_events, test_scenario_oneof, test_scenario_parallel,
 * test_action_increment, test_run_process) at the runtime level: the trees the
 * engine builds for those scenarios, assembled by hand and run by the TreeRunner.
 * Waits run on a fake clock (ticks are counted, not waited for); `compare`
 * stands in for `run_process('true'/'false')` except where processes are the point.
 */
import { describe, expect, it } from 'vitest';
import type { ActionDefinition, ArgValue, VariableRef } from '../../src/actions/api.js';
import { builtinActions } from '../../src/actions/builtin.js';
import { Behaviour } from '../../src/runtime/behaviour.js';
import { scenarioEventKey } from '../../src/runtime/blackboard.js';
import { FakeClock, systemClock } from '../../src/runtime/clock.js';
import type { MonotonicClock } from '../../src/runtime/clock.js';
import { Parallel, ParallelPolicy, Sequence } from '../../src/runtime/composites.js';
import {
  FailureIsRunning,
  FailureIsSuccess,
  Inverter,
  Repeat,
  Retry,
  RunningIsFailure,
  RunningIsSuccess,
  SuccessIsFailure,
  SuccessIsRunning,
  Timeout,
} from '../../src/runtime/decorators.js';
import { EmitEvent, WaitCondition, WaitElapsed, WaitForEvent } from '../../src/runtime/leaves.js';
import { TreeRunner } from '../../src/runtime/runner.js';
import type { ScenarioResult } from '../../src/runtime/runner.js';
import { Status } from '../../src/runtime/status.js';
import { harness } from './helpers.js';
import type { Harness } from './helpers.js';

const SCENARIO = 'test';

class Scenario {
  readonly h: Harness = harness();
  constructor(readonly name = SCENARIO) {}

  action(name: string, args: Record<string, ArgValue | VariableRef>, definition?: ActionDefinition): Behaviour {
    return this.h.action(name, definition ?? (builtinActions[name] as ActionDefinition), args);
  }
  log(msg: string): Behaviour {
    return this.action('log', { msg });
  }
  /** Stands in for run_process('true') / run_process('false'). */
  outcome(success: boolean): Behaviour {
    return this.action('compare', { left_value: 1, operator: '==', right_value: success ? 1 : 2 });
  }
  runProcess(command: string): Behaviour {
    return this.action('run_process', { command });
  }
  wait(seconds: number): Behaviour {
    return new WaitElapsed(`wait ${seconds}s`, seconds);
  }
  emit(event: string): Behaviour {
    const key = ['start', 'end', 'fail'].includes(event)
      ? scenarioEventKey(this.name, event as 'end')
      : `/${this.name}/${event}`;
    return new EmitEvent(`emit ${event}`, this.h.blackboard, key);
  }
  waitFor(event: string): Behaviour {
    return new WaitForEvent('TopicEquals', this.h.blackboard, `/${this.name}/${event}`);
  }
  infos(): string[] {
    return this.h
      .messages()
      .filter((m) => m.startsWith('INFO '))
      .map((m) => m.slice(5));
  }
  async run(root: Behaviour, clock: MonotonicClock = new FakeClock(), tickPeriod = 0.1): Promise<ScenarioResult> {
    const runner = new TreeRunner({
      root,
      scenarioName: this.name,
      logger: this.h.logger,
      blackboard: this.h.blackboard,
      clock,
      tickPeriod,
    });
    return runner.run();
  }
}

const serial = (name: string, ...children: Behaviour[]) => new Sequence(name, children);
const parallel = (...children: Behaviour[]) => new Parallel('parallel', children);

describe('scenario modifiers (test_scenario_modifier)', () => {
  it('repeat on the root serial', async () => {
    const s = new Scenario();
    const result = await s.run(
      serial(SCENARIO, new Repeat('repeat', serial('serial', s.log('TestA'), s.log('TestB')), 2)),
    );
    expect(result.result).toBe(true);
    expect(s.infos()).toEqual([
      "Executing scenario 'test'",
      'TestA',
      'TestB',
      'TestA',
      'TestB',
      "Scenario 'test' succeeded.",
    ]);
  });

  it('repeat on a sub tree', async () => {
    const s = new Scenario();
    const inner = new Repeat('repeat', serial('serial', s.log('TestA'), s.log('TestB')), 2);
    const root = serial(SCENARIO, new Repeat('repeat', serial('serial', s.log('foo'), inner, s.log('bar')), 2));
    expect((await s.run(root)).result).toBe(true);
    const block = ['foo', 'TestA', 'TestB', 'TestA', 'TestB', 'bar'];
    expect(s.infos()).toEqual(["Executing scenario 'test'", ...block, ...block, "Scenario 'test' succeeded."]);
  });

  it('inverter turns failure into success and success into failure', async () => {
    const a = new Scenario();
    expect((await a.run(serial(SCENARIO, new Inverter('inverter', serial('serial', a.outcome(false)))))).result).toBe(
      true,
    );
    const b = new Scenario();
    expect((await b.run(serial(SCENARIO, new Inverter('inverter', serial('serial', b.outcome(true)))))).result).toBe(
      false,
    );
  });

  it('three inverters invert once', async () => {
    const s = new Scenario();
    const body = serial('serial', s.outcome(false));
    const root = serial(SCENARIO, new Inverter('inverter', new Inverter('inverter', new Inverter('inverter', body))));
    expect((await s.run(root)).result).toBe(true);
  });

  it('timeout fails a wait that is too long and passes a short one', async () => {
    const a = new Scenario();
    const slow = serial(SCENARIO, new Timeout('timeout', serial('serial', a.wait(10), a.emit('end')), 3));
    expect((await a.run(slow)).result).toBe(false);
    const b = new Scenario();
    const quick = serial(SCENARIO, new Timeout('timeout', serial('serial', b.wait(3), b.emit('end')), 10));
    expect((await b.run(quick)).result).toBe(true);
  });

  it('retry runs a failing body count times, a succeeding one once', async () => {
    const a = new Scenario();
    expect(
      await a.run(serial(SCENARIO, new Retry('retry', serial('serial', a.log('RETRY'), a.outcome(false)), 3))),
    ).toMatchObject({
      result: false,
    });
    expect(a.infos().filter((m) => m === 'RETRY')).toHaveLength(3);
    const b = new Scenario();
    await b.run(serial(SCENARIO, new Retry('retry', serial('serial', b.log('RETRY'), b.outcome(true)), 3)));
    expect(b.infos().filter((m) => m === 'RETRY')).toHaveLength(1);
  });

  it('later modifiers wrap inside earlier ones: retry(timeout(inverter(body)))', async () => {
    const s = new Scenario();
    const body = serial('serial', s.wait(0.5), s.log('RETRY'), s.outcome(true));
    const root = serial(SCENARIO, new Retry('retry', new Timeout('timeout', new Inverter('inverter', body), 3), 3));
    expect((await s.run(root)).result).toBe(false);
    expect(s.infos().filter((m) => m === 'RETRY')).toHaveLength(3);
  });

  it('multi order 1: a per-attempt timeout that does not trigger', async () => {
    const s = new Scenario();
    const body = serial('serial', s.log('RETRY'), s.wait(1), s.outcome(true));
    const root = serial(SCENARIO, new Retry('retry', new Timeout('timeout', new Inverter('inverter', body), 2), 3));
    expect((await s.run(root)).result).toBe(false);
    expect(s.infos().filter((m) => m === 'RETRY')).toHaveLength(3);
  });

  it('multi order 2: a timeout over all attempts stops the third one', async () => {
    const s = new Scenario();
    const body = serial('serial', s.wait(1), s.log('RETRY'), s.outcome(true));
    const root = serial(SCENARIO, new Timeout('timeout', new Retry('retry', new Inverter('inverter', body), 3), 2.5));
    expect((await s.run(root)).result).toBe(false);
    expect(s.infos().filter((m) => m === 'RETRY')).toHaveLength(2);
  });

  it('multi order 3: all attempts fit into the timeout', async () => {
    const s = new Scenario();
    const body = serial('serial', s.log('RETRY'), s.wait(0.5), s.outcome(true));
    const root = serial(SCENARIO, new Timeout('timeout', new Retry('retry', new Inverter('inverter', body), 3), 4));
    expect((await s.run(root)).result).toBe(false);
    expect(s.infos().filter((m) => m === 'RETRY')).toHaveLength(3);
  });

  it('modifier on an action inside a repeated serial', async () => {
    const s = new Scenario();
    const body = serial('serial', new Repeat('repeat', s.log('RETRY'), 2), new Inverter('inverter', s.outcome(false)));
    const root = serial(SCENARIO, new Repeat('repeat', body, 2));
    expect((await s.run(root)).result).toBe(true);
    expect(s.infos().filter((m) => m === 'RETRY')).toHaveLength(4);
  });

  it('timeout on the scenario: passes a quick body, fails a slow one', async () => {
    const a = new Scenario();
    expect((await a.run(new Timeout(SCENARIO, serial('serial', a.log('TEST')), 2))).result).toBe(true);
    const b = new Scenario();
    expect((await b.run(new Timeout(SCENARIO, serial('serial', b.log('TEST'), b.wait(3)), 2))).result).toBe(false);
  });

  const mapping = (
    s: Scenario,
    decorate: (b: Behaviour) => Behaviour,
    body: Behaviour,
    first: string,
    second: string,
    wait: number,
  ) =>
    new Parallel(SCENARIO, [
      serial('serial', decorate(body), s.emit(first)),
      serial('serial', s.wait(wait), s.emit(second)),
    ]);

  it('failure_is_running keeps a failing action running (end comes first)', async () => {
    const s = new Scenario();
    const root = mapping(s, (b) => new FailureIsRunning('failure_is_running', b), s.outcome(false), 'fail', 'end', 2);
    expect((await s.run(root)).result).toBe(true);
  });

  it('failure_is_success', async () => {
    const s = new Scenario();
    const root = mapping(s, (b) => new FailureIsSuccess('failure_is_success', b), s.outcome(false), 'end', 'fail', 2);
    expect((await s.run(root)).result).toBe(true);
  });

  it('success_is_failure', async () => {
    const s = new Scenario();
    const root = new Parallel(SCENARIO, [
      serial('serial', new SuccessIsFailure('success_is_failure', s.outcome(true))),
      serial('serial', s.wait(5), s.emit('end')),
    ]);
    expect((await s.run(root)).result).toBe(false);
  });

  it('success_is_running', async () => {
    const s = new Scenario();
    const root = mapping(s, (b) => new SuccessIsRunning('success_is_running', b), s.outcome(true), 'fail', 'end', 5);
    expect((await s.run(root)).result).toBe(true);
  });

  it('running_is_failure on a running process fails at once and stops the process', async () => {
    const s = new Scenario();
    const root = new Parallel(SCENARIO, [
      serial('serial', new RunningIsFailure('running_is_failure', s.runProcess('sleep 10'))),
      serial('serial', s.wait(20), s.emit('end')),
    ]);
    // Failed before the other branch's `end` (20 s: a slow process start on a loaded machine stays far from it).
    expect((await s.run(root, systemClock, 0.01)).result).toBe(false);
  });

  it('running_is_success on a running process lets `end` win', async () => {
    const s = new Scenario();
    const root = new Parallel(SCENARIO, [
      serial('serial', new RunningIsSuccess('running_is_success', s.runProcess('sleep 10')), s.emit('end')),
      serial('serial', s.wait(5), s.emit('fail')),
    ]);
    expect((await s.run(root, systemClock, 0.01)).result).toBe(true);
  });
});

describe('run_process in scenarios (test_run_process)', () => {
  it('false fails, true succeeds, inverter(false) succeeds', async () => {
    const a = new Scenario();
    expect(
      (await a.run(new Timeout(SCENARIO, serial('serial', a.runProcess('false')), 10), systemClock, 0.01)).result,
    ).toBe(false);
    const b = new Scenario();
    expect(
      (await b.run(new Timeout(SCENARIO, serial('serial', b.runProcess('true')), 10), systemClock, 0.01)).result,
    ).toBe(true);
    const c = new Scenario();
    const inverted = serial(SCENARIO, new Inverter('inverter', serial('serial', c.runProcess('false'))));
    expect((await c.run(inverted, systemClock, 0.01)).result).toBe(true);
  });

  it('wait_for_shutdown false finishes long before the process would', async () => {
    const s = new Scenario();
    const background = s.action('run_process', { command: 'sleep 15', wait_for_shutdown: false });
    // Finished before its timeout (3 s), which waiting for the process (15 s) would have hit.
    const result = await s.run(new Timeout(SCENARIO, serial('serial', background), 3), systemClock, 0.01);
    expect(result.result).toBe(true);
  });

  it('the failure report names the failed process, as the engine prints it', async () => {
    const s = new Scenario('test_run_process');
    const root = serial(
      'test_run_process',
      // The wait only keeps the parallel running: long enough that a slow process start cannot lose the race.
      serial('serial', s.log('hello'), parallel(s.runProcess('false'), s.wait(20))),
    );
    const result = await s.run(root, systemClock, 0.01);
    expect(result.result).toBe(false);
    expect(result.failureMessage).toBe('execution failed.');
    // `log` shows its status only when the last tick visited it: when the process's exit is seen in the tick
    // that started it (a slow start on a loaded machine), not after it as usual. Either is right.
    expect(result.failureOutput.replace('--> log [✓]\n', '--> log\n')).toBe(
      [
        '{-} test_run_process [✕]',
        '    {-} serial [✕]',
        '        --> log',
        '        /_/ parallel [✕]',
        "            --> run_process [✕] -- Execution of '['false']' failed with 1",
        '            --> wait 20s [-] -- still running',
        '',
      ].join('\n'),
    );
  });
});

describe('events, one_of and parallel (test_scenario_events/oneof/parallel)', () => {
  it('emit fail fails, emit end succeeds', async () => {
    const a = new Scenario();
    expect((await a.run(serial(SCENARIO, serial('serial', a.emit('fail'))))).result).toBe(false);
    const b = new Scenario();
    expect((await b.run(serial(SCENARIO, serial('serial', b.emit('end'))))).result).toBe(true);
  });

  it('wait @event is released by an emit in a parallel branch', async () => {
    const s = new Scenario();
    const root = serial(
      SCENARIO,
      parallel(
        serial('serial', s.wait(1), s.emit('test'), s.wait(10), s.emit('fail')),
        serial('serial', s.waitFor('test'), s.emit('end')),
      ),
    );
    expect((await s.run(root)).result).toBe(true);
  });

  it('one_of finishes with its first finished child', async () => {
    const s = new Scenario();
    const clock = new FakeClock();
    const oneOf = new Parallel('one_of', [s.wait(120), s.wait(5)], ParallelPolicy.successOnOne());
    const result = await s.run(serial(SCENARIO, serial('serial', oneOf, s.emit('end'))), clock);
    expect(result.result).toBe(true);
    expect(clock.now()).toBeLessThan(15);
  });

  it('parallel: end emitted in one branch wins over fail after the parallel', async () => {
    const s = new Scenario();
    const root = serial(
      SCENARIO,
      serial(
        'serial',
        parallel(serial('serial', s.wait(5), s.emit('end')), serial('serial', s.wait(1))),
        s.wait(1),
        s.emit('fail'),
      ),
    );
    expect((await s.run(root)).result).toBe(true);
  });
});

describe('variables (test_action_increment)', () => {
  const varKey = '/test/my_var';
  const waitVar = (s: Scenario, value: number) =>
    new WaitCondition(`wait my_var == ${value}`, () => s.h.blackboard.get(varKey) === value);
  const inc = (s: Scenario) => s.action('increment', { target_variable: s.h.blackboard.reference(varKey) });

  it('a variable starting at 0 satisfies `wait my_var == 0`', async () => {
    const s = new Scenario();
    s.h.blackboard.set(varKey, 0);
    expect((await s.run(new Timeout(SCENARIO, serial('serial', waitVar(s, 0)), 3))).result).toBe(true);
  });

  it('an uninitialised variable never equals 42: the timeout fails the scenario', async () => {
    const s = new Scenario();
    s.h.blackboard.set(varKey, null);
    expect((await s.run(new Timeout(SCENARIO, serial('serial', waitVar(s, 42)), 2))).result).toBe(false);
  });

  it('increments from two branches are seen by the wait condition', async () => {
    const s = new Scenario();
    s.h.blackboard.set(varKey, 0);
    const root = new Timeout(
      SCENARIO,
      parallel(serial('serial', inc(s), inc(s), waitVar(s, 3)), serial('serial', s.wait(3), inc(s))),
      5,
    );
    expect((await s.run(root)).result).toBe(true);
    expect(s.h.blackboard.get(varKey)).toBe(3);
  });

  it('increment of a value (not a variable) fails the scenario with the engine message', async () => {
    const s = new Scenario();
    const root = new Timeout(SCENARIO, serial('serial', s.action('increment', { target_variable: 0 })), 3);
    const result = await s.run(root);
    expect(result.result).toBe(false);
    expect(result.failureOutput).toContain("'target_variable' is expected to be a variable reference but is int.");
  });

  it('only the root status and events end a scenario: a running tree keeps ticking', async () => {
    const s = new Scenario();
    let ticks = 0;
    class Counter extends Behaviour {
      override update(): Status {
        ticks += 1;
        return ticks < 30 ? Status.RUNNING : Status.SUCCESS;
      }
    }
    expect((await s.run(serial(SCENARIO, new Counter('count')))).result).toBe(true);
    expect(ticks).toBe(30);
  });
});
