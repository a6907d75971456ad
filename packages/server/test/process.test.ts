/**
 * The built program as a child process: command line, timeouts, signals,
 * plugin discovery, and that no action's child process survives the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { tempDir, waitFor } from './support/harness.js';
import { freePort, processAlive, requireBuild, type SpawnedServer, spawnServer } from './support/spawned.js';

const spawned: SpawnedServer[] = [];
const clients: TestClient[] = [];
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of spawned.splice(0)) s.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function start(args: string[], cwd?: string): SpawnedServer {
  const s = spawnServer(args, cwd);
  spawned.push(s);
  return s;
}

function connect(address: string): TestClient {
  const c = new TestClient(address);
  clients.push(c);
  return c;
}

function scratch(): string {
  const dir = tempDir('se-proc-');
  cleanups.push(dir.remove);
  return dir.path;
}

/** A plugin package in `<dir>/node_modules` whose action starts `sleep <seconds>` and logs its pid. */
function installSleepPlugin(dir: string): void {
  const root = join(dir, 'node_modules', 'scenario-execution-plugin-servertest');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'scenario-execution-plugin-servertest',
      version: '1.0.0',
      type: 'module',
      'scenario-execution': { actions: { spawn_sleep: './spawn-sleep.js' } },
    }),
  );
  writeFileSync(
    join(root, 'spawn-sleep.js'),
    `import { spawn } from 'node:child_process';
export default {
  create() {
    let ctx;
    let child;
    return {
      setup(c) { ctx = c; },
      execute(args) {
        child = spawn('sleep', [String(args.seconds)], { stdio: 'ignore' });
        ctx.logger.info('pid ' + child.pid);
      },
      update() { return child.exitCode === null ? 'RUNNING' : 'SUCCESS'; },
      shutdown() { if (child && child.exitCode === null) child.kill('SIGTERM'); },
    };
  },
};
`,
  );
}

/** Pids of processes whose command line is exactly `args`. */
function pidsOf(args: string): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && m[2] === args)
    .map((m) => Number(m[1]));
}

describe('command line', () => {
  it('prints help and version, and rejects unknown flags with exit code 2', async () => {
    const help = start(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('--connect-timeout SECONDS');
    const version = start(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.stdout()).toMatch(/^scenario_execution_server \d+\.\d+\.\d+\n$/);
    const bad = start(['--nonsense']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toBe(
      "error: unknown option '--nonsense'\nusage: scenario_execution_server [options]  (see --help)\n",
    );
  });
});

describe('start-up failures: one error line on stderr, exit 1, no stack trace', () => {
  it('a socket path in a directory that does not exist', async () => {
    const socket = join(scratch(), 'missing', 'se.sock');
    const server = start(['-s', socket, '-w', '0', '-c', '0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toBe(
      `error: cannot listen on ipc://${socket}: directory ${dirname(socket)} does not exist\n`,
    );
  });

  it('a TCP port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const server = start(['--bind', '127.0.0.1', '-p', String(port), '-w', '0', '-c', '0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(new RegExp(`^error: cannot listen on tcp://127\\.0\\.0\\.1:${port}: [^\n]+\n$`));
  });

  it('a Linux abstract socket name (@name) is served, as by the Python server; a second server on it fails', async () => {
    const name = `@se-test-${process.pid}-${Date.now()}`;
    const first = start(['-s', name, '-w', '0', '-c', '0']);
    await first.waitForLine(new RegExp(`listening on ipc://${name}$`));
    expect(await connect(`ipc://${name}`).call('heartbeat', {})).toEqual({ status: 'ok' });
    const second = start(['-s', name, '-w', '0', '-c', '0']);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`^error: cannot listen on ipc://${name}: [^\n]+\n$`));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toBe('');
  });
});

