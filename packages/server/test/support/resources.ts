/**
 * What a test file of the built server starts — servers, client sockets,
 * temporary folders — released after each test, and the processes tests look
 * for by their command line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll } from 'vitest';
import { requireBuild, type SpawnedServer } from './spawned.js';

export interface TestResources {
  /** Servers to kill after the test. */
  readonly spawned: SpawnedServer[];
  /** Sockets and clients to close after the test. */
  readonly clients: { close(): void }[];
  /** Anything else to undo after the test (temporary folders…). */
  readonly cleanups: (() => void)[];
}

/** Call once at the top of a test file: checks the build, and releases everything after each test. */
export function useTestResources(): TestResources {
  const resources: TestResources = { spawned: [], clients: [], cleanups: [] };
  beforeAll(() => {
    requireBuild();
  });
  afterEach(() => {
    for (const c of resources.clients.splice(0)) c.close();
    for (const s of resources.spawned.splice(0)) s.kill();
    for (const cleanup of resources.cleanups.splice(0)) cleanup();
  });
  return resources;
}

/** Pids of live processes whose command line is exactly `argv`. */
export function pidsOf(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}
