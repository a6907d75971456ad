import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ActionBehaviour } from '../../src/actions/action-behaviour.js';
import type { ArgValue } from '../../src/actions/api.js';
import { type RunProcessAction, parseSignal, runProcessAction, signalName } from '../../src/actions/run-process.js';
import { Sequence } from '../../src/runtime/composites.js';
import { systemClock } from '../../src/runtime/clock.js';
import { TreeRunner } from '../../src/runtime/runner.js';
import { Status } from '../../src/runtime/status.js';
import { harness, setupContext } from './helpers.js';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Alive and not a zombie. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

/** Tick (awaiting async ticks) with short real pauses until the node finishes. */
async function runToEnd(node: ActionBehaviour, limit = 500): Promise<Status> {
  for (let i = 0; i < limit; i++) {
    const status = await node.tick();
    if (status !== Status.RUNNING) return status;
    await pause(10);
  }
  throw new Error('action did not finish');
}

function start(args: Record<string, ArgValue>) {
  const h = harness();
  const node = h.action('run_process', runProcessAction, args);
  node.setup(setupContext);
  return { h, node, action: node.action as RunProcessAction };
}

describe('run_process', () => {
  it('forgets finished processes whose group is empty when it starts the next one', async () => {
    const { node, action } = start({ command: 'true' });
    const tracked = () => (action as unknown as { spawned: unknown[] }).spawned.length;
    for (let run = 0; run < 5; run++) {
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      await node.stop(Status.INVALID);
    }
    // Only the last run is still listed: the earlier groups were found empty and dropped.
    expect(tracked()).toBe(1);
    await node.shutdown();
  });

  it('succeeds on exit code 0', async () => {
    const { node } = start({ command: 'true' });
    expect(await runToEnd(node)).toBe(Status.SUCCESS);
    expect(node.feedbackMessage).toBe("Successfully executed '['true']'");
    await node.shutdown();
  });

  it('fails on a non-zero exit code with the engine feedback', async () => {
    const { node } = start({ command: 'false' });
    expect(await runToEnd(node)).toBe(Status.FAILURE);
    expect(node.feedbackMessage).toBe("Execution of '['false']' failed with 1");
    await node.shutdown();
  });

  it('logs stdout lines at INFO and stderr lines at ERROR, stripped', async () => {
    const { node, h } = start({ command: ['sh', '-c', 'echo out1; echo err1 >&2; echo "  padded  "; exit 3'] });
    expect(await runToEnd(node)).toBe(Status.FAILURE);
    const messages = h.messages();
    expect(messages).toContain('INFO out1');
    expect(messages).toContain('ERROR err1');
    expect(messages).toContain('INFO padded');
    expect(h.lines).toContain('\x1b[31m[scenario_execution] [ERROR] err1\x1b[0m');
    expect(node.feedbackMessage).toContain('failed with 3');
    await node.shutdown();
  });

  it('splits the command on single spaces like the engine (no shell)', async () => {
    const { node, h } = start({ command: 'echo a  b' });
    expect(await runToEnd(node)).toBe(Status.SUCCESS);
    expect(node.feedbackMessage).toBe("Successfully executed '['echo', 'a', '', 'b']'");
    expect(h.messages()).toEqual(['INFO a  b']);
  });

  it('runs `sleep 2`-like commands to completion while RUNNING', async () => {
    const { node } = start({ command: 'sleep 0.2' });
    expect(await node.tick()).toBe(Status.RUNNING);
    expect(node.feedbackMessage).toBe("Executing '['sleep', '0.2']'");
    expect(await runToEnd(node)).toBe(Status.SUCCESS);
  });

  it('a missing program fails with the OS error text', async () => {
    const { node, h } = start({ command: 'definitely-not-a-command-xyz' });
    // Usually in the first tick; behind a supervisor slowed by a busy machine, in a later one.
    expect(await runToEnd(node)).toBe(Status.FAILURE);
    expect(h.messages()).toEqual(["ERROR [Errno 2] No such file or directory: 'definitely-not-a-command-xyz'"]);
  });

  it('wait_for_shutdown false: succeeds at once, keeps running, is stopped at shutdown', async () => {
    const { node, h, action } = start({ command: 'sleep 30', wait_for_shutdown: false });
    expect(await node.tick()).toBe(Status.SUCCESS);
    const pid = action.pid as number;
    expect(isAlive(pid)).toBe(true);
    await pause(30);
    expect(isAlive(pid)).toBe(true);
    await node.shutdown();
    expect(isAlive(pid)).toBe(false);
    expect(h.messages()).toEqual([
      'INFO Sending SIGTERM to process...',
      'INFO Waiting 10s for process to finish...',
      'INFO Process finished.',
    ]);
  });

  it('sends shutdown_signal, then SIGKILL after shutdown_timeout', async () => {
    const { node, h, action } = start({
      command: ['sh', '-c', 'trap "" INT; sleep 30'],
      wait_for_shutdown: false,
      shutdown_signal: ['sigint', 2],
      shutdown_timeout: 0.2,
    });
    expect(await node.tick()).toBe(Status.SUCCESS);
    const pid = action.pid as number;
    await pause(50); // let the shell install its trap
    const started = Date.now();
    await node.shutdown();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(isAlive(pid)).toBe(false);
    expect(h.messages()).toEqual([
      'INFO Sending SIGINT to process...',
      'INFO Waiting 0.2s for process to finish...',
      'INFO Sending SIGKILL to process...',
      'INFO Process finished.',
    ]);
  });

  it('an interrupted invocation (terminate INVALID) stops its process', async () => {
    const { node, action } = start({ command: 'sleep 30' });
    expect(await node.tick()).toBe(Status.RUNNING);
    const pid = action.pid as number;
    await node.stop(Status.INVALID);
    await waitFor(() => !isAlive(pid), 'the interrupted process to die');
    await node.shutdown();
  });

  it('kills orphans left in the process group at shutdown', async () => {
    const { node, h } = start({ command: ['sh', '-c', 'sleep 30 & echo $!'] });
    expect(await runToEnd(node)).toBe(Status.SUCCESS);
    const orphan = Number(h.messages()[0]?.replace('INFO ', ''));
    expect(Number.isInteger(orphan) && orphan > 0).toBe(true);
    expect(isAlive(orphan)).toBe(true);
    await node.shutdown();
    await waitFor(() => !isAlive(orphan), 'the orphan to die');
  });

  it('each run starts a new process; all of them are cleaned up', async () => {
    const { node, action } = start({ command: 'sleep 30', wait_for_shutdown: false });
    // A run ends once its process runs (the first update may see it still starting on a busy machine).
    const run = async () => {
      for (let i = 0; i < 100 && (await node.tick()) === Status.RUNNING; i++) await sleep(20);
      return action.pid as number;
    };
    const first = await run();
    const second = await run();
    expect(first).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    await node.shutdown();
    expect(isAlive(first)).toBe(false);
    expect(isAlive(second)).toBe(false);
  });

  it('no process outlives a scenario run by the TreeRunner', async () => {
    const h = harness();
    const background = h.action('run_process', runProcessAction, { command: 'sleep 30', wait_for_shutdown: false });
    const root = new Sequence('test_run_process', [
      background,
      h.action('run_process', runProcessAction, { command: 'true' }),
    ]);
    const runner = new TreeRunner({
      root,
      logger: h.logger,
      blackboard: h.blackboard,
      clock: systemClock,
      tickPeriod: 0.02,
    });
    const result = await runner.run();
    expect(result.result).toBe(true);
    const pid = (background.action as RunProcessAction).pid as number;
    expect(isAlive(pid)).toBe(false);
    expect(h.messages()).toContain('INFO Sending SIGTERM to process...');
  });

  it('parses signal arguments and names signals like Python', () => {
    expect(parseSignal(['sigint', 2])).toBe(2);
    expect(parseSignal('sigkill')).toBe(9);
    expect(parseSignal('SIGTERM')).toBe(15);
    expect(parseSignal(undefined)).toBe(15);
    expect(() => parseSignal('nope')).toThrow("invalid shutdown signal 'nope'");
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(1)).toBe('SIGHUP');
  });
});
