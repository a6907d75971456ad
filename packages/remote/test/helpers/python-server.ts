/** Start and stop the Python test server (test/python/server.py) with the system interpreter. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../python/server.py', import.meta.url));

export interface PythonServer {
  readonly address: string;
  readonly process: ChildProcess;
  /** Everything the server printed. */
  output(): string;
  /** Pids of the processes the server started that are still alive. */
  children(): number[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startPythonServer(args: readonly string[], timeoutMs = 10_000): Promise<PythonServer> {
  const child = spawn(SYSTEM_PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python server not ready: ${out}`)), timeoutMs);
    const onData = () => {
      const match = /^ready (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]!);
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
