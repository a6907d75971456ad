/**
 * SIGTERM: the server stops accepting, resets every action, and exits 0
 * within 10 s whatever the actions do; what a reset could not stop dies with
 * the server, and no socket file is left behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { tempDir, waitFor } from './support/harness.js';
import { type SpawnedServer, spawnServer } from './support/spawned.js';
import { pidsOf, useTestResources } from './support/resources.js';

const { spawned, clients, cleanups } = useTestResources();

interface JsonLine {
  time: string;
  message: string;
}

async function startWithAction(command: readonly string[]): Promise<{ server: SpawnedServer; socket: string }> {
  const dir = tempDir('se-shutdown-');
  cleanups.push(dir.remove);
  const socket = join(dir.path, 'se.sock');
  const server = spawnServer(['--socket', socket, '--persistent', '--log-format', 'json']);
  spawned.push(server);
  await server.waitForLine(/listening on/);
  const client = new TestClient(`ipc://${socket}`);
  clients.push(client);
  const id = 'shutdown-action';
  await client.call('init', { action_id: id, plugin_key: 'run_process', init_args: {}, output_dir: null });
  await client.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/' });
  // A shutdown timeout far beyond 10 s: the server must not wait for it.
  await client.call('execute', {
    action_id: id,
    exec_args: { command: [...command], wait_for_shutdown: true, shutdown_timeout: 120 },
  });
  await client.call('update', { action_id: id });
  return { server, socket };
}

describe('SIGTERM', () => {
  it('resets the actions and exits 0 at once when they stop', async () => {
    const { server, socket } = await startWithAction(['sleep', '42.75']);
    expect(await waitFor(() => pidsOf(['sleep', '42.75']).length === 1, 5000)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(pidsOf(['sleep', '42.75'])).toEqual([]);
    expect(existsSync(socket)).toBe(false);
    expect(server.stdout()).toContain('"message":"Reset (id=shutdown)"');
    expect(server.stdout()).not.toContain('exiting anyway');
  });

  it('exits 0 within 10 s when an action ignores SIGTERM, and its process dies with the server', async () => {
    const command = ['sh', '-c', "trap '' TERM; sleep 41.25"];
    const { server, socket } = await startWithAction(command);
    // The ignored SIGTERM is inherited by sleep: neither stops before SIGKILL.
    expect(await waitFor(() => pidsOf(['sleep', '41.25']).length === 1, 5000)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as JsonLine);
    const signalled = lines.find((line) => line.message === 'SIGTERM received, stopping…');
    const last = lines.at(-1);
    expect(last?.message).toBe('Actions did not shut down within 8s; exiting anyway');
    const seconds = (Date.parse(last?.time ?? '') - Date.parse(signalled?.time ?? '')) / 1000;
    expect(seconds).toBeLessThan(10);
    // The supervisor kills what it started once the server is gone.
    expect(await waitFor(() => pidsOf(['sleep', '41.25']).length === 0 && pidsOf(command).length === 0, 5000)).toBe(
      true,
    );
    expect(existsSync(socket)).toBe(false);
  });

  it('exits at once on a second signal', async () => {
    const command = ['sh', '-c', "trap '' TERM; sleep 40.75"];
    const { server } = await startWithAction(command);
    expect(await waitFor(() => pidsOf(['sleep', '40.75']).length === 1, 5000)).toBe(true);
    server.child.kill('SIGTERM');
    await server.waitForLine(/Cleaning up/);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('SIGINT received again, exiting without waiting for the actions');
    expect(server.stdout()).not.toContain('exiting anyway');
    expect(await waitFor(() => pidsOf(['sleep', '40.75']).length === 0, 5000)).toBe(true);
  });
});
