import { describe, expect, it } from 'vitest';
import { Behaviour } from '../../src/runtime/behaviour.js';
import type { SetupContext } from '../../src/runtime/behaviour.js';
import { Blackboard, scenarioEventKey } from '../../src/runtime/blackboard.js';
import { FakeClock, systemClock } from '../../src/runtime/clock.js';
import { Parallel, Sequence } from '../../src/runtime/composites.js';
import { Timeout } from '../../src/runtime/decorators.js';
import { EmitEvent, WaitElapsed } from '../../src/runtime/leaves.js';
import { Logger } from '../../src/runtime/logger.js';
import { TreeRunner } from '../../src/runtime/runner.js';
import type { TreeRunnerOptions } from '../../src/runtime/runner.js';
import { Status } from '../../src/runtime/status.js';
import { R, S, ScriptedLeaf } from './helpers.js';
import type { Journal } from './helpers.js';

/** A fake clock that remembers the times ticks started and how long it was asked to sleep. */
class RecordingClock extends FakeClock {
  sleeps: number[] = [];
  override sleep(seconds: number): Promise<void> {
    this.sleeps.push(seconds);
    return super.sleep(seconds);
  }
}

/** A leaf that takes `cost` seconds of (fake) time per update and records when it ran. */
class CostlyLeaf extends Behaviour {
  starts: number[] = [];
  constructor(
    name: string,
    private readonly clock: FakeClock,
    private readonly cost: number,
    private readonly runs: number,
  ) {
    super(name);
  }
  override update(): Status {
    this.starts.push(this.clock.now());
    this.clock.advance(this.cost);
    return this.starts.length >= this.runs ? Status.SUCCESS : Status.RUNNING;
  }
}

function makeRunner(root: Behaviour, extra: Partial<TreeRunnerOptions> = {}) {
  const lines: string[] = [];
  const logger = new Logger('scenario_execution', { sink: (line) => lines.push(line) });
  const clock = extra.clock ?? new FakeClock();
  const runner = new TreeRunner({ root, logger, clock, ...extra });
  return { runner, lines, clock };
}

