/**
 * `--persistent`: a server that never stops on its own. The watchdog and the
 * connect timeout are off; the actions of a client that died are still reaped
 * one by one (`--action-timeout`), and the server goes on serving.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { sleep, tempDir, waitFor } from './support/harness.js';
import { BIN, spawnServer } from './support/spawned.js';
import { pidsOf, useTestResources } from './support/resources.js';

const { spawned, clients, cleanups } = useTestResources();

/** `scenario_execution_server --check ENDPOINT`: its exit code and output. */
function check(endpoint: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--check', endpoint, '--timeout', '5'], (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
  });
}

describe('--persistent', () => {
  it('reaps the action of a dead client, outlives the watchdog and connect timeout, and stops only on a signal', async () => {
    const dir = tempDir('se-persistent-');
    cleanups.push(dir.remove);
    const socket = join(dir.path, 'se.sock');
    const server = spawnServer(['--socket', socket, '--persistent', '--action-timeout', '1']);
    spawned.push(server);
    await server.waitForLine(/listening on/);
    await server.waitForLine(
      /Persistent: no watchdog, no connect timeout; the actions of a client silent for 1s are reaped/,
    );

    const client = new TestClient(`ipc://${socket}`);
    clients.push(client);
    const id = 'persistent-dead-client';
    await client.call('init', { action_id: id, plugin_key: 'run_process', init_args: {}, output_dir: null });
    await client.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/' });
    // A duration no other test uses, to find the process by its command line.
    await client.call('execute', { action_id: id, exec_args: { command: 'sleep 46.75', wait_for_shutdown: true } });
    await client.call('update', { action_id: id });
    expect(await waitFor(() => pidsOf(['sleep', '46.75']).length === 1, 5000)).toBe(true);
    // The client dies without a word.
    client.close();

    expect(await waitFor(() => pidsOf(['sleep', '46.75']).length === 0, 10_000)).toBe(true);
    await server.waitForLine(/Reaped action 'run_process' \(id=persiste\)/);
    // Quiet for longer than the default watchdog (3 s) after the last message: still serving.
    await sleep(3500);
    const probe = await check(socket);
    expect(probe.stdout).toMatch(/^ok ipc:\/\/.*se\.sock \d[\d.,]* ms\n$/);
    expect(probe.code).toBe(0);
    expect(server.child.exitCode).toBeNull();
    expect(server.stdout()).not.toMatch(/Watchdog|Connect timeout/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });
});
