/**
 * How a remote action comes back after its server forgot it (a restart) or
 * after contact was lost (a partition), tick by tick against a stub server:
 * what fails, what is sent afterwards, and that the next run creates the
 * action on the server again.
 */
import { Status } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { actionInfo, collectingLogger, remoteBehaviour, runToEnd, setupContext } from './helpers/fakes.js';
import { okHandler, type StubServer } from './helpers/stub-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { startServer, track } = useTestScope();

/** The commands the stub received, heartbeats left out. */
const commands = (server: StubServer) => server.requests.map((r) => r.cmd).filter((c) => c !== 'heartbeat');

/** The reply of a server that does not know the action (the Python server's text). */
const unknown = (actionId: unknown) => ({ status: 'error', message: `'Unknown action_id: ${String(actionId)}'` });

describe('a server that forgot the action (restarted)', () => {
  it('creates an action that was not running again before its execute; the run succeeds', async () => {
    let forgotten = true;
    const server = await startServer((r) => {
      if (r.cmd === 'execute' && forgotten) {
        forgotten = false;
        return unknown(r.payload.action_id);
      }
      return okHandler(r);
    });
    const logger = collectingLogger();
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'x' })),
        { logger },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await runToEnd(behaviour)).toEqual({ status: Status.SUCCESS, ticks: 1 });
    expect(commands(server)).toEqual([
      'init',
      'setup',
      'execute',
      'reset',
      'init',
      'setup',
      'execute',
      'update',
      'terminate',
    ]);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(logger.lines.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(
        /^log@\S+: set up on the server again \(the server restarted: it no longer knows this action/,
      ),
    );
  });

  it('fails a running action saying the server restarted; sends nothing more about it; the next run creates it again', async () => {
    let restarted = false;
    const server = await startServer((r) => {
      if (r.cmd === 'update') {
        if (restarted) return unknown(r.payload.action_id);
        return { status: 'ok', action_status: 'running' };
      }
      return okHandler(r);
    });
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 9' })),
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    restarted = true;
    const id = server.commands('init')[0]!.payload.action_id;
    expect(await behaviour.tick()).toBe(Status.FAILURE);
    expect(behaviour.feedbackMessage).toBe(
      `the server restarted: it no longer knows this action ('update' answered 'Unknown action_id: ${id}')`,
    );
    // No terminate for the forgotten run.
    expect(commands(server).slice(-1)).toEqual(['update']);
    restarted = false;
    server.handler = (r) => (r.cmd === 'update' ? { status: 'ok', action_status: 'success' } : okHandler(r));
    expect(await runToEnd(behaviour)).toEqual({ status: Status.SUCCESS, ticks: 1 });
    expect(commands(server).slice(-6)).toEqual(['reset', 'init', 'setup', 'execute', 'update', 'terminate']);
  });
});

describe('lost contact (a partition)', () => {
  it('fails the run, closes the connection (no terminate, reset or heartbeat), and the next run creates the action again', async () => {
    let silent = false;
    const server = await startServer((r) => {
      if (silent) return undefined;
      return r.cmd === 'update' ? { status: 'ok', action_status: 'running' } : okHandler(r);
    });
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 9' })),
        {
          heartbeatFailureTimeout: 0.4,
          heartbeatIntervalMs: 100,
        },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    silent = true;
    const { status } = await runToEnd(behaviour, 50, 100);
    expect(status).toBe(Status.FAILURE);
    expect(behaviour.feedbackMessage).toBe(
      `lost contact with the server: no reply from ${server.address} to 'update' within 0.4s`,
    );
    const heard = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Three heartbeat intervals: none was sent, nor a terminate or reset.
    expect(server.requests.length).toBe(heard);
    silent = false;
    server.handler = okHandler;
    expect(await runToEnd(behaviour)).toEqual({ status: Status.SUCCESS, ticks: 1 });
    expect(commands(server).slice(-6)).toEqual(['reset', 'init', 'setup', 'execute', 'update', 'terminate']);
  });

  it('shuts down without a reset when contact is lost', async () => {
    let silent = false;
    const server = await startServer((r) => {
      if (silent) return undefined;
      return r.cmd === 'update' ? { status: 'ok', action_status: 'running' } : okHandler(r);
    });
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('log', () => ({ msg: 'x' })),
      {
        heartbeatFailureTimeout: 0.3,
      },
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    silent = true;
    expect((await runToEnd(behaviour, 50, 100)).status).toBe(Status.FAILURE);
    silent = false;
    await behaviour.shutdown();
    expect(server.commands('reset')).toHaveLength(0);
  });
});
