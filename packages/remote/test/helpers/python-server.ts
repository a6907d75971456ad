/**
 * Start and stop a Python scenario_execution_server for the interop tests.
 *
 * By default it is our stand-in (test/python/server.py, run with the system
 * interpreter, which has zmq and msgpack). With SE_PYTHON_SERVER set to the
 * command of the real Python server (e.g. /work/pyref/bin/py-scenario-execution-server,
 * see scripts/interop-real-python.sh) the same tests run against that one; its
 * PYTHONPATH then gets test/python/plugins, which registers the test action `echo_args`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const STAND_IN = fileURLToPath(new URL('../python/server.py', import.meta.url));
const TEST_PLUGINS = fileURLToPath(new URL('../python/plugins', import.meta.url));

/** The command of the real Python server, when the tests are to run against it. */
export const REAL_PYTHON_SERVER = process.env.SE_PYTHON_SERVER?.trim() || undefined;

/** Which server the tests talk to, for test titles. */
export const PYTHON_SERVER_KIND = REAL_PYTHON_SERVER === undefined ? 'the Python server stand-in' : 'the Python server';

export interface PythonServer {
  /** ZeroMQ address to connect to: tcp://127.0.0.1:PORT or ipc://PATH. */
  readonly address: string;
  readonly process: ChildProcess;
  /** Everything the server printed (its log). */
  output(): string;
  /** Pids of the processes the server started that are still alive. */
  children(): number[];
  /** Resolves with the exit code when the server has exited (by itself or stopped). */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The line both servers log once bound: `scenario-execution-server listening on <address>`. */
const LISTENING = /scenario-execution-server listening on (\S+)$/m;

/** The address a client connects to, from the bind address (the real server binds tcp://*:PORT). */
function connectAddress(bound: string): string {
  return bound.replace(/^tcp:\/\/\*:/, 'tcp://127.0.0.1:');
}

function command(args: readonly string[]): [string, string[], NodeJS.ProcessEnv] {
  if (REAL_PYTHON_SERVER === undefined) return [SYSTEM_PYTHON, [STAND_IN, ...args], process.env];
  const [program = '', ...words] = REAL_PYTHON_SERVER.split(/\s+/);
  const pythonPath = [TEST_PLUGINS, process.env.PYTHONPATH].filter((p) => p).join(':');
  return [program, [...words, ...args], { ...process.env, PYTHONPATH: pythonPath }];
}

/** Start a server with the command-line arguments of the Python server; resolves once it listens. */
export async function startPythonServer(args: readonly string[], timeoutMs = 20_000): Promise<PythonServer> {
  const [program, argv, env] = command(args);
  const child = spawn(program, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python server not listening: ${out}`)), timeoutMs);
    const onData = () => {
      const match = LISTENING.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(connectAddress(match[1]!));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`python server exited (${code}): ${out}`));
    });
  });
  return {
    address,
    process: child,
    output: () => out,
    children: () => childPids(child.pid!),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Direct children of a process (Linux /proc via ps). */
export function childPids(pid: number): number[] {
  try {
    const text = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return text
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}
