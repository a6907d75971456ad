/**
 * Network faults between a live client and a live server (issue 14): the
 * built `scenario_execution` CLI runs remote actions on our server through a
 * fault-injecting proxy (helpers/fault-proxy.ts) that delays, blackholes,
 * resets and replays, over TCP on loopback and over Unix sockets. Short blips
 * are survived, long partitions are reported, nothing runs twice.
 *
 * "No tick stretched beyond its step" is the engine's own check: it logs
 * `Tick too long` for any tick longer than the step (0.2 s here).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/fakes.js';
import { FaultProxy } from './helpers/fault-proxy.js';
import { CLI_BIN, type OurServer, type Running, runNode, startOurServer, waitFor } from './helpers/processes.js';
import { PYTHON_SERVER_KIND, type PythonServer, startPythonServer } from './helpers/python-server.js';

const dir = mkdtempSync(join(tmpdir(), 'se-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STEP = 0.2;
const header = 'import osc.helpers\nimport osc.remote\n\n';
/** Our server never stops on its own (a service). */
const PERSISTENT = ['--persistent'];
/** The same for the Python server, which has no `--persistent`. */
const PYTHON_PERSISTENT = ['--watchdog', '0', '--connect-timeout', '0'];

let files = 0;
/** A fresh path in the test directory. */
function fresh(name: string): string {
  files += 1;
  return join(dir, `${files}-${name}`);
}

/**
 * A program for `run_process` that appends a line to a file when it starts,
 * then sleeps: the file's lines count the starts. (`run_process` splits its
 * command on spaces, without a shell.)
 */
function countedSleep(seconds: number): { command: string; starts: () => number } {
  const marks = fresh('starts');
  const script = fresh('counted.sh');
  writeFileSync(script, `echo started >> ${marks}\nexec sleep ${seconds}\n`);
  return {
    command: `sh ${script}`,
    starts: () =>
      existsSync(marks)
        ? readFileSync(marks, 'utf8')
            .split('\n')
            .filter((l) => l).length
        : 0,
  };
}

async function tcpServer(extra: readonly string[] = []): Promise<OurServer> {
  const port = await freePort();
  const server = await startOurServer(`127.0.0.1:${port}`, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    ...PERSISTENT,
    ...extra,
  ]);
  cleanups.push(() => server.stop());
  return server;
}

async function unixServer(socket = fresh('se.sock'), extra: readonly string[] = []): Promise<OurServer> {
  const server = await startOurServer(socket, ['--socket', socket, ...PERSISTENT, ...extra]);
  cleanups.push(() => server.stop());
  return server;
}

