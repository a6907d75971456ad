/**
 * Run the built `scenario_execution` CLI and `scenario_execution_server` as
 * child processes, for end-to-end tests. Every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Processes started by the server's actions that are still alive (descendants, one level). */
  children(): number[];
  stop(signal?: NodeJS.Signals): Promise<number | string>;
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
    children: () => childPids(running.child.pid!),
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
