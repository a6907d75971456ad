/**
 * How the server takes in messages: frames that are not one request get an
 * error reply in the envelope they came in, and closed connections are logged
 * with the hard size limit (ZeroMQ gives no other sign of a dropped frame).
 */
import { decodeReply, encode, type Reply } from '@scenario-execution/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer, Request } from 'zeromq';
import { TestClient } from './support/client.js';
import { STOPPING_MESSAGE } from '../src/server.js';
import { type RunningServer, startServer, waitFor } from './support/harness.js';

const HEARTBEAT = encode({ cmd: 'heartbeat', payload: {} });
const EMPTY = Buffer.alloc(0);

let running: RunningServer | undefined;
const sockets: { close(): void }[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await running?.close();
  running = undefined;
});

async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  running = await startServer(options);
  return running;
}

function dealer(endpoint: string): Dealer {
  const socket = new Dealer({ linger: 0, receiveTimeout: 3000 });
  socket.connect(endpoint);
  sockets.push(socket);
  return socket;
}

/** The reply's frames before its body, and the body decoded. */
async function exchange(socket: Dealer, frames: Buffer[]): Promise<{ envelope: Buffer[]; reply: Reply }> {
  await socket.send(frames);
  const received = await socket.receive();
  const decoded = decodeReply(received[received.length - 1] as Buffer);
  if (!decoded.ok) throw new Error(decoded.error);
  return { envelope: received.slice(0, -1), reply: decoded.value };
}

describe('frames that are not one request', () => {
  it('answers several body frames after the delimiter with an error, and logs it', async () => {
    const { endpoint, lines } = await serve();
    const { envelope, reply } = await exchange(dealer(endpoint), [EMPTY, HEARTBEAT, HEARTBEAT]);
    expect(envelope).toEqual([EMPTY]);
    const message = 'multi-part message: 2 frames after the empty delimiter frame; a request is one frame';
    expect(reply).toEqual({ status: 'error', message });
    expect(lines.some((l) => l.includes('[ERROR]') && l.includes(`Bad request: ${message}`))).toBe(true);
  });

  it('answers a REQ client that sends a multi-part request', async () => {
    const { endpoint } = await serve();
    const req = new Request({ linger: 0, receiveTimeout: 3000 });
    sockets.push(req);
    req.connect(endpoint);
    await req.send([HEARTBEAT, Buffer.from('extra')]);
    const [body] = await req.receive();
    expect(decodeReply(body as Buffer)).toEqual({
      ok: true,
      value: {
        status: 'error',
        message: 'multi-part message: 2 frames after the empty delimiter frame; a request is one frame',
      },
    });
  });

  it('answers several frames without a delimiter with an error, without a delimiter', async () => {
    const { endpoint } = await serve();
    const { envelope, reply } = await exchange(dealer(endpoint), [HEARTBEAT, HEARTBEAT, HEARTBEAT]);
    expect(envelope).toEqual([]);
    expect(reply).toEqual({
      status: 'error',
      message: 'multi-part message: 3 frames and no empty delimiter frame; a request is one frame',
    });
  });

  it('answers a delimiter without a body with an error', async () => {
    const { endpoint } = await serve();
    const { envelope, reply } = await exchange(dealer(endpoint), [EMPTY]);
    expect(envelope).toEqual([EMPTY]);
    expect(reply).toEqual({
      status: 'error',
      message: 'message has no body: no frame follows the empty delimiter frame',
    });
  });

  it('keeps routing frames before the delimiter, as a proxy adds them', async () => {
    const { endpoint } = await serve();
    const route = [Buffer.from('hop-1'), Buffer.from('hop-2'), EMPTY];
    const ok = await exchange(dealer(endpoint), [...route, HEARTBEAT]);
    expect(ok).toEqual({ envelope: route, reply: { status: 'ok' } });
    const bad = await exchange(dealer(endpoint), [...route, Buffer.from([0xc1])]);
    expect(bad.envelope).toEqual(route);
    expect(bad.reply).toEqual({ status: 'error', message: 'invalid msgpack: invalid type byte 0xc1 at offset 0' });
  });

  it('still answers one bare frame from a DEALER, without a delimiter', async () => {
    const { endpoint } = await serve();
    expect(await exchange(dealer(endpoint), [HEARTBEAT])).toEqual({ envelope: [], reply: { status: 'ok' } });
  });
});

describe('a call that fails unexpectedly', () => {
  it('gets an error reply rather than none', async () => {
    const server = await serve();
    server.host.handle = () => Promise.reject(new Error('plugin blew up'));
    const client = new TestClient(server.endpoint, 3000);
    sockets.push(client);
    expect(await client.call('update', { action_id: 'abc' })).toEqual({
      status: 'error',
      message: 'the server failed to answer: plugin blew up',
    });
    expect(server.lines.some((l) => l.includes('Answering a request failed: plugin blew up'))).toBe(true);
    expect(server.server.requestsInFlight).toBe(0);
  });
});

