/** What the run report is made of: node runs at tick resolution, final statuses, parsed log lines. */
import { describe, expect, it } from 'vitest';
import { allNodes, RunRecorder } from '../../src/cli/report/run-record.js';
import type { Behaviour } from '../../src/runtime/behaviour.js';
import { Parallel, ParallelPolicy, Sequence } from '../../src/runtime/composites.js';
import { F, R, S, ScriptedLeaf } from '../runtime/helpers.js';

/** Drive `root` as the runner does, with the recorder watching; `now` is in ms. */
function drive(root: Behaviour, recorder: RunRecorder, ticks: number, clock: { now: number }): void {
  recorder.begin(root);
  for (let serial = 1; serial <= ticks; serial++) {
    clock.now += 100;
    recorder.tickStarted();
    root.tickSerial = serial;
    root.tick();
    clock.now += 10;
    recorder.tickEnded(serial);
  }
  clock.now += 5;
  recorder.end();
}

function outcome(recorder: RunRecorder) {
  return recorder.result({
    scenario: 'x',
    file: 'x.osc',
    startTime: new Date(0),
    duration: 1,
    success: false,
    failureMessage: 'execution failed.',
    failureOutput: '',
  });
}

describe('RunRecorder', () => {
  it('records when each node started and ended, in ticks, and its final status', () => {
    const clock = { now: 1000 };
    const recorder = new RunRecorder(() => clock.now);
    const root = new Sequence('root', [
      new ScriptedLeaf('slow', [R, R, S]),
      new ScriptedLeaf('fails', [F]),
      new ScriptedLeaf('never', [S]),
    ]);
    drive(root, recorder, 3, clock);
    const record = outcome(recorder);
    const nodes = [...allNodes(record.root as NonNullable<typeof record.root>)];
    const summary = nodes.map((n) => [n.name, n.kind, n.finalStatus, n.runs.map((r) => [r.start, r.end])]);
    expect(summary).toEqual([
      ['root', 'sequence', 'failure', [[0.1, 0.33]]],
      // Started with tick 1 (0.1 s), finished in tick 3 (ends 0.33 s).
      ['slow', 'action', 'success', [[0.1, 0.33]]],
      // First ticked in tick 3 (starts 0.32 s), right after `slow` finished.
      ['fails', 'action', 'failure', [[0.32, 0.33]]],
      ['never', 'action', 'not run', []],
    ]);
    expect(record.ticks).toBe(3);
  });

  it('a node stopped by its parent is interrupted; one still running at the end stays running', () => {
    const clock = { now: 0 };
    const recorder = new RunRecorder(() => clock.now);
    const root = new Sequence('root', [
      new Parallel(
        'one',
        [new ScriptedLeaf('quick', [R, S]), new ScriptedLeaf('slow', [R])],
        ParallelPolicy.successOnOne(),
      ),
      new ScriptedLeaf('last', [R]),
    ]);
    drive(root, recorder, 3, clock);
    const record = outcome(recorder);
    const byName = Object.fromEntries(
      [...allNodes(record.root as NonNullable<typeof record.root>)].map((n) => [
        n.name,
        [n.finalStatus, n.runs.at(-1)?.end],
      ]),
    );
    expect(byName).toEqual({
      root: ['running', 0.335],
      one: ['success', 0.22],
      quick: ['success', 0.22],
      slow: ['interrupted', 0.22],
      last: ['running', 0.335],
    });
  });

  it('parses log lines: level, logger, the endpoint of remote lines; colour codes dropped; prints ignored', () => {
    const clock = { now: 500 };
    const recorder = new RunRecorder(() => clock.now);
    recorder.log('[scenario_execution] [INFO] loading');
    clock.now = 700;
    recorder.begin(new ScriptedLeaf('a', [S]));
    clock.now = 950;
    recorder.log('\x1b[31m[scenario_execution] [ERROR] [ipc:///tmp/se.sock] it broke\nsecond line\x1b[0m');
    recorder.log('{-} a [*]');
    recorder.log('[scenario_execution] [INFO] [not an endpoint] text');
    const record = outcome(recorder);
    expect(record.logs).toEqual([
      { time: -0.2, level: 'INFO', logger: 'scenario_execution', endpoint: undefined, message: 'loading' },
      {
        time: 0.25,
        level: 'ERROR',
        logger: 'scenario_execution',
        endpoint: 'ipc:///tmp/se.sock',
        message: 'it broke\nsecond line',
      },
      {
        time: 0.25,
        level: 'INFO',
        logger: 'scenario_execution',
        endpoint: undefined,
        message: '[not an endpoint] text',
      },
    ]);
  });
});
