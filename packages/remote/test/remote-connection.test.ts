import { encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteCallError, RemoteConnection } from '../src/remote-connection.js';
import { FaultProxy } from './helpers/fault-proxy.js';
import { okHandler, type StubHandler, StubServer } from './helpers/stub-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server on the address another one just left. ZeroMQ releases a port
 * in its own time, after close: bind again until it is free (bounded).
 */
async function startServerAgain(handler: StubHandler, address: string): Promise<StubServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServer(handler, address);
    } catch (err) {
      if (attempt >= 100 || !String(err).includes('Address already in use')) throw err;
      await sleep(20);
    }
  }
}

/** Wait (bounded: 10 s) until `check` holds. */
async function waitUntil(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(20);
  return check();
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(...args: Parameters<typeof StubServer.start>): Promise<StubServer> {
  const server = await StubServer.start(...args);
  cleanups.push(() => server.close());
  return server;
}

function connect(address: string, options: Partial<ConstructorParameters<typeof RemoteConnection>[0]> = {}) {
  const connection = new RemoteConnection({ address, heartbeatTimeoutMs: 1000, ...options });
  connection.open();
  cleanups.push(() => connection.close());
  return connection;
}

describe('RemoteConnection', () => {
  it('names its bound in a timeout only when that long has passed; an early failure says how long it waited', async () => {
    const server = await startServer(() => undefined);
    const connection = connect(server.address);
    const call = connection.call('terminate', { action_id: 'a', new_status: 'INVALID' }, 30_000).catch((e) => e);
    expect(await waitUntil(() => server.commands('terminate').length === 1)).toBe(true);
    // The ZeroMQ socket fails under the call (as a closing context or a failing transport makes it),
    // not through the connection's own close().
    (connection as unknown as { inFlight: { socket: { close(): void } } }).inFlight.socket.close();
    const error = await call;
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error.message).not.toContain('within 30s');
    expect(error.message).toMatch(
      new RegExp(`^no reply from ${server.address} to 'terminate' after \\d+(\\.\\d+)?s: `),
    );
    const timedOut = await connect(server.address)
      .call('update', { action_id: 'b' }, 300)
      .catch((e) => e);
    expect(timedOut.message).toBe(`no reply from ${server.address} to 'update' within 0.3s`);
  });

  it('sends the exact request bytes and returns the parsed reply', async () => {
    const server = await startServer(okHandler);
    const connection = connect(server.address);
    const reply = await connection.call('update', { action_id: 'a1' }, 2000);
    expect(reply).toEqual({ status: 'ok', action_status: 'success' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.bytes).toEqual(encodeRequest(makeRequest('update', { action_id: 'a1' })));
  });

  it('passes replies with log lines and feedback to onReply, in order', async () => {
    const server = await startServer((r) => ({
      status: 'ok',
      log: [{ level: 'info', msg: `got ${r.cmd}` }],
      feedback: `after ${r.cmd}`,
    }));
    const seen: string[] = [];
    const connection = connect(server.address, {
      onReply: (reply, cmd) => seen.push(`${cmd}:${reply.log?.[0]?.msg}:${reply.feedback}`),
    });
    await connection.call('init', { action_id: 'a', plugin_key: 'log', init_args: {}, output_dir: null }, 2000);
    await connection.call('update', { action_id: 'a' }, 2000);
    expect(seen).toEqual(['init:got init:after init', 'update:got update:after update']);
  });

  it('serializes concurrent calls on its one socket', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const server = await startServer(async (r) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      // Held a moment: a request sent before this reply would arrive meanwhile.
      await sleep(30);
      inFlight--;
      return { status: 'ok', message: r.cmd };
    });
    const connection = connect(server.address);
    const replies = await Promise.all([
      connection.call('update', { action_id: '1' }, 2000),
      connection.call('update', { action_id: '2' }, 2000),
      connection.call('update', { action_id: '3' }, 2000),
    ]);
    expect(replies.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(server.requests.map((r) => r.payload.action_id)).toEqual(['1', '2', '3']);
    // Each request arrived only after the previous one was answered.
    expect(mostInFlight).toBe(1);
  });

  it('times out a call nobody answers, then works again and drops the late reply', async () => {
    let silentFor = 'update';
    let answerLate: () => void = () => undefined;
    const late = new Promise<void>((resolve) => {
      answerLate = resolve;
    });
    let lateAnswered = false;
    const server = await startServer(async (r) => {
      if (r.cmd === silentFor) {
        silentFor = '';
        await late;
        lateAnswered = true;
        return { status: 'ok', action_status: 'running' };
      }
      return { status: 'ok', action_status: 'success' };
    });
    const connection = connect(server.address);
    const error = await connection.call('update', { action_id: 'x' }, 150).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteCallError);
    expect((error as RemoteCallError).kind).toBe('timeout');
    expect((error as RemoteCallError).message).toContain(server.address);
    // The reply to the timed-out update is sent now, before the next call.
    answerLate();
    expect(await waitUntil(() => lateAnswered)).toBe(true);
    await sleep(0);
    // The late "running" reply to the first update must not be taken for this one.
    const reply = await connection.call('update', { action_id: 'x' }, 2000);
    expect(reply).toEqual({ status: 'ok', action_status: 'success' });
  });

  it('fails a call at its timeout when nothing listens', async () => {
    const connection = connect('tcp://127.0.0.1:1');
    const started = performance.now();
    const error = await connection.call('heartbeat', {}, 300).catch((e: unknown) => e);
    expect((error as RemoteCallError).kind).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    // A promise of the product (the call gives up at its bound, 0.3 s): the bound is generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('sends a heartbeat each interval while idle and none while a call is in flight', async () => {
    let slow = false;
    const server = await startServer(async (r) => {
      if (r.cmd === 'update' && slow) await sleep(650);
      return { status: 'ok' };
    });
    const connection = connect(server.address, { heartbeatIntervalMs: 100 });
    const startedAt = performance.now();
    connection.startHeartbeat();
    expect(await waitUntil(() => server.commands('heartbeat').length >= 3)).toBe(true);
    // No more than one each interval, however long the wait took.
    expect(server.commands('heartbeat').length).toBeLessThanOrEqual((performance.now() - startedAt) / 100 + 1);

    slow = true;
    const before = server.commands('heartbeat').length;
    const callStarted = performance.now();
    await connection.call('update', { action_id: 'a' }, 2000);
    // While the update was in flight, no heartbeat was sent (skipped, not queued).
    expect(server.commands('heartbeat').length - before).toBeLessThanOrEqual(1);
    // The update's reply (at least 650 ms after the call began) counts as the server's last sign of life.
    expect(connection.silenceMs()).toBeLessThanOrEqual(performance.now() - callStarted - 600);
    connection.stopHeartbeat();
    const stopped = server.commands('heartbeat').length;
    // Nothing can be waited for here: three heartbeat periods pass in silence.
    await sleep(300);
    expect(server.commands('heartbeat').length).toBe(stopped);
  });

  it('sends the call in flight again when the connection drops, and takes the reply from the new connection', async () => {
    const first = await StubServer.start(() => undefined);
    const connection = connect(first.address);
    const pending = connection.call('update', { action_id: 'a' }, 10_000);
    expect(await waitUntil(() => first.commands('update').length === 1)).toBe(true);
    // The server goes away with the request unanswered, and comes back on the same address.
    await first.close();
    const second = await startServerAgain(okHandler, first.address);
    expect(await pending).toEqual({ status: 'ok', action_status: 'success' });
    expect(connection.resends).toBeGreaterThanOrEqual(1);
    expect(second.commands('update')).toHaveLength(1);
    expect(connection.lost).toBeUndefined();
  });

  it('fails a call at its bound, naming the lost connection, when the server does not come back', async () => {
    const server = await StubServer.start(() => undefined);
    const connection = connect(server.address);
    const pending = connection.call('update', { action_id: 'a' }, 800).catch((e: unknown) => e);
    expect(await waitUntil(() => server.commands('update').length === 1)).toBe(true);
    await server.close();
    const error = (await pending) as RemoteCallError;
    expect(error.kind).toBe('lost');
    expect(error.message).toBe(
      `connection to ${server.address} lost and not re-established: no reply to 'update' within 0.8s`,
    );
    // Not broken for good: a server that comes back is used again (it may get the
    // timed-out request too, still queued; its reply is dropped).
    await startServerAgain(okHandler, server.address);
    expect(await connection.call('update', { action_id: 'b' }, 10_000)).toEqual({
      status: 'ok',
      action_status: 'success',
    });
  });

  it('waits on for its reply when a stale reply is queued before it (zeromq.js would reject at once)', async () => {
    const server = await startServer(okHandler);
    const proxy = await FaultProxy.start({ port: Number(server.address.slice(server.address.lastIndexOf(':') + 1)) });
    cleanups.push(() => proxy.close());
    // Every request answered twice: before each reply, the duplicate of the previous one is queued.
    proxy.duplicateRequests(() => true);
    const connection = connect(proxy.address);
    for (let i = 0; i < 5; i++) {
      expect(await connection.call('update', { action_id: `a${i}` }, 10_000)).toEqual({
        status: 'ok',
        action_status: 'success',
      });
    }
    expect(server.commands('update')).toHaveLength(10);
  });

  it('rejects queued calls after close', async () => {
    const server = await startServer(() => undefined);
    const connection = connect(server.address);
    const first = connection.call('heartbeat', {}, 2000).catch((e: unknown) => e);
    const second = connection.call('heartbeat', {}, 2000).catch((e: unknown) => e);
    expect(await waitUntil(() => server.commands('heartbeat').length === 1)).toBe(true);
    connection.close();
    expect(((await first) as RemoteCallError).kind).toBe('closed');
    expect(((await second) as RemoteCallError).kind).toBe('closed');
  });
});
