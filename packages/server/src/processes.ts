/**
 * How many processes the server's actions have running, for the metrics:
 * read from `/proc` (Linux) at each scrape, so it is what runs, whoever
 * started it and however it ended.
 *
 * The server's direct children are its process supervisors (`run_process`
 * starts its processes through one, see the engine's process supervisor);
 * what runs below them — the programs `run_process` started and their own
 * children — is counted.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One process: its id and its parent's. */
export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
}

/** The processes below the children of `root` (its grandchildren and deeper). */
export function countBelowChildren(entries: Iterable<ProcessEntry>, root: number): number {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of entries) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const seen = new Set<number>([root]);
  let level = children.get(root) ?? [];
  for (const pid of level) seen.add(pid);
  let count = 0;
  // Breadth first; `seen` bounds the walk even if the table were inconsistent (pid reuse mid-read).
  while (level.length > 0) {
    const next: number[] = [];
    for (const parent of level) {
      for (const child of children.get(parent) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        next.push(child);
        count++;
      }
    }
    level = next;
  }
  return count;
}

/** The parent id in `/proc/PID/stat` (after the command name, which may hold spaces and parentheses). */
export function parentOfStat(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Every process of `/proc` (processes that end while it is read are skipped). */
export function readProcessTable(procDir = '/proc'): ProcessEntry[] | undefined {
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch {
    return undefined;
  }
  const entries: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = parentOfStat(readFileSync(`${procDir}/${name}/stat`, 'latin1'));
      if (ppid !== undefined) entries.push({ pid: Number(name), ppid });
    } catch {
      // Gone meanwhile.
    }
  }
  return entries;
}

/** Processes running below this process's process supervisors; undefined without `/proc`. */
export function actionProcessCount(pid: number = process.pid, procDir = '/proc'): number | undefined {
  const table = readProcessTable(procDir);
  return table === undefined ? undefined : countBelowChildren(table, pid);
}
