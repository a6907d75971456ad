/**
 * `.sce` input: files the Python `scenario_variation` wrote (fixtures/sce,
 * recorded by fixtures/sce/record.mjs) run through our CLI with the outcome
 * the Python engine had for them (exit status and log records, failure trees
 * compared by node names as in the conformance suite); bad `.sce` input is
 * one error line with the place, never a stack trace, and never runs code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { buildOnce, CLI_BIN } from './cli/build.js';
import { comparable, makeOutcome, STEP_DURATION } from './conformance/outcome.mjs';

const fixturesDir = new URL('./fixtures/sce/', import.meta.url).pathname;
const recorded = JSON.parse(readFileSync(join(fixturesDir, 'expected.json'), 'utf8')) as {
  outcomes: Record<string, { exit: number; loaded: boolean; log: string[] }>;
};
const sceFiles = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.sce'))
  .sort();

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sce-'));
});
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const exit = await main(argv, {
    io: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    handleSignals: false,
  });
  return { exit, stdout, stderr };
}

function writeSce(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** 1-based number of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in text`);
  return index + 1;
}

describe('.sce files written by the Python scenario_variation', () => {
  it('has a recorded Python outcome for every fixture and a fixture for every outcome', () => {
    expect(sceFiles.length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(recorded.outcomes).sort()).toEqual(sceFiles);
  });

  it.each(sceFiles)('%s runs with the Python engine’s outcome', async (file) => {
    const result = await run(['-s', STEP_DURATION, join(fixturesDir, file)]);
    const ours = comparable(makeOutcome(result.exit, result.stdout, fixturesDir), 'shape');
    const python = comparable(recorded.outcomes[file]!, 'shape');
    expect({ ours, stderr: result.stderr }).toEqual({ ours: python, stderr: '' });
  });

  it('runs from the command line (the bin)', () => {
    buildOnce();
    const result = spawnSync(process.execPath, [CLI_BIN, join(fixturesDir, 'example_scenario_variation1.sce')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain("Scenario 'example_variation' succeeded.");
    expect(result.stdout).toContain('[INFO] bar');
    expect(result.status).toBe(0);
  });
});

describe('bad .sce input', () => {
  const example = readFileSync(join(fixturesDir, 'example_scenario_variation0.sce'), 'utf8');

  async function rejected(name: string, text: string): Promise<{ path: string; stderr: string }> {
    const path = writeSce(name, text);
    const result = await run(['-n', path]);
    expect(result.exit).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return { path, stderr: result.stderr };
  }

  it('refuses a YAML tag and does not run what it names', async () => {
    const marker = join(scratch, 'tag-ran');
    const text = `- !!python/object/apply:os.system ["touch ${marker}"]\n`;
    const { path, stderr } = await rejected('tag.sce', text);
    expect(stderr.split('\n')[0]).toBe(
      `${path}:1:3: error: YAML tags are not allowed in a .sce file (found tag:yaml.org,2002:python/object/apply:os.system)`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a tag on an attribute value', async () => {
    const text = example.replace('value: foo', 'value: !!str foo');
    const { path, stderr } = await rejected('tag-value.sce', text);
    const line = lineOf(text, '!!str');
    expect(stderr.split('\n')[0]).toBe(
      `${path}:${line}:36: error: YAML tags are not allowed in a .sce file (found tag:yaml.org,2002:str)`,
    );
  });

  it('refuses aliases', async () => {
    const text = '- ActionDeclaration: &a\n    qualified_behavior_name: x\n- ActionDeclaration: *a\n';
    const { path, stderr } = await rejected('alias.sce', text);
    expect(stderr.split('\n')[0]).toBe(`${path}:1:22: error: YAML anchors are not allowed in a .sce file`);
  });

  it('refuses a file that is not a list of elements', async () => {
    const { path, stderr } = await rejected('map.sce', 'ScenarioDeclaration:\n  qualified_behavior_name: x\n');
    expect(stderr.split('\n')[0]).toBe(`${path}:1:1: error: not a .sce file: expected a list of model elements`);
  });

  it('refuses text that is not YAML', async () => {
    const { path, stderr } = await rejected('broken.sce', '- A:\n    b: [1, 2\n');
    expect(stderr.split('\n')[0]).toMatch(new RegExp(`^${path}:\\d+:\\d+: error: not a valid \\.sce file: `));
  });

  it('refuses an element it cannot write back, naming its class', async () => {
    const text = '- CallDirective:\n    method_name: f\n    _children: []\n';
    const { path, stderr } = await rejected('call.sce', text);
    expect(stderr.split('\n')[0]).toBe(`${path}:1:3: error: a top-level CallDirective cannot be read from a .sce file`);
  });

  it('points a scenario error at the line of the .sce element, quoting the OSC made of it', async () => {
    const text = example.replace('behavior: log', 'behavior: lgo');
    const { path, stderr } = await rejected('unknown-action.sce', text);
    const line = lineOf(text, '- BehaviorInvocation:');
    const [head, quoted] = stderr.split('\n');
    expect(head).toMatch(new RegExp(`^${path}:${line}:\\d+: error: .*\\blgo\\b`));
    expect(quoted?.trim()).toBe('lgo() with:');
  });
});
