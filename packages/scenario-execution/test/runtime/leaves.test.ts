import { describe, expect, it } from 'vitest';
import { Blackboard, isVariableRef, scenarioEventKey } from '../../src/runtime/blackboard.js';
import { FakeClock } from '../../src/runtime/clock.js';
import { Parallel, Sequence } from '../../src/runtime/composites.js';
import { EmitEvent, WaitCondition, WaitElapsed, WaitForEvent } from '../../src/runtime/leaves.js';
import { F, R, S, tickSync } from './helpers.js';

const ctx = (clock?: FakeClock) => ({ tickPeriod: 0.1, scenarioFileDirectory: '/', outputDir: undefined, clock });

describe('Blackboard', () => {
  it('stores variables by qualified name and hands out references', () => {
    const bb = new Blackboard();
    bb.set('/test/x', 1);
    const ref = bb.reference('/test/x');
    expect(isVariableRef(ref)).toBe(true);
    expect(isVariableRef({ kind: 'variable' })).toBe(false);
    ref.set(5);
    expect(bb.get('/test/x')).toBe(5);
    expect(ref.get()).toBe(5);
    expect(bb.has('/test/y')).toBe(false);
    expect(bb.keys()).toEqual(['/test/x']);
  });

  it('events are set by emit and never cleared', () => {
    const bb = new Blackboard();
    const key = scenarioEventKey('test', 'end');
    expect(key).toBe('/test/end');
    expect(bb.isEmitted(key)).toBe(false);
    bb.emit(key);
    expect(bb.isEmitted(key)).toBe(true);
    expect(bb.isEmitted(key)).toBe(true);
  });
});

describe('event leaves', () => {
  it('wait @e runs until the event is emitted, then succeeds every time after', () => {
    const bb = new Blackboard();
    const emit = new EmitEvent('emit ev', bb, '/test/ev');
    const wait = new WaitForEvent('TopicEquals', bb, '/test/ev');
    emit.setup(ctx());
    expect(bb.has('/test/ev')).toBe(true);
    expect(tickSync(wait)).toBe(R);
    expect(tickSync(wait)).toBe(R);
    expect(tickSync(emit)).toBe(S);
    expect(tickSync(wait)).toBe(S);
    expect(tickSync(wait)).toBe(S);
  });

  it('a parallel branch waiting for an event emitted by its sibling', () => {
    const bb = new Blackboard();
    const clock = new FakeClock();
    const waitElapsed = new WaitElapsed('wait 1s', 1, { clock });
    const root = new Parallel('p', [
      new Sequence('emitter', [waitElapsed, new EmitEvent('emit test', bb, '/t/test')]),
      new Sequence('waiter', [new WaitForEvent('TopicEquals', bb, '/t/test'), new EmitEvent('emit end', bb, '/t/end')]),
    ]);
    let count = 0;
    while (tickSync(root) === R && count < 100) {
      count += 1;
      clock.advance(0.1);
    }
    expect(root.status).toBe(S);
    expect(bb.isEmitted('/t/end')).toBe(true);
    expect(count).toBeGreaterThanOrEqual(10);
    expect(count).toBeLessThanOrEqual(12);
  });
});

describe('WaitElapsed', () => {
  it('succeeds on the first tick strictly after the duration, with py_trees feedback', () => {
    const clock = new FakeClock();
    const wait = new WaitElapsed('wait 0.5s', 0.5, { clock });
    expect(wait.feedbackMessage).toBe("duration set to '0.5's");
    const statuses: string[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(tickSync(wait));
      if (i === 0) expect(wait.feedbackMessage).toBe('still running');
      clock.advance(0.125);
    }
    expect(statuses).toEqual([R, R, R, R, R, S, R, R]);
    // it restarted on the tick after succeeding
  });

  it('reports the ran-out feedback and uses the setup clock', () => {
    const clock = new FakeClock();
    const wait = new WaitElapsed('wait 3s', 3);
    wait.setup(ctx(clock));
    tickSync(wait);
    clock.advance(3.5);
    expect(tickSync(wait)).toBe(S);
    expect(wait.feedbackMessage).toBe('timer ran out [3.0]');
  });
});

describe('WaitCondition', () => {
  it('re-evaluates its condition every tick', () => {
    let x = 0;
    const wait = new WaitCondition('wait x == 3', () => x === 3);
    expect(tickSync(wait)).toBe(R);
    x = 3;
    expect(tickSync(wait)).toBe(S);
    x = 4;
    expect(tickSync(wait)).toBe(R);
  });

  it('an error in the condition propagates', () => {
    const wait = new WaitCondition('bad', () => {
      throw new Error('unknown variable');
    });
    expect(() => wait.tick()).toThrow('unknown variable');
    expect(F).toBe('FAILURE');
  });
});
