/**
 * A remote action with a reply budget (as remote() sets it up): a tick waits
 * for a reply only that long; a late reply is taken by a later tick, and the
 * calls of the action stay in order. No timing assertions: ticks and statuses.
 */
import { Status } from 'scenario-execution';
import { describe, expect, it, vi } from 'vitest';
import { PendingReply } from '../src/pending-reply.js';
import { arrivesWithin } from '../src/reply-budget.js';
import type { RemoteActionBehaviour } from '../src/remote-behaviour.js';
import { actionInfo, collectingLogger, remoteBehaviour, runToEnd, setupContext, sleep } from './helpers/fakes.js';
import { waitFor } from './helpers/processes.js';
import { okHandler, type StubServer } from './helpers/stub-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { startServer, track } = useTestScope();

/** 5 ms of the 0.1 s tick, alone or not; the slow replies below take 20 times that. */
const BUDGET = { shared: 0.05, lone: 0.05 };
/** 1 s per tick: even a loaded machine answers within it. */
const GENEROUS = { shared: 10, lone: 10 };
const LATE_MS = 100;
/** Two tick periods of setupContext's 0.1 s. */
const SOME_MS = 200;

function budgeted(address: string, options: Parameters<typeof remoteBehaviour>[2] = {}): RemoteActionBehaviour {
  const behaviour = remoteBehaviour(
    address,
    actionInfo('run_process', () => ({ command: 'x' })),
    { replyBudget: BUDGET, ...options },
  );
  return track(behaviour);
}

/** The commands the server got about actions (no heartbeats), in arrival order. */
function lifecycle(server: StubServer): string[] {
  return server.requests
    .filter((r) => r.cmd !== 'heartbeat')
    .map((r) => (r.cmd === 'terminate' ? `terminate(${String(r.payload.new_status)})` : r.cmd));
}

