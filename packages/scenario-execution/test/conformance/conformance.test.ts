/**
 * Conformance with the Python engine: every fixture (scenario shapes from the
 * Python engine's test suite) runs through our CLI in-process, and its exit
 * status and log records must be what the Python engine produced for it
 * (recorded in expected.ts by record.mjs; see outcome.mjs for what is compared).
 * A fixture marked `# deliberate:` shows a deliberate difference (listed in
 * docs/differences.md): its outcome must be ours, recorded in deliberate.ts,
 * and must still differ from the Python one.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { OUR_DELIBERATE_OUTCOMES } from './deliberate.js';
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

type FixtureOptions = ReturnType<typeof fixtureOptions>;

function optionsOf(name: string): FixtureOptions {
  return fixtureOptions(readFileSync(join(fixturesDir, `${name}.osc`), 'utf8'));
}

async function runFixture(name: string, options: FixtureOptions): Promise<Record<string, unknown>> {
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

  it('has our outcome recorded for exactly the fixtures marked deliberate, each with its reason', () => {
    const marked = fixtureNames.filter((name) => optionsOf(name).deliberate !== undefined);
    expect(Object.keys(OUR_DELIBERATE_OUTCOMES).sort()).toEqual(marked);
    for (const name of marked) expect(optionsOf(name).deliberate, name).toMatch(/^D\d+ \S.*\S/);
  });

  for (const name of fixtureNames) {
    it(name, async () => {
      const options = optionsOf(name);
      const python = PYTHON_OUTCOMES[name];
      expect(python, `no recorded Python outcome for ${name}`).toBeDefined();
      const outcome = await runFixture(name, options);
      if (options.deliberate === undefined) {
        expect(outcome).toEqual(python);
      } else {
        expect(outcome).toEqual(OUR_DELIBERATE_OUTCOMES[name]);
        expect(outcome, 'marked deliberate but matches the Python outcome').not.toEqual(python);
      }
    });
  }
});
