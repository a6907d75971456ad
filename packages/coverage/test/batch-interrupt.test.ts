/**
 * Stopping a batch (Ctrl-C is SIGINT to the batch; SIGTERM the same): every
 * running command's process group gets SIGINT, then SIGKILL after
 * --stop-timeout; no further scenario starts; the combined test.xml covers
 * the scenarios that were started; no process of the batch is left.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  pollUntil,
  read,
  requireBuild,
  SPAWNING,
  SE_COMMAND,
  startBatchCommand,
  tempDir,
  waitingScenario,
  writeScenarios,
} from './batch-support.js';

const cleanups: (() => void)[] = [];
beforeAll(requireBuild);
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** pid → [parent pid, state] of every process, from /proc. */
function processTable(): Map<number, [number, string]> {
  const table = new Map<number, [number, string]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), [Number(ppid), state as string]);
    } catch {
      // Gone while reading.
    }
  }
  return table;
}

/** Every live process below `root` (children, grandchildren, …). */
function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  let frontier = [root];
  for (let depth = 0; depth < 32 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const [pid, [ppid, state]] of table) if (frontier.includes(ppid) && state !== 'Z') next.push(pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** The command name of a process (`comm`), or undefined when it is gone. */
function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A process still running (a zombie waiting to be reaped is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function scratch(): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

describe('stopping a batch', SPAWNING, () => {
  it('Ctrl-C: the running scenarios abort, the rest never start, the combined test.xml covers those started', async () => {
    const dir = scratch();
    writeScenarios(dir, {
      'a.osc': waitingScenario('a', 120),
      'b.osc': waitingScenario('b', 120),
      'c.osc': waitingScenario('c', 120),
    });
    const batch = startBatchCommand(['-i', '.', '-o', 'out', '-j', '2', '--', ...SE_COMMAND], dir);
    const started = (name: string) =>
      existsSync(join(dir, 'out', name, `${name}.log`)) &&
      read(join(dir, 'out', name, `${name}.log`)).includes(`hello from ${name}`);
    expect(await pollUntil(() => started('a') && started('b'))).toBe(true);
    const pids = descendants(batch.child.pid as number);
    // Each scenario_execution, at least.
    expect(pids.length).toBeGreaterThanOrEqual(2);

    batch.child.kill('SIGINT');
    expect(await batch.exited).toBe(1);
    expect(batch.output()).toContain('### Interrupted by SIGINT: stopping 2 running scenario(s)');
    expect(batch.output()).toContain('### Stopped by SIGINT: 2 scenario(s) run, 1 not started.');
    expect(await pollUntil(() => pids.every((pid) => !alive(pid)))).toBe(true);

    expect(existsSync(join(dir, 'out', 'c'))).toBe(false);
    const combined = read(join(dir, 'out', 'test.xml'));
    expect([...combined.matchAll(/<testcase [^>]*name="(\w+)"/g)].map((m) => m[1])).toEqual(['a', 'b']);
    // scenario_execution stopped by SIGINT records the scenario as aborted.
    expect(combined.match(/<failure message="Aborted">/g)).toHaveLength(2);
    expect(read(join(dir, 'out', 'report.html'))).toContain('2 scenarios');
  });

  it('SIGTERM, with commands that ignore SIGINT: their whole process groups are killed after --stop-timeout', async () => {
    const dir = scratch();
    writeScenarios(dir, { 'a.osc': '', 'b.osc': '' });
    // Each command ignores SIGINT and leaves a second process in its group.
    const script = 'trap "" INT; sleep 300 & echo started; sleep 300';
    const batch = startBatchCommand(
      [
        '-i',
        '.',
        '-o',
        'out',
        '-j',
        '2',
        '--stop-timeout',
        '0.5',
        '--',
        'sh',
        '-c',
        script,
        '{SCENARIO}',
        '{OUTPUT_DIR}',
      ],
      dir,
    );
    const started = (name: string) =>
      existsSync(join(dir, 'out', name, `${name}.log`)) && read(join(dir, 'out', name, `${name}.log`)) === 'started\n';
    expect(await pollUntil(() => started('a') && started('b'))).toBe(true);
    const pids = descendants(batch.child.pid as number);
    // Per command: two sleeps (and the shell, unless it became the second sleep).
    expect(pids.length).toBeGreaterThanOrEqual(4);

    batch.child.kill('SIGTERM');
    expect(await batch.exited).toBe(1);
    expect(batch.output()).toContain('### 2 scenario(s) not stopped after 0.5s: sending SIGKILL.');
    expect(await pollUntil(() => pids.every((pid) => !alive(pid)))).toBe(true);
    // Neither wrote a result: both are in the combined file as missing.
    expect(read(join(dir, 'out', 'test.xml')).match(/name="no_test_result"/g)).toHaveLength(2);
  });
  it('SIGKILL of the batch itself: every command, and every process a scenario started, is killed', async () => {
    const dir = scratch();
    writeScenarios(dir, {
      // A scenario_execution whose run_process keeps a `sleep` running.
      'a.osc':
        'import osc.helpers\n\nscenario a:\n    do serial:\n        log("hello from a")\n' +
        '        run_process("sleep 300")\n',
      'b.osc': '',
    });
    // b's command is a shell that leaves a second process in its group.
    const script = 'case "$0" in *a.osc) exec "$@" ;; esac; sleep 300 & echo started; sleep 300';
    const batch = startBatchCommand(
      ['-i', '.', '-o', 'out', '-j', '2', '--', 'sh', '-c', script, '{SCENARIO}', ...SE_COMMAND],
      dir,
    );
    const logHas = (name: string, text: string) => {
      const log = join(dir, 'out', name, `${name}.log`);
      return existsSync(log) && read(log).includes(text);
    };
    const sleeps = () => descendants(batch.child.pid as number).filter((pid) => commandOf(pid) === 'sleep');
    // a's sleep (below its scenario_execution) and b's two.
    expect(await pollUntil(() => logHas('a', 'hello from a') && logHas('b', 'started') && sleeps().length >= 3)).toBe(
      true,
    );
    const pids = descendants(batch.child.pid as number);

    batch.child.kill('SIGKILL');
    await batch.exited;
    expect(await pollUntil(() => pids.every((pid) => !alive(pid)))).toBe(true);
  });

  it('a second Ctrl-C kills at once, without waiting for --stop-timeout', async () => {
    const dir = scratch();
    writeScenarios(dir, { 'a.osc': '' });
    const script = 'trap "" INT; echo started; sleep 300';
    const batch = startBatchCommand(
      ['-i', '.', '-o', 'out', '--stop-timeout', '3600', '--', 'sh', '-c', script, '{SCENARIO}', '{OUTPUT_DIR}'],
      dir,
    );
    const log = join(dir, 'out', 'a', 'a.log');
    expect(await pollUntil(() => existsSync(log) && read(log) === 'started\n')).toBe(true);
    const pids = descendants(batch.child.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    batch.child.kill('SIGINT');
    expect(await pollUntil(() => batch.output().includes('### Interrupted by SIGINT'))).toBe(true);
    batch.child.kill('SIGINT');
    expect(await batch.exited).toBe(1);
    expect(batch.output()).toContain('### SIGINT again: killing 1 running scenario(s).');
    expect(await pollUntil(() => pids.every((pid) => !alive(pid)))).toBe(true);
  });
});
