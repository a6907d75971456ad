import type { WireMap } from '@scenario-execution/protocol';
import { type ActionDefinition, Status } from 'scenario-execution';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
import { okHandler, type StubHandler, StubServer } from './helpers/stub-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(handler: StubHandler = okHandler): Promise<StubServer> {
  const server = await StubServer.start(handler);
  cleanups.push(() => server.close());
  return server;
}

function track(behaviour: RemoteActionBehaviour): RemoteActionBehaviour {
  cleanups.push(() => behaviour.shutdown());
  return behaviour;
}

/** Updates answer `running` until `finishAfter` updates, then `success`. */
function countingHandler(finishAfter: number): StubHandler {
  let updates = 0;
  return (r) => {
    if (r.cmd !== 'update') return { status: 'ok' };
    updates++;
    return { status: 'ok', action_status: updates >= finishAfter ? 'success' : 'running' };
  };
}

describe('remote behaviour setup', () => {
  it('fails with one line naming the endpoint and the timeout when nothing listens', async () => {
    const port = await freePort();
    const endpoint = `127.0.0.1:${port}`;
    const behaviour = track(
      remoteBehaviour(
        `tcp://${endpoint}`,
        actionInfo('log', () => ({ msg: 'x' })),
        { endpoint, setupTimeout: 0.4 },
      ),
    );
    const started = performance.now();
    const error = (await Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e)) as Error;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      `remote('${endpoint}'): cannot reach scenario_execution_server at tcp://${endpoint} ` +
        'within setup_timeout 0.4s (is it running?)',
    );
    expect(error.message).not.toContain('\n');
    expect(elapsed).toBeGreaterThanOrEqual(350);
    // A promise of the product (it gives up at setup_timeout, 0.4 s): the bound is generous for a loaded machine.
    expect(elapsed).toBeLessThan(5000);
  });

  it('reports an init error from the server', async () => {
    const server = await startServer((r) =>
      r.cmd === 'init' ? { status: 'error', message: "No action plugin found for key 'nope'" } : { status: 'ok' },
    );
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('nope', () => ({})),
      ),
    );
    const error = (await Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`nope@${server.address}: init failed: No action plugin found for key 'nope'`);
    expect(server.commands('setup')).toHaveLength(0);
  });

  it('splits init_args from exec_args when the action is installed locally', async () => {
    const server = await startServer();
    const definition: ActionDefinition = {
      initArgs: ['topic'],
      create: () => ({ update: () => Status.SUCCESS }),
    };
    const behaviour = track(
      remoteBehaviour(server.address, {
        name: 'listen',
        definition,
        resolveArgs: () => ({ topic: '/chatter', count: 3 }),
      }),
    );
    await behaviour.setup(setupContext);
    expect(await runToEnd(behaviour)).toEqual({ status: Status.SUCCESS, ticks: 1 });
    expect((server.commands('init')[0]!.payload as WireMap).init_args).toEqual({ topic: '/chatter' });
    expect((server.commands('execute')[0]!.payload as WireMap).exec_args).toEqual({ count: 3 });
  });

  it('sends everything as exec_args when the action is only declared', async () => {
    const server = await startServer();
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('listen', () => ({ topic: '/chatter', count: 3 })),
      ),
    );
    await behaviour.setup({ ...setupContext, outputDir: '/tmp/out', tickPeriod: 0.25 });
    await runToEnd(behaviour);
    expect(server.commands('init')[0]!.payload).toMatchObject({ init_args: {}, output_dir: '/tmp/out' });
    expect(server.commands('setup')[0]!.payload).toMatchObject({ tick_period: 0.25, output_dir: '/tmp/out' });
    expect((server.commands('execute')[0]!.payload as WireMap).exec_args).toEqual({ topic: '/chatter', count: 3 });
  });
});

/** Answers everything but `setup`, which it never answers. */
const setupHangsHandler: StubHandler = (r) => (r.cmd === 'setup' ? undefined : { status: 'ok' });

/** Waits (bounded) until the stub has received `cmd`; fails the test otherwise. */
async function waitForCommand(server: StubServer, cmd: string): Promise<void> {
  await vi.waitFor(() => expect(server.commands(cmd)).not.toHaveLength(0), { timeout: 10_000, interval: 10 });
}

