import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/runtime/clock.js';
import { Sequence } from '../../src/runtime/composites.js';
import {
  FailureIsRunning,
  FailureIsSuccess,
  Inverter,
  PassThrough,
  Repeat,
  Retry,
  RunningIsFailure,
  RunningIsSuccess,
  SuccessIsFailure,
  SuccessIsRunning,
  Timeout,
} from '../../src/runtime/decorators.js';
import type { Behaviour } from '../../src/runtime/behaviour.js';
import type { Status } from '../../src/runtime/status.js';
import { DeferredLeaf, F, I, R, S, ScriptedLeaf, tickSync } from './helpers.js';
import type { Journal } from './helpers.js';

function ticks(root: Behaviour, count: number): Status[] {
  const statuses: Status[] = [];
  for (let i = 0; i < count; i++) statuses.push(tickSync(root));
  return statuses;
}

describe('Repeat', () => {
  it('re-runs a subtree until it succeeded count times (finished children reset with INVALID)', () => {
    const j: Journal = [];
    const rep = new Repeat(
      'repeat',
      new Sequence('s', [new ScriptedLeaf('a', [S], j), new ScriptedLeaf('b', [S], j)]),
      2,
    );
    expect(ticks(rep, 2)).toEqual([R, S]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=SUCCESS',
      'b.terminate(SUCCESS)',
      'a.terminate(INVALID)',
      'b.terminate(INVALID)',
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=SUCCESS',
      'b.terminate(SUCCESS)',
    ]);
    expect(rep.feedbackMessage).toBe('success [status: 2 success from 2]');
  });

  it('stops at the first failure', () => {
    const rep = new Repeat('repeat', new ScriptedLeaf('a', [S, F]), 5);
    expect(ticks(rep, 2)).toEqual([R, F]);
    expect(rep.feedbackMessage).toBe('failed, aborting [status: 1 success from 5]');
  });

  it('repeats forever with -1 and with 0 (py_trees never reaches the count)', () => {
    for (const count of [-1, 0]) {
      const rep = new Repeat('repeat', new ScriptedLeaf('a', [S]), count);
      expect(ticks(rep, 50).every((s) => s === R)).toBe(true);
    }
  });

  it('count 1 runs the child once', () => {
    const leaf = new ScriptedLeaf('a', [S]);
    expect(ticks(new Repeat('repeat', leaf, 1), 1)).toEqual([S]);
    expect(leaf.updates).toBe(1);
  });

  it('restarts counting when it runs again', () => {
    const rep = new Repeat('repeat', new ScriptedLeaf('a', [S]), 2);
    expect(ticks(rep, 4)).toEqual([R, S, R, S]);
  });
});

describe('Retry', () => {
  it('re-runs a failing child; succeeds when it succeeds', () => {
    const j: Journal = [];
    const retry = new Retry('retry', new ScriptedLeaf('a', [F, F, S], j), 3);
    expect(ticks(retry, 3)).toEqual([R, R, S]);
    expect(j.filter((e) => e.endsWith('.initialise'))).toHaveLength(3);
    expect(retry.feedbackMessage).toBe('succeeded [status: 2 failure from 3]');
  });

  it('fails after count failures', () => {
    const retry = new Retry('retry', new ScriptedLeaf('a', [F]), 3);
    expect(ticks(retry, 3)).toEqual([R, R, F]);
    expect(retry.feedbackMessage).toBe('final failure [status: 3 failure from 3]');
  });
});

describe('Timeout', () => {
  it('fails and interrupts the child once the duration passed (strictly greater)', () => {
    const clock = new FakeClock();
    const j: Journal = [];
    const timeout = new Timeout('timeout', new ScriptedLeaf('a', [R], j), 1, { clock });
    const statuses: Status[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(tickSync(timeout));
      clock.advance(0.25);
    }
    // t = 0, .25, .5, .75, 1.0 running; 1.25 > 1 → failure
    expect(statuses.slice(0, 6)).toEqual([R, R, R, R, R, F]);
    expect(j.slice(0, 7)).toEqual([
      'a.initialise',
      'a.update=RUNNING',
      'a.update=RUNNING',
      'a.update=RUNNING',
      'a.update=RUNNING',
      'a.update=RUNNING',
      'a.update=RUNNING',
    ]);
    expect(j[7]).toBe('a.terminate(INVALID)');
    expect(timeout.feedbackMessage).toBe('timed out');
  });

  it('passes the child result through when it finishes in time', () => {
    const clock = new FakeClock();
    const timeout = new Timeout('timeout', new ScriptedLeaf('a', [R, F]), 10, { clock });
    expect(tickSync(timeout)).toBe(R);
    expect(timeout.feedbackMessage).toBe('time still ticking ... [remaining: 10.0s]');
    expect(tickSync(timeout)).toBe(F);
    expect(timeout.feedbackMessage).toBe('child finished before timeout triggered');
  });

  it('adopts the runner clock from setup unless given one', () => {
    const clock = new FakeClock(100);
    const timeout = new Timeout('timeout', new ScriptedLeaf('a', [R]), 1);
    timeout.setup({ tickPeriod: 0.1, scenarioFileDirectory: '/', outputDir: undefined, clock });
    tickSync(timeout);
    clock.advance(2);
    expect(tickSync(timeout)).toBe(F);
  });
});

