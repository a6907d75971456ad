/**
 * How many connections actions side by side open to one server: actions in a
 * parallel share at most MAX_IN_FLIGHT channels while calls keep coming back
 * (a connection each cost both sides a socket per action), and open more only
 * when the server holds calls (no channel came back for a while).
 */
import { Parallel, Status } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { CHANNEL_ROUTING_ID_PREFIX, MAX_IN_FLIGHT } from '../src/channel-pool.js';
import { actionInfo, remoteBehaviour, runSideBySide, setupContext } from './helpers/fakes.js';
import { okHandler, type RecordedRequest, type StubServer } from './helpers/stub-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { startServer, track } = useTestScope();

/** The action channels (routing ids) the server heard from. */
const channels = (server: StubServer) =>
  new Set(
    server.requests
      .filter((r) => Buffer.from(r.client, 'hex').toString('latin1').startsWith(CHANNEL_ROUTING_ID_PREFIX))
      .map((r) => r.client),
  );

/** `count` remote logs under one parallel, set up; ticked side by side to the end. */
async function parallelOfLogs(server: StubServer, count: number) {
  const behaviours = Array.from({ length: count }, (_, i) =>
    track(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: `item ${i}` })),
      ),
    ),
  );
  new Parallel('side by side', behaviours);
  for (const behaviour of behaviours) await behaviour.setup(setupContext);
  const statuses = await runSideBySide(behaviours, 20, 500);
  for (const behaviour of behaviours) await behaviour.shutdown();
  return statuses;
}

describe('actions side by side', () => {
  it(`share at most ${MAX_IN_FLIGHT} connections while the server answers`, async () => {
    // Every reply a little later, as a busy server's: calls overlap.
    const server = await startServer(
      (r: RecordedRequest) => new Promise((resolve) => setTimeout(() => resolve(okHandler(r)), 2)),
    );
    const statuses = await parallelOfLogs(server, 3 * MAX_IN_FLIGHT);
    expect(statuses).toEqual(Array(3 * MAX_IN_FLIGHT).fill(Status.SUCCESS));
    expect(server.commands('update')).toHaveLength(3 * MAX_IN_FLIGHT);
    expect(channels(server).size).toBeGreaterThan(1);
    expect(channels(server).size).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  });

  it('open more connections when the server holds their calls, rather than wait for it', async () => {
    // Every update is held until all of them arrived (or 5 s passed): with the calls waiting
    // for channels to come back, they could never all arrive.
    const count = 3 * MAX_IN_FLIGHT;
    let releaseAll: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => {
      releaseAll = resolve;
      setTimeout(resolve, 5000).unref();
    });
    let heldAtRelease = 0;
    void allArrived.then(() => {
      heldAtRelease = server.commands('update').length;
    });
    const server = await startServer((r: RecordedRequest) => {
      if (r.cmd !== 'update') return okHandler(r);
      if (server.commands('update').length === count) releaseAll();
      return allArrived.then(() => okHandler(r));
    });
    const statuses = await parallelOfLogs(server, count);
    expect(statuses).toEqual(Array(count).fill(Status.SUCCESS));
    expect(heldAtRelease).toBe(count);
    expect(channels(server).size).toBeGreaterThan(MAX_IN_FLIGHT);
  });
});