describe('remote behaviour with a reply budget', () => {
  it('stays RUNNING while the update reply is late, then takes it on a later tick without asking again', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'update') await sleep(LATE_MS);
      return okHandler(r);
    });
    const behaviour = budgeted(server.address);
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    expect((await runToEnd(behaviour, 20)).status).toBe(Status.SUCCESS);
    // The reset goes out after the terminate, which is not waited for: once reset, all is in.
    await behaviour.shutdown();
    // One update, answered late and taken then: no second request for the same status.
    expect(server.commands('update')).toHaveLength(1);
    expect(lifecycle(server)).toEqual(['init', 'setup', 'execute', 'update', 'terminate(SUCCESS)', 'reset']);
  });

  it('asks again on the tick after a late RUNNING, and takes the fresh reply in that tick', async () => {
    let updates = 0;
    const server = await startServer(async (r) => {
      if (r.cmd !== 'update') return okHandler(r);
      updates++;
      if (updates === 1) {
        await sleep(2 * SOME_MS);
        return { status: 'ok', action_status: 'running' };
      }
      return { status: 'ok', action_status: 'success' };
    });
    // A tick waits SOME_MS: the first update is late, the second (answered at once) is not.
    const behaviour = budgeted(server.address, { replyBudget: { shared: 2, lone: 2 } });
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    await sleep(3 * SOME_MS);
    // Its RUNNING is in, but stale: the next tick sends a fresh update and completes with it.
    expect(await behaviour.tick()).toBe(Status.SUCCESS);
    expect(server.commands('update')).toHaveLength(2);
  });

  it('asks again after late RUNNINGs for at most 16 actions a tick: a loaded server is not asked twice as often', async () => {
    const firstAnswered = new Set<unknown>();
    const server = await startServer(async (r) => {
      if (r.cmd !== 'update') return okHandler(r);
      if (!firstAnswered.has(r.payload.action_id)) {
        firstAnswered.add(r.payload.action_id);
        await sleep(2 * SOME_MS);
        return { status: 'ok', action_status: 'running' };
      }
      return { status: 'ok', action_status: 'success' };
    });
    const behaviours = Array.from({ length: 20 }, () =>
      budgeted(server.address, { replyBudget: { shared: 2, lone: 2 } }),
    );
    await Promise.all(behaviours.map((b) => b.setup(setupContext)));
    expect(await Promise.all(behaviours.map((b) => b.tick()))).toEqual(behaviours.map(() => Status.RUNNING));
    await sleep(3 * SOME_MS);
    // All late RUNNINGs are in; in tree order, 16 actions ask again and complete, the others take theirs.
    const statuses = await Promise.all(behaviours.map((b) => b.tick()));
    expect(statuses).toEqual([...Array(16).fill(Status.SUCCESS), ...Array(4).fill(Status.RUNNING)]);
    expect(server.commands('update')).toHaveLength(36);
  });

  it('does not hold the tick while execute is slow, and reports its refusal on a later tick', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'execute') {
        await sleep(LATE_MS);
        return { status: 'error', message: 'bad args' };
      }
      return okHandler(r);
    });
    const behaviour = budgeted(server.address);
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    expect((await runToEnd(behaviour, 20)).status).toBe(Status.FAILURE);
    expect(behaviour.feedbackMessage).toBe('execute failed: bad args');
    expect(server.commands('update')).toHaveLength(0);
  });

  it('completes in the same tick when the replies come within the budget', async () => {
    const server = await startServer(okHandler);
    const behaviour = budgeted(server.address, { replyBudget: GENEROUS });
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.SUCCESS);
    await behaviour.shutdown();
    expect(lifecycle(server)).toEqual(['init', 'setup', 'execute', 'update', 'terminate(SUCCESS)', 'reset']);
  });

  it('does not wait for the reply to terminate', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'terminate') await sleep(LATE_MS);
      return r.cmd === 'update' ? { status: 'ok', action_status: 'running' } : okHandler(r);
    });
    const behaviour = budgeted(server.address, { replyBudget: GENEROUS });
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    // Interrupting returns at once (no promise to wait for), with the status set.
    expect(behaviour.stop(Status.INVALID)).toBeUndefined();
    expect(behaviour.status).toBe(Status.INVALID);
    await behaviour.shutdown();
    expect(lifecycle(server)).toEqual(['init', 'setup', 'execute', 'update', 'terminate(INVALID)', 'reset']);
  });

  it('keeps the calls in order when interrupted with a late update, and a stale reply does not fail the next run', async () => {
    let updates = 0;
    // The first update is answered only once the action was interrupted.
    let answerLate!: () => void;
    const interrupted = new Promise<void>((resolve) => {
      answerLate = resolve;
    });
    const server = await startServer(async (r) => {
      if (r.cmd !== 'update') return okHandler(r);
      updates++;
      if (updates === 1) {
        await interrupted;
        return { status: 'error', message: 'late and wrong' };
      }
      return { status: 'ok', action_status: 'success' };
    });
    const logger = collectingLogger();
    const behaviour = budgeted(server.address, { logger });
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.RUNNING);
    // Its update went out (after execute's reply, which a loaded machine may take longer for than the budget).
    expect(await waitFor(() => server.commands('update').length === 1, 5000)).toBe(true);
    // Interrupted (a timeout or a parallel sibling) while its update is unanswered.
    await behaviour.stop(Status.INVALID);
    answerLate();
    // Started again: its execute goes out after the terminate.
    const { status } = await runToEnd(behaviour, 20);
    expect(status).toBe(Status.SUCCESS);
    expect(behaviour.feedbackMessage).not.toContain('late and wrong');
    await behaviour.shutdown();
    expect(lifecycle(server)).toEqual([
      'init',
      'setup',
      'execute',
      'update',
      'terminate(INVALID)',
      'execute',
      'update',
      'terminate(SUCCESS)',
      'reset',
    ]);
    // The stale error is still logged.
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('late and wrong'))).toBe(true);
  });
});

describe('remote actions queued for their init', () => {
  it('set up more actions than connect ahead at once, all in order', async () => {
    const server = await startServer(okHandler);
    const behaviours = Array.from({ length: 40 }, (_, i) => budgeted(server.address, { actionId: `many-${i}` }));
    await Promise.all(behaviours.map((b) => b.setup(setupContext)));
    expect(server.commands('init').map((r) => r.payload.action_id)).toEqual(behaviours.map((b) => b.client.actionId));
  });

  it('do not connect once shut down while waiting in line', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'init' && r.payload.action_id === 'line-0') await sleep(100);
      return okHandler(r);
    });
    const behaviours = Array.from({ length: 40 }, (_, i) => budgeted(server.address, { actionId: `line-${i}` }));
    const setups = behaviours.map((b) =>
      Promise.resolve(b.setup(setupContext)).then(
        () => 'set up',
        (e: unknown) => (e as Error).message,
      ),
    );
    // The last one is far back in the line: shut it down before its socket connects.
    await behaviours[39]!.shutdown();
    const outcomes = await Promise.all(setups);
    expect(outcomes.slice(0, 39).every((o) => o === 'set up')).toBe(true);
    expect(outcomes[39]).toContain('is closed');
    expect(server.requests.filter((r) => r.payload.action_id === 'line-39')).toHaveLength(0);
  });
});

