/**
 * Our client against the recordings of the Python client: driven through the
 * same scenarios, it must send the same bytes (same action ids given), per
 * socket and in the same order; heartbeats are compared by count only.
 */
import type { WireMap } from '@scenario-execution/protocol';
import type { ArgValue } from 'scenario-execution';
import { Status } from 'scenario-execution';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteActionBehaviour } from '../src/remote-behaviour.js';
import { actionInfo, remoteBehaviour, runSideBySide, runToEnd, setupContext } from './helpers/fakes.js';
import { StubServer } from './helpers/stub-server.js';
import { actionIdOf, type Exchange, exchangesByClient, loadTranscript, replayHandler } from './helpers/transcripts.js';

/** `run_process(...)` arguments as the builder resolves them (defaults filled in, SI units, enums as pairs). */
function runProcessArgs(command: string, overrides: Record<string, ArgValue> = {}): Record<string, ArgValue> {
  return { command, wait_for_shutdown: true, shutdown_signal: ['sigterm', 15], shutdown_timeout: 10, ...overrides };
}

interface Scenario {
  /** Arguments of each remote action, in the order the scenario sets them up. */
  readonly actions: readonly { name: string; args: Record<string, ArgValue> }[];
  readonly parallel?: boolean;
  readonly heartbeatFailureTimeout?: number;
}

const scenarios: Record<string, Scenario> = {
  basic: {
    actions: [
      { name: 'run_process', args: runProcessArgs('echo hello') },
      { name: 'log', args: { msg: 'remote log' } },
      { name: 'run_process', args: runProcessArgs('sleep 0.3', { shutdown_timeout: 2 }) },
    ],
  },
  background_process: {
    actions: [
      {
        name: 'run_process',
        args: runProcessArgs('sleep 5', {
          wait_for_shutdown: false,
          shutdown_signal: ['sigint', 2],
          shutdown_timeout: 1,
        }),
      },
    ],
  },
  process_failure: { actions: [{ name: 'run_process', args: runProcessArgs('false') }] },
  parallel: {
    parallel: true,
    actions: [
      { name: 'run_process', args: runProcessArgs('sleep 0.5') },
      { name: 'run_process', args: runProcessArgs('sleep 0.2') },
    ],
  },
  heartbeat: { heartbeatFailureTimeout: 4, actions: [{ name: 'run_process', args: runProcessArgs('sleep 2.5') }] },
};

const servers: StubServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** The final tree status the recording implies: the last update reply of that action. */
function recordedOutcome(exchanges: readonly Exchange[]): Status {
  const updates = exchanges.filter((e) => e.request.msg.cmd === 'update');
  const last = updates[updates.length - 1]?.reply.msg.action_status;
  return last === 'success' ? Status.SUCCESS : Status.FAILURE;
}

/** Run a recorded scenario against a stub server replaying the recorded replies. */
async function replay(name: string) {
  const scenario = scenarios[name]!;
  const lines = loadTranscript(name);
  const recorded = [...exchangesByClient(lines).values()];
  expect(recorded).toHaveLength(scenario.actions.length);

  const server = await StubServer.start(replayHandler(lines));
  servers.push(server);
  const behaviours: RemoteActionBehaviour[] = scenario.actions.map((action, i) =>
    remoteBehaviour(
      server.address,
      actionInfo(action.name, () => action.args),
      {
        actionId: actionIdOf(recorded[i]![0]!.request.msg)!,
        heartbeatFailureTimeout: scenario.heartbeatFailureTimeout ?? 3,
      },
    ),
  );

  for (const behaviour of behaviours) await behaviour.setup(setupContext);
  const statuses: (Status | undefined)[] = [];
  if (scenario.parallel) statuses.push(...(await runSideBySide(behaviours)));
  else for (const behaviour of behaviours) statuses.push((await runToEnd(behaviour)).status);
  const beforeShutdown = server.requests.length;
  for (const behaviour of behaviours) await behaviour.shutdown();
  return { lines, recorded, server, behaviours, statuses, beforeShutdown };
}

describe.each(Object.keys(scenarios))('transcript %s', (name) => {
  it('sends the bytes the Python client sent, per socket, then resets each action', async () => {
    const { recorded, server, behaviours, statuses, beforeShutdown } = await replay(name);
    expect(statuses).toEqual(recorded.map(recordedOutcome));
    behaviours.forEach((behaviour, i) => {
      const id = behaviour.client.actionId;
      const sent = server.requests
        .slice(0, beforeShutdown)
        .filter((r) => r.cmd !== 'heartbeat' && r.payload.action_id === id)
        .map((r) => r.bytes.toString('hex'));
      const expected = recorded[i]!.filter((e) => e.request.msg.cmd !== 'heartbeat').map((e) => e.request.hex);
      expect(sent).toEqual(expected);
    });
    // The envelope a ROUTER sees: routing id, then (unlike the Python client's REQ sockets) a
    // 4-byte request id of ZMQ_REQ_CORRELATE, then the empty delimiter. REP servers and ours
    // return it unchanged; it lets a late or duplicated reply be dropped (docs/remote.md).
    const shapes = server.requests.map(({ envelope }) => envelope.map((frame, i) => (i === 0 ? 'id' : frame.length)));
    expect(new Set(shapes.map(String))).toEqual(new Set(['id,4,0']));
    // At the end each action is reset on the server, once.
    const resets = server.requests.slice(beforeShutdown).filter((r) => r.cmd === 'reset');
    expect(resets.map((r) => (r.payload as WireMap).action_id)).toEqual(behaviours.map((b) => b.client.actionId));

    if (name === 'heartbeat') {
      // About one heartbeat per second, as recorded (timer-dependent: within one).
      const recordedBeats = recorded[0]!.filter((e) => e.request.msg.cmd === 'heartbeat').length;
      const beats = server.commands('heartbeat').length;
      expect(Math.abs(beats - recordedBeats)).toBeLessThanOrEqual(1);
      expect(beats).toBe(behaviours[0]!.client.heartbeatsSent);
    }
  });
});