describe('status mapping decorators', () => {
  const cases: [string, new (name: string, child: Behaviour) => Behaviour, Status, Status, string][] = [
    ['inverter', Inverter, S, F, 'success -> failure'],
    ['inverter', Inverter, F, S, 'failure -> success'],
    ['failure_is_running', FailureIsRunning, F, R, 'failure is running [why]'],
    ['failure_is_success', FailureIsSuccess, F, S, 'failure is success [why]'],
    ['running_is_failure', RunningIsFailure, R, F, 'running is failure [why]'],
    ['running_is_success', RunningIsSuccess, R, S, 'running is success [why]'],
    ['success_is_failure', SuccessIsFailure, S, F, 'success is failure [why]'],
    ['success_is_running', SuccessIsRunning, S, R, 'success is running [why]'],
  ];
  for (const [name, Kind, from, to, feedback] of cases) {
    it(`${name}: ${from} → ${to}, other statuses pass through`, () => {
      const child = new ScriptedLeaf('a', [from]);
      child.feedbackMessage = 'why';
      const decorator = new Kind(name, child);
      expect(tickSync(decorator)).toBe(to);
      expect(decorator.feedbackMessage).toBe(feedback);
      // the inverter maps both SUCCESS and FAILURE; only RUNNING passes through it
      const others = [S, F, R].filter((s) => s !== from && (name !== 'inverter' || s === R));
      for (const other of others) {
        expect(tickSync(new Kind(name, new ScriptedLeaf('b', [other])))).toBe(other);
      }
    });
  }

  it('feedback without a child message has no brackets (except success_is_running)', () => {
    const fis = new FailureIsSuccess('x', new ScriptedLeaf('a', [F]));
    tickSync(fis);
    expect(fis.feedbackMessage).toBe('failure is success');
    const sir = new SuccessIsRunning('y', new ScriptedLeaf('a', [S]));
    tickSync(sir);
    expect(sir.feedbackMessage).toBe('success is running []');
  });

  it('running_is_success stops the still running child with INVALID', () => {
    const j: Journal = [];
    tickSync(new RunningIsSuccess('x', new ScriptedLeaf('a', [R], j)));
    expect(j).toEqual(['a.initialise', 'a.update=RUNNING', 'a.terminate(INVALID)']);
  });

  it('stop(INVALID) terminates the decorator first, then its child', () => {
    const j: Journal = [];
    const inv = new Inverter('inv', new ScriptedLeaf('a', [R], j));
    inv.terminate = (status) => {
      j.push(`inv.terminate(${status})`);
    };
    tickSync(inv);
    inv.stop(I);
    expect(j).toEqual(['a.initialise', 'a.update=RUNNING', 'inv.terminate(INVALID)', 'a.terminate(INVALID)']);
  });

  it('nested inverters cancel out', () => {
    const nested = new Inverter('i1', new Inverter('i2', new Inverter('i3', new ScriptedLeaf('a', [F]))));
    expect(tickSync(nested)).toBe(S);
  });

  it('pass-through and an asynchronous child', async () => {
    const slow = new DeferredLeaf('slow');
    const pass = new PassThrough('pass', slow);
    const pending = pass.tick();
    slow.resolve(F);
    expect(await pending).toBe(F);
  });

  it('replaceChild swaps the decorated child', () => {
    const a = new ScriptedLeaf('a', [S]);
    const b = new ScriptedLeaf('b', [F]);
    const inv = new Inverter('inv', a);
    inv.replaceChild(a, b);
    expect(inv.decorated).toBe(b);
    expect(tickSync(inv)).toBe(S);
  });
});