describe('the launcher (runCommand) turns an exception escaping main into one line', () => {
  const serverPackage = fileURLToPath(new URL('..', import.meta.url));

  it.each([
    ['an Error with a multi-line message', "new Error('boom\\n  second line')", 'error: boom second line\n'],
    ['a thrown string', "'plain text'", 'error: plain text\n'],
  ])('%s: exit 1', async (_name, thrown, expected) => {
    const script = `import { runCommand } from 'scenario-execution/run-command';
await runCommand(async () => { process.stdout.write('ran\\n'); throw ${thrown}; });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: serverPackage,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(out).toBe('ran\n');
    expect(err).toBe(expected);
    expect(code).toBe(1);
  });
});

describe('stopping on its own', () => {
  it('exits 0 after the connect timeout when no client comes', async () => {
    const port = await freePort();
    const server = start(['--bind', '127.0.0.1', '-p', String(port), '-c', '0.5']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain(`scenario-execution-server listening on tcp://127.0.0.1:${port}`);
    expect(server.stdout()).toContain('Connect timeout: no client connected within 0.5s, stopping.');
    expect(server.stdout()).toMatch(/Server stopped\.\n$/);
  });

  it('exits 0 when the watchdog sees no message for its period', async () => {
    const port = await freePort();
    const server = start(['--bind', '127.0.0.1', '-p', String(port), '-w', '0.5', '-c', '0']);
    await server.waitForLine(/listening on/);
    expect(await connect(`tcp://127.0.0.1:${port}`).call('heartbeat', {})).toEqual({ status: 'ok' });
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('Watchdog: no message for 0.5s, stopping.');
  });
});

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'on %s it resets every action (a plugin action’s sleep is killed) and exits 0',
    async (signal) => {
      const dir = scratch();
      installSleepPlugin(dir);
      const socket = join(dir, 'se.sock');
      const server = start(['-s', socket, '-w', '0', '-c', '0', '--plugin-dir', dir], dir);
      await server.waitForLine(/listening on ipc:/);
      const c = connect(`ipc://${socket}`);
      expect(
        await c.call('init', { action_id: 'sleeper', plugin_key: 'spawn_sleep', init_args: {}, output_dir: null }),
      ).toEqual({ status: 'ok' });
      await c.call('setup', { action_id: 'sleeper', tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
      const executed = await c.call('execute', { action_id: 'sleeper', exec_args: { seconds: 30 } });
      const pid = Number(executed.log?.[0]?.msg.replace('pid ', ''));
      expect(pid).toBeGreaterThan(0);
      expect(processAlive(pid)).toBe(true);
      expect(await c.call('update', { action_id: 'sleeper' })).toMatchObject({
        status: 'ok',
        action_status: 'running',
      });
      server.child.kill(signal);
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toContain(
        signal === 'SIGINT' ? 'Interrupted, shutting down…' : `${signal} received, stopping…`,
      );
      expect(server.stdout()).toContain('All actions reset.');
      expect(await waitFor(() => !processAlive(pid), 3000)).toBe(true);
    },
  );

  // run_process children have their own session: only the server's cleanup reaches them.
  it.each([
    ['SIGTERM', 'sleep 27.18281'],
    ['SIGHUP', 'sleep 27.18282'],
  ] as const)('on %s kills the background process of a built-in run_process', async (signal, command) => {
    const port = await freePort();
    const server = start(['--bind', '127.0.0.1', '-p', String(port), '-w', '0', '-c', '0']);
    await server.waitForLine(/listening on/);
    const c = connect(`tcp://127.0.0.1:${port}`);
    expect(
      await c.call('init', { action_id: 'bg', plugin_key: 'run_process', init_args: {}, output_dir: null }),
    ).toMatchObject({ status: 'ok' });
    await c.call('setup', { action_id: 'bg', tick_period: 0.1, output_dir: null, scenario_file_directory: '/tmp' });
    await c.call('execute', {
      action_id: 'bg',
      exec_args: { command, wait_for_shutdown: false, shutdown_signal: ['sigint', 2], shutdown_timeout: 1 },
    });
    expect(await c.call('update', { action_id: 'bg' })).toMatchObject({ status: 'ok', action_status: 'success' });
    expect(await waitFor(() => pidsOf(command).length === 1, 3000)).toBe(true);
    server.child.kill(signal);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('All actions reset.');
    expect(await waitFor(() => pidsOf(command).length === 0, 3000)).toBe(true);
  });
});

describe('Unix socket ownership', () => {
  it('a second server does not steal the socket of a live one: exit 1 with a clear error', async () => {
    const dir = scratch();
    const socket = join(dir, 'shared.sock');
    const first = start(['-s', socket, '-w', '0', '-c', '0']);
    await first.waitForLine(/listening on/);
    const second = start(['-s', socket, '-w', '0', '-c', '0']);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toBe(`error: another server is already listening on ${socket}\n`);
    expect(await connect(`ipc://${socket}`).call('heartbeat', {})).toEqual({ status: 'ok' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('takes over the socket file of a killed server', async () => {
    const dir = scratch();
    const socket = join(dir, 'stale.sock');
    const first = start(['-s', socket, '-w', '0', '-c', '0']);
    await first.waitForLine(/listening on/);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = start(['-s', socket, '-w', '0', '-c', '0']);
    await second.waitForLine(/listening on/);
    expect(second.stdout()).toContain(`Removing stale socket file ${socket}`);
    expect(await connect(`ipc://${socket}`).call('heartbeat', {})).toEqual({ status: 'ok' });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