describe('TreeRunner', () => {
  it('logs the start and success of a scenario whose root succeeds', async () => {
    const { runner, lines } = makeRunner(new Sequence('test', [new ScriptedLeaf('a', [S])]));
    const result = await runner.run();
    expect(result.result).toBe(true);
    expect(result.name).toBe('test');
    expect(lines).toEqual([
      "[scenario_execution] [INFO] Executing scenario 'test'",
      "[scenario_execution] [INFO] Scenario 'test' succeeded.",
    ]);
    expect(runner.tickCount).toBe(1);
  });

  it('paces ticks to the period without drift (tick k starts at k·period)', async () => {
    const clock = new RecordingClock();
    const leaf = new CostlyLeaf('work', clock, 0.03, 10);
    const { runner } = makeRunner(new Sequence('pace', [leaf]), { clock, tickPeriod: 0.1 });
    await runner.run();
    expect(runner.tickCount).toBe(10);
    leaf.starts.forEach((t, k) => {
      expect(t).toBeCloseTo(k * 0.1, 9);
    });
    expect(clock.sleeps).toHaveLength(9);
    for (const s of clock.sleeps) expect(s).toBeCloseTo(0.07, 9);
  });

  it('counts ticks of `wait elapsed(1s)` at 0.1 s steps', async () => {
    const clock = new FakeClock();
    const root = new Sequence('wait', [new WaitElapsed('wait 1s', 1)]);
    const { runner } = makeRunner(root, { clock, tickPeriod: 0.1 });
    const result = await runner.run();
    expect(result.result).toBe(true);
    // the timer fires on the first tick strictly after 1 s: tick 11 (t = 1.1)
    expect(runner.tickCount).toBeGreaterThanOrEqual(11);
    expect(runner.tickCount).toBeLessThanOrEqual(12);
  });

  it('warns about a tick that overran the period, with the engine text, and does not sleep after it', async () => {
    const clock = new RecordingClock();
    const leaf = new CostlyLeaf('slow', clock, 0.25, 2);
    const { runner, lines } = makeRunner(new Sequence('slow', [leaf]), { clock, tickPeriod: 0.1 });
    await runner.run();
    const warning = '\x1b[33m[scenario_execution] [WARN] Tick too long: 0.25 > 0.1\x1b[0m';
    // the warning of the last tick comes after the result line, as in the engine
    expect(lines).toEqual([
      "[scenario_execution] [INFO] Executing scenario 'slow'",
      warning,
      "[scenario_execution] [INFO] Scenario 'slow' succeeded.",
      warning,
    ]);
    expect(clock.sleeps).toEqual([]);
    expect(leaf.starts[1]).toBeCloseTo(0.25, 9);
  });

  it('ends with success when `end` is emitted, interrupting running branches and shutting every node down', async () => {
    const j: Journal = [];
    const bb = new Blackboard();
    const running = new ScriptedLeaf('forever', [R], j);
    const root = new Parallel('test', [
      running,
      new Sequence('s', [
        new ScriptedLeaf('step', [S], j),
        new EmitEvent('emit end', bb, scenarioEventKey('test', 'end')),
      ]),
    ]);
    const { runner } = makeRunner(root, { blackboard: bb });
    const result = await runner.run();
    expect(result.result).toBe(true);
    expect(running.status).toBe(Status.INVALID);
    expect(j).toEqual([
      'forever.setup',
      'step.setup',
      'forever.initialise',
      'forever.update=RUNNING',
      'step.initialise',
      'step.update=SUCCESS',
      'step.terminate(SUCCESS)',
      // root.stop(INVALID) as py_trees does it: running children first, then every non-INVALID node
      'forever.terminate(INVALID)',
      'step.terminate(INVALID)',
      'forever.shutdown',
      'step.shutdown',
    ]);
  });

  it('with stopRunningOnEnd false, running nodes are only shut down (as the Python engine)', async () => {
    const j: Journal = [];
    const bb = new Blackboard();
    const root = new Parallel('test', [
      new ScriptedLeaf('forever', [R], j),
      new EmitEvent('emit end', bb, '/test/end'),
    ]);
    const { runner } = makeRunner(root, { blackboard: bb, stopRunningOnEnd: false });
    expect((await runner.run()).result).toBe(true);
    expect(j).toEqual(['forever.setup', 'forever.initialise', 'forever.update=RUNNING', 'forever.shutdown']);
  });

  it('fails when `fail` is emitted, even if the root succeeds in the same tick', async () => {
    const bb = new Blackboard();
    const root = new Sequence('test', [new EmitEvent('emit fail', bb, '/test/fail')]);
    const { runner, lines } = makeRunner(root, { blackboard: bb });
    const result = await runner.run();
    expect(result.result).toBe(false);
    expect(result.failureMessage).toBe('execution failed.');
    expect(result.failureOutput).toBe('{-} test [✓]\n    --> emit fail [✓]\n');
    expect(lines.at(-1)).toBe(
      '\x1b[31m[scenario_execution] [ERROR] test: execution failed. {-} test [✓]\n    --> emit fail [✓]\n\x1b[0m',
    );
  });

  it('a timeout around the scenario fails it (port of test_modifier_in_scenario_fails)', async () => {
    const root = new Timeout(
      'test',
      new Sequence('serial', [new ScriptedLeaf('log', [S]), new WaitElapsed('wait 3s', 3)]),
      2,
    );
    const { runner } = makeRunner(root, { tickPeriod: 0.1 });
    const result = await runner.run();
    expect(result.result).toBe(false);
    expect(runner.tickCount).toBeGreaterThanOrEqual(21);
    expect(runner.tickCount).toBeLessThanOrEqual(22);
    expect(result.failureOutput).toContain('-^- test [✕] -- timed out');
  });

  it('reports a setup error as "Setup failed", never ticks, and still shuts down', async () => {
    const j: Journal = [];
    class BadSetup extends ScriptedLeaf {
      override setup(_ctx: SetupContext): void {
        throw new Error('no such device');
      }
    }
    const other = new ScriptedLeaf('other', [S], j);
    const root = new Sequence('test', [other, new BadSetup('bad', [S], j)]);
    const { runner, lines } = makeRunner(root);
    const result = await runner.run();
    expect(result).toMatchObject({ result: false, failureMessage: 'Setup failed', failureOutput: 'no such device' });
    expect(runner.tickCount).toBe(0);
    expect(j).toEqual(['other.setup', 'other.shutdown', 'bad.shutdown']);
    expect(lines.at(-1)).toBe('\x1b[31m[scenario_execution] [ERROR] test: Setup failed no such device\x1b[0m');
  });

  it('bounds an asynchronous setup by the setup timeout', async () => {
    class Hanging extends ScriptedLeaf {
      override setup(_ctx: SetupContext): Promise<void> {
        return new Promise<void>(() => {});
      }
    }
    const { runner } = makeRunner(new Sequence('test', [new Hanging('hang', [S])]), { setupTimeout: 0.05 });
    const result = await runner.run();
    expect(result.failureMessage).toBe('Setup failed');
    expect(result.failureOutput).toBe('tree setup interrupted or timed out [hang]');
  });

  it('passes the run facts to setup', async () => {
    let seen: SetupContext | undefined;
    class Probe extends ScriptedLeaf {
      override setup(ctx: SetupContext): void {
        seen = ctx;
      }
    }
    const clock = new FakeClock();
    const { runner } = makeRunner(new Sequence('t', [new Probe('p', [S])]), {
      clock,
      tickPeriod: 0.5,
      scenarioFileDirectory: '/scenarios',
      outputDir: '/out',
    });
    await runner.run();
    expect(seen).toEqual({ tickPeriod: 0.5, scenarioFileDirectory: '/scenarios', outputDir: '/out', clock });
  });

  it('abort: fails with "Aborted", interrupts running nodes and shuts down', async () => {
    const j: Journal = [];
    const root = new Sequence('test', [new ScriptedLeaf('forever', [R], j)]);
    const { runner } = makeRunner(root, {
      onTick: (count) => {
        if (count === 3) runner.abort();
      },
    });
    const result = await runner.run();
    expect(result.result).toBe(false);
    expect(result.failureMessage).toBe('Aborted');
    expect(result.failureOutput).toContain('--> forever [*]');
    expect(runner.tickCount).toBe(3);
    expect(j.slice(-2)).toEqual(['forever.terminate(INVALID)', 'forever.shutdown']);
  });

  it('abort during a slow setup ends the scenario as "Aborted" without ticking', async () => {
    const j: Journal = [];
    class SlowSetup extends ScriptedLeaf {
      override setup(_ctx: SetupContext): Promise<void> {
        return new Promise<void>(() => {});
      }
    }
    const root = new Sequence('test', [new SlowSetup('slow', [S], j)]);
    const { runner } = makeRunner(root);
    setTimeout(() => runner.abort(), 10);
    const result = await runner.run();
    expect(result).toMatchObject({ result: false, failureMessage: 'Aborted', failureOutput: '' });
    expect(runner.tickCount).toBe(0);
    expect(j).toEqual(['slow.shutdown']);
  });

  it('abort wakes a runner sleeping between ticks on the real clock', async () => {
    const root = new Sequence('test', [new ScriptedLeaf('forever', [R])]);
    // Not woken, it would sleep a minute, past the test's timeout.
    const { runner } = makeRunner(root, { clock: systemClock, tickPeriod: 60 });
    setTimeout(() => runner.abort('Aborted'), 20);
    const result = await runner.run();
    expect(result.failureMessage).toBe('Aborted');
  });

  it('an error thrown while ticking fails the scenario with its message', async () => {
    class Broken extends ScriptedLeaf {
      override update(): Status {
        throw new Error('log(): Empty message.');
      }
    }
    const { runner } = makeRunner(new Sequence('test', [new Broken('log', [S])]));
    const result = await runner.run();
    expect(result.result).toBe(false);
    expect(result.failureOutput.split('\n')[0]).toBe('log(): Empty message.');
  });

  it('errors during shutdown are logged and do not stop the other shutdowns', async () => {
    const j: Journal = [];
    class BadShutdown extends ScriptedLeaf {
      override shutdown(): void {
        throw new Error('device busy');
      }
    }
    const root = new Sequence('test', [new BadShutdown('bad', [S]), new ScriptedLeaf('good', [S], j)]);
    const { runner, lines } = makeRunner(root);
    const result = await runner.run();
    expect(result.result).toBe(true);
    expect(lines).toContain("\x1b[31m[scenario_execution] [ERROR] Error while shutting down 'bad': device busy\x1b[0m");
    expect(j).toContain('good.shutdown');
  });

  it('live tree prints the snapshot and the blackboard after each tick', async () => {
    const bb = new Blackboard();
    const { runner, lines } = makeRunner(new Sequence('live', [new ScriptedLeaf('a', [R, S])]), {
      liveTree: true,
      blackboard: bb,
    });
    await runner.run();
    expect(lines[1]).toBe('\n{-} live [*]\n    --> a [*]\n');
    expect(lines[2]).toBe(
      "Blackboard Data\n  Filter: '{'/live/end', '/live/fail'}'\n    /live/end : False\n    /live/fail: False\n",
    );
    expect(lines[3]).toBe('\n{-} live [✓]\n    --> a [✓]\n');
  });

  it('refuses to run twice', async () => {
    const { runner } = makeRunner(new Sequence('t', [new ScriptedLeaf('a', [S])]));
    await runner.run();
    await expect(runner.run()).rejects.toThrow('called twice');
  });
});
