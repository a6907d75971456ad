/**
 * No process started by run_process outlives its host, however the host dies:
 * the built `scenario_execution` CLI and `scenario_execution_server` are
 * SIGKILLed while their processes run (one of them a script that forks), and
 * every process below the host, and every member of their process groups, must
 * be gone within 2 s. Also: a host whose processes finished exits on its own.
 * Each test runs with the native supervisor (when built) and the Node one,
 * chosen by SCENARIO_EXECUTION_SUPERVISOR in the host's environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../../../server/test/support/client.js';
import { freePort, spawnServer } from '../../../server/test/support/spawned.js';
import type { SupervisorImplementation } from '../../src/actions/process-supervisor/client.js';
import { buildOnce, CLI_BIN, REPO_ROOT } from '../cli/build.js';
import {
  descendantsOf,
  isAlive,
  killAll,
  membersOf,
  type ProcessInfo,
  processInfo,
  supervisorKind,
  within,
  SUPERVISOR_IMPLEMENTATIONS,
} from './process-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'se-orphans-'));
const FORKS = join(dir, 'forks.sh');
writeFileSync(FORKS, '#!/bin/sh\nsleep 30 &\necho "forked $$ $!"\nsleep 30\n');
chmodSync(FORKS, 0o755);

/** Cleanups of the current test (kill leftovers, close clients). */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a host that runs the given supervisor. */
function hostEnv(implementation: SupervisorImplementation): NodeJS.ProcessEnv {
  return { ...process.env, SCENARIO_EXECUTION_SUPERVISOR: implementation };
}

