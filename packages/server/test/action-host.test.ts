import type { Reply } from '@scenario-execution/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionHost, type ActionRequest, CapturingLogger } from '../src/action-host.js';
import { ServerLog } from '../src/log.js';
import { calls, testResolver } from './support/test-actions.js';

let lines: string[];
let host: ActionHost;

function newHost(options: { maxBufferedLogLines?: number; maxActions?: number; verbose?: boolean } = {}): ActionHost {
  const log = new ServerLog('test', (line) => lines.push(line), options.verbose ? 'debug' : 'info');
  return new ActionHost({ resolve: testResolver, log, ...options });
}

beforeEach(() => {
  lines = [];
  calls.length = 0;
  host = newHost();
});

function send(request: ActionRequest): Promise<Reply> {
  return host.handle(request);
}

async function initAndSetup(id: string, pluginKey: string, initArgs: Record<string, unknown> = {}): Promise<void> {
  expect(
    await send({
      cmd: 'init',
      payload: { action_id: id, plugin_key: pluginKey, init_args: initArgs as never, output_dir: null },
    }),
  ).toMatchObject({ status: 'ok' });
  expect(
    await send({
      cmd: 'setup',
      payload: { action_id: id, tick_period: 0.25, output_dir: '/out', scenario_file_directory: '/scn' },
    }),
  ).toMatchObject({ status: 'ok' });
}

