/**
 * Run the built `scenario_execution` CLI and `scenario_execution_server` as
 * child processes, for end-to-end tests. Every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childPids } from './python-server.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI_BIN = join(root, 'packages/scenario-execution/bin/scenario_execution.js');
export const SERVER_BIN = join(root, 'packages/server/bin/scenario_execution_server.js');
export const DEMO_SCRIPT = join(root, 'examples/demo/run-demo.mjs');

export interface Running {
  readonly child: ChildProcess;
  output(): string;
  /** Exit code (or signal name), at most `limitMs` from now; then the process is killed. */
  exit(limitMs?: number): Promise<number | string>;
}

export function runNode(
  args: readonly string[],
  options: { cwd?: string; env?: Readonly<Record<string, string>> } = {},
): Running {
  const env = options.env === undefined ? undefined : { ...process.env, ...options.env };
  const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    output: () => out,
    exit(limitMs = 30_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      return exited.finally(() => clearTimeout(timer));
    },
  };
}

/** Wait until `check` holds, polling every 50 ms; false after `limitMs`. */
export async function waitFor(check: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

export interface OurServer extends Running {
  /** What `remote(...)` should be given to reach it. */
  readonly endpoint: string;
  /** Processes started by the server's actions that are still alive (below its run_process supervisor). */
  children(): number[];
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Whether `pid` is a process supervisor of `run_process` (the Node program or the native spawner). */
function isProcessSupervisor(pid: number): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0] ?? '';
    return argv0 === process.execPath || basename(argv0) === 'se-spawner';
  } catch {
    return false;
  }
}

/**
 * The processes a server's actions started: its children, and for its
 * `run_process` supervisor (a child that starts them on the server's behalf)
 * the supervisor's children instead of the supervisor itself.
 */
export function actionProcesses(serverPid: number): number[] {
  return childPids(serverPid).flatMap((pid) => (isProcessSupervisor(pid) ? childPids(pid) : [pid]));
}

/** Start our server with `args` (e.g. `--port N` or `--socket P`) and wait until it listens. */
export async function startOurServer(endpoint: string, args: readonly string[]): Promise<OurServer> {
  const running = runNode([SERVER_BIN, ...args]);
  const listening = await waitFor(
    () => running.output().includes('listening on') || running.child.exitCode !== null,
    20_000,
  );
  if (!listening || !running.output().includes('listening on')) {
    running.child.kill('SIGKILL');
    throw new Error(`server did not start:\n${running.output()}`);
  }
  return {
    ...running,
    endpoint,
    children: () => actionProcesses(running.child.pid as number),
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
      return running.exit(20_000);
    },
  };
}

/** Write a scenario file and return its path. */
export function writeScenario(dir: string, name: string, text: string): string {
  const file = join(dir, `${name}.osc`);
  writeFileSync(file, text);
  return file;
}