describe('frames above the hard size limit', () => {
  it('are dropped by ZeroMQ with the connection, which is logged with the limit (DEBUG)', async () => {
    const server = await serve({ maxMessageSize: 1024, verbose: true });
    const huge = dealer(server.endpoint);
    huge.receiveTimeout = 500;
    await huge.send(Buffer.alloc(4097, 0x61));
    await expect(huge.receive()).rejects.toThrow();
    const logged = (l: string) =>
      l.includes('A client connection closed') && l.includes('hard size limit of 4096 bytes');
    expect(await waitFor(() => server.lines.some(logged))).toBe(true);
    const client = new TestClient(server.endpoint, 3000);
    sockets.push(client);
    expect(await client.call('heartbeat', {})).toEqual({ status: 'ok' });
  });
});

describe('closed client connections', () => {
  const closedOne = (l: string) => l.includes('A client connection closed');
  const summary = (l: string) => /\[INFO\].* client connections? closed in the last/.test(l);

  async function closeConnections(server: RunningServer, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const client = new TestClient(server.endpoint, 3000);
      expect(await client.call('heartbeat', {})).toEqual({ status: 'ok' });
      client.close();
    }
  }

  it('are one summary line at INFO, with the count, not a line each', async () => {
    const server = await serve({ disconnectSummaryMs: 200, checkIntervalMs: 20 });
    await closeConnections(server, 5);
    expect(await waitFor(() => server.lines.some(summary))).toBe(true);
    expect(server.lines.some(closedOne)).toBe(false);
    // Every closed connection is counted once over the summary lines (ZeroMQ reports each close once).
    expect(
      await waitFor(() => {
        const counted = server.lines
          .filter(summary)
          .map((l) => Number(/(\d+) client connections? closed/.exec(l)?.[1] ?? '0'))
          .reduce((a, b) => a + b, 0);
        return counted === 5;
      }),
    ).toBe(true);
  });

  it('are a line each at DEBUG', async () => {
    const server = await serve({ verbose: true });
    await closeConnections(server, 3);
    expect(await waitFor(() => server.lines.filter(closedOne).length === 3)).toBe(true);
  });

  it('say nothing at INFO before the summary is due', async () => {
    const server = await serve({ disconnectSummaryMs: 3_600_000, checkIntervalMs: 20 });
    await closeConnections(server, 3);
    const probe = new TestClient(server.endpoint, 3000);
    sockets.push(probe);
    // Heartbeats go on while the server's timer runs a few times.
    for (let i = 0; i < 5; i++) expect(await probe.call('heartbeat', {})).toEqual({ status: 'ok' });
    expect(server.lines.some(summary) || server.lines.some(closedOne)).toBe(false);
  });
});

describe('a burst of calls', () => {
  it('does not hold up a heartbeat read after it: calls start in slices, heartbeats are answered when read', async () => {
    const BURST = 300;
    let started = 0;
    let startedAtHeartbeat: number | undefined;
    const server = await serve({
      observer: {
        request() {},
        replied(command) {
          if (command === 'heartbeat') startedAtHeartbeat ??= started;
        },
        reaped() {},
        refused() {},
      },
    });
    const handle = server.host.handle.bind(server.host);
    server.host.handle = (request) => {
      started++;
      return handle(request);
    };
    const socket = dealer(server.endpoint);
    for (let i = 0; i < BURST; i++) {
      await socket.send([EMPTY, encode({ cmd: 'update', payload: { action_id: `burst-${i}` } })]);
    }
    await socket.send([EMPTY, HEARTBEAT]);
    const replies: Reply[] = [];
    for (let i = 0; i <= BURST; i++) {
      const frames = await socket.receive();
      const decoded = decodeReply(frames[frames.length - 1] as Buffer);
      if (!decoded.ok) throw new Error(decoded.error);
      replies.push(decoded.value);
    }
    // Every call was answered (unknown actions), and the heartbeat too.
    expect(replies.filter((r) => r.status === 'error')).toHaveLength(BURST);
    expect(replies.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(started).toBe(BURST);
    // The heartbeat was answered before the burst had been worked through.
    expect(startedAtHeartbeat).toBeLessThan(BURST);
    expect(replies.findIndex((r) => r.status === 'ok')).toBeLessThan(BURST);
  });

  it('answers a call not yet started when the server stops with "the server is stopping", and never starts it', async () => {
    let stopNow: (() => void) | undefined;
    const server = await serve({
      observer: {
        // Told as soon as the request is read: its call waits for its slice.
        request(command) {
          if (command === 'init') stopNow?.();
        },
        replied() {},
        reaped() {},
        refused() {},
      },
    });
    stopNow = () => server.server.stop();
    let started = 0;
    const handle = server.host.handle.bind(server.host);
    server.host.handle = (request) => {
      started++;
      return handle(request);
    };
    const socket = dealer(server.endpoint);
    const init = { action_id: 'stopping-1', plugin_key: 'log', init_args: {}, output_dir: null };
    expect(await exchange(socket, [EMPTY, encode({ cmd: 'init', payload: init })])).toEqual({
      envelope: [EMPTY],
      reply: { status: 'error', message: STOPPING_MESSAGE },
    });
    expect(started).toBe(0);
    expect(server.host.size).toBe(0);
  });
});