describe('lifecycle', () => {
  it('drives create → setup → execute → update → terminate → reset, with statuses in lower case', async () => {
    await initAndSetup('id-1', 'recorder', { name: 'r' });
    expect(await send({ cmd: 'execute', payload: { action_id: 'id-1', exec_args: { ticks: 2 } } })).toMatchObject({
      status: 'ok',
    });
    expect(await send({ cmd: 'update', payload: { action_id: 'id-1' } })).toMatchObject({
      status: 'ok',
      action_status: 'running',
    });
    expect(await send({ cmd: 'update', payload: { action_id: 'id-1' } })).toMatchObject({
      status: 'ok',
      action_status: 'success',
    });
    expect(await send({ cmd: 'terminate', payload: { action_id: 'id-1', new_status: 'SUCCESS' } })).toMatchObject({
      status: 'ok',
    });
    expect(await send({ cmd: 'reset', payload: { action_id: 'id-1' } })).toEqual({ status: 'ok' });
    expect(calls).toEqual([
      'r.setup tick=0.25 dir=/scn out=/out',
      'r.execute {"ticks":2}',
      'r.update',
      'r.update',
      'r.terminate SUCCESS',
      'r.shutdown',
    ]);
    expect(host.size).toBe(0);
    expect(lines.some((l) => l.includes("Initialized 'recorder' (id=id-1)"))).toBe(true);
    expect(lines.some((l) => l.includes('Setup (id=id-1)'))).toBe(true);
    expect(lines.some((l) => l.includes('Reset (id=id-1)'))).toBe(true);
  });

  it('uses 0.1 s when the client sends no tick period, like the Python server', async () => {
    await send({
      cmd: 'init',
      payload: { action_id: 'x', plugin_key: 'recorder', init_args: { name: 'recorder' }, output_dir: null },
    });
    await send({
      cmd: 'setup',
      payload: { action_id: 'x', tick_period: null, output_dir: null, scenario_file_directory: '' },
    });
    expect(calls[0]).toBe('recorder.setup tick=0.1 dir= out=-');
  });

  it('returns the lines an action logged since the last reply, and its feedback', async () => {
    host = newHost({ verbose: true });
    await send({
      cmd: 'init',
      payload: { action_id: 'l', plugin_key: 'recorder', init_args: { name: 'n' }, output_dir: null },
    });
    expect(
      await send({
        cmd: 'setup',
        payload: { action_id: 'l', tick_period: 0.1, output_dir: null, scenario_file_directory: '' },
      }),
    ).toEqual({
      status: 'ok',
      log: [{ level: 'info', msg: 'setup n' }],
    });
    await send({ cmd: 'execute', payload: { action_id: 'l', exec_args: {} } });
    expect(await send({ cmd: 'update', payload: { action_id: 'l' } })).toEqual({
      status: 'ok',
      action_status: 'success',
      log: [{ level: 'debug', msg: 'update 1' }],
      feedback: 'update 1 of 1',
    });
    expect(await send({ cmd: 'terminate', payload: { action_id: 'l', new_status: 'SUCCESS' } })).toEqual({
      status: 'ok',
      feedback: 'update 1 of 1',
    });
    expect(lines.some((l) => / \[DEBUG\] action\.l: update 1$/.test(l))).toBe(true);
  });

  it('keeps only the newest log lines when nobody collects them', async () => {
    host = newHost({ maxBufferedLogLines: 3 });
    await initAndSetup('c', 'chatty');
    const reply = await send({ cmd: 'execute', payload: { action_id: 'c', exec_args: { count: 10 } } });
    expect(reply.log).toEqual([
      { level: 'warn', msg: '(7 earlier log lines dropped)' },
      { level: 'info', msg: 'line 7' },
      { level: 'info', msg: 'line 8' },
      { level: 'info', msg: 'line 9' },
    ]);
  });

  it('keeps order and cap over many rounds of a full buffer', () => {
    const logger = new CapturingLogger(new ServerLog('test', () => {}, 'info'), 4);
    for (let i = 0; i < 1000; i++) logger.info(`a${i}`);
    expect(logger.drain()).toEqual([
      { level: 'warn', msg: '(996 earlier log lines dropped)' },
      ...[996, 997, 998, 999].map((i) => ({ level: 'info', msg: `a${i}` })),
    ]);
    // Fewer than the cap after a drain: all kept, no note.
    logger.warn('b0');
    logger.error('b1');
    expect(logger.drain()).toEqual([
      { level: 'warn', msg: 'b0' },
      { level: 'error', msg: 'b1' },
    ]);
    for (let i = 0; i < 7; i++) logger.debug(`c${i}`);
    expect(logger.drain().map((l) => l.msg)).toEqual(['(3 earlier log lines dropped)', 'c3', 'c4', 'c5', 'c6']);
    expect(logger.drain()).toEqual([]);
  });

  it('interrupts a running action on reset, and only then', async () => {
    await initAndSetup('a', 'recorder', { name: 'a' });
    await send({ cmd: 'execute', payload: { action_id: 'a', exec_args: { ticks: 3 } } });
    await send({ cmd: 'update', payload: { action_id: 'a' } });
    await send({ cmd: 'reset', payload: {} });
    expect(calls.slice(-2)).toEqual(['a.terminate INVALID', 'a.shutdown']);
    expect(lines.some((l) => l.includes('All actions reset.'))).toBe(true);
  });

  it('ignores a second terminate and a reset of an unknown action', async () => {
    await initAndSetup('t', 'recorder', { name: 't' });
    await send({ cmd: 'execute', payload: { action_id: 't', exec_args: {} } });
    await send({ cmd: 'terminate', payload: { action_id: 't', new_status: 'FAILURE' } });
    expect(await send({ cmd: 'terminate', payload: { action_id: 't', new_status: 'INVALID' } })).toMatchObject({
      status: 'ok',
    });
    expect(calls.filter((c) => c.includes('terminate'))).toEqual(['t.terminate FAILURE']);
    expect(await send({ cmd: 'reset', payload: { action_id: 'nobody' } })).toEqual({ status: 'ok' });
  });

  it('shuts the old action down when an action_id is initialised again', async () => {
    await initAndSetup('dup', 'recorder', { name: 'old' });
    await send({
      cmd: 'init',
      payload: { action_id: 'dup', plugin_key: 'recorder', init_args: { name: 'new' }, output_dir: null },
    });
    expect(calls).toContain('old.shutdown');
    expect(host.size).toBe(1);
    expect(lines.some((l) => l.includes('[WARNING]') && l.includes('initialised again'))).toBe(true);
  });
});