/** Resolves once `child`'s stdout contains `text`; rejects after `limitMs`. */
function waitForOutput(child: ChildProcess, text: string, limitMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no '${text}' in time; stdout:\n${out}\nstderr:\n${err}`)),
      limitMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}

/**
 * Wait until `host` has the expected processes below it: `sleeps` running
 * `sleep 30`, plus the supervisor and the script's shell. Returns them all.
 */
async function processesBelow(host: number, sleeps: number): Promise<ProcessInfo[]> {
  let below: ProcessInfo[] = [];
  const found = await within(10_000, () => {
    below = descendantsOf(host);
    return below.filter((info) => info.args === 'sleep 30').length === sleeps;
  });
  expect(found, `processes below ${host}: ${JSON.stringify(below)}`).toBeDefined();
  return below;
}

/** SIGKILL the host (or its process group) and measure until nothing it started is left. */
async function killAndWatch(host: number, below: readonly ProcessInfo[], target: number): Promise<number | undefined> {
  const pids = below.map((info) => info.pid);
  const groups = new Set(below.map((info) => info.pgid));
  groups.delete(processInfo(host)?.pgid as number);
  cleanups.push(() => killAll(pids, groups));
  process.kill(target, 'SIGKILL');
  // The one time bound of these tests: every process gone within 5 s (they normally go in a few ms),
  // generous for a loaded machine.
  return within(5000, () => pids.every((pid) => !isAlive(pid)) && membersOf(groups).length === 0);
}

for (const implementation of SUPERVISOR_IMPLEMENTATIONS) {
  describe(`no orphans when the host is SIGKILLed (${implementation})`, () => {
    it.each([
      ['the process', false],
      ['its process group', true],
    ])(
      'scenario_execution: SIGKILL of %s while run_process runs (a sleep and a script that forks)',
      async (_what, group) => {
        buildOnce();
        const scenario = join(dir, `orphans-${group ? 'group' : 'process'}.osc`);
        writeFileSync(
          scenario,
          `import osc.helpers\n\nscenario orphans:\n    do parallel:\n        run_process("sleep 30")\n        run_process("${FORKS}")\n`,
        );
        const cli = spawn(process.execPath, [CLI_BIN, scenario], {
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: group,
          env: hostEnv(implementation),
        });
        cleanups.push(() => killAll([cli.pid as number]));
        await waitForOutput(cli, 'forked ');
        const host = cli.pid as number;
        const below = await processesBelow(host, 3);
        const supervisor = below.find((info) => info.ppid === host && supervisorKind(info) !== undefined);
        expect(supervisorKind(supervisor)).toBe(implementation);
        // The supervisor is in a session (and process group) of its own: a signal to the host's group misses it.
        expect(supervisor?.pgid).toBe(supervisor?.pid);
        expect(below.every((info) => info.pgid !== processInfo(host)?.pgid)).toBe(true);

        const tookMs = await killAndWatch(host, below, group ? -host : host);
        expect(tookMs, `left: ${JSON.stringify(below.filter((info) => isAlive(info.pid)))}`).toBeDefined();
      },
    );

    it('scenario_execution_server: SIGKILL while remote run_process actions run', async () => {
      buildOnce({ withServer: true });
      const port = await freePort();
      // The server's environment is this process's (spawnServer).
      const previous = process.env.SCENARIO_EXECUTION_SUPERVISOR;
      process.env.SCENARIO_EXECUTION_SUPERVISOR = implementation;
      let server: ReturnType<typeof spawnServer>;
      try {
        server = spawnServer(['--bind', '127.0.0.1', '-p', String(port), '-w', '0', '-c', '0']);
      } finally {
        if (previous === undefined) delete process.env.SCENARIO_EXECUTION_SUPERVISOR;
        else process.env.SCENARIO_EXECUTION_SUPERVISOR = previous;
      }
      cleanups.push(() => server.kill());
      await server.waitForLine(/listening on/);
      const client = new TestClient(`tcp://127.0.0.1:${port}`);
      cleanups.push(() => client.close());
      for (const [id, command] of [
        ['plain', 'sleep 30'],
        ['forking', FORKS],
      ]) {
        const action_id = `orphans-${id}`;
        expect(
          await client.call('init', { action_id, plugin_key: 'run_process', init_args: {}, output_dir: null }),
        ).toEqual(expect.objectContaining({ status: 'ok' }));
        await client.call('setup', { action_id, tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
        await client.call('execute', { action_id, exec_args: { command } });
        expect(await client.call('update', { action_id })).toEqual(
          expect.objectContaining({ status: 'ok', action_status: 'running' }),
        );
      }
      const host = server.child.pid as number;
      const below = await processesBelow(host, 3);
      expect(below.filter((info) => info.ppid === host).map(supervisorKind)).toEqual([implementation]);

      const tookMs = await killAndWatch(host, below, host);
      expect(tookMs, `left: ${JSON.stringify(below.filter((info) => isAlive(info.pid)))}`).toBeDefined();
    });
  });

  describe(`when the supervisor dies (${implementation})`, () => {
    // The Node supervisor starts processes through `setpriv --pdeathsig` (util-linux, on every Debian).
    it('while its host cannot act (stopped), the processes it started directly get SIGKILL (PR_SET_PDEATHSIG)', async () => {
      buildOnce();
      const scenario = join(dir, 'pdeathsig.osc');
      writeFileSync(
        scenario,
        'import osc.helpers\n\nscenario pdeathsig:\n    do parallel:\n        run_process("sleep 30")\n        run_process("sleep 30")\n',
      );
      const cli = spawn(process.execPath, [CLI_BIN, scenario], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: hostEnv(implementation),
      });
      const host = cli.pid as number;
      cleanups.push(() => killAll([host]));
      const below = await processesBelow(host, 2);
      const sleeps = below.filter((info) => info.args === 'sleep 30').map((info) => info.pid);
      cleanups.push(() => killAll(sleeps, sleeps));
      const supervisor = below.find((info) => info.ppid === host)?.pid as number;
      expect(sleeps.every((pid) => processInfo(pid)?.ppid === supervisor)).toBe(true);
      process.kill(host, 'SIGSTOP');
      try {
        process.kill(supervisor, 'SIGKILL');
        expect(await within(5000, () => sleeps.every((pid) => !isAlive(pid)))).toBeDefined();
      } finally {
        process.kill(host, 'SIGKILL');
      }
    });
  });

  describe(`the supervisor does not keep its host alive (${implementation})`, () => {
    it('a program whose run_process finished exits on its own, and its supervisor with it', async () => {
      buildOnce();
      const engine = pathToFileURL(join(REPO_ROOT, 'packages', 'scenario-execution', 'dist', 'index.js')).href;
      const program = `
  const { builtinActions } = await import(${JSON.stringify(engine)});
  const lines = [];
  const logger = { debug() {}, info: (m) => lines.push(m), warn() {}, error: (m) => lines.push(m) };
  const action = builtinActions.run_process.create({});
  await action.setup({ logger, variables: {}, tickPeriod: 0.1, scenarioFileDirectory: '/tmp', outputDir: undefined, setFeedback() {} });
  await action.execute({ command: 'echo ran' });
  let status = await action.update();
  for (let i = 0; i < 500 && status === 'RUNNING'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    status = await action.update();
  }
  await action.shutdown();
  process.stdout.write(status + ' ' + lines.join('|') + '\\n');
  `;
      const host = spawn(process.execPath, ['--input-type=module', '-e', program], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: hostEnv(implementation),
      });
      cleanups.push(() => killAll([host.pid as number]));
      const output = waitForOutput(host, '\n');
      let supervisor: number | undefined;
      await within(10_000, () => {
        supervisor = descendantsOf(host.pid as number).find((info) => supervisorKind(info) === implementation)?.pid;
        return supervisor !== undefined || host.exitCode !== null;
      });
      const code = await new Promise<number | null>((resolve) => {
        if (host.exitCode !== null) resolve(host.exitCode);
        host.once('exit', (exitCode) => resolve(exitCode));
        setTimeout(() => resolve(null), 10_000);
      });
      expect(code).toBe(0);
      expect((await output).trim().toLowerCase()).toBe('success ran');
      expect(supervisor).toBeDefined();
      expect(await within(5000, () => !isAlive(supervisor as number))).toBeDefined();
    });
  });
}
