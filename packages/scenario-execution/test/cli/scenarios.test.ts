/**
 * End-to-end runs of scenario shapes from the Python engine's test suite
 * (test_scenario_*.py, test_scenario_events.py, test_action_*.py,
 * test_osc2_vars.py), through the CLI in-process: exit status and log lines.
 * Durations are scaled down and the step duration shortened to keep it fast.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUpRuns, runScenario } from './harness.js';

const FAST = ['-s', '0.01'];

afterAll(cleanUpRuns);

const count = (lines: string[], text: string) => lines.filter((l) => l === text).length;

describe('scenario outcomes', () => {
  it('logs the run like the engine and exits 0 on success', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        log("hello")
        wait elapsed(0.05s)
        log("bye")
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toEqual(["Executing scenario 'test'", 'hello', 'bye', "Scenario 'test' succeeded."]);
    expect(run.stderr).toBe('');
  });

  it('prints numbers and bools given to a text parameter as Python does (2.0 stays 2.0)', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    ratio: float = 99.0
    flag: bool = true
    do serial:
        log(ratio)
        log(2.0)
        log(3.14)
        log(7)
        log(flag)
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info.slice(1, -1)).toEqual(['99.0', '2.0', '3.14', '7', 'True']);
  });

  it('compares a variable with number literals as numbers', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    var counter: int = 0
    do serial:
        increment(counter)
        increment(counter)
        compare(counter, "==", 2)
        compare(counter, ">=", 1)
        compare(1.5, "<", counter)
        log("compared")
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toContain('compared');
  });

  it('rejects a parameter where increment needs a variable, at the invocation', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    p: int = 3
    do serial:
        increment(p)
`,
      FAST,
    );
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toContain(
      ":6:9: error: 'target_variable' is expected to be a variable reference but is int.",
    );
  });

  it('reports a failing action with the tree snapshot and exits 1', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test_fail:
    do serial:
        log("hello")
        step: serial:
            run_process("false")
`,
      FAST,
    );
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    const error = run.errors[0] as string;
    expect(error.startsWith('test_fail: execution failed. {-} test_fail [✕]\n')).toBe(true);
    expect(error).toContain('    {-} step [✕]\n');
    expect(error).toContain("--> run_process [✕] -- Execution of '['false']' failed with 1");
  });

  it('repeats a composition when repeat() is its first line', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        repeat(2)
        log("TestA")
        log("TestB")
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toEqual([
      "Executing scenario 'test'",
      'TestA',
      'TestB',
      'TestA',
      'TestB',
      "Scenario 'test' succeeded.",
    ]);
  });

  it('repeats nested subtrees', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        repeat(2)
        log("foo")
        serial:
            repeat(2)
            log("TestA")
            log("TestB")
        log("bar")
`,
      FAST,
    );
    expect(run.code).toBe(0);
    const once = ['foo', 'TestA', 'TestB', 'TestA', 'TestB', 'bar'];
    expect(run.info).toEqual(["Executing scenario 'test'", ...once, ...once, "Scenario 'test' succeeded."]);
  });

  it.each([
    ['inverter() as first line', "inverter()\n        run_process('false')", 0],
    ['inverter() over success', "inverter()\n        run_process('true')", 1],
    ['inverter() as second line', "run_process('false')\n        inverter()", 0],
    ['three inverters', "inverter()\n        inverter()\n        inverter()\n        run_process('false')", 0],
    ['inverter in with:', "run_process('false') with:\n            inverter()", 0],
    [
      'keep() and inverter in with:',
      'run_process() with:\n            keep(it.command == "false")\n            inverter()',
      0,
    ],
  ])('applies modifiers: %s', async (_name, body, code) => {
    const run = await runScenario(`import osc.helpers\n\nscenario test:\n    do serial:\n        ${body}\n`, FAST);
    expect(run.code).toBe(code);
  });

  it('fails when a timeout fires and succeeds when it does not', async () => {
    const scenario = (limit: string, wait: string) =>
      `import osc.helpers\n\nscenario test:\n    do serial:\n        timeout(${limit})\n        wait elapsed(${wait})\n        emit end\n`;
    const fired = await runScenario(scenario('0.1s', '5s'), FAST);
    expect(fired.code).toBe(1);
    expect(fired.errors[0]).toContain('-^- timeout [✕] -- timed out');
    const passed = await runScenario(scenario('5s', '0.05s'), FAST);
    expect(passed.code).toBe(0);
  });

  it('retries a failing subtree the given number of times', async () => {
    const scenario = (command: string) =>
      `import osc.helpers\n\nscenario test:\n    do serial:\n        retry(3)\n        log("RETRY")\n        run_process('${command}')\n`;
    const failing = await runScenario(scenario('false'), FAST);
    expect(failing.code).toBe(1);
    expect(count(failing.info, 'RETRY')).toBe(3);
    const passing = await runScenario(scenario('true'), FAST);
    expect(passing.code).toBe(0);
    expect(count(passing.info, 'RETRY')).toBe(1);
  });

  it('nests modifier lines in written order (first outermost)', async () => {
    // retry > timeout > inverter: each attempt is inverted, so all three fail.
    const retryOutside = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        retry(3)
        timeout(2s)
        inverter()
        log("RETRY")
        wait elapsed(0.02s)
        run_process('true')
`,
      FAST,
    );
    expect(retryOutside.code).toBe(1);
    expect(count(retryOutside.info, 'RETRY')).toBe(3);
    // timeout > retry > inverter: the timeout ends the retries early.
    const timeoutOutside = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        timeout(1.25s)
        retry(3)
        inverter()
        wait elapsed(0.5s)
        log("RETRY")
        run_process('true')
`,
      FAST,
    );
    expect(timeoutOutside.code).toBe(1);
    expect(count(timeoutOutside.info, 'RETRY')).toBe(2);
  });

  it('combines modifiers of a composition and of its invocations', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    do serial:
        repeat(2)
        log('RETRY') with:
            repeat(2)
        run_process('false') with:
            inverter()
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(count(run.info, 'RETRY')).toBe(4);
  });

  it('applies a scenario-level modifier to the whole scenario, wherever it is written', async () => {
    const inTime = await runScenario(
      'import osc.helpers\n\nscenario test:\n    timeout(2s)\n    do serial:\n        log("TEST")\n',
      FAST,
    );
    expect(inTime.code).toBe(0);
    const late = await runScenario(
      'import osc.helpers\n\nscenario test:\n    timeout(0.1s)\n    do serial:\n        log("TEST")\n        wait elapsed(5s)\n',
      FAST,
    );
    expect(late.code).toBe(1);
    // The wrapping decorator takes the scenario's name, as in the engine.
    expect(late.errors[0]).toMatch(/^test: execution failed\. -\^- test \[✕\] -- timed out\n {4}\{-\} test \[-\]/);
    const written = await runScenario(
      'import osc.helpers\n\nscenario test:\n    do serial:\n        log("TEST")\n        wait elapsed(5s)\n    timeout(0.1s)\n',
      FAST,
    );
    expect(written.code).toBe(1);
  });

  it.each([
    ['failure_is_running', 'run_process("false")', 'emit fail', 'emit end', 0],
    ['failure_is_success', 'run_process("false")', 'emit end', 'emit fail', 0],
    ['running_is_failure', 'run_process("sleep 10")', 'emit end', 'emit end', 1],
    ['running_is_success', 'run_process("sleep 10")', 'emit end', 'emit fail', 0],
    ['success_is_failure', 'run_process("true")', 'emit end', 'emit end', 1],
    ['success_is_running', 'run_process("true")', 'emit fail', 'emit end', 0],
  ])('maps statuses with %s', async (modifier, action, after, timerEvent, code) => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    do parallel:
        serial:
            ${action} with:
                ${modifier}()
            ${after}
        serial:
            wait elapsed(1s)
            ${timerEvent}
`,
      FAST,
    );
    expect(run.code).toBe(code);
  });

  it('rejects an unknown modifier at its location', async () => {
    const run = await runScenario(
      'import osc.helpers\n\nmodifier not_supported\n\nscenario test:\n    do serial:\n        not_supported()\n',
      FAST,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /test\.osc:7:9: error: Unknown modifier "not_supported"\. Available built-in modifiers: repeat, /,
    );
    expect(run.stderr).toContain('        not_supported()\n            ^');
  });
});

const TIME = 'type time is SI(s: 1)\nunit s of time is SI(s: 1, factor: 1)\n\n';

describe('compositions and events', () => {
  it('ends a parallel when one branch emits end', async () => {
    const run = await runScenario(
      `${TIME}scenario test:
    do serial:
        parallel:
            serial:
                wait elapsed(0.2s)
                emit end
            serial:
                wait elapsed(0.05s)
        wait elapsed(0.05s)
        emit fail
`,
      FAST,
    );
    expect(run.code).toBe(0);
  });

  it('finishes one_of with the first branch that succeeds', async () => {
    // Waiting for the other branch (120 s) would pass the test's timeout.
    const run = await runScenario(
      `${TIME}scenario test:\n    do serial:\n        one_of:\n            wait elapsed(120s)\n            wait elapsed(0.05s)\n        emit end\n`,
      FAST,
    );
    expect(run.code).toBe(0);
  });

  it('fails on emit fail and succeeds on emit end', async () => {
    expect((await runScenario('scenario test:\n    do serial:\n        emit fail\n', FAST)).code).toBe(1);
    expect((await runScenario('scenario test:\n    do serial:\n        emit end\n', FAST)).code).toBe(0);
  });

  it('waits for a declared event', async () => {
    const run = await runScenario(
      `${TIME}scenario test:
    event test
    do parallel:
        serial:
            wait elapsed(0.05s)
            emit test
            wait elapsed(10s)
            emit fail
        serial:
            wait @test
            emit end
`,
      FAST,
    );
    expect(run.code).toBe(0);
  });

  it('waits for a condition on a variable, read each tick', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    var counter: int = 0
    event ev
    do parallel:
        serial:
            wait counter > 2
            emit ev
        serial:
            repeat()
            increment(counter)
        serial:
            wait @ev
            log("got it")
            emit end
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toContain('got it');
  });
});

describe('variables and actions', () => {
  it('increments a variable that a condition waits for', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    timeout(5s)
    var my_var: int = 0
    do parallel:
        serial:
            increment(my_var)
            increment(my_var)
            wait my_var == 3
        serial:
            wait elapsed(0.1s)
            increment(my_var)
`,
      FAST,
    );
    expect(run.code).toBe(0);
  });

  it('increments and decrements variables of actors and of struct parameters', async () => {
    const run = await runScenario(
      `import osc.helpers

struct test_stru:
    var my_sub_var: int = 22

actor test_actor:
    var my_var: int = 0
    my_struct: test_stru

scenario test_scenario:
    timeout(3s)
    my_actor: test_actor
    do serial:
        increment(my_actor.my_var)
        increment(my_actor.my_struct.my_sub_var)
        decrement(my_actor.my_struct.my_sub_var)
        decrement(my_actor.my_struct.my_sub_var)
        wait my_actor.my_var == 1
        wait my_actor.my_struct.my_sub_var == 21
`,
      FAST,
    );
    expect(run.code).toBe(0);
  });

  it('fails an action that needs a variable but gets a parameter', async () => {
    const run = await runScenario(
      'import osc.helpers\n\nscenario test:\n    timeout(3s)\n    my_var: int = 0\n    do serial:\n        increment(my_var)\n',
      FAST,
    );
    expect(run.code).toBe(1);
    expect(run.errors[0]).toContain("'target_variable' is expected to be a variable reference");
  });

  it('times out waiting on an uninitialized variable', async () => {
    const run = await runScenario(
      'import osc.helpers\n\nscenario test:\n    timeout(0.1s)\n    var my_var: int\n    do serial:\n        wait my_var == 42\n',
      FAST,
    );
    expect(run.code).toBe(1);
  });

  it('evaluates action arguments when the invocation starts (variables read then)', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario test:
    var counter: int = 0
    var word: string = "start"
    do serial:
        log(word)
        increment(counter)
        increment(counter)
        log(counter)
        repeat(2)
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toEqual(["Executing scenario 'test'", 'start', '2', 'start', '4', "Scenario 'test' succeeded."]);
  });

  it('resolves variables initialized from other variables and struct members', async () => {
    const run = await runScenario(
      `import osc.helpers

struct inner_struct:
    mem1: string = "bar"

struct test_struct:
    param1: inner_struct

scenario test_scenario:
    test: test_struct
    var first: string = "eins"
    var second: string = first
    var third: string = test.param1.mem1
    do serial:
        log(second)
        log(third)
`,
      FAST,
    );
    expect(run.code).toBe(0);
    expect(run.info).toEqual([
      "Executing scenario 'test_scenario'",
      'eins',
      'bar',
      "Scenario 'test_scenario' succeeded.",
    ]);
  });

  it('compares values with compare()', async () => {
    const scenario = (op: string) =>
      `import osc.helpers\n\nscenario test:\n    do serial:\n        compare(left_value: "1", operator: "${op}", right_value: "1")\n`;
    expect((await runScenario(scenario('=='), FAST)).code).toBe(0);
    expect((await runScenario(scenario('!='), FAST)).code).toBe(1);
  });
});