/** A proxy in front of `server` (TCP: on a loopback port; Unix socket: on a socket of its own). */
async function proxyFor(server: OurServer | PythonServer): Promise<FaultProxy> {
  const address = 'endpoint' in server ? server.endpoint : server.address;
  const proxy = /^(ipc:\/\/|\/)/.test(address)
    ? await FaultProxy.start({ path: address.replace(/^ipc:\/\//, '') }, { path: fresh('proxy.sock') })
    : await FaultProxy.start({ port: Number(address.slice(address.lastIndexOf(':') + 1)) });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Start the CLI on a scenario (step 0.2 s); killed after the test if still running. */
function startScenario(name: string, body: string): Running {
  const file = fresh(`${name}.osc`);
  writeFileSync(file, `${header}scenario ${name}:\n${body}`);
  const cli = runNode([CLI_BIN, '--step-duration', String(STEP), file]);
  cleanups.push(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  return cli;
}

/** A remote action line of a scenario, with its modifiers. */
function remoteRun(command: string, endpoint: string, ...modifiers: string[]): string {
  const lines = [...modifiers, `remote("${endpoint}", heartbeat_failure_timeout: 2s)`];
  return `        run_process("${command}") with:\n${lines.map((m) => `            ${m}\n`).join('')}`;
}

const ticksTooLong = (output: string) => output.split('\n').filter((l) => l.includes('Tick too long'));

describe('a short blackhole (1 s, below heartbeat_failure_timeout)', () => {
  it('is survived over TCP: the scenario succeeds, the process ran once, no tick stretched', async () => {
    const server = await tcpServer();
    const proxy = await proxyFor(server);
    const job = countedSleep(3);
    const cli = startScenario(
      'blip',
      `    do serial:\n        run_process("${job.command}") with:\n            remote("${proxy.endpoint}")\n` +
        '        log("after the blip")\n',
    );
    expect(await waitFor(() => job.starts() === 1, 20_000), cli.output()).toBe(true);
    await proxy.blackhole(1000);
    expect(await cli.exit(30_000), cli.output()).toBe(0);
    expect(cli.output()).toContain('after the blip');
    expect(job.starts()).toBe(1);
    expect(ticksTooLong(cli.output())).toEqual([]);
  });
});

describe('a long blackhole (6 s, a partition)', () => {
  it('fails the action within heartbeat_failure_timeout + 1 s, naming the endpoint; the tree goes on; the server reaps it', async () => {
    const server = await tcpServer(['--action-timeout', '2']);
    const proxy = await proxyFor(server);
    const cli = startScenario(
      'partition',
      `    do serial:\n${remoteRun('sleep 30', proxy.endpoint, 'failure_is_success()')}` +
        '        log("the tree goes on")\n',
    );
    expect(await waitFor(() => server.children().length === 1, 20_000), cli.output()).toBe(true);
    const cutAt = performance.now();
    const healed = proxy.blackhole(6000);
    const failureLine = () =>
      cli
        .output()
        .split('\n')
        .find((l) => l.includes('[ERROR]') && l.includes('lost contact'));
    expect(await waitFor(() => failureLine() !== undefined, 10_000), cli.output()).toBe(true);
    const detectedS = (performance.now() - cutAt) / 1000;
    expect(detectedS).toBeLessThan(2 + 1);
    expect(failureLine()).toContain(
      `run_process@${proxy.address}: lost contact with the server: no reply from ${proxy.address} to 'update' within 2s`,
    );
    expect(await cli.exit(20_000), cli.output()).toBe(0);
    expect(cli.output()).toContain('the tree goes on');
    // The server heard nothing more from that action: reaped after its action timeout, its process killed.
    expect(await waitFor(() => server.output().includes("Reaped action 'run_process'"), 10_000), server.output()).toBe(
      true,
    );
    expect(await waitFor(() => server.children().length === 0, 5000)).toBe(true);
    proxy.heal();
    await healed;
  });
});

describe('every connection reset while a remote action runs', () => {
  it.each(['tcp', 'unix socket'])('is survived over %s: reconnected, the scenario succeeds, ran once', async (kind) => {
    const server = kind === 'tcp' ? await tcpServer() : await unixServer();
    const proxy = await proxyFor(server);
    const job = countedSleep(2);
    const cli = startScenario(
      'reset',
      `    do serial:\n${remoteRun(job.command, proxy.endpoint)}` +
        `        run_process("true") with:\n            remote("${proxy.endpoint}")\n`,
    );
    expect(await waitFor(() => job.starts() === 1, 20_000), cli.output()).toBe(true);
    const before = proxy.accepted;
    expect(proxy.resetAll()).toBeGreaterThanOrEqual(2);
    // Updates go on through new connections; then everything is cut once more.
    expect(await waitFor(() => proxy.accepted > before, 5000), cli.output()).toBe(true);
    expect(await waitFor(() => proxy.seen('update').some((r) => r.connection > before), 5000)).toBe(true);
    proxy.resetAll();
    expect(await cli.exit(30_000), cli.output()).toBe(0);
    expect(job.starts()).toBe(1);
    expect(cli.output()).not.toContain('[ERROR]');
  });
});

describe('nothing runs twice', () => {
  it('every request delivered twice: each run starts once, the repeats get the first replies', async () => {
    const server = await tcpServer();
    const proxy = await proxyFor(server);
    proxy.duplicateRequests(() => true);
    const job = countedSleep(0);
    const cli = startScenario('duplicated', `    do serial:\n${remoteRun(job.command, proxy.endpoint, 'repeat(3)')}`);
    expect(await cli.exit(30_000), cli.output()).toBe(0);
    expect(job.starts()).toBe(3);
    const lines = (text: string) =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes(text)).length;
    expect(lines('cmd=execute')).toBe(6);
    expect(lines("Repeated 'init'")).toBe(1);
    expect(lines("Repeated 'setup'")).toBe(1);
    expect(lines("Repeated 'execute'")).toBe(3);
    expect(lines("Repeated 'terminate'")).toBe(3);
    // The reset arrived twice, harmlessly: the second found nothing left to reset.
    expect(lines('cmd=reset')).toBe(2);
    expect(lines('Reset (id=')).toBe(1);
  });

  it.each(['init', 'setup', 'execute', 'terminate'])(
    'a lost reply to %s: the client sends it again on a new connection, the server answers without running it again',
    async (cmd) => {
      const server = await tcpServer();
      const proxy = await proxyFor(server);
      proxy.loseReplyTo((r) => r.cmd === cmd);
      const job = countedSleep(0);
      const cli = startScenario('lost_reply', `    do serial:\n${remoteRun(job.command, proxy.endpoint, 'repeat(2)')}`);
      expect(await cli.exit(30_000), cli.output()).toBe(0);
      expect(job.starts()).toBe(2);
      // Sent again once; execute and terminate once more for the second run.
      expect(proxy.seen(cmd)).toHaveLength(cmd === 'init' || cmd === 'setup' ? 2 : 3);
      expect(server.output()).toContain(`Repeated '${cmd}'`);
      expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    },
  );
});

describe('latency (50 ms added each way)', () => {
  it('20 parallel remote actions complete and no tick stretches beyond its step', async () => {
    const server = await tcpServer();
    const proxy = await proxyFor(server);
    proxy.delay(50);
    const branch = `        run_process("sleep 1") with:\n            remote("${proxy.endpoint}")\n`;
    const cli = startScenario('latency', `    do parallel:\n${branch.repeat(20)}`);
    expect(await cli.exit(60_000), cli.output()).toBe(0);
    expect(ticksTooLong(cli.output())).toEqual([]);
    expect(proxy.seen('execute')).toHaveLength(20);
  });
});

describe('a server restarted during a scenario', () => {
  it.each(['tcp', 'unix socket'])(
    'over %s: the running action fails saying so, an action started afterwards works',
    async (kind) => {
      const endpoint = kind === 'tcp' ? `127.0.0.1:${await freePort()}` : fresh('se.sock');
      const args =
        kind === 'tcp'
          ? ['--port', endpoint.slice(endpoint.indexOf(':') + 1), '--bind', '127.0.0.1', ...PERSISTENT]
          : ['--socket', endpoint, ...PERSISTENT];
      const start = async () => {
        const started = await startOurServer(endpoint, args);
        cleanups.push(() => started.stop());
        return started;
      };
      let server = await start();
      const cli = startScenario(
        'restart',
        '    do serial:\n' +
          `        run_process("sleep 30") with:\n            failure_is_success()\n` +
          `            remote("${endpoint}", heartbeat_failure_timeout: 10s)\n` +
          `        log("after the restart") with:\n            remote("${endpoint}")\n`,
      );
      expect(await waitFor(() => server.children().length === 1, 20_000), cli.output()).toBe(true);
      await server.stop();
      server = await start();
      expect(await cli.exit(30_000), cli.output()).toBe(0);
      const address = kind === 'tcp' ? `tcp://${endpoint}` : `ipc://${endpoint}`;
      expect(cli.output()).toMatch(
        new RegExp(
          `\\[ERROR\\] run_process@${regexpText(address)}: the server restarted: it no longer knows this action \\('update' answered 'Unknown action_id: [0-9a-f-]{36}'\\)`,
        ),
      );
      expect(cli.output()).toContain(`[${address}] after the restart`);
      expect(cli.output()).toMatch(/log@\S+: set up on the server again \(the server restarted/);
    },
  );
});

describe(`our client with ${PYTHON_SERVER_KIND}`, () => {
  it('survives a 1 s blackhole and a reset of every connection', async () => {
    const port = await freePort();
    const python = await startPythonServer(['--port', String(port), ...PYTHON_PERSISTENT]);
    cleanups.push(() => python.stop());
    const proxy = await proxyFor(python);
    const job = countedSleep(3);
    const cli = startScenario('python_faults', `    do serial:\n${remoteRun(job.command, proxy.endpoint)}`);
    expect(await waitFor(() => job.starts() === 1, 20_000), cli.output()).toBe(true);
    await proxy.blackhole(1000);
    proxy.resetAll();
    expect(await cli.exit(30_000), cli.output()).toBe(0);
    expect(job.starts()).toBe(1);
  });
});

function regexpText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