describe('variables', () => {
  it('gives each action its own store', async () => {
    await initAndSetup('v1', 'counter');
    await initAndSetup('v2', 'counter');
    for (const id of ['v1', 'v2']) await send({ cmd: 'execute', payload: { action_id: id, exec_args: {} } });
    const update = async (id: string) => (await send({ cmd: 'update', payload: { action_id: id } })).feedback;
    expect(await update('v1')).toBe('counter=1');
    expect(await update('v1')).toBe('counter=2');
    // v1's updates did not touch v2's counter.
    expect(await update('v2')).toBe('counter=1');
    expect(await update('v1')).toBe('counter=3');
  });
});

describe('errors become replies', () => {
  it("reports an unknown action_id with the Python server's message", async () => {
    expect(await send({ cmd: 'update', payload: { action_id: 'nope' } })).toEqual({
      status: 'error',
      message: "'Unknown action_id: nope'",
    });
  });

  it('reports an unknown plugin key', async () => {
    expect(
      await send({ cmd: 'init', payload: { action_id: 'a', plugin_key: 'nothing', init_args: {}, output_dir: null } }),
    ).toEqual({
      status: 'error',
      message: "No action plugin found for key 'nothing'",
    });
    expect(host.size).toBe(0);
  });

  it.each(['create', 'setup', 'execute', 'update'])('reports an exception thrown in %s', async (step) => {
    const init = await send({
      cmd: 'init',
      payload: { action_id: 'f', plugin_key: 'failing', init_args: { in: step }, output_dir: null },
    });
    if (step === 'create') {
      expect(init).toEqual({ status: 'error', message: 'create failed on purpose' });
      return;
    }
    await send({
      cmd: 'setup',
      payload: { action_id: 'f', tick_period: 0.1, output_dir: null, scenario_file_directory: '' },
    }).then((reply) => {
      if (step === 'setup') expect(reply).toEqual({ status: 'error', message: 'setup failed on purpose' });
    });
    const execute = await send({ cmd: 'execute', payload: { action_id: 'f', exec_args: {} } });
    if (step === 'execute') expect(execute).toEqual({ status: 'error', message: 'execute failed on purpose' });
    const update = await send({ cmd: 'update', payload: { action_id: 'f' } });
    if (step === 'update') expect(update).toEqual({ status: 'error', message: 'update failed on purpose' });
    else expect(update).toEqual({ status: 'ok', action_status: 'running' });
  });

  it('reports an update() that returns no status', async () => {
    await initAndSetup('b', 'failing', { in: 'bad-status' });
    expect(await send({ cmd: 'update', payload: { action_id: 'b' } })).toEqual({
      status: 'error',
      message: "Action 'failing' update() returned sideways, not a status",
    });
  });

  it('logs and survives exceptions in terminate and shutdown during reset', async () => {
    for (const step of ['terminate', 'shutdown']) {
      await initAndSetup(step, 'failing', { in: step });
      await send({ cmd: 'execute', payload: { action_id: step, exec_args: {} } });
      expect(await send({ cmd: 'reset', payload: { action_id: step } })).toEqual({ status: 'ok' });
      expect(
        lines.some(
          (l) =>
            l.includes('[WARNING]') &&
            l.includes(`Error during reset of action ${step.slice(0, 8)}: ${step} failed on purpose`),
        ),
      ).toBe(true);
    }
    expect(host.size).toBe(0);
  });

  it('refuses more actions than the limit', async () => {
    host = newHost({ maxActions: 2 });
    for (const id of ['1', '2'])
      await send({ cmd: 'init', payload: { action_id: id, plugin_key: 'recorder', init_args: {}, output_dir: null } });
    expect(
      await send({ cmd: 'init', payload: { action_id: '3', plugin_key: 'recorder', init_args: {}, output_dir: null } }),
    ).toMatchObject({
      status: 'error',
      message: expect.stringContaining('Too many actions (limit 2)'),
    });
  });

  it('reports a plugin resolver failure (broken plugin) as an error reply', async () => {
    host = new ActionHost({
      resolve: async () => {
        throw new Error("action 'x' of plugin 'p': the module failed to load");
      },
      log: new ServerLog('test', (line) => lines.push(line)),
    });
    expect(
      await send({ cmd: 'init', payload: { action_id: 'x', plugin_key: 'x', init_args: {}, output_dir: null } }),
    ).toEqual({
      status: 'error',
      message: "action 'x' of plugin 'p': the module failed to load",
    });
  });
});

