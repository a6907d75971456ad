import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer, tempDir } from './support/harness.js';

const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./python/client.py', import.meta.url));

function runPythonClient(endpoint: string, plan: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [CLIENT, endpoint], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python client failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as unknown[]);
    });
    child.stdin?.end(JSON.stringify(plan));
  });
}

const ID = '3f04fb71-278a-4023-a2bb-6489b5194896';
const plan = [
  { cmd: 'heartbeat', payload: {} },
  { cmd: 'init', payload: { action_id: ID, plugin_key: 'recorder', init_args: { name: 'py' }, output_dir: null } },
  {
    cmd: 'setup',
    payload: { action_id: ID, tick_period: 0.1, output_dir: null, scenario_file_directory: '/home/user' },
  },
  { cmd: 'execute', payload: { action_id: ID, exec_args: { ticks: 2 } } },
  { cmd: 'update', payload: { action_id: ID } },
  { cmd: 'update', payload: { action_id: ID } },
  { cmd: 'terminate', payload: { action_id: ID, new_status: 'SUCCESS' } },
  { cmd: 'reset', payload: { action_id: ID } },
  { cmd: 'update', payload: { action_id: ID } },
  { cmd: 'bogus', payload: {} },
  { raw_hex: 'c167617262616765' },
  { cmd: 'heartbeat', payload: {} },
];

const expected = [
  { status: 'ok' },
  { status: 'ok' },
  { status: 'ok', log: [{ level: 'info', msg: 'setup py' }] },
  { status: 'ok', log: [{ level: 'info', msg: 'execute py' }] },
  // Debug lines go to the client too (it decides what to show).
  { status: 'ok', action_status: 'running', log: [{ level: 'debug', msg: 'update 1' }], feedback: 'update 1 of 2' },
  { status: 'ok', action_status: 'success', log: [{ level: 'debug', msg: 'update 2' }], feedback: 'update 2 of 2' },
  { status: 'ok', feedback: 'update 2 of 2' },
  { status: 'ok' },
  { status: 'error', message: `'Unknown action_id: ${ID}'` },
  { status: 'error', message: "Unknown command: 'bogus'" },
  { status: 'error', message: expect.stringMatching(/^invalid msgpack/) },
  { status: 'ok' },
];

let running: RunningServer | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('a Python REQ client (pyzmq + msgpack) against our server', () => {
  it('runs a whole action lifecycle over TCP', async () => {
    running = await startServer();
    expect(await runPythonClient(running.endpoint, plan)).toEqual(expected);
  });

  it('runs a whole action lifecycle over a Unix domain socket', async () => {
    const dir = tempDir('se-py-');
    cleanups.push(dir.remove);
    running = await startServer({ address: `ipc://${join(dir.path, 'se.sock')}` });
    expect(await runPythonClient(running.endpoint, plan)).toEqual(expected);
  });

  it('serves several Python clients at once', async () => {
    running = await startServer();
    const endpoint = running.endpoint;
    const results = await Promise.all(
      [1, 2, 3].map((n) => {
        const id = `client-${n}`;
        return runPythonClient(endpoint, [
          { cmd: 'init', payload: { action_id: id, plugin_key: 'slow', init_args: { ms: 300 }, output_dir: null } },
          { cmd: 'setup', payload: { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '' } },
          { cmd: 'update', payload: { action_id: id } },
          { cmd: 'reset', payload: { action_id: id } },
        ]);
      }),
    );
    for (const replies of results) {
      expect(replies).toEqual([
        { status: 'ok' },
        { status: 'ok' },
        { status: 'ok', action_status: 'success' },
        { status: 'ok' },
      ]);
    }
  });
});
