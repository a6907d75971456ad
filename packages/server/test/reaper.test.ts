import { join } from 'node:path';
import type { Action, ActionDefinition } from 'scenario-execution';
import { Status } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { ActionHost } from '../src/action-host.js';
import { ServerLog } from '../src/log.js';
import { ActionReaper } from '../src/reaper.js';
import { TestClient } from './support/client.js';
import { sleep, tempDir, waitFor } from './support/harness.js';
import { type SpawnedServer, spawnServer } from './support/spawned.js';
import { pidsOf, useTestResources } from './support/resources.js';

const { spawned, clients, cleanups } = useTestResources();

async function startServer(args: string[]): Promise<{ server: SpawnedServer; address: string }> {
  const dir = tempDir('se-reaper-');
  cleanups.push(dir.remove);
  const socket = join(dir.path, 'se.sock');
  const server = spawnServer(['-s', socket, '-w', '0', '-c', '0', ...args]);
  spawned.push(server);
  await server.waitForLine(/listening on/);
  return { server, address: `ipc://${socket}` };
}

function connect(address: string): TestClient {
  const client = new TestClient(address);
  clients.push(client);
  return client;
}

async function startSleep(client: TestClient, id: string, seconds: string): Promise<void> {
  await client.call('init', { action_id: id, plugin_key: 'run_process', init_args: {}, output_dir: null });
  await client.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/' });
  await client.call('execute', { action_id: id, exec_args: { command: `sleep ${seconds}`, wait_for_shutdown: true } });
  // run_process starts its process at its first update, as in Python.
  await client.call('update', { action_id: id });
}

describe('reaping the actions of silent clients', () => {
  it('kills the process of a client that went silent while another client keeps the server busy', async () => {
    const { server, address } = await startServer(['--action-timeout', '1']);
    const dead = connect(address);
    // A duration no other test uses, to find the process by its command line.
    await startSleep(dead, 'dead-client-action', '47.25');
    expect(await waitFor(() => pidsOf(['sleep', '47.25']).length === 1, 5000)).toBe(true);
    dead.close();
    // The other client is busy all along, and its own action lives on.
    const busy = connect(address);
    await startSleep(busy, 'busy-client-action', '48.5');
    const gone = (async () => {
      for (let i = 0; i < 100; i++) {
        if (pidsOf(['sleep', '47.25']).length === 0) return true;
        expect(await busy.call('update', { action_id: 'busy-client-action' })).toMatchObject({
          action_status: 'running',
        });
        await sleep(50);
      }
      return false;
    })();
    expect(await gone).toBe(true);
    // Logged once the reset finished, which may be a moment after the process is gone.
    const reaped = /Reaped action 'run_process' \(id=dead-cli\): its client sent nothing for \d+(\.\d)?s/;
    expect(await waitFor(() => reaped.test(server.stdout()), 5000), server.stdout()).toBe(true);
    expect(pidsOf(['sleep', '48.5'])).toHaveLength(1);
    expect(await busy.call('update', { action_id: 'dead-client-action' })).toEqual({
      status: 'error',
      message: "'Unknown action_id: dead-client-action'",
    });
  });

  it('keeps the action of a client that only sends heartbeats', async () => {
    const { server, address } = await startServer(['--action-timeout', '1']);
    const idle = connect(address);
    await idle.call('init', { action_id: 'idle-action', plugin_key: 'log', init_args: {}, output_dir: null });
    await idle.call('setup', {
      action_id: 'idle-action',
      tick_period: 0.1,
      output_dir: null,
      scenario_file_directory: '/',
    });
    // Three timeouts of heartbeats only, as a client does while its action waits for its turn.
    for (let i = 0; i < 10; i++) {
      expect(await idle.call('heartbeat', {})).toEqual({ status: 'ok' });
      await sleep(300);
    }
    expect(await idle.call('execute', { action_id: 'idle-action', exec_args: { msg: 'still here' } })).toMatchObject({
      status: 'ok',
    });
    expect(server.stdout()).not.toContain('Reaped');
  });

  it('reaps nothing with --action-timeout 0', async () => {
    const { server, address } = await startServer(['--action-timeout', '0']);
    const client = connect(address);
    await client.call('init', { action_id: 'kept', plugin_key: 'log', init_args: {}, output_dir: null });
    client.close();
    await sleep(1500);
    const other = connect(address);
    expect(
      await other.call('setup', {
        action_id: 'kept',
        tick_period: 0.1,
        output_dir: null,
        scenario_file_directory: '/',
      }),
    ).toMatchObject({ status: 'ok' });
    expect(server.stdout()).not.toContain('Reaped');
  });
});

describe('ActionReaper', () => {
  /** An action that records whether it was shut down. */
  function recordingAction(): { definition: ActionDefinition; shutDown: () => number } {
    let shutdowns = 0;
    const definition: ActionDefinition = {
      create(): Action {
        return {
          update: () => Status.RUNNING,
          shutdown: () => {
            shutdowns++;
          },
        };
      },
    };
    return { definition, shutDown: () => shutdowns };
  }

  it('reaps by the silence of the owning connection, and spares a busy action for a bounded time', async () => {
    const { definition, shutDown } = recordingAction();
    const lines: string[] = [];
    const log = new ServerLog('test', (line) => lines.push(line));
    const host = new ActionHost({ resolve: async () => definition, log });
    let now = 0;
    const reaper = new ActionReaper({ host, log, timeoutMs: 1000, now: () => now });
    reaper.heard('client-a');
    reaper.owns('client-a', 'a1');
    await host.handle({ cmd: 'init', payload: { action_id: 'a1', plugin_key: 'x', init_args: {}, output_dir: null } });
    now = 900;
    expect(reaper.sweep()).toEqual([]);
    // Heard again (a heartbeat): the clock starts over.
    reaper.heard('client-a');
    now = 1800;
    expect(reaper.sweep()).toEqual([]);
    now = 2000;
    expect(reaper.sweep()).toEqual(['a1']);
    await waitFor(() => shutDown() === 1, 1000);
    expect(shutDown()).toBe(1);
    expect(host.has('a1')).toBe(false);
    expect(lines.some((line) => line.includes("Reaped action 'x' (id=a1): its client sent nothing for 1.1s"))).toBe(
      true,
    );
    // An action without a known connection (created in-process) is never reaped.
    await host.handle({
      cmd: 'init',
      payload: { action_id: 'local', plugin_key: 'x', init_args: {}, output_dir: null },
    });
    now = 100_000;
    expect(reaper.sweep()).toEqual([]);
  });
});
