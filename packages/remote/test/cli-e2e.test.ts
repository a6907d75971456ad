/**
 * End to end: the built `scenario_execution` CLI runs scenarios whose actions
 * are remote, against our server, a Python server (our stand-in, or the real
 * one with `npm run test:interop-python`), a recording stub, or nothing at all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireMap } from '@scenario-execution/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/fakes.js';
import {
  CLI_BIN,
  DEMO_SCRIPT,
  type OurServer,
  runNode,
  startOurServer,
  waitFor,
  writeScenario,
} from './helpers/processes.js';
import { PYTHON_SERVER_KIND, type PythonServer, startPythonServer } from './helpers/python-server.js';
import { StubServer } from './helpers/stub-server.js';
import { exchangesByClient, fixturePath, loadTranscript, replayInOrderHandler } from './helpers/transcripts.js';

const dir = mkdtempSync(join(tmpdir(), 'se-remote-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI on a scenario text; exit code, output and wall time. */
async function runScenario(name: string, text: string, limitMs = 30_000) {
  const file = writeScenario(dir, name, text);
  const started = performance.now();
  const cli = runNode([CLI_BIN, file]);
  const code = await cli.exit(limitMs);
  return { code, output: cli.output(), seconds: (performance.now() - started) / 1000 };
}