describe('remote behaviours waiting alone or together', () => {
  /** 1 ms per 0.1 s tick while other replies are awaited, 1 s for a reply awaited alone. */
  const LONE_FRIENDLY = { shared: 0.01, lone: 10 };

  it('waits for a reply awaited alone up to the lone budget: the action completes in its tick', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'update') await sleep(50);
      return okHandler(r);
    });
    const behaviour = budgeted(server.address, { replyBudget: LONE_FRIENDLY });
    await behaviour.setup(setupContext);
    expect(await behaviour.tick()).toBe(Status.SUCCESS);
  });

  it('waits for replies awaited together only the shared budget', async () => {
    const server = await startServer(async (r) => {
      if (r.cmd === 'update') await sleep(50);
      return okHandler(r);
    });
    const behaviours = [0, 1].map(() => budgeted(server.address, { replyBudget: LONE_FRIENDLY }));
    for (const b of behaviours) await b.setup(setupContext);
    expect(await Promise.all(behaviours.map((b) => b.tick()))).toEqual([Status.RUNNING, Status.RUNNING]);
  });

  it('ends a lone wait past its shared budget as soon as another wait starts', async () => {
    const never = new Promise<true>(() => {});
    const lone = arrivesWithin(never, { sharedMs: 1, loneMs: 60_000 });
    await sleep(20);
    const other = arrivesWithin(never, { sharedMs: 1, loneMs: 1 });
    // Without the cut, the first wait would last a minute (beyond the test's timeout).
    expect(await lone).toBe(false);
    expect(await other).toBe(false);
  });

  it('ends the other waits when a reply is taken past the budget, before the budget timer has had its turn', async () => {
    // The group's timer never fires: only the late reply can end the second wait.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let arrive!: (value: true) => void;
      const first = arrivesWithin(
        new Promise<true>((resolve) => {
          arrive = resolve;
        }),
        { sharedMs: 1, loneMs: 1 },
      );
      const second = arrivesWithin(new Promise<true>(() => {}), { sharedMs: 1, loneMs: 1 });
      // Busy past the budget, as while reading many replies in one go.
      const busyUntil = performance.now() + 5;
      while (performance.now() < busyUntil) {
        // spin
      }
      arrive(true);
      expect(await first).toBe(true);
      expect(await second).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('PendingReply', () => {
  it('is in at once for a plain value and after the promise settles otherwise', async () => {
    const budget = { sharedMs: 1, loneMs: 1 };
    expect(new PendingReply(Status.FAILURE).arrivedWithin(budget)).toBe(true);
    let resolve!: (s: Status) => void;
    const pending = new PendingReply(new Promise<Status>((r) => (resolve = r)));
    expect(pending.arrived).toBe(false);
    expect(await pending.arrivedWithin(budget)).toBe(false);
    resolve(Status.SUCCESS);
    expect(await pending.arrivedWithin(undefined)).toBe(true);
    expect(pending.result()).toBe(Status.SUCCESS);
  });

  it('rethrows what the call threw', async () => {
    const pending = new PendingReply(Promise.reject(new Error('encode failed')));
    expect(await pending.arrivedWithin({ sharedMs: 1000, loneMs: 1000 })).toBe(true);
    expect(() => pending.result()).toThrow('encode failed');
  });
});

describe('remote actions set up side by side', () => {
  it('connect together but send their inits one after the other, in the order their setups started', async () => {
    let initsAnswered = 0;
    /** For each init as it arrives: how many inits had been answered before. */
    const answeredBefore: number[] = [];
    const server = await startServer(async (r) => {
      if (r.cmd !== 'init') return okHandler(r);
      answeredBefore.push(initsAnswered);
      await sleep(20);
      initsAnswered++;
      return okHandler(r);
    });
    const behaviours = [0, 1, 2, 3, 4].map((i) => budgeted(server.address, { actionId: `action-${i}` }));
    await Promise.all(behaviours.map((b) => b.setup(setupContext)));
    const inits = server.commands('init').map((r) => r.payload.action_id);
    expect(inits).toEqual(['action-0', 'action-1', 'action-2', 'action-3', 'action-4']);
    expect(answeredBefore).toEqual([0, 1, 2, 3, 4]);
    expect(server.commands('setup')).toHaveLength(5);
  });
});