describe('remote behaviour shutdown before setup finished', () => {
  it('resets the action when setup timed out after init was answered', async () => {
    const server = await startServer(setupHangsHandler);
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('run_process', () => ({ command: 'sleep 100' })),
      { setupTimeout: 0.3 },
    );
    const error = (await Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("answered 'init' but 'setup' of run_process did not finish");
    expect(server.commands('reset')).toHaveLength(0);
    await behaviour.shutdown();
    // shutdown waits for the reset's reply: the stub has it by now.
    const actionId = server.commands('init')[0]!.payload.action_id;
    expect(server.commands('reset').map((r) => r.payload.action_id)).toEqual([actionId]);
  });

  it('resets the action when the scenario shuts down while setup is in flight', async () => {
    const server = await startServer(setupHangsHandler);
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('run_process', () => ({ command: 'sleep 100' })),
      { setupTimeout: 30 },
    );
    const setup = Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e);
    await waitForCommand(server, 'setup');
    await behaviour.shutdown();
    // The setup waiting for its reply fails at once instead of at setup_timeout (30 s, past the test's timeout).
    const error = await setup;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('setup_timeout');
    const actionId = server.commands('init')[0]!.payload.action_id;
    expect(server.commands('reset').map((r) => r.payload.action_id)).toEqual([actionId]);
  });

  it('sends no reset when init was refused', async () => {
    const server = await startServer((r) => (r.cmd === 'init' ? { status: 'error', message: 'no' } : { status: 'ok' }));
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('nope', () => ({})),
    );
    await Promise.resolve(behaviour.setup(setupContext)).catch(() => undefined);
    // shutdown waits for the reply of any reset it sends (see the tests above): none was sent.
    await behaviour.shutdown();
    expect(server.commands('reset')).toHaveLength(0);
  });

  it('shuts down promptly, without a reset, when nothing listens', async () => {
    const port = await freePort();
    const logger = collectingLogger();
    const behaviour = remoteBehaviour(
      `tcp://127.0.0.1:${port}`,
      actionInfo('log', () => ({ msg: 'x' })),
      { setupTimeout: 0.2, logger },
    );
    await Promise.resolve(behaviour.setup(setupContext)).catch(() => undefined);
    await behaviour.shutdown();
    // A reset attempt would wait for its 1 s bound and log that it failed: no such line, so no wait.
    expect(logger.lines.filter((line) => line.msg.includes('reset'))).toEqual([]);
  });
});

describe('remote behaviour lifecycle', () => {
  it('resolves the arguments anew each time the action starts (variables)', async () => {
    const server = await startServer();
    let counter = 1;
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('compare', () => ({ left: counter, right: 2 })),
      ),
    );
    await behaviour.setup(setupContext);
    await runToEnd(behaviour);
    counter = 2;
    await runToEnd(behaviour);
    const sent = server.commands('execute').map((r) => (r.payload as WireMap).exec_args);
    expect(sent).toEqual([
      { left: 1, right: 2 },
      { left: 2, right: 2 },
    ]);
  });

  it('maps update replies to statuses and terminates with the upper-case status', async () => {
    const server = await startServer(countingHandler(3));
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'x' })),
      ),
    );
    await behaviour.setup(setupContext);
    expect(await runToEnd(behaviour, 10)).toEqual({ status: Status.SUCCESS, ticks: 3 });
    expect(server.commands('terminate').map((r) => r.payload.new_status)).toEqual(['SUCCESS']);
  });

  it('terminates with INVALID when interrupted, and not again when already finished', async () => {
    const server = await startServer(countingHandler(1000));
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'x' })),
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    await behaviour.stop(Status.INVALID);
    expect(server.commands('terminate').map((r) => r.payload.new_status)).toEqual(['INVALID']);
    await behaviour.stop(Status.INVALID);
    expect(server.commands('terminate')).toHaveLength(1);
  });

  it('fails the update with the server message on an error reply', async () => {
    const server = await startServer((r) =>
      r.cmd === 'update' ? { status: 'error', message: "'Unknown action_id: x'" } : { status: 'ok' },
    );
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'm' })),
      ),
    );
    await behaviour.setup(setupContext);
    expect((await runToEnd(behaviour)).status).toBe(Status.FAILURE);
    expect(behaviour.feedbackMessage).toBe("update failed: 'Unknown action_id: x'");
  });

  it('fails at the next update when execute is refused', async () => {
    const server = await startServer((r) =>
      r.cmd === 'execute' ? { status: 'error', message: 'bad args' } : okHandler(r),
    );
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'm' })),
      ),
    );
    await behaviour.setup(setupContext);
    expect((await runToEnd(behaviour)).status).toBe(Status.FAILURE);
    expect(behaviour.feedbackMessage).toBe('execute failed: bad args');
    expect(server.commands('update')).toHaveLength(0);
  });

  it('prints the log lines of replies prefixed with the address, in order, and shows feedback', async () => {
    let update = 0;
    const server = await startServer((r) => {
      if (r.cmd !== 'update') return { status: 'ok' };
      update++;
      return {
        status: 'ok',
        action_status: update < 2 ? 'running' : 'success',
        log: [
          { level: 'info', msg: `line ${update}a` },
          { level: 'error', msg: `line ${update}b` },
        ],
        feedback: `step ${update}`,
      };
    });
    const logger = collectingLogger();
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({})),
        { logger },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    expect(behaviour.feedbackMessage).toBe('step 1');
    expect(await behaviour.tick()).toBe(Status.SUCCESS);
    expect(behaviour.feedbackMessage).toBe('step 2');
    const prefix = `[${server.address}] `;
    expect(logger.lines.filter((l) => l.msg.startsWith(prefix))).toEqual([
      { level: 'info', msg: `${prefix}line 1a` },
      { level: 'error', msg: `${prefix}line 1b` },
      { level: 'info', msg: `${prefix}line 2a` },
      { level: 'error', msg: `${prefix}line 2b` },
    ]);
  });

  it('keeps updates of several remote actions in flight at the same time', async () => {
    // No update is answered before all four have arrived: sent one after another, the first would
    // wait for its reply for heartbeat_failure_timeout and fail.
    let allArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    const server = await startServer(async (r) => {
      if (r.cmd === 'update') {
        if (server.commands('update').length === 4) allArrived();
        await arrived;
      }
      return okHandler(r);
    });
    const behaviours = [1, 2, 3, 4].map((i) =>
      track(
        remoteBehaviour(
          server.address,
          actionInfo('log', () => ({ msg: `m${i}` })),
        ),
      ),
    );
    for (const b of behaviours) await b.setup(setupContext);
    const statuses = await Promise.all(behaviours.map((b) => b.tick()));
    expect(statuses).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
  });

  it('closes its socket at shutdown: no heartbeat afterwards', async () => {
    const server = await startServer();
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('log', () => ({ msg: 'm' })),
      {
        heartbeatIntervalMs: 50,
      },
    );
    await behaviour.setup(setupContext);
    await waitForCommand(server, 'heartbeat');
    await behaviour.shutdown();
    const count = server.requests.length;
    // Nothing can be waited for here: five heartbeat periods pass in silence.
    await sleep(250);
    expect(server.requests.length).toBe(count);
    expect(server.requests[count - 1]!.cmd).toBe('reset');
  });
});