describe('ordering', () => {
  it('runs calls about one action in order even when sent at once', async () => {
    await send({
      cmd: 'init',
      payload: { action_id: 's', plugin_key: 'slow', init_args: { ms: 100 }, output_dir: null },
    });
    const order: string[] = [];
    const setup = send({
      cmd: 'setup',
      payload: { action_id: 's', tick_period: 0.1, output_dir: null, scenario_file_directory: '' },
    }).then(() => order.push('setup'));
    const execute = send({ cmd: 'execute', payload: { action_id: 's', exec_args: {} } }).then(() =>
      order.push('execute'),
    );
    const update = send({ cmd: 'update', payload: { action_id: 's' } }).then(() => order.push('update'));
    // A call about another action does not wait behind this one's queue.
    const other = send({ cmd: 'update', payload: { action_id: 'another' } }).then(() => order.push('another'));
    await Promise.all([setup, execute, update, other]);
    expect(order).toEqual(['another', 'setup', 'execute', 'update']);
  });

  it('resetAll does not wait forever for a hanging call when given a bound', async () => {
    await send({
      cmd: 'init',
      payload: { action_id: 'h', plugin_key: 'slow', init_args: { ms: 5000 }, output_dir: null },
    });
    let setupAnswered = false;
    void send({
      cmd: 'setup',
      payload: { action_id: 'h', tick_period: 0.1, output_dir: null, scenario_file_directory: '' },
    }).then(() => {
      setupAnswered = true;
    });
    await host.resetAll({ queueWaitMs: 100 });
    // Done before the hanging call (5 s) was.
    expect(setupAnswered).toBe(false);
    expect(host.size).toBe(0);
  });
});

describe('creation arguments sent with execute (client without the plugin)', () => {
  it('creates the action at the first execute with its init args, then sets it up and executes the rest', async () => {
    await initAndSetup('late', 'recorder');
    expect(calls).toEqual([]);
    expect(
      await send({ cmd: 'execute', payload: { action_id: 'late', exec_args: { name: 'late-one', ticks: 1 } } }),
    ).toMatchObject({ status: 'ok' });
    expect(await send({ cmd: 'update', payload: { action_id: 'late' } })).toMatchObject({ action_status: 'success' });
    await send({ cmd: 'terminate', payload: { action_id: 'late', new_status: 'SUCCESS' } });
    expect(
      await send({ cmd: 'execute', payload: { action_id: 'late', exec_args: { name: 'late-one', ticks: 1 } } }),
    ).toMatchObject({ status: 'ok' });
    await send({ cmd: 'reset', payload: { action_id: 'late' } });
    expect(calls).toEqual([
      'late-one.setup tick=0.25 dir=/scn out=/out',
      'late-one.execute {"ticks":1}',
      'late-one.update',
      'late-one.terminate SUCCESS',
      'late-one.execute {"ticks":1}',
      'late-one.terminate INVALID',
      'late-one.shutdown',
    ]);
  });

  it('answers an update before the first execute with an error and keeps serving', async () => {
    await initAndSetup('early', 'recorder');
    expect(await send({ cmd: 'update', payload: { action_id: 'early' } })).toMatchObject({ status: 'error' });
    expect(
      await send({
        cmd: 'init',
        payload: { action_id: 'next', plugin_key: 'recorder', init_args: {}, output_dir: null },
      }),
    ).toMatchObject({ status: 'ok' });
  });
});
