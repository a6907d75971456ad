/**
 * A busy server is not a dead one: while a call waits past its bound, the
 * server's answers to heartbeats (on the shared watcher's own connection, see
 * server-liveness.ts) keep the action going; a server that answers nothing is
 * still given up at the bound.
 */
import { Status } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { CHANNEL_ROUTING_ID_PREFIX } from '../src/channel-pool.js';
import type { RemoteActionBehaviour } from '../src/remote-behaviour.js';
import { actionInfo, collectingLogger, remoteBehaviour, runToEnd, setupContext, sleep } from './helpers/fakes.js';
import { okHandler, type RecordedRequest, type StubServer } from './helpers/stub-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { startServer, track } = useTestScope();

/** Whether a routing id (hex) is one of the action channels' (not the watcher's connection). */
const isChannel = (client: string) =>
  Buffer.from(client, 'hex').toString('latin1').startsWith(CHANNEL_ROUTING_ID_PREFIX);

/** Heartbeats that came on another connection than the actions' channels: the watcher's. */
const watcherBeats = (server: StubServer) =>
  server.requests.filter((r) => r.cmd === 'heartbeat' && !isChannel(r.client));

const HEARTBEAT_FAILURE_TIMEOUT = 0.4;
const INTERVAL_MS = 100;

describe('a busy server', () => {
  it('keeps the action going while it answers heartbeats, past heartbeat_failure_timeout, until the reply comes', async () => {
    let behaviour: RemoteActionBehaviour | undefined;
    let updates = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await startServer((r: RecordedRequest) => {
      if (r.cmd === 'update') {
        updates++;
        if (updates === 1) return { status: 'ok', action_status: 'running' };
        // The second update is answered only once the watcher's heartbeats span twice the bound.
        return released.then(() => ({ status: 'ok', action_status: 'success' }));
      }
      if (r.cmd === 'heartbeat' && behaviour !== undefined) {
        const beats = watcherBeats(server).length;
        if (beats * INTERVAL_MS >= 2 * HEARTBEAT_FAILURE_TIMEOUT * 1000) release();
      }
      return okHandler(r);
    });
    const logger = collectingLogger();
    behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 9' })),
        { logger, heartbeatFailureTimeout: HEARTBEAT_FAILURE_TIMEOUT, heartbeatIntervalMs: INTERVAL_MS },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await runToEnd(behaviour, INTERVAL_MS, 400)).toMatchObject({ status: Status.SUCCESS });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(watcherBeats(server).length).toBeGreaterThanOrEqual(8);
    // The watch ends with the wait: no heartbeat on the watcher's connection afterwards.
    const beats = watcherBeats(server).length;
    await sleep(5 * INTERVAL_MS);
    expect(watcherBeats(server).length).toBe(beats);
  });

  it('fails the action at the longer limit when only heartbeats are answered, saying so', async () => {
    const server = await startServer((r) => {
      if (r.cmd === 'update') return r.payload.action_id === undefined ? okHandler(r) : undefined;
      return okHandler(r);
    });
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 9' })),
        {
          heartbeatFailureTimeout: HEARTBEAT_FAILURE_TIMEOUT,
          heartbeatIntervalMs: INTERVAL_MS,
          commandTimeoutMs: 1500,
        },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await runToEnd(behaviour, INTERVAL_MS, 400)).toMatchObject({ status: Status.FAILURE });
    expect(behaviour.feedbackMessage).toBe(
      `lost contact with the server: no reply from ${server.address} to 'update' within 1.5s, ` +
        'though the server answered heartbeats meanwhile (busy, or the call hangs there)',
    );
    expect(watcherBeats(server).length).toBeGreaterThan(0);
  });

  it('is given up at heartbeat_failure_timeout when it answers nothing (heartbeats neither)', async () => {
    let silent = false;
    const server = await startServer((r) => {
      if (silent) return undefined;
      return r.cmd === 'update' ? { status: 'ok', action_status: 'running' } : okHandler(r);
    });
    const behaviour = track(
      remoteBehaviour(
        server.address,
        actionInfo('run_process', () => ({ command: 'sleep 9' })),
        { heartbeatFailureTimeout: HEARTBEAT_FAILURE_TIMEOUT, heartbeatIntervalMs: INTERVAL_MS },
      ),
    );
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    silent = true;
    expect(await runToEnd(behaviour, INTERVAL_MS, 400)).toMatchObject({ status: Status.FAILURE });
    expect(behaviour.feedbackMessage).toBe(
      `lost contact with the server: no reply from ${server.address} to 'update' within 0.4s`,
    );
    // The watcher did try.
    expect(watcherBeats(server).length).toBeGreaterThan(0);
  });
});
