/**
 * Our client against a Python scenario_execution_server (ZeroMQ REP, msgpack), over TCP
 * and over a Unix socket, and the server checked against the recorded transcripts.
 *
 * By default the server is our stand-in, test/python/server.py, which answers as the
 * real Python server does (no `log` or `feedback` keys: an action's output stays in
 * the server's log). `npm run test:interop-python` (scripts/interop-real-python.sh)
 * runs this file against the real Python server (SE_PYTHON_SERVER, see helpers/python-server.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode, type WireMap } from '@scenario-execution/protocol';
import { Status } from 'scenario-execution';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Request } from 'zeromq';
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
import { waitFor } from './helpers/processes.js';
import { PYTHON_SERVER_KIND, type PythonServer, startPythonServer } from './helpers/python-server.js';
import { exchangesByClient, fixturePath, loadTranscript } from './helpers/transcripts.js';

function runProcess(command: string, extra: Record<string, string | number | boolean | [string, number]> = {}) {
  return actionInfo('run_process', () => ({
    command,
    wait_for_shutdown: true,
    shutdown_signal: ['sigterm', 15],
    shutdown_timeout: 10,
    ...extra,
  }));
}

const tempDir = mkdtempSync(join(tmpdir(), 'se-remote-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

let sockets = 0;
/** Arguments that make the server listen on a new Unix socket. */
function onNewSocket(): string[] {
  sockets += 1;
  return ['--socket', join(tempDir, `server-${sockets}.sock`)];
}

/**
 * A server that serves one test file: its watchdog and connect timeout (3 s and 15 s by
 * default) are off, as the gaps between tests are not what is tested; see 'on its own'.
 */
const LONG_LIVED = ['--watchdog', '0', '--connect-timeout', '0'];

const transports = [
  { name: 'tcp', args: async () => ['--port', String(await freePort()), ...LONG_LIVED] },
  { name: 'unix socket', args: async () => [...onNewSocket(), ...LONG_LIVED] },
];

