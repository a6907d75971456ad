import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_MESSAGE_SIZE, decodeReply, encode, encodeReply, okReply } from '@scenario-execution/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer } from 'zeromq';
import { STOPPING_MESSAGE } from '../src/server.js';
import { TestClient } from './support/client.js';
import { type RunningServer, startServer, waitFor } from './support/harness.js';

// The wire transcripts live once, with the protocol package's tests.
const fixtures = fileURLToPath(new URL('../../protocol/test/fixtures/', import.meta.url));

interface ErrorCase {
  req_hex: string;
  rep_hex: string;
  req: unknown;
  rep: { status: string; message?: string };
}
const errorCases: ErrorCase[] = JSON.parse(readFileSync(`${fixtures}transcripts/server_errors.json`, 'utf8'));

let running: RunningServer | undefined;
const clients: TestClient[] = [];

function client(): TestClient {
  if (!running) throw new Error('no server');
  const c = new TestClient(running.endpoint);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await running?.close();
  running = undefined;
});

describe('basic serving', () => {
  it('answers a heartbeat with the exact bytes of the Python server', async () => {
    running = await startServer();
    const reply = await client().raw(encode({ cmd: 'heartbeat', payload: {} }));
    expect(reply).toEqual(encodeReply(okReply()));
    expect(reply.toString('hex')).toBe('81a6737461747573a26f6b');
    expect(
      running.lines.some((l) =>
        /\[INFO\] scenario_execution_server\.server: scenario-execution-server listening on tcp:\/\/127\.0\.0\.1:\d+$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });
});

describe('heartbeats', () => {
  it('in the usual bytes or spelled otherwise: the same reply and the same debug line', async () => {
    running = await startServer({ verbose: true });
    const c = client();
    const usual = encode({ cmd: 'heartbeat', payload: {} });
    // The same request with its keys the other way round: other bytes, decoded as usual.
    const reordered = encode({ payload: {}, cmd: 'heartbeat' });
    expect(reordered.equals(usual)).toBe(false);
    expect(await c.raw(usual)).toEqual(encodeReply(okReply()));
    expect(await c.raw(reordered)).toEqual(encodeReply(okReply()));
    const lines = running.lines.filter((l) => l.includes('cmd=heartbeat'));
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(/\[DEBUG\] scenario_execution_server\.server: cmd=heartbeat action_id=$/);
  });
});

describe('server_errors.json cases that need no built-in action', () => {
  const standalone = errorCases.filter((c) => typeof c.req === 'object' && !JSON.stringify(c.req).includes('"a2"'));

  it('covers the recorded cases', () => {
    expect(standalone.length).toBeGreaterThanOrEqual(5);
  });

  it.each(standalone.map((c) => [JSON.stringify(c.req), c] as const))('%s', async (_name, c) => {
    running = await startServer();
    const reply = await client().raw(Buffer.from(c.req_hex, 'hex'));
    expect(reply.toString('hex')).toBe(c.rep_hex);
  });

  it('answers undecodable bytes with an error reply and keeps serving', async () => {
    const garbage = errorCases.find((c) => typeof c.req === 'string');
    expect(garbage).toBeDefined();
    running = await startServer();
    const c = client();
    const reply = await c.rawReply(Buffer.from(garbage?.req_hex ?? '', 'hex'));
    // The Python server's message is empty here; ours says what is wrong.
    expect(reply.status).toBe(garbage?.rep.status);
    expect(reply).toMatchObject({ status: 'error', message: expect.stringMatching(/^invalid msgpack: /) });
    expect(running.lines.some((l) => l.includes('[ERROR]') && l.includes('Bad request: invalid msgpack'))).toBe(true);
    expect(await c.call('heartbeat', {})).toEqual({ status: 'ok' });
  });
});

describe('bad input', () => {
  it.each([
    ['an array', [1, 2], /request must be a map/],
    ['a number cmd', { cmd: 5, payload: {} }, /'cmd' must be text/],
    ['a non-map payload', { cmd: 'update', payload: 'x' }, /payload must be a map/],
    ['a missing action_id', { cmd: 'setup', payload: {} }, /'action_id' must be text, got missing/],
    ['a wrong-typed exec_args', { cmd: 'execute', payload: { action_id: 'abcdefghij', exec_args: [] } }, /'exec_args'/],
    [
      'binary init args',
      { cmd: 'init', payload: { action_id: 'b', plugin_key: 'recorder', init_args: { name: new Uint8Array([1]) } } },
      /binary values/,
    ],
  ])('answers %s with an error and keeps serving', async (_name, request, message) => {
    running = await startServer();
    const c = client();
    const reply = await c.rawReply(encode(request));
    expect(reply).toMatchObject({ status: 'error', message: expect.stringMatching(message) });
    expect(await c.call('heartbeat', {})).toEqual({ status: 'ok' });
    expect(running.lines.filter((l) => l.includes('[ERROR]')).length).toBe(1);
  });

  it('logs which action a malformed request was about', async () => {
    running = await startServer();
    await client().rawReply(encode({ cmd: 'execute', payload: { action_id: 'abcdefghij', exec_args: 1 } }));
    expect(running.lines.some((l) => l.includes('Bad request (cmd=execute action_id=abcdefgh)'))).toBe(true);
  });

  it('answers an oversized request with an error, and drops a huge frame without harm', async () => {
    running = await startServer({ maxMessageSize: 1024 });
    const c = client();
    const big = encode({ cmd: 'heartbeat', payload: { pad: 'x'.repeat(2000) } });
    expect(await c.rawReply(big)).toEqual({
      status: 'error',
      message: `message too large: ${big.length} bytes (limit 1024)`,
    });
    // Beyond four times the limit ZeroMQ drops the frame and the connection.
    const huge = new TestClient(running.endpoint, 500);
    clients.push(huge);
    await expect(huge.raw(Buffer.alloc(10_000, 0x61))).rejects.toThrow();
    expect(await client().call('heartbeat', {})).toEqual({ status: 'ok' });
    expect(DEFAULT_MAX_MESSAGE_SIZE).toBeGreaterThan(1024 * 1024);
  });

  it('keeps the routing envelope of DEALER clients, with or without a delimiter', async () => {
    running = await startServer();
    const dealer = new Dealer({ linger: 0, receiveTimeout: 2000 });
    try {
      dealer.connect(running.endpoint);
      await dealer.send(['', encode({ cmd: 'heartbeat', payload: {} })]);
      const withDelimiter = await dealer.receive();
      expect(withDelimiter.length).toBe(2);
      expect(withDelimiter[0]?.length).toBe(0);
      expect(decodeReply(withDelimiter[1] as Buffer)).toEqual({ ok: true, value: { status: 'ok' } });
      await dealer.send(encode({ cmd: 'heartbeat', payload: {} }));
      const bare = await dealer.receive();
      expect(bare.length).toBe(1);
      expect(decodeReply(bare[0] as Buffer)).toEqual({ ok: true, value: { status: 'ok' } });
    } finally {
      dealer.close();
    }
  });
});

describe('concurrency', () => {
  it("a slow setup of one client does not delay another client's heartbeat or calls", async () => {
    running = await startServer();
    const slowClient = client();
    expect(
      await slowClient.call('init', {
        action_id: 'slow-1',
        plugin_key: 'slow',
        init_args: { ms: 1500 },
        output_dir: null,
      }),
    ).toEqual({ status: 'ok' });
    const events: string[] = [];
    const slowSetup = slowClient
      .call('setup', { action_id: 'slow-1', tick_period: 0.1, output_dir: null, scenario_file_directory: '/tmp' })
      .then((reply) => {
        events.push('slow setup replied');
        return reply;
      });
    expect(await waitFor(() => running?.server.requestsInFlight === 1)).toBe(true);
    const fast = client();
    expect(await fast.call('heartbeat', {})).toEqual({ status: 'ok' });
    events.push('heartbeat replied');
    expect(
      await fast.call('init', { action_id: 'fast-1', plugin_key: 'recorder', init_args: {}, output_dir: null }),
    ).toMatchObject({ status: 'ok' });
    expect(
      await fast.call('setup', {
        action_id: 'fast-1',
        tick_period: 0.1,
        output_dir: null,
        scenario_file_directory: '/tmp',
      }),
    ).toMatchObject({ status: 'ok' });
    events.push('other action set up');
    expect(await slowSetup).toEqual({ status: 'ok' });
    expect(events).toEqual(['heartbeat replied', 'other action set up', 'slow setup replied']);
  });

  it('keeps the calls about one action in arrival order, across clients', async () => {
    running = await startServer();
    const first = client();
    const second = client();
    await first.call('init', { action_id: 'shared', plugin_key: 'slow', init_args: { ms: 300 }, output_dir: null });
    const order: string[] = [];
    const setup = first
      .call('setup', { action_id: 'shared', tick_period: 0.1, output_dir: null, scenario_file_directory: '' })
      .then(() => order.push('setup'));
    expect(await waitFor(() => running?.server.requestsInFlight === 1)).toBe(true);
    const update = second.call('update', { action_id: 'shared' }).then((reply) => {
      order.push('update');
      return reply;
    });
    await Promise.all([setup, update]);
    expect(order).toEqual(['setup', 'update']);
    expect(await update).toEqual({ status: 'ok', action_status: 'success' });
  });
});

/**
 * Wait until the server's timer check (watchdog, connect timeout) has run
 * `times` times once `periodMs` passed from now: a check that would have
 * stopped the server had its chance, however slowly the machine runs.
 */
async function timersCheckedAfter(server: RunningServer['server'], periodMs: number, times = 3): Promise<void> {
  const from = performance.now() + periodMs;
  let checks = 0;
  const target = server as unknown as { checkTimers(): void };
  const check = target.checkTimers.bind(server);
  target.checkTimers = () => {
    if (performance.now() > from) checks++;
    check();
  };
  expect(await waitFor(() => checks >= times, 10_000)).toBe(true);
}

describe('watchdog and connect timeout', () => {
  it('stops after the watchdog period without messages, once a client was seen', async () => {
    running = await startServer({ watchdogSeconds: 0.3, checkIntervalMs: 20 });
    let reason: string | undefined;
    void running.server.stopped.then((r) => {
      reason = r;
    });
    // No client yet: the watchdog does not run.
    await timersCheckedAfter(running.server, 300);
    expect(reason).toBeUndefined();
    expect(await client().call('heartbeat', {})).toEqual({ status: 'ok' });
    expect(await waitFor(() => reason !== undefined, 5000)).toBe(true);
    expect(reason).toBe('watchdog');
    expect(
      running.lines.some((l) =>
        l.endsWith('[INFO] scenario_execution_server.server: Watchdog: no message for 0.3s, stopping.'),
      ),
    ).toBe(true);
  });

  it('does not fire while a request is being answered', async () => {
    running = await startServer({ watchdogSeconds: 0.2, checkIntervalMs: 20 });
    const c = client();
    await c.call('init', { action_id: 'w', plugin_key: 'slow', init_args: { ms: 800 }, output_dir: null });
    let stoppedDuringSetup = false;
    void running.server.stopped.then(() => {
      stoppedDuringSetup = true;
    });
    const reply = await c.call('setup', {
      action_id: 'w',
      tick_period: 0.1,
      output_dir: null,
      scenario_file_directory: '',
    });
    expect(reply).toEqual({ status: 'ok' });
    expect(stoppedDuringSetup).toBe(false);
    expect(await running.server.stopped).toBe('watchdog');
  });

  it('still fires when a plugin call never returns, once the in-flight grace is over', async () => {
    running = await startServer({
      watchdogSeconds: 0.2,
      inFlightGraceSeconds: 0.4,
      checkIntervalMs: 20,
      stopQueueWaitMs: 50,
    });
    const c = client();
    await c.call('init', { action_id: 'h', plugin_key: 'hanging', init_args: {}, output_dir: null });
    await c.call('setup', { action_id: 'h', tick_period: 0.1, output_dir: null, scenario_file_directory: '' });
    await c.call('execute', { action_id: 'h', exec_args: {} });
    // Never answered: the client is gone as far as the server can tell.
    void c.call('update', { action_id: 'h' }).catch(() => undefined);
    expect(await waitFor(() => running?.server.requestsInFlight === 1, 2000)).toBe(true);
    let reason: string | undefined;
    void running.server.stopped.then((r) => {
      reason = r;
    });
    expect(await waitFor(() => reason !== undefined, 5000)).toBe(true);
    expect(reason).toBe('watchdog');
    expect(running.server.requestsInFlight).toBe(1);
    expect(running.lines.some((l) => l.includes('Watchdog: no message for 0.4s (1 request still unanswered)'))).toBe(
      true,
    );
  });

  it('stops when no client writes within the connect timeout', async () => {
    running = await startServer({ connectTimeoutSeconds: 0.3, checkIntervalMs: 20 });
    expect(await running.server.stopped).toBe('connect-timeout');
    expect(running.lines.some((l) => l.includes('Connect timeout: no client connected within 0.3s, stopping.'))).toBe(
      true,
    );
  });

  it('keeps serving after the first message when the watchdog is off', async () => {
    running = await startServer({ connectTimeoutSeconds: 0.3, watchdogSeconds: 0, checkIntervalMs: 20 });
    expect(await client().call('heartbeat', {})).toEqual({ status: 'ok' });
    let stopped = false;
    void running.server.stopped.then(() => {
      stopped = true;
    });
    // Past the connect timeout, the server looked at its timers and kept serving.
    await timersCheckedAfter(running.server, 300);
    expect(stopped).toBe(false);
  });
});

describe('stopping', () => {
  it('resets every action on close: running ones are interrupted, all are shut down', async () => {
    const { calls } = await import('./support/test-actions.js');
    calls.length = 0;
    running = await startServer();
    const c = client();
    for (const name of ['busy', 'idle']) {
      await c.call('init', { action_id: name, plugin_key: 'recorder', init_args: { name }, output_dir: null });
      await c.call('setup', { action_id: name, tick_period: 0.1, output_dir: null, scenario_file_directory: '' });
    }
    await c.call('execute', { action_id: 'busy', exec_args: { ticks: 5 } });
    expect(await c.call('update', { action_id: 'busy' })).toMatchObject({ status: 'ok', action_status: 'running' });
    await running.close();
    expect(calls).toContain('busy.terminate INVALID');
    expect(calls).toContain('busy.shutdown');
    expect(calls).toContain('idle.shutdown');
    expect(calls).not.toContain('idle.terminate INVALID');
    expect(running.host.size).toBe(0);
    expect(running.lines.some((l) => l.includes('All actions reset.'))).toBe(true);
    expect(running.lines.at(-1)).toMatch(/Server stopped\.$/);
  });

  it('answers a request that arrives after stop with an error saying so', async () => {
    const { calls } = await import('./support/test-actions.js');
    calls.length = 0;
    running = await startServer();
    const c = client();
    expect(await c.call('heartbeat', {})).toEqual({ status: 'ok' });
    running.server.stop();
    expect(await c.call('heartbeat', {})).toEqual({ status: 'error', message: STOPPING_MESSAGE });
    expect(
      await c.call('init', {
        action_id: 'late',
        plugin_key: 'recorder',
        init_args: { name: 'late' },
        output_dir: null,
      }),
    ).toEqual({ status: 'error', message: STOPPING_MESSAGE });
    // Not handled: the action was never created.
    expect(calls.filter((call) => call.startsWith('late'))).toEqual([]);
    expect(running.host.size).toBe(0);
    // And so on, until the socket closes.
    expect(await c.call('heartbeat', {})).toEqual({ status: 'error', message: STOPPING_MESSAGE });
  });
});
