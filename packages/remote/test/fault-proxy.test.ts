/**
 * The fault-injecting proxy of the network-fault tests (helpers/fault-proxy.ts),
 * between a plain ZeroMQ REQ socket and a stub server: each fault does what
 * it says, and nothing else.
 */
import { encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Request } from 'zeromq';
import { FaultProxy } from './helpers/fault-proxy.js';
import { okHandler, type StubHandler, StubServer } from './helpers/stub-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(handler: StubHandler = okHandler): Promise<{ server: StubServer; proxy: FaultProxy }> {
  const server = await StubServer.start(handler);
  cleanups.push(() => server.close());
  const proxy = await FaultProxy.start({ port: Number(server.address.slice(server.address.lastIndexOf(':') + 1)) });
  cleanups.push(() => proxy.close());
  return { server, proxy };
}

function client(address: string, timeoutMs = 10_000): Request {
  const socket = new Request({
    linger: 0,
    relaxed: true,
    correlate: true,
    sendTimeout: timeoutMs,
    receiveTimeout: timeoutMs,
  });
  socket.connect(address);
  cleanups.push(() => socket.close());
  return socket;
}

const update = (id: string) => encodeRequest(makeRequest('update', { action_id: id }));

/**
 * Send one request and wait for its reply, within the socket's timeout.
 * zeromq.js rejects a receive at once when the only message queued was a
 * stale reply (one the REQ socket drops, as the duplicate's): it waits on.
 */
async function roundTrip(socket: Request, body: Buffer): Promise<Buffer> {
  await socket.send(body);
  const deadline = performance.now() + socket.receiveTimeout;
  for (;;) {
    try {
      const frames = await socket.receive();
      return frames[frames.length - 1] as Buffer;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EAGAIN' || performance.now() >= deadline) throw err;
    }
  }
}

describe('the fault proxy', () => {
  it('passes requests and replies unchanged, and records the commands it saw', async () => {
    const { server, proxy } = await setUp();
    const socket = client(proxy.address);
    // A payload above 255 bytes travels in a long ZMTP frame.
    const long = 'x'.repeat(70_000);
    await roundTrip(socket, update(long));
    await roundTrip(socket, update('a'));
    expect(server.requests.map((r) => r.bytes)).toEqual([update(long), update('a')]);
    expect(proxy.requests.map((r) => [r.cmd, r.actionId, r.connection])).toEqual([
      ['update', long, 1],
      ['update', 'a', 1],
    ]);
  });

  it('delays each way: a round trip takes at least twice the delay', async () => {
    const { proxy } = await setUp();
    const socket = client(proxy.address);
    await roundTrip(socket, update('warm'));
    proxy.delay(100);
    const started = performance.now();
    await roundTrip(socket, update('slow'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 100 - 5);
  });

  it('blackholes: nothing arrives, new connections are held, until it heals; then all of it arrives', async () => {
    let healed = false;
    /** Each request as it reaches the server, with whether the blackhole had healed by then. */
    const arrivals: string[] = [];
    const { proxy } = await setUp((r) => {
      arrivals.push(`${r.payload.action_id} ${healed ? 'after' : 'before'} the heal`);
      return okHandler(r);
    });
    const socket = client(proxy.address);
    await roundTrip(socket, update('first'));
    const hole = proxy.blackhole();
    const during = roundTrip(socket, update('during')).then(() => healed);
    const late = client(proxy.address);
    const fromLate = roundTrip(late, update('new connection')).then(() => healed);
    // Time for anything that leaks through to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    healed = true;
    proxy.heal();
    await hole;
    expect(await during).toBe(true);
    expect(await fromLate).toBe(true);
    expect(arrivals.sort()).toEqual([
      'during after the heal',
      'first before the heal',
      'new connection after the heal',
    ]);
  });

  it('resets every open connection; ZeroMQ connects again through it', async () => {
    const { proxy } = await setUp();
    const socket = client(proxy.address);
    await roundTrip(socket, update('a'));
    const dropped = new Promise<void>((resolve) => socket.events.on('disconnect', () => resolve()));
    expect(proxy.resetAll()).toBe(1);
    await dropped;
    expect(await roundTrip(socket, update('b'))).toBeDefined();
    expect(proxy.accepted).toBe(2);
    expect(proxy.seen('update').map((r) => r.connection)).toEqual([1, 2]);
  });

  it('duplicates chosen requests: the server gets them twice, the client takes one reply', async () => {
    let n = 0;
    const { server, proxy } = await setUp(() => ({ status: 'ok', action_status: `reply ${++n}` }));
    proxy.duplicateRequests((r) => r.actionId === 'twice');
    const socket = client(proxy.address);
    const first = await roundTrip(socket, update('twice'));
    const second = await roundTrip(socket, update('once'));
    expect(server.requests.map((r) => r.payload.action_id)).toEqual(['twice', 'twice', 'once']);
    // The reply to the duplicate ('reply 2') is dropped by the client's REQ socket.
    expect([first.toString('latin1'), second.toString('latin1')]).toEqual([
      expect.stringContaining('reply 1'),
      expect.stringContaining('reply 3'),
    ]);
  });

  it('loses the reply to a chosen request and cuts its connection', async () => {
    const { server, proxy } = await setUp();
    proxy.loseReplyTo((r) => r.actionId === 'lost');
    const socket = client(proxy.address, 500);
    const dropped = new Promise<void>((resolve) => socket.events.on('disconnect', () => resolve()));
    const error = await roundTrip(socket, update('lost')).catch((e: unknown) => e);
    await dropped;
    expect((error as { code?: string }).code).toBe('EAGAIN');
    expect(server.commands('update')).toHaveLength(1);
    // Only once: the next request is answered.
    expect(await roundTrip(socket, update('lost'))).toBeDefined();
  });
});
