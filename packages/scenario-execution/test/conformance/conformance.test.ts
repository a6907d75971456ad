/**
 * Conformance with the Python engine: every fixture (scenario shapes from the
 * Python engine's test suite) runs through our CLI in-process, and its exit
 * status and log records must be what the Python engine produced for it
 * (recorded in expected.ts by record.mjs; see outcome.mjs for what is compared).
 * A file both engines reject must be rejected at the same place and for the same
 * reason (see rejection.mjs for how places and reasons are compared).
 * A fixture marked `# deliberate:` shows a deliberate difference (listed in
 * docs/differences.md): its outcome, and its rejection if we reject it, must be
 * ours, recorded in deliberate.ts, and must still differ from the Python one.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { OUR_DELIBERATE_OUTCOMES } from './deliberate.js';
import { PYTHON_ENGINE, PYTHON_OUTCOMES, PYTHON_REJECTIONS } from './expected.js';
import { comparable, fixtureArgv, fixtureOptions, makeOutcome, templateOutput, templateRepr } from './outcome.mjs';
import { compareRejections, ourRejection, parsePythonError, pythonReason } from './rejection.mjs';

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

function sourceOf(name: string): string {
  return readFileSync(join(fixturesDir, `${name}.osc`), 'utf8');
}

function optionsOf(name: string): FixtureOptions {
  return fixtureOptions(sourceOf(name));
}

interface FixtureRun {
  /** What is compared with the Python outcome. */
  outcome: Record<string, unknown>;
  /** Our place and normalised reason when we rejected the file. */
  rejection: { at: string; reason: string } | undefined;
  stderr: string;
}

async function runFixture(name: string, options: FixtureOptions): Promise<FixtureRun> {
  const argv = fixtureArgv(name, options, (file: string) => join(runDir, file));
  let stdout = '';
  let stderr = '';
  const exit = await main(argv, {
    io: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    handleSignals: false,
  });
  let template: string | null | undefined;
  if (options.template) {
    const written = join(runDir, templateOutput(name));
    template = templateRepr(existsSync(written) ? readFileSync(written, 'utf8') : undefined, parseYaml);
  }
  const outcome = makeOutcome(exit, stdout, runDir, template);
  return { outcome: comparable(outcome, options.compare), rejection: ourRejection(outcome, stderr), stderr };
}

/** Fixtures Python rejected that are compared on place and reason (not marked deliberate). */
const comparedRejections = Object.keys(PYTHON_REJECTIONS).filter(
  (name) => fixtureNames.includes(name) && optionsOf(name).deliberate === undefined,
);

describe('conformance with the Python engine', () => {
  it('has a recorded Python outcome for every fixture and a fixture for every outcome', () => {
    expect(Object.keys(PYTHON_OUTCOMES).sort()).toEqual(fixtureNames);
  });

  it('has outcomes recorded with the Python engine', () => {
    expect(PYTHON_ENGINE.name).toBe('python');
    expect(PYTHON_ENGINE.version).toMatch(/^scenario_execution \d+\.\d+/);
  });

  it('knows the place and reason of every rejection Python recorded; most are compared with ours', () => {
    for (const [name, text] of Object.entries(PYTHON_REJECTIONS)) {
      const python = parsePythonError(text, sourceOf(name));
      expect(pythonReason(python.message), name).not.toMatch(/^unclassified/);
      // A construct Python names is found in the fixture where Python says it starts.
      if (text.includes(' -> ')) expect(python.construct, name).toBeDefined();
    }
    expect(comparedRejections.length).toBeGreaterThanOrEqual(85);
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
      const { outcome, rejection, stderr } = await runFixture(name, options);
      const pythonRejection = PYTHON_REJECTIONS[name];
      const agreement =
        pythonRejection === undefined ? undefined : compareRejections(pythonRejection, stderr, sourceOf(name));
      if (options.deliberate === undefined) {
        expect(outcome).toEqual(python);
        if (agreement !== undefined)
          expect(agreement, `our stderr:\n${stderr}`).toEqual({ place: 'same', reason: 'same' });
      } else {
        expect(rejection === undefined ? outcome : { ...outcome, rejection }).toEqual(OUR_DELIBERATE_OUTCOMES[name]);
        const same = { place: 'same', reason: 'same' };
        expect(
          { outcome, rejection: agreement ?? same },
          'marked deliberate but matches the Python outcome (and rejection)',
        ).not.toEqual({ outcome: python, rejection: same });
      }
    });
  }
});
