/** Looking at processes through /proc (Linux), for the run_process tests. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import {
  NATIVE_SUPERVISOR_PATH,
  nativeSupervisorBuilt,
  type SupervisorImplementation,
} from '../../src/actions/process-supervisor/client.js';

/** Whether a C compiler runs here (the ones `npm run build` tries for the native supervisor). */
export function cCompilerFound(): boolean {
  const candidates = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  return candidates.some((name) => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * The supervisors the tests run against: the Node one always, the native one
 * where the build made it. That the build makes it wherever a compiler is, is
 * a test of its own (process-supervisor.test.ts), so a failed build cannot
 * quietly leave the native supervisor untested.
 */
export const SUPERVISOR_IMPLEMENTATIONS: readonly SupervisorImplementation[] = nativeSupervisorBuilt()
  ? ['native', 'node']
  : ['node'];

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Session id. */
  readonly sid: number;
  /** The controlling terminal's device number, 0 for none. */
  readonly ttyNr: number;
  readonly state: string;
  /** The command line, arguments joined by spaces. */
  readonly args: string;
}

/** What /proc says about `pid`, or undefined when there is no such process. */
export function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let args = '';
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0').join(' ');
    } catch {
      // Exited meanwhile: no command line.
    }
    return {
      pid,
      state: fields[0] as string,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      sid: Number(fields[3]),
      ttyNr: Number(fields[4]),
      args,
    };
  } catch {
    return undefined;
  }
}

/** Every process on the machine (that could be read). */
export function allProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name));
    if (info !== undefined) found.push(info);
  }
  return found;
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  const info = processInfo(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Which process supervisor `info` is: the native one, the Node one (`node -e`), or none. */
export function supervisorKind(info: ProcessInfo | undefined): 'native' | 'node' | undefined {
  if (info === undefined) return undefined;
  if (info.args.startsWith(`${NATIVE_SUPERVISOR_PATH} `)) return 'native';
  if (info.args.startsWith(`${process.execPath} -e `)) return 'node';
  return undefined;
}

/** Resident memory of `pid` in bytes (VmRSS), or undefined. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Live processes below `pid` (children, grandchildren, …). */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = allProcesses().filter((info) => info.state !== 'Z');
  const result: ProcessInfo[] = [];
  const parents = new Set([pid]);
  // Bounded: each round adds a generation; no tree is deeper than the process count.
  for (let round = 0; round < all.length; round++) {
    const next = all.filter((info) => parents.has(info.ppid) && !result.includes(info));
    if (next.length === 0) break;
    for (const info of next) {
      result.push(info);
      parents.add(info.pid);
    }
  }
  return result;
}

/** Live processes whose process group is one of `groups`. */
export function membersOf(groups: ReadonlySet<number>): ProcessInfo[] {
  return allProcesses().filter((info) => info.state !== 'Z' && groups.has(info.pgid));
}

/** SIGKILL whatever is left of these processes and groups (test cleanup). */
export function killAll(pids: Iterable<number>, groups: Iterable<number> = []): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `check` every 10 ms until it holds or `limitMs` passed; returns the ms it took, or undefined. */
export async function within(limitMs: number, check: () => boolean): Promise<number | undefined> {
  const started = performance.now();
  for (let i = 0; i < Math.ceil(limitMs / 10) + 1; i++) {
    if (check()) return performance.now() - started;
    if (performance.now() - started > limitMs) break;
    await pause(10);
  }
  return check() ? performance.now() - started : undefined;
}
