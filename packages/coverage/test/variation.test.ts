/**
 * `scenario_variation`: the same set of variations as the Python tool (file
 * numbering and every `#<qualified name>==<value>` line, recorded from the
 * Python tool in fixtures/variation/python-descriptions.json), concrete
 * scenarios the Python engine runs (fixtures/variation/generated, with its
 * outcomes in python-outcomes.json) and ours runs with the same outcome, and
 * errors as one clear line. fixtures/variation/README.md says how they were recorded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from 'scenario-execution';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable, makeOutcome, STEP_DURATION } from '../../scenario-execution/test/conformance/outcome.mjs';
import { UsageError } from 'scenario-execution/arg-parser';
import { main, parseVariationArgs } from '../src/scenario_variation-main.js';
import { generateVariations } from '../src/variation/generate.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const VARIATION_BIN = join(REPO, 'packages/coverage/bin/scenario_variation.js');
const SE_BIN = join(REPO, 'packages/scenario-execution/bin/scenario_execution.js');
const FIXTURES = join(REPO, 'packages/coverage/test/fixtures/variation');
const SOURCES = join(FIXTURES, 'sources');
const SCE_OUTCOMES = join(REPO, 'packages/scenario-execution/test/fixtures/sce/expected.json');

type Outcome = { exit: number; loaded: boolean; log: string[] };
const pythonDescriptions = JSON.parse(readFileSync(join(FIXTURES, 'python-descriptions.json'), 'utf8')) as Record<
  string,
  Record<string, string[]>
>;
const pythonOutcomes = (
  JSON.parse(readFileSync(join(FIXTURES, 'python-outcomes.json'), 'utf8')) as {
    outcomes: Record<string, Outcome>;
  }
).outcomes;
const sources = readdirSync(SOURCES)
  .filter((f) => f.endsWith('.osc'))
  .sort();

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'variation-'));
});
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

function freshDir(name: string): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The leading comment lines of a concrete scenario. */
function headerLines(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('#'));
  return lines.slice(0, end < 0 ? lines.length : end);
}

const byIndex = (a: string, b: string) => Number(/(\d+)\.\w+$/.exec(a)?.[1]) - Number(/(\d+)\.\w+$/.exec(b)?.[1]);

describe('scenario_variation gives the Python tool’s variations', () => {
  it('has a Python recording for every source', () => {
    expect(Object.keys(pythonDescriptions).sort()).toEqual(sources);
  });

  it.each(sources)('%s: same files, same order, same value lines', async (source) => {
    const out = freshDir(`same-${source}`);
    const written = await generateVariations({ scenarioPath: join(SOURCES, source), outputDir: out });
    const python = pythonDescriptions[source]!;
    const expectedNames = Object.keys(python).map((f) => f.replace(/\.sce$/, '.osc'));
    expect(written.map((p) => p.slice(out.length + 1))).toEqual(expectedNames);
    const ours = Object.fromEntries(
      readdirSync(out)
        .sort(byIndex)
        .map((f) => [f.replace(/\.osc$/, '.sce'), headerLines(readFileSync(join(out, f), 'utf8'))]),
    );
    expect(ours).toEqual(python);
  });

  it('varies the first point slowest (kinds: 2 × 3 × 1 × 2 × 2 × 1 × 2 combinations)', () => {
    const kinds = Object.values(pythonDescriptions['kinds.osc']!);
    expect(kinds).toHaveLength(48);
    expect(kinds[1]![6]).toMatch(/enum_member_name=sigkill\)$/);
    expect(kinds[47]![0]).toMatch(/enum_member_name=blue\)$/);
  });
});