describe('remote behaviour when the server goes away', () => {
  it('fails within heartbeat_failure_timeout + 1 s when the server stops answering mid-action', async () => {
    let silent = false;
    const server = await startServer((r) => (silent ? undefined : countingHandler(1000)(r)));
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 10' })),
        {
          heartbeatFailureTimeout: 1,
        },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    silent = true;
    const started = performance.now();
    const { status } = await runToEnd(behaviour, 100, 50);
    expect(status).toBe(Status.FAILURE);
    // The product promises heartbeat_failure_timeout + 1 s (here 2 s); the bound leaves room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1000 + 4000);
    expect(behaviour.feedbackMessage).toContain(server.address);
    // No terminate/reset is sent to a server that stopped answering (shutdown would wait 30 s for its reply).
    await behaviour.shutdown();
    expect(server.commands('reset')).toHaveLength(0);
  });

  it('fails within heartbeat_failure_timeout + 1 s when the server goes away mid-action', async () => {
    const server = await StubServer.start(countingHandler(1000));
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 10' })),
        {
          heartbeatFailureTimeout: 1,
        },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    await server.close();
    const started = performance.now();
    const { status } = await runToEnd(behaviour, 100, 50);
    expect(status).toBe(Status.FAILURE);
    // The product promises heartbeat_failure_timeout + 1 s (here 2 s); the bound leaves room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1000 + 4000);
    expect(behaviour.feedbackMessage).toBe(
      `connection to ${server.address} lost and not re-established: no reply to 'update' within 1s`,
    );
  });

  it('fails a later action whose server died while it waited (heartbeats unanswered)', async () => {
    let silent = false;
    const server = await startServer((r) => (silent ? undefined : okHandler(r)));
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'later' })),
        {
          heartbeatFailureTimeout: 0.5,
          heartbeatIntervalMs: 100,
        },
      ),
    );
    await behaviour.setup(setupContext);
    silent = true;
    // The client measures the server's silence in wall time: this waits past heartbeat_failure_timeout (0.5 s).
    await sleep(800);
    expect(await behaviour.tick()).toBe(Status.FAILURE);
    // Failed without a round trip: nothing was sent for the action.
    expect(behaviour.feedbackMessage).toBe(`no reply from server at ${server.address} for more than 0.5s`);
    expect(server.commands('execute')).toHaveLength(0);
  });
});