/** A line the server logged for one of its actions (logger `action.<first 8 characters of the id>`). */
function actionLogLine(level: 'INFO' | 'ERROR', text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\[${level}\\] action\\.[0-9a-f-]{8}: ${escaped}$`, 'm');
}

/** Wait (bounded) until the server's log holds a line: its log and its replies travel separately. */
async function logged(server: PythonServer, line: RegExp): Promise<string> {
  await waitFor(() => line.test(server.output()), 10_000);
  return server.output();
}

/** Alive and not a zombie (Linux). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === false;
  } catch {
    return false;
  }
}

/** A bare REQ socket: sends the bytes given, returns the reply's bytes. */
class RawClient {
  private readonly socket = new Request({ linger: 0, receiveTimeout: 30_000 });

  constructor(address: string) {
    this.socket.connect(address);
  }

  async send(bytes: Uint8Array): Promise<Buffer> {
    await this.socket.send(bytes);
    const [reply] = await this.socket.receive();
    return reply as Buffer;
  }

  call(cmd: string, payload: Record<string, unknown>): Promise<Buffer> {
    return this.send(encode({ cmd, payload }));
  }

  close(): void {
    this.socket.close();
  }
}

const rawClients: RawClient[] = [];
const ownServers: PythonServer[] = [];
afterEach(async () => {
  for (const client of rawClients.splice(0)) client.close();
  for (const server of ownServers.splice(0)) await server.stop('SIGKILL');
});

async function ownServer(args: readonly string[]): Promise<PythonServer> {
  const server = await startPythonServer(args);
  ownServers.push(server);
  return server;
}

function rawClient(server: PythonServer): RawClient {
  const client = new RawClient(server.address);
  rawClients.push(client);
  return client;
}

const OK = '81a6737461747573a26f6b';

describe.each(transports)(`our client against ${PYTHON_SERVER_KIND} over $name`, ({ args }) => {
  let server: PythonServer;
  beforeAll(async () => {
    server = await startPythonServer(await args());
  });
  afterAll(() => server.stop());

  async function run(behaviour: RemoteActionBehaviour) {
    await behaviour.setup(setupContext);
    try {
      return await runToEnd(behaviour);
    } finally {
      await behaviour.shutdown();
    }
  }

  it("runs a remote log; the message is in the server's log, not on the client", async () => {
    const logger = collectingLogger();
    const result = await run(
      remoteBehaviour(
        server.address,
        actionInfo('log', () => ({ msg: 'hello remote' })),
        { logger },
      ),
    );
    expect(result).toEqual({ status: Status.SUCCESS, ticks: 1 });
    expect(await logged(server, actionLogLine('INFO', 'hello remote'))).toMatch(actionLogLine('INFO', 'hello remote'));
    expect(logger.lines.map((l) => l.msg).join('\n')).not.toContain('hello remote');
  });

  it("runs a process whose output goes to the server's log; fails when it fails", async () => {
    const logger = collectingLogger();
    const ok = await run(remoteBehaviour(server.address, runProcess('echo from-the-server'), { logger }));
    expect(ok.status).toBe(Status.SUCCESS);
    const line = actionLogLine('INFO', 'from-the-server');
    expect(await logged(server, line)).toMatch(line);
    expect(logger.lines.map((l) => l.msg).join('\n')).not.toContain('from-the-server');
    const failed = remoteBehaviour(server.address, runProcess('false'));
    expect((await run(failed)).status).toBe(Status.FAILURE);
    // The Python server sends no feedback.
    expect(failed.feedbackMessage).toBe('');
  });

  it('runs a slow process over several ticks', async () => {
    const result = await run(remoteBehaviour(server.address, runProcess('sleep 0.4')));
    expect(result.status).toBe(Status.SUCCESS);
    expect(result.ticks).toBeGreaterThanOrEqual(3);
  });

  it('leaves a background process running until the scenario ends, then it is killed', async () => {
    const behaviour = remoteBehaviour(
      server.address,
      runProcess('sleep 30', { wait_for_shutdown: false, shutdown_signal: ['sigint', 2], shutdown_timeout: 1 }),
    );
    await behaviour.setup(setupContext);
    expect((await runToEnd(behaviour)).status).toBe(Status.SUCCESS);
    expect(server.children()).toHaveLength(1);
    await behaviour.shutdown();
    expect(server.children()).toHaveLength(0);
    // The server's log reaches us through a pipe, possibly after the reply.
    expect(await logged(server, actionLogLine('INFO', 'Sending SIGINT to process...'))).toMatch(
      actionLogLine('INFO', 'Sending SIGINT to process...'),
    );
  });

  it('fails with the server message for an unknown action', async () => {
    const behaviour = remoteBehaviour(
      server.address,
      actionInfo('no_such_action', () => ({})),
    );
    const error = (await Promise.resolve(behaviour.setup(setupContext)).catch((e: unknown) => e)) as Error;
    await behaviour.shutdown();
    expect(error.message).toBe(
      `no_such_action@${server.address}: init failed: No action plugin found for key 'no_such_action'`,
    );
  });
});

/**
 * Replaying a recorded session: each request of the Python client, at the recorded pace,
 * must get the recorded reply, byte for byte. Whether a process is still running at a
 * given update depends on the machine: when the recording shows the final status and the
 * server still says "running", the update is repeated until it does not; when the server
 * reports the final status earlier than recorded, it must be the recorded one.
 */
describe(`${PYTHON_SERVER_KIND} gives the replies of the recorded transcripts`, () => {
  const POLL_LIMIT = 200;

  it.each(['basic', 'heartbeat', 'parallel', 'background_process', 'process_failure'])('%s', async (name) => {
    const server = await ownServer(onNewSocket());
    const byClient = exchangesByClient(loadTranscript(name));
    const exchanges = [...byClient.entries()]
      .flatMap(([client, list]) => list.map((exchange) => ({ client, ...exchange })))
      .sort((a, b) => a.request.t - b.request.t);
    const finalStatus = new Map<string, string>();
    for (const { request, reply } of exchanges) {
      const id = (request.msg.payload as { action_id?: string }).action_id ?? '';
      if (typeof reply.msg.action_status === 'string') finalStatus.set(id, reply.msg.action_status);
    }
    const clients = new Map<string, RawClient>();
    const t0 = exchanges[0]!.request.t;
    const start = performance.now();
    let replies = 0;
    for (const { client, request, reply } of exchanges) {
      const due = start + (request.t - t0) * 1000;
      if (due > performance.now()) await sleep(due - performance.now());
      if (!clients.has(client)) clients.set(client, rawClient(server));
      const socket = clients.get(client)!;
      const bytes = Buffer.from(request.hex, 'hex');
      const what = `${name}: ${JSON.stringify(request.msg)}`;
      let answer = await socket.send(bytes);
      const id = (request.msg.payload as { action_id?: string }).action_id ?? '';
      if (request.msg.cmd === 'update') {
        const status = decodeStatus(answer);
        if (reply.msg.action_status === 'running' && status !== 'running') {
          expect(status, `${what}: finished earlier than recorded`).toBe(finalStatus.get(id));
          replies += 1;
          continue;
        }
        for (let polls = 0; reply.msg.action_status !== 'running' && decodeStatus(answer) === 'running'; polls++) {
          expect(polls, what).toBeLessThan(POLL_LIMIT);
          await sleep(50);
          answer = await socket.send(bytes);
        }
      }
      expect(answer.toString('hex'), what).toBe(reply.hex);
      replies += 1;
    }
    expect(replies).toBe(exchanges.length);
  });

  it('server_errors.json, in order', async () => {
    const server = await ownServer(onNewSocket());
    const client = rawClient(server);
    const cases: { req_hex: string; rep_hex: string; req: unknown }[] = JSON.parse(
      readFileSync(fixturePath('server_errors.json'), 'utf8'),
    );
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const { req_hex, rep_hex, req } of cases) {
      const answer = await client.send(Buffer.from(req_hex, 'hex'));
      expect(answer.toString('hex'), JSON.stringify(req)).toBe(rep_hex);
    }
  });
});

/** The `action_status` of an update reply. */
function decodeStatus(reply: Buffer): unknown {
  const decoded = decode(reply);
  if (!decoded.ok) throw new Error(decoded.error);
  return (decoded.value as WireMap).action_status;
}

describe(`${PYTHON_SERVER_KIND} on its own`, () => {
  /** Start a background process on the server with bare requests; returns its pid. */
  async function startBackgroundProcess(server: PythonServer, signal: [string, number]): Promise<number> {
    const client = rawClient(server);
    const action_id = 'c0ffee00-0000-4000-8000-000000000001';
    const init = { action_id, plugin_key: 'run_process', init_args: {}, output_dir: null };
    expect((await client.call('init', init)).toString('hex')).toBe(OK);
    const setup = { action_id, tick_period: 0.1, output_dir: null, scenario_file_directory: tempDir };
    expect((await client.call('setup', setup)).toString('hex')).toBe(OK);
    const exec_args = { command: 'sleep 30', wait_for_shutdown: false, shutdown_signal: signal, shutdown_timeout: 5 };
    expect((await client.call('execute', { action_id, exec_args })).toString('hex')).toBe(OK);
    expect(decodeStatus(await client.call('update', { action_id }))).toBe('success');
    const [pid] = server.children();
    expect(pid).toBeDefined();
    expect(running(pid!)).toBe(true);
    return pid!;
  }

  it('exits when no client came within --connect-timeout', async () => {
    const server = await ownServer([...onNewSocket(), '--connect-timeout', '1']);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Connect timeout: no client connected within 1s, stopping.');
    expect(server.output()).toContain('Server stopped.');
  });

  it('exits --watchdog seconds after the last message, killing what its actions started', async () => {
    const server = await ownServer([...onNewSocket(), '--watchdog', '1', '--connect-timeout', '0']);
    const pid = await startBackgroundProcess(server, ['sigint', 2]);
    expect(await server.exited).toBe(0);
    const log = server.output();
    expect(log).toContain('Watchdog: no message for 1s, stopping.');
    expect(log).toMatch(actionLogLine('INFO', 'Sending SIGINT to process...'));
    expect(log).toContain('All actions reset.');
    expect(running(pid)).toBe(false);
  });

  it('stops on SIGTERM, resetting every action', async () => {
    const server = await ownServer([...onNewSocket(), '--watchdog', '0', '--connect-timeout', '0']);
    const pid = await startBackgroundProcess(server, ['sigterm', 15]);
    await server.stop('SIGTERM');
    expect(server.process.exitCode).toBe(0);
    const log = server.output();
    expect(log).toContain('SIGTERM received, stopping…');
    expect(log).toMatch(actionLogLine('INFO', 'Sending SIGTERM to process...'));
    expect(log).toContain('Server stopped.');
    expect(running(pid)).toBe(false);
  });
});

describe(`${PYTHON_SERVER_KIND} killed mid-action`, () => {
  it('fails the running action within heartbeat_failure_timeout + 1 s and shuts down promptly', async () => {
    const server = await startPythonServer(['--port', String(await freePort())]);
    try {
      const behaviour = remoteBehaviour(server.address, runProcess('sleep 20'), { heartbeatFailureTimeout: 2 });
      await behaviour.setup(setupContext);
      expect(await behaviour.tick()).toBe(Status.RUNNING);
      await server.stop('SIGKILL');
      const killedAt = performance.now();
      const { status } = await runToEnd(behaviour, 100, 100);
      expect(status).toBe(Status.FAILURE);
      // The product promises heartbeat_failure_timeout + 1 s (3 s); the bound leaves room for a loaded machine.
      expect(performance.now() - killedAt).toBeLessThan(2000 + 4000);
      // Promptly: no reset is tried (it would wait for its reply up to 30 s, past the test's timeout).
      await behaviour.shutdown();
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
