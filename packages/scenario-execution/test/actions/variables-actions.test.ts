import { describe, expect, it } from 'vitest';
import { builtinActions } from '../../src/actions/builtin.js';
import { Status } from '../../src/runtime/status.js';
import { harness, setupContext } from './helpers.js';

describe('log', () => {
  it('logs its message once per run at INFO', () => {
    const h = harness();
    const node = h.action('log', builtinActions.log!, { msg: 'hello' });
    node.setup(setupContext);
    expect(node.tick()).toBe(Status.SUCCESS);
    expect(node.tick()).toBe(Status.SUCCESS);
    expect(h.lines).toEqual(['[scenario_execution] [INFO] hello', '[scenario_execution] [INFO] hello']);
  });

  it('prints non-string values as Python would and fails on a missing message', () => {
    const h = harness();
    const numbers = h.action('log', builtinActions.log!, { msg: 1.5 });
    numbers.setup(setupContext);
    numbers.tick();
    const flag = h.action('log', builtinActions.log!, { msg: true });
    flag.setup(setupContext);
    flag.tick();
    expect(h.messages()).toEqual(['INFO 1.5', 'INFO True']);
    const empty = h.action('log', builtinActions.log!, { msg: null });
    empty.setup(setupContext);
    expect(() => empty.tick()).toThrow('log(): Empty message.');
  });
});

describe('increment / decrement', () => {
  it('change the referenced variable each time they run', () => {
    const h = harness();
    h.blackboard.set('/test/my_var', 0);
    const inc = h.action('increment', builtinActions.increment!, {
      target_variable: h.blackboard.reference('/test/my_var'),
    });
    const dec = h.action('decrement', builtinActions.decrement!, {
      target_variable: h.blackboard.reference('/test/my_var'),
    });
    expect(builtinActions.increment?.passVariableReferences).toBe(true);
    expect(builtinActions.decrement?.passVariableReferences).toBe(true);
    inc.tick();
    inc.tick();
    inc.tick();
    dec.tick();
    expect(h.blackboard.get('/test/my_var')).toBe(2);
  });

  it('refuse a value that is not a variable reference (the engine message)', () => {
    const h = harness();
    const inc = h.action('increment', builtinActions.increment!, { target_variable: 0 });
    expect(() => inc.tick()).toThrow("'target_variable' is expected to be a variable reference but is int.");
    const dec = h.action('decrement', builtinActions.decrement!, { target_variable: 'x' });
    expect(() => dec.tick()).toThrow('but is str.');
  });
});

describe('compare', () => {
  it('succeeds when the comparison holds, reading variables at every update', () => {
    const h = harness();
    h.blackboard.set('/t/v', 3);
    const ref = h.blackboard.reference('/t/v');
    const cases: [string, number, Status][] = [
      ['==', 3, Status.SUCCESS],
      ['!=', 3, Status.FAILURE],
      ['<', 4, Status.SUCCESS],
      ['<=', 3, Status.SUCCESS],
      ['>', 3, Status.FAILURE],
      ['>=', 2, Status.SUCCESS],
    ];
    for (const [operator, right, expected] of cases) {
      const node = h.action('compare', builtinActions.compare!, { left_value: ref, operator, right_value: right });
      expect(node.tick()).toBe(expected);
    }
    const eq = h.action('compare', builtinActions.compare!, { left_value: ref, operator: '==', right_value: 5 });
    expect(eq.tick()).toBe(Status.FAILURE);
    h.blackboard.set('/t/v', 5);
    expect(eq.tick()).toBe(Status.SUCCESS);
  });

  it('compares strings and lists; rejects unknown operators and unordered types', () => {
    const h = harness();
    expect(
      h.action('c', builtinActions.compare!, { left_value: 'abc', operator: '<', right_value: 'abd' }).tick(),
    ).toBe(Status.SUCCESS);
    expect(
      h.action('c', builtinActions.compare!, { left_value: [1, 'a'], operator: '==', right_value: [1, 'a'] }).tick(),
    ).toBe(Status.SUCCESS);
    expect(() =>
      h.action('c', builtinActions.compare!, { left_value: 1, operator: '=~', right_value: 1 }).tick(),
    ).toThrow('Unknown expression operator =~.');
    expect(() =>
      h.action('c', builtinActions.compare!, { left_value: 1, operator: '<', right_value: 'a' }).tick(),
    ).toThrow("'<' not supported between instances of 'int' and 'str'");
  });
});

describe('builtinActions', () => {
  it('registers the helpers.osc actions', () => {
    expect(Object.keys(builtinActions).sort()).toEqual(['compare', 'decrement', 'increment', 'log', 'run_process']);
  });
});
