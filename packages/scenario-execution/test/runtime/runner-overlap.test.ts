/**
 * Asynchronous setups and shutdowns of different nodes overlap (remote actions
 * connect side by side); what the runner reports stays what setting up one by
 * one would report.
 */
import { describe, expect, it } from 'vitest';
import type { SetupContext } from '../../src/runtime/behaviour.js';
import { FakeClock } from '../../src/runtime/clock.js';
import { Sequence } from '../../src/runtime/composites.js';
import { Logger } from '../../src/runtime/logger.js';
import { TreeRunner } from '../../src/runtime/runner.js';
import type { Journal } from './helpers.js';
import { S, ScriptedLeaf } from './helpers.js';

/** A promise with its resolve/reject handed out. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A leaf whose setup and shutdown finish only when the test settles them. */
class SlowLeaf extends ScriptedLeaf {
  readonly setupDone = deferred();
  readonly shutdownDone = deferred();
  constructor(
    name: string,
    private readonly log: Journal,
  ) {
    super(name, [S], log);
  }
  override setup(_ctx: SetupContext): Promise<void> {
    this.log.push(`${this.name}.setup-start`);
    return this.setupDone.promise;
  }
  override shutdown(): Promise<void> {
    this.log.push(`${this.name}.shutdown-start`);
    return this.shutdownDone.promise;
  }
}

function makeRunner(root: Sequence, setupTimeout?: number) {
  const lines: string[] = [];
  const logger = new Logger('scenario_execution', { sink: (line) => lines.push(line) });
  const runner = new TreeRunner({ root, logger, clock: new FakeClock(), setupTimeout });
  return { runner, lines };
}

/** Let pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TreeRunner with asynchronous setups', () => {
  it('starts the next setup while an earlier one is still pending, in tree order', async () => {
    const j: Journal = [];
    const a = new SlowLeaf('a', j);
    const b = new SlowLeaf('b', j);
    const { runner } = makeRunner(new Sequence('test', [a, b]));
    const run = runner.run();
    await settle();
    expect(j).toEqual(['a.setup-start', 'b.setup-start']);
    b.setupDone.resolve();
    a.setupDone.resolve();
    await settle();
    // Both set up: the tree ticks; then both shutdowns start before either ends.
    expect(j).toContain('a.update=SUCCESS');
    expect(j.slice(-2)).toEqual(['a.shutdown-start', 'b.shutdown-start']);
    a.shutdownDone.resolve();
    b.shutdownDone.resolve();
    expect((await run).result).toBe(true);
  });

  it('reports the failure of the first node in tree order, not the first to fail', async () => {
    const j: Journal = [];
    const a = new SlowLeaf('a', j);
    const b = new SlowLeaf('b', j);
    const { runner } = makeRunner(new Sequence('test', [a, b]));
    const run = runner.run();
    await settle();
    b.setupDone.reject(new Error('b cannot connect'));
    await settle();
    a.setupDone.reject(new Error('a cannot connect'));
    a.shutdownDone.resolve();
    b.shutdownDone.resolve();
    const result = await run;
    expect(result).toMatchObject({ result: false, failureMessage: 'Setup failed', failureOutput: 'a cannot connect' });
    expect(runner.tickCount).toBe(0);
  });

  it('after a synchronous setup error, starts no further setup and still reports an earlier failure first', async () => {
    const j: Journal = [];
    class BadSetup extends ScriptedLeaf {
      override setup(_ctx: SetupContext): void {
        j.push(`${this.name}.setup`);
        throw new Error('no such device');
      }
    }
    const a = new SlowLeaf('a', j);
    const bad = new BadSetup('bad', [S], j);
    const later = new ScriptedLeaf('later', [S], j);
    const { runner } = makeRunner(new Sequence('test', [a, bad, later]));
    const run = runner.run();
    await settle();
    expect(j).toEqual(['a.setup-start', 'bad.setup']);
    a.setupDone.resolve();
    a.shutdownDone.resolve();
    const result = await run;
    expect(result).toMatchObject({ result: false, failureMessage: 'Setup failed', failureOutput: 'no such device' });
    expect(j).not.toContain('later.setup');
  });

  it('bounds overlapping setups by the setup timeout and names the first node not set up', async () => {
    const j: Journal = [];
    const a = new SlowLeaf('a', j);
    const b = new SlowLeaf('b', j);
    a.setupDone.resolve();
    a.shutdownDone.resolve();
    b.shutdownDone.resolve();
    const { runner } = makeRunner(new Sequence('test', [a, b]), 0.05);
    const result = await runner.run();
    expect(result.failureOutput).toBe('tree setup interrupted or timed out [b]');
  });

  it('logs a failed asynchronous shutdown and waits for the others', async () => {
    const j: Journal = [];
    const a = new SlowLeaf('a', j);
    const b = new SlowLeaf('b', j);
    a.setupDone.resolve();
    b.setupDone.resolve();
    const { runner, lines } = makeRunner(new Sequence('test', [a, b]));
    const run = runner.run();
    await settle();
    expect(j.slice(-2)).toEqual(['a.shutdown-start', 'b.shutdown-start']);
    a.shutdownDone.reject(new Error('device busy'));
    let finished = false;
    void run.then(() => {
      finished = true;
    });
    await settle();
    expect(finished).toBe(false);
    b.shutdownDone.resolve();
    expect((await run).result).toBe(true);
    expect(lines).toContain("\x1b[31m[scenario_execution] [ERROR] Error while shutting down 'a': device busy\x1b[0m");
  });
});
