/**
 * Our client against a Python REP server (test/python/server.py, zmq + msgpack),
 * over TCP and over a Unix socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Status } from 'scenario-execution';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteActionBehaviour } from '../src/remote-behaviour.js';
import {
  actionInfo,
  collectingLogger,
  freePort,
  remoteBehaviour,
  runToEnd,
  setupContext,
  sleep,
} from './helpers/fakes.js';
import { type PythonServer, startPythonServer } from './helpers/python-server.js';

function runProcess(command: string, extra: Record<string, string | number | boolean | [string, number]> = {}) {
  return actionInfo('run_process', () => ({
    command,
    wait_for_shutdown: true,
    shutdown_signal: ['sigterm', 15],
    shutdown_timeout: 10,
    ...extra,
  }));
}

const tempDir = mkdtempSync(join(tmpdir(), 'se-remote-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const transports = [
  { name: 'tcp', args: async () => ['--port', String(await freePort()), '--extras'] },
  { name: 'unix socket', args: async () => ['--socket', join(tempDir, 'server.sock'), '--extras'] },
];

describe.each(transports)('against the Python REP server over $name', ({ args }) => {
  let server: PythonServer;
  beforeAll(async () => {
    server = await startPythonServer(await args());
  });
  afterAll(() => server.stop());

  async function run(behaviour: RemoteActionBehaviour) {
    await behaviour.setup(setupContext);
    try {
      return await runToEnd(behaviour);
    } finally {
      await behaviour.shutdown();
    }
  }

  it('runs a remote log', async () => {
    const result = await run(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'hello remote' })),
      ),
    );
    expect(result).toEqual({ status: Status.SUCCESS, ticks: 1 });
    await sleep(50);
    expect(server.output()).toContain('log: hello remote');
  });

  it('runs a process, prints its output on the client, fails when it fails', async () => {
    const logger = collectingLogger();
    const ok = await run(remoteBehaviour(server.address, runProcess('echo from-the-server'), { logger }));
    expect(ok.status).toBe(Status.SUCCESS);
    expect(logger.lines).toContainEqual({ level: 'info', msg: `[${server.address}] from-the-server` });
    const failed = remoteBehaviour(server.address, runProcess('false'));
    expect((await run(failed)).status).toBe(Status.FAILURE);
    expect(failed.feedbackMessage).toBe("'false' exited with 1");
  });

  it('runs a slow process over several ticks', async () => {
    const result = await run(remoteBehaviour(server.address, runProcess('sleep 0.4')));
    expect(result.status).toBe(Status.SUCCESS);
    expect(result.ticks).toBeGreaterThanOrEqual(3);
  });

  it('leaves a background process running until the scenario ends, then it is killed', async () => {
    const behaviour = remoteBehaviour(
      server.address,
      runProcess('sleep 30', { wait_for_shutdown: false, shutdown_signal: ['sigint', 2], shutdown_timeout: 1 }),
    );
    await behaviour.setup(setupContext);
    expect((await runToEnd(behaviour)).status).toBe(Status.SUCCESS);
    expect(server.children()).toHaveLength(1);
    await behaviour.shutdown();
    expect(server.children()).toHaveLength(0);
  });

  it('fails with the server message for an unknown action', async () => {
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('no_such_action', () => ({})),
    );
    const error = (await Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e)) as Error;
    await behaviour.shutdown();
    expect(error.message).toBe(
      `no_such_action@${server.address}: init failed: No action plugin found for key 'no_such_action'`,
    );
  });
});

describe('Python server killed mid-action', () => {
  it('fails the running action within heartbeat_failure_timeout + 1 s and shuts down promptly', async () => {
    const server = await startPythonServer(['--port', String(await freePort())]);
    try {
      const behaviour = remoteBehaviour(server.address, runProcess('sleep 20'), { heartbeatFailureTimeout: 2 });
      await behaviour.setup(setupContext);
      expect(await behaviour.tick()).toBe(Status.RUNNING);
      await server.stop('SIGKILL');
      const killedAt = performance.now();
      const { status } = await runToEnd(behaviour, 100, 100);
      expect(status).toBe(Status.FAILURE);
      expect(performance.now() - killedAt).toBeLessThan(3000);
      const shutdownAt = performance.now();
      await behaviour.shutdown();
      expect(performance.now() - shutdownAt).toBeLessThan(500);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
