/**
 * Conformance with the Python engine: every fixture (scenario shapes from the
 * Python engine's test suite) runs through our CLI in-process, and its exit
 * status and log records must be what the Python engine produced for it
 * (recorded in expected.ts by record.mjs; see outcome.mjs for what is compared).
 * Differences are listed in /work/notes/discrepancies.md.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { PYTHON_OUTCOMES } from './expected.js';
import { comparable, fixtureArgv, fixtureOptions, makeOutcome, templateOutput, templateRepr } from './outcome.mjs';

const fixturesDir = new URL('./fixtures/', import.meta.url).pathname;
const fixtureNames = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.osc'))
  .map((f) => f.slice(0, -'.osc'.length))
  .sort();

// Fixtures run in a scratch copy: runs may write files (templates) next to them.
let runDir = '';
beforeAll(() => {
  runDir = mkdtempSync(join(tmpdir(), 'conformance-'));
  cpSync(fixturesDir, runDir, { recursive: true });
});
afterAll(() => {
  if (runDir !== '') rmSync(runDir, { recursive: true, force: true });
});

async function runFixture(name: string): Promise<Record<string, unknown>> {
  const options = fixtureOptions(readFileSync(join(runDir, `${name}.osc`), 'utf8'));
  const argv = fixtureArgv(name, options, (file: string) => join(runDir, file));
  let stdout = '';
  const exit = await main(argv, {
    io: { stdout: (text) => (stdout += text), stderr: () => {} },
    handleSignals: false,
  });
  let template: string | null | undefined;
  if (options.template) {
    const written = join(runDir, templateOutput(name));
    template = templateRepr(existsSync(written) ? readFileSync(written, 'utf8') : undefined, parseYaml);
  }
  return comparable(makeOutcome(exit, stdout, runDir, template), options.compare);
}

describe('conformance with the Python engine', () => {
  it('has a recorded Python outcome for every fixture and a fixture for every outcome', () => {
    expect(Object.keys(PYTHON_OUTCOMES).sort()).toEqual(fixtureNames);
  });

  for (const name of fixtureNames) {
    it(name, async () => {
      const expected = PYTHON_OUTCOMES[name];
      expect(expected, `no recorded Python outcome for ${name}`).toBeDefined();
      expect(await runFixture(name)).toEqual(expected);
    });
  }
});
