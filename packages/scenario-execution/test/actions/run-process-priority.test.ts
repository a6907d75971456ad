/**
 * The processes of run_process run at the usual priority when their host was given a higher one
 * (a negative nice value, as systemd's `Nice=` gives a server): the host keeps its CPU share in a
 * burst of starts. A host given a lower priority passes it on. Checked through the built CLI, with
 * each supervisor: the started program is `nice`, which prints the nice value it runs with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, CLI_BIN } from '../cli/build.js';
import { SUPERVISOR_IMPLEMENTATIONS } from './process-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'se-priority-'));
const SCENARIO = join(dir, 'niced.osc');
writeFileSync(SCENARIO, 'import osc.helpers\n\nscenario niced:\n    do run_process("nice")\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => buildOnce(), 120_000);

/** The nice value the started `nice` printed, with the CLI run at nice `hostNice`. */
function childNice(hostNice: number, implementation: string): string | undefined {
  const run = spawnSync('nice', ['-n', String(hostNice), process.execPath, CLI_BIN, SCENARIO], {
    env: { ...process.env, SCENARIO_EXECUTION_SUPERVISOR: implementation, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return /\[INFO\] (-?\d+)\n/.exec(run.stdout)?.[1];
}

// Only root may lower a nice value below 0 (to start the host with one).
const root = process.getuid?.() === 0;

for (const implementation of SUPERVISOR_IMPLEMENTATIONS) {
  describe(`run_process priority (${implementation} supervisor)`, () => {
    it.runIf(root)('runs the processes of a host at nice -5 at nice 0', () => {
      expect(childNice(-5, implementation)).toBe('0');
    });

    it('runs the processes of a host at nice 3 at nice 3', () => {
      expect(childNice(3, implementation)).toBe('3');
    });
  });
}