describe('concrete scenarios run by both engines', () => {
  const generated = readdirSync(join(FIXTURES, 'generated')).sort();

  it('are what the Python engine ran (the committed files are our output today)', async () => {
    const out = freshDir('generated');
    for (const source of ['example_scenario_variation.osc', 'process_outcome.osc']) {
      await generateVariations({ scenarioPath: join(SOURCES, source), outputDir: out });
    }
    expect(readdirSync(out).sort()).toEqual(generated);
    for (const file of generated) {
      expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join(FIXTURES, 'generated', file), 'utf8'));
    }
    expect(Object.keys(pythonOutcomes).sort()).toEqual(generated);
  });

  it('have, under the Python engine, the outcome of the Python tool’s .sce for the same combination', () => {
    const sceOutcomes = (JSON.parse(readFileSync(SCE_OUTCOMES, 'utf8')) as { outcomes: Record<string, Outcome> })
      .outcomes;
    for (const file of generated) {
      const sce = sceOutcomes[file.replace(/\.osc$/, '.sce')]!;
      expect(comparable(pythonOutcomes[file]!, 'shape')).toEqual(comparable(sce, 'shape'));
    }
  });

  it.each(generated)('%s runs in our engine (the bin) with the Python engine’s outcome', (file) => {
    const run = spawnSync(process.execPath, [SE_BIN, '-s', STEP_DURATION, file], {
      cwd: join(FIXTURES, 'generated'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const ours = comparable(makeOutcome(run.status ?? -1, run.stdout, join(FIXTURES, 'generated')), 'shape');
    expect(ours).toEqual(comparable(pythonOutcomes[file]!, 'shape'));
  });
});

describe('scenario_variation on the command line', () => {
  it('writes into ./out by default, numbered <name><n>.osc (the bin)', () => {
    const cwd = freshDir('bin-default');
    const run = spawnSync(process.execPath, [VARIATION_BIN, join(SOURCES, 'example_scenario_variation.osc')], {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual([
      'example_scenario_variation0.osc',
      'example_scenario_variation1.osc',
    ]);
    expect(run.stdout).toContain(
      `[scenario_variation] [INFO] Storing scenario in out${'/'}example_scenario_variation1.osc`,
    );
    const second = readFileSync(join(cwd, 'out', 'example_scenario_variation1.osc'), 'utf8');
    expect(second).toContain('            keep(it.msg == "bar")\n');
  });

  it('-o DIR writes there (created when missing)', async () => {
    const out = join(freshDir('dash-o'), 'a', 'b');
    const code = await main(['-o', out, join(SOURCES, 'multi.osc')]);
    expect(code).toBe(0);
    expect(readdirSync(out)).toHaveLength(6);
  });

  it('-d logs every combination’s values, -l the model of every concrete scenario', () => {
    const out = freshDir('flags');
    const run = spawnSync(
      process.execPath,
      [VARIATION_BIN, '-d', '-l', '-o', out, join(SOURCES, 'example_scenario_variation.osc')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '[scenario_variation] [DEBUG] example_scenario_variation1: CompilationUnit.example_variation.DoDirective.DoMember.BehaviorInvocation[0].KeepConstraintDeclaration.RelationExpression==bar',
    );
    // The model of each of the two concrete scenarios.
    const scenarioLines = run.stdout.split('\n').filter((l) => l.includes('[INFO] scenario example_variation '));
    expect(scenarioLines).toHaveLength(2);
  });

  it('keeps imported files found from the output folder', async () => {
    const dir = freshDir('imports');
    writeFileSync(join(dir, 'lib.osc'), 'action shout:\n    text: string\n');
    writeFileSync(
      join(dir, 'main.osc'),
      'import "lib.osc"\n\nscenario main:\n    do serial:\n        shout() with:\n            keep(it.text in ["a", "b"])\n',
    );
    const out = join(dir, 'nested', 'out');
    await generateVariations({ scenarioPath: join(dir, 'main.osc'), outputDir: out });
    const text = readFileSync(join(out, 'main1.osc'), 'utf8');
    expect(text).toContain('import "../../lib.osc"\n');
    const model = await loadScenario(join(out, 'main1.osc'));
    expect(model).toBeDefined();
  });
});

describe('scenario_variation errors', () => {
  async function failing(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
    const run = spawnSync(process.execPath, [VARIATION_BIN, ...argv], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return { code: run.status ?? -1, stderr: run.stderr, stdout: run.stdout };
  }

  it('names a combination that does not resolve, and writes nothing', async () => {
    const dir = freshDir('unresolved');
    const file = join(dir, 'signals.osc');
    writeFileSync(
      file,
      'import osc.helpers\n\nscenario signals:\n    do serial:\n        run_process("true") with:\n' +
        '            keep(it.shutdown_signal in [signal!sigint, signal!sigbogus])\n',
    );
    const out = join(dir, 'out');
    const { code, stderr } = await failing(['-o', out, file]);
    expect(code).toBe(1);
    const [head, quoted] = stderr.split('\n');
    expect(head).toMatch(
      new RegExp(
        `^${file}:6:\\d+: error: combination signals1 \\(it.shutdown_signal == signal!sigbogus\\) does not resolve: .*sigbogus`,
      ),
    );
    expect(quoted?.trim()).toBe('keep(it.shutdown_signal == signal!sigbogus)');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an `in` that is not a keep’s whole expression', async () => {
    const dir = freshDir('other-in');
    const file = join(dir, 'x.osc');
    writeFileSync(
      file,
      'import osc.helpers\n\nscenario x:\n    do serial:\n        log() with:\n            keep(it.msg in ["a"] and it.msg == "a")\n',
    );
    const { code, stderr } = await failing([file]);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe(
      `${file}:6:25: error: this \`in\` is not a variation point: only keep(it.<field> in [v1, v2, …]) in a \`with:\` block or as a member is varied`,
    );
  });

  it('refuses a point without a list of values', async () => {
    const dir = freshDir('no-list');
    const file = join(dir, 'x.osc');
    writeFileSync(
      file,
      'import osc.helpers\n\nscenario x:\n    do serial:\n        log() with:\n            keep(it.msg in "a")\n',
    );
    const { code, stderr } = await failing([file]);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe(
      `${file}:6:28: error: a variation point needs a list of values: keep(it.<field> in [v1, v2, …])`,
    );
  });

  it('reports a missing file and a syntax error in one line each', async () => {
    const missing = await failing([join(scratch, 'nope.osc')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: cannot read scenario file ${join(scratch, 'nope.osc')}: no such file\n`);
    const dir = freshDir('syntax');
    const file = join(dir, 'bad.osc');
    writeFileSync(file, 'scenario bad:\n    do serial:\n        log(\n');
    const bad = await failing([file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toMatch(new RegExp(`^${file}:\\d+:\\d+: error: `));
  });

  it('reports an output folder it cannot create in one line', async () => {
    const dir = freshDir('in-the-way');
    writeFileSync(join(dir, 'taken'), '');
    const { code, stderr } = await failing(['-o', join(dir, 'taken', 'out'), join(SOURCES, 'multi.osc')]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: cannot create output directory ${join(dir, 'taken', 'out')}: a file of that name is in the way\n`,
    );
  });

  it('exits 2 for a command-line mistake, with the message and the usage line', async () => {
    const usage = 'usage: scenario_variation [-h] [-d] [-l] [-o OUTPUT_DIR] scenario  (see --help)\n';
    const none = await failing([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`error: no scenario file given\n${usage}`);
    const unknown = await failing(['--bogus', 'x.osc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`error: unknown option '--bogus'\n${usage}`);
    const noValue = await failing(['x.osc', '-o']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toBe(`error: option '-o': needs a value (DIR)\n${usage}`);
  });
});

describe('scenario_variation arguments', () => {
  it('read every short and long flag, with the Python defaults', () => {
    expect(parseVariationArgs(['a.osc'])).toEqual({
      help: false,
      debug: false,
      logModel: false,
      outputDir: 'out',
      scenario: 'a.osc',
    });
    expect(parseVariationArgs(['-d', '-l', '-o', 'o', 'a.osc'])).toEqual({
      help: false,
      debug: true,
      logModel: true,
      outputDir: 'o',
      scenario: 'a.osc',
    });
    expect(parseVariationArgs(['--debug', '--log-model', '--output-dir=o2', 'b.osc'])).toMatchObject({
      debug: true,
      logModel: true,
      outputDir: 'o2',
      scenario: 'b.osc',
    });
    expect(parseVariationArgs(['-dl', '-oo3', 'c.osc'])).toMatchObject({
      debug: true,
      logModel: true,
      outputDir: 'o3',
    });
    expect(parseVariationArgs(['-h'])).toMatchObject({ help: true });
    expect(parseVariationArgs(['--', '-x.osc']).scenario).toBe('-x.osc');
  });

  it.each([
    [['--bogus', 'a.osc'], "unknown option '--bogus'"],
    [['-x', 'a.osc'], "unknown option '-x'"],
    [['a.osc', '-o'], "option '-o': needs a value (DIR)"],
    [['--output-dir', '--debug', 'a.osc'], "option '--output-dir': needs a value (DIR)"],
    [['--debug=yes', 'a.osc'], "option '--debug': takes no value"],
    [[], 'no scenario file given'],
    [['a.osc', 'b.osc'], 'only one scenario file can be given, got 2: a.osc, b.osc'],
  ])('refuse %j', (argv, message) => {
    expect(() => parseVariationArgs(argv)).toThrow(new UsageError(message));
  });
});