const header = 'import osc.helpers\nimport osc.remote\n\n';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('CLI against a server that is not there', () => {
  it('fails at setup with one line naming the endpoint and the timeout', async () => {
    const port = await freePort();
    const { code, output, seconds } = await runScenario(
      'unreachable',
      `${header}scenario unreachable:\n    do serial:\n        log("x") with:\n            remote("127.0.0.1:${port}", setup_timeout: 1s)\n`,
    );
    expect(code).toBe(1);
    const lines = output.split('\n').filter((l) => l.includes('cannot reach'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `remote('127.0.0.1:${port}'): cannot reach scenario_execution_server at tcp://127.0.0.1:${port} within setup_timeout 1s`,
    );
    // The product gives up at setup_timeout (1 s) plus start-up; the bound leaves room for a loaded machine.
    expect(seconds).toBeLessThan(10);
  });
});

describe('CLI against a stub replaying the Python recordings', () => {
  const names = ['basic', 'background_process', 'parallel', 'process_failure'];
  const exitCodes: Record<string, number> = { basic: 0, background_process: 0, parallel: 0, process_failure: 1 };

  it.each(names)('%s: the same requests per action as the Python client, then a reset', async (name) => {
    const lines = loadTranscript(name);
    const idMap = new Map<string, string>();
    const stub = await StubServer.start(replayInOrderHandler(lines, idMap));
    try {
      const text = readFileSync(fixturePath(`${name}.osc`), 'utf8').replace(
        /remote\("127\.0\.0\.1(:7613)?"/g,
        `remote("${stub.address}"`,
      );
      const { code, output } = await runScenario(`transcript-${name}`, text);
      expect(code, output).toBe(exitCodes[name]);

      const recorded = [...exchangesByClient(lines).values()];
      expect(idMap.size).toBe(recorded.length);
      // Our ids are mapped to the recorded ones; the scenario directory differs by design.
      const normalize = (cmd: string, payload: WireMap): WireMap => {
        const p: Record<string, unknown> = { ...payload };
        if (typeof p.action_id === 'string') p.action_id = idMap.get(p.action_id) ?? p.action_id;
        if ('scenario_file_directory' in p) p.scenario_file_directory = '<dir>';
        return { cmd, payload: p as WireMap };
      };
      const sent = stub.requests.filter((r) => r.cmd !== 'heartbeat').map((r) => normalize(r.cmd, r.payload));
      for (const exchanges of recorded) {
        const expected = exchanges
          .filter((e) => e.request.msg.cmd !== 'heartbeat')
          .map((e) => normalize(e.request.msg.cmd as string, e.request.msg.payload as WireMap));
        const id = (expected[0]!.payload as WireMap).action_id;
        const ofThisAction = sent.filter((m) => (m.payload as WireMap).action_id === id);
        // Everything recorded, in order, then the reset our client sends at the end.
        expect(ofThisAction).toEqual([...expected, { cmd: 'reset', payload: { action_id: id } }]);
      }
    } finally {
      await stub.close();
    }
  });
});

/**
 * By default the server is our stand-in of the Python server (test/python/server.py);
 * `npm run test:interop-python` runs these against the real one (helpers/python-server.ts).
 * Like the real server, it sends no `log` key: an action's output is in the server's log only.
 */
describe(`CLI against ${PYTHON_SERVER_KIND} (REP)`, () => {
  let server: PythonServer;
  let endpoint: string;
  beforeAll(async () => {
    const port = await freePort();
    endpoint = `127.0.0.1:${port}`;
    // Watchdog and connect timeout off: the time between two CLI runs is not what is tested here.
    server = await startPythonServer(['--port', String(port), '--watchdog', '0', '--connect-timeout', '0']);
  });
  afterAll(() => server.stop());

  /** Whether the server logged `text` for one of its actions (waits, bounded: its log and its replies travel apart). */
  function inServerLog(text: string): Promise<boolean> {
    const logged = () =>
      server
        .output()
        .split('\n')
        .some((line) => /\[INFO\] action\.[0-9a-f-]{8}: /.test(line) && line.endsWith(`: ${text}`));
    return waitFor(logged, 10_000);
  }

  it("runs remote log and run_process; their output is in the server's log, not the client's", async () => {
    const { code, output } = await runScenario(
      'python-basic',
      `${header}scenario python_basic:\n    do serial:\n        log("remote hello") with:\n            remote("${endpoint}")\n` +
        `        run_process("echo printed-by-the-server") with:\n            remote("${endpoint}")\n`,
    );
    expect(code, output).toBe(0);
    expect(await inServerLog('remote hello'), server.output()).toBe(true);
    expect(await inServerLog('printed-by-the-server'), server.output()).toBe(true);
    expect(output).not.toContain('printed-by-the-server');
  });

  it('runs an action only declared in OSC, with a variable read when it starts', async () => {
    const { code, output } = await runScenario(
      'python-declared',
      `${header}action echo_args:\n    value: int\n    pause: time = 250ms\n\n` +
        'scenario python_declared:\n    var counter: int = 0\n    do serial:\n' +
        '        increment(counter)\n        increment(counter)\n' +
        `        echo_args(counter) with:\n            remote("${endpoint}")\n`,
    );
    expect(code, output).toBe(0);
    expect(await inServerLog('echo_args: pause=0.25, value=2'), server.output()).toBe(true);
  });

  it('combines remote() with another modifier of the same with: block', async () => {
    const failing = await runScenario(
      'python-false',
      `${header}scenario python_false:\n    do serial:\n        run_process("false") with:\n            remote("${endpoint}")\n`,
    );
    expect(failing.code).toBe(1);
    const inverted = await runScenario(
      'python-false-ok',
      `${header}scenario python_false_ok:\n    do serial:\n        run_process("false") with:\n` +
        `            failure_is_success()\n            remote("${endpoint}")\n`,
    );
    expect(inverted.code, inverted.output).toBe(0);
    const remoteFirst = await runScenario(
      'python-false-remote-first',
      `${header}scenario python_false_remote_first:\n    do serial:\n        run_process("false") with:\n` +
        `            remote("${endpoint}")\n            failure_is_success()\n`,
    );
    expect(remoteFirst.code, remoteFirst.output).toBe(0);
  });
});

describe('CLI against our server', () => {
  let server: OurServer;
  beforeAll(async () => {
    const port = await freePort();
    server = await startOurServer(`127.0.0.1:${port}`, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--watchdog',
      '0',
      '--connect-timeout',
      '0',
    ]);
  });
  afterAll(() => server.stop());

  const remote = () => `remote("${server.endpoint}")`;

  it('runs remote log and run_process with their output on the client', async () => {
    const { code, output } = await runScenario(
      'ours-basic',
      `${header}scenario ours_basic:\n    do serial:\n        log("hi from afar") with:\n            ${remote()}\n` +
        `        run_process("echo out-of-the-server") with:\n            ${remote()}\n`,
    );
    expect(code, output).toBe(0);
    expect(output).toContain(`[tcp://${server.endpoint}]`);
    expect(output).toContain('hi from afar');
    expect(output).toContain('out-of-the-server');
  });

  it('fails when the remote process fails', async () => {
    const { code, output } = await runScenario(
      'ours-false',
      `${header}scenario ours_false:\n    do serial:\n        run_process("false") with:\n            ${remote()}\n`,
    );
    expect(code).toBe(1);
    expect(output).not.toContain('Setup failed');
  });

  it('runs remote actions of a parallel side by side', async () => {
    // Each branch runs until the test lets it end; that happens only once all four run at once.
    const release = join(dir, 'parallel-release');
    const script = join(dir, 'wait-for-release.sh');
    writeFileSync(script, `while [ ! -e ${release} ]; do sleep 0.05; done\n`);
    const branch = `        run_process("sh ${script}") with:\n            ${remote()}\n`;
    const file = writeScenario(
      dir,
      'ours-parallel',
      `${header}scenario ours_parallel:\n    do parallel:\n${branch.repeat(4)}`,
    );
    const cli = runNode([CLI_BIN, file]);
    const allRunning = await waitFor(() => server.children().length === 4, 20_000);
    writeFileSync(release, '');
    expect(allRunning, cli.output()).toBe(true);
    expect(await cli.exit(), cli.output()).toBe(0);
  });

  it('interrupts a remote action under timeout and the server stops its process', async () => {
    const file = writeScenario(
      dir,
      'ours-timeout',
      `${header}scenario ours_timeout:\n    do serial:\n        run_process("sleep 20") with:\n` +
        `            timeout(1s)\n            ${remote()}\n`,
    );
    const cli = runNode([CLI_BIN, file]);
    expect(await waitFor(() => server.children().length === 1, 5000)).toBe(true);
    // Ended by the timeout, well before the process's own end (20 s): a later exit is killed and fails here.
    expect(await cli.exit(15_000)).toBe(1);
    expect(cli.output()).toContain('timeout');
    expect(await waitFor(() => server.children().length === 0, 5000)).toBe(true);
  });

  it('repeats a remote action', async () => {
    const { code, output } = await runScenario(
      'ours-repeat',
      `${header}scenario ours_repeat:\n    do serial:\n        log("once more") with:\n            repeat(3)\n            ${remote()}\n`,
    );
    expect(code, output).toBe(0);
    expect(output.split('\n').filter((l) => l.includes('once more'))).toHaveLength(3);
  });

  it('cleans up a background process at the end of the scenario', async () => {
    const file = writeScenario(
      dir,
      'ours-background',
      `${header}scenario ours_background:\n    do serial:\n` +
        `        run_process("sleep 30", wait_for_shutdown: false) with:\n            ${remote()}\n` +
        '        wait elapsed(1s)\n',
    );
    const cli = runNode([CLI_BIN, file]);
    expect(await waitFor(() => server.children().length === 1, 5000)).toBe(true);
    expect(await cli.exit()).toBe(0);
    expect(await waitFor(() => server.children().length === 0, 5000)).toBe(true);
  });

  it('stops the remote process when the client is interrupted (SIGINT)', async () => {
    const file = writeScenario(
      dir,
      'ours-sigint',
      `${header}scenario ours_sigint:\n    do serial:\n        run_process("sleep 30") with:\n            ${remote()}\n`,
    );
    const cli = runNode([CLI_BIN, file]);
    expect(await waitFor(() => server.children().length === 1, 5000)).toBe(true);
    cli.child.kill('SIGINT');
    expect(await cli.exit(10_000)).toBe(1);
    expect(await waitFor(() => server.children().length === 0, 5000)).toBe(true);
  });
});

describe('CLI when a process dies mid-run', () => {
  it('fails within heartbeat_failure_timeout + 1 s when the server is killed', async () => {
    const port = await freePort();
    const server = await startOurServer(`127.0.0.1:${port}`, ['--port', String(port), '--watchdog', '0']);
    const file = writeScenario(
      dir,
      'server-killed',
      `${header}scenario server_killed:\n    do serial:\n        run_process("sleep 30") with:\n` +
        `            remote("${server.endpoint}", heartbeat_failure_timeout: 2s)\n`,
    );
    const cli = runNode([CLI_BIN, file]);
    let orphans: number[] = [];
    try {
      expect(await waitFor(() => server.children().length === 1, 5000)).toBe(true);
      orphans = server.children();
      await server.stop('SIGKILL');
      const killedAt = performance.now();
      expect(await cli.exit(10_000)).toBe(1);
      // The product promises heartbeat_failure_timeout + 1 s (3 s); the bound leaves room for a loaded machine.
      expect((performance.now() - killedAt) / 1000).toBeLessThan(3 + 4);
    } finally {
      await server.stop('SIGKILL');
      // The killed server could not clean up: its sleep is ours to end.
      for (const pid of orphans) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('leaves no process behind when the client is killed (server watchdog)', async () => {
    const port = await freePort();
    const server = await startOurServer(`127.0.0.1:${port}`, ['--port', String(port), '--watchdog', '1']);
    const file = writeScenario(
      dir,
      'client-killed',
      `${header}scenario client_killed:\n    do serial:\n        run_process("sleep 30") with:\n` +
        `            remote("${server.endpoint}")\n`,
    );
    const cli = runNode([CLI_BIN, file]);
    try {
      expect(await waitFor(() => server.children().length === 1, 5000)).toBe(true);
      const [sleeper] = server.children();
      cli.child.kill('SIGKILL');
      await cli.exit();
      // Without heartbeats the watchdog stops the server, which kills what it started.
      expect(await server.exit(10_000)).toBe(0);
      expect(await waitFor(() => !alive(sleeper!), 3000)).toBe(true);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});

describe('the README demo', () => {
  it('runs a remote process on a server it starts, prints its output and exits 0', async () => {
    const demo = runNode([DEMO_SCRIPT]);
    expect(await demo.exit(60_000), demo.output()).toBe(0);
    expect(demo.output()).toMatch(/\[ipc:\/\/\S+se\.sock\] hello from the scenario_execution_server/);
    expect(demo.output()).toContain('demo: scenario succeeded, server stopped');
  });
});
