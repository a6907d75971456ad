/**
 * Nothing runs twice: a state change that arrives again for one action (a
 * client re-sending after a dropped connection, a duplicated message) gets
 * the first reply and is not run again; a new run after terminate still runs;
 * terminate and reset twice are harmless.
 */
import type { Reply } from '@scenario-execution/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionHost, type ActionRequest } from '../src/action-host.js';
import { ServerLog } from '../src/log.js';
import { ActionReaper } from '../src/reaper.js';
import { calls, testResolver } from './support/test-actions.js';

let lines: string[];
let host: ActionHost;

beforeEach(() => {
  lines = [];
  calls.length = 0;
  host = new ActionHost({ resolve: testResolver, log: new ServerLog('test', (line) => lines.push(line)) });
});

const send = (request: ActionRequest): Promise<Reply> => host.handle(request);

const init = (id: string, name = 'r'): ActionRequest => ({
  cmd: 'init',
  payload: { action_id: id, plugin_key: 'recorder', init_args: { name }, output_dir: null },
});
const setup = (id: string): ActionRequest => ({
  cmd: 'setup',
  payload: { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/scn' },
});
const execute = (id: string, ticks = 2): ActionRequest => ({
  cmd: 'execute',
  payload: { action_id: id, exec_args: { ticks } },
});
const update = (id: string): ActionRequest => ({ cmd: 'update', payload: { action_id: id } });
const terminate = (id: string, status = 'SUCCESS'): ActionRequest => ({
  cmd: 'terminate',
  payload: { action_id: id, new_status: status as 'SUCCESS' },
});
const reset = (id: string): ActionRequest => ({ cmd: 'reset', payload: { action_id: id } });

const repeatedLines = () => lines.filter((l) => l.includes('not run again'));

describe('a repeated request', () => {
  it('gets the first reply and runs once: init, setup and execute, each sent twice', async () => {
    for (const request of [init('a'), setup('a'), execute('a')]) {
      const first = await send(request);
      expect(await send(request)).toBe(first);
    }
    expect(calls).toEqual(['r.setup tick=0.1 dir=/scn out=-', 'r.execute {"ticks":2}']);
    expect(host.size).toBe(1);
    expect(repeatedLines()).toHaveLength(3);
    expect(repeatedLines()[2]).toMatch(
      / \[INFO\] test: Repeated 'execute' \(id=a\): answered with the first reply, not run again$/,
    );
  });

  it('arriving while the first is still running waits for it and shares its reply', async () => {
    await send(init('a'));
    await send(setup('a'));
    const [first, second] = await Promise.all([send(execute('a')), send(execute('a'))]);
    expect(second).toBe(first);
    expect(calls.filter((c) => c.includes('execute'))).toHaveLength(1);
  });

  it('with updates in between is still a repeat (updates change no state)', async () => {
    await send(init('a'));
    await send(setup('a'));
    await send(execute('a', 3));
    await send(update('a'));
    await send(execute('a', 3));
    expect(calls.filter((c) => c.includes('execute'))).toEqual(['r.execute {"ticks":3}']);
    // The run went on where it was: its second update, not a first one of a new run.
    expect(await send(update('a'))).toMatchObject({ action_status: 'running', feedback: 'update 2 of 3' });
  });

  it('longer than 1 KiB (remembered as a digest) is still a repeat, and one that differs runs', async () => {
    const long = (last: string): ActionRequest => ({
      cmd: 'execute',
      payload: { action_id: 'a', exec_args: { ticks: 1, note: `${'x'.repeat(2000)}${last}` } },
    });
    await send(init('a'));
    await send(setup('a'));
    const first = await send(long('1'));
    expect(await send(long('1'))).toBe(first);
    await send(long('2'));
    expect(calls.filter((c) => c.includes('execute'))).toHaveLength(2);
    expect(repeatedLines()).toHaveLength(1);
  });

  it('gets the first error reply again, without running again', async () => {
    host = new ActionHost({ resolve: testResolver, log: new ServerLog('test', (line) => lines.push(line)) });
    const failing: ActionRequest = {
      cmd: 'init',
      payload: { action_id: 'f', plugin_key: 'failing', init_args: { in: 'execute' }, output_dir: null },
    };
    await send(failing);
    await send(setup('f'));
    const request: ActionRequest = { cmd: 'execute', payload: { action_id: 'f', exec_args: {} } };
    const first = await send(request);
    expect(first).toEqual({ status: 'error', message: 'execute failed on purpose' });
    expect(await send(request)).toBe(first);
  });
});

describe('what is not a repeat', () => {
  it('a new execute after terminate runs (repeat(), retry())', async () => {
    await send(init('a'));
    await send(setup('a'));
    for (let run = 0; run < 3; run++) {
      await send(execute('a', 1));
      expect(await send(update('a'))).toMatchObject({ action_status: 'success' });
      await send(terminate('a'));
    }
    expect(calls.filter((c) => c.includes('execute'))).toHaveLength(3);
    expect(repeatedLines()).toHaveLength(0);
  });

  it('an execute with other arguments runs', async () => {
    await send(init('a'));
    await send(setup('a'));
    await send(execute('a', 1));
    await send(execute('a', 2));
    expect(calls.filter((c) => c.includes('execute'))).toEqual(['r.execute {"ticks":1}', 'r.execute {"ticks":2}']);
  });

  it('anything after a reset runs, even when it arrives before the reset has run', async () => {
    await send(init('a', 'first'));
    await send(setup('a'));
    // Sent at once: the reset is still queued behind nothing, the init right behind it.
    const [, again] = await Promise.all([send(reset('a')), send(init('a', 'first'))]);
    expect(again).toMatchObject({ status: 'ok' });
    expect(host.size).toBe(1);
    await send(setup('a'));
    expect(calls).toEqual([
      'first.setup tick=0.1 dir=/scn out=-',
      'first.shutdown',
      'first.setup tick=0.1 dir=/scn out=-',
    ]);
  });

  it('the same request about another action runs', async () => {
    await send(init('a'));
    await send(init('b'));
    await send(setup('a'));
    await send(setup('b'));
    expect(calls.filter((c) => c.includes('setup'))).toHaveLength(2);
  });

  it('a request that created nothing is not remembered (memory follows the live actions)', async () => {
    const unknown: ActionRequest = {
      cmd: 'init',
      payload: { action_id: 'x', plugin_key: 'nothing', init_args: {}, output_dir: null },
    };
    await send(unknown);
    for (let i = 0; i < 100; i++) await send(execute(`nobody-${i}`));
    expect((host as unknown as { repeats: { size: number } }).repeats.size).toBe(0);
    expect(await send(unknown)).toMatchObject({ status: 'error' });
    expect(repeatedLines()).toHaveLength(0);
  });
});

describe('terminate and reset twice', () => {
  it('are harmless: one terminate reaches the action, the second reset answers ok', async () => {
    await send(init('a'));
    await send(setup('a'));
    await send(execute('a'));
    const first = await send(terminate('a', 'INVALID'));
    expect(await send(terminate('a', 'INVALID'))).toBe(first);
    expect(await send(reset('a'))).toEqual({ status: 'ok' });
    expect(await send(reset('a'))).toEqual({ status: 'ok' });
    expect(calls.filter((c) => c.includes('terminate') || c.includes('shutdown'))).toEqual([
      'r.terminate INVALID',
      'r.shutdown',
    ]);
    expect(host.size).toBe(0);
  });

  it('a reaped action forgets its last request: the client that comes back creates it anew', async () => {
    let now = 0;
    const reaper = new ActionReaper({
      host,
      log: new ServerLog('test', (line) => lines.push(line)),
      timeoutMs: 1000,
      now: () => now,
    });
    reaper.heard('client');
    reaper.owns('client', 'a');
    await send(init('a'));
    await send(setup('a'));
    now = 5000;
    expect(reaper.sweep()).toEqual(['a']);
    await host.reap('a');
    expect(host.size).toBe(0);
    expect(await send(init('a'))).toMatchObject({ status: 'ok' });
    expect(host.size).toBe(1);
    expect(repeatedLines()).toHaveLength(0);
  });
});
