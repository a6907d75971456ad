#!/usr/bin/env node
/**
 * Records conformance outcomes; a developer tool, not part of the test run.
 *
 *   node record.mjs run <python|ours> <out.json> [fixture-name-prefix...]
 *       run an engine on the fixtures (each in a scratch copy under the OS temp directory)
 *       python: $PYTHON_SCENARIO_EXECUTION or /work/pyref/bin/scenario_execution
 *       ours:   the built bin (run `npx tsc -b packages/scenario-execution` first)
 *   node record.mjs diff <python.json> <ours.json>
 *       list the fixtures whose compared outcome differs (those marked `# deliberate:` apart)
 *   node record.mjs expected <python.json>
 *       write expected.ts (the Python outcomes) from a Python recording;
 *       format it afterwards with `npx biome check --write expected.ts`
 *   node record.mjs deliberate <ours.json>
 *       write deliberate.ts (our outcomes of the fixtures marked `# deliberate:`) from a recording
 *       of our engine; format it afterwards with `npx biome check --write deliberate.ts`
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { comparable, fixtureArgv, fixtureOptions, makeOutcome, templateOutput, templateRepr } from './outcome.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, 'fixtures');
const ourBin = join(here, '..', '..', 'bin', 'scenario_execution.js');
const pythonBin = process.env.PYTHON_SCENARIO_EXECUTION ?? '/work/pyref/bin/scenario_execution';

function fixtureNames(prefixes) {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.osc'))
    .map((f) => f.slice(0, -4))
    .filter((n) => prefixes.length === 0 || prefixes.some((p) => n.startsWith(p)))
    .sort();
}

function runCommand(command, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

async function runOne(engine, name) {
  const runDir = mkdtempSync(join(tmpdir(), `conformance-${engine}-`));
  try {
    cpSync(fixturesDir, runDir, { recursive: true });
    const options = fixtureOptions(readFileSync(join(runDir, `${name}.osc`), 'utf8'));
    const argv = fixtureArgv(name, options, (n) => join(runDir, n));
    const [command, args] = engine === 'python' ? [pythonBin, argv] : [process.execPath, [ourBin, ...argv]];
    const started = Date.now();
    const { code, stdout, stderr } = await runCommand(command, args, runDir);
    let template;
    if (options.template) {
      const out = join(runDir, templateOutput(name));
      template = templateRepr(existsSync(out) ? readFileSync(out, 'utf8') : undefined, parseYaml);
    }
    const outcome = makeOutcome(code, stdout, runDir, template);
    const seconds = (Date.now() - started) / 1000;
    return { ...outcome, compare: options.compare, deliberate: options.deliberate, seconds, stdout, stderr };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function record(engine, outFile, prefixes) {
  const names = fixtureNames(prefixes);
  const results = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : {};
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      results[name] = await runOne(engine, name);
      process.stdout.write(`${name}: exit ${results[name].exit} (${results[name].seconds}s)\n`);
    }
  };
  await Promise.all([worker(), worker()]);
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(outFile, `${JSON.stringify(sorted, null, 2)}\n`);
}

function diff(pythonFile, oursFile) {
  const python = JSON.parse(readFileSync(pythonFile, 'utf8'));
  const ours = JSON.parse(readFileSync(oursFile, 'utf8'));
  let same = 0;
  const different = [];
  const deliberate = [];
  const deliberateButSame = [];
  for (const name of Object.keys(python)) {
    if (!(name in ours)) continue;
    const mode = python[name].compare;
    const a = JSON.stringify(comparable(python[name], mode), null, 1);
    const b = JSON.stringify(comparable(ours[name], mode), null, 1);
    if (ours[name].deliberate) {
      (a === b ? deliberateButSame : deliberate).push(name);
    } else if (a === b) same += 1;
    else {
      different.push(name);
      process.stdout.write(`=== ${name}\n--- python\n${a}\n--- ours\n${b}\n`);
      if (ours[name].stderr) process.stdout.write(`--- our stderr\n${ours[name].stderr}\n`);
    }
  }
  process.stdout.write(`\n${same} match, ${different.length} differ: ${different.join(' ')}\n`);
  process.stdout.write(`${deliberate.length} differ deliberately: ${deliberate.join(' ')}\n`);
  if (deliberateButSame.length) {
    process.stdout.write(`marked deliberate but matching Python (drop the marker): ${deliberateButSame.join(' ')}\n`);
  }
}

function expected(pythonFile) {
  const python = JSON.parse(readFileSync(pythonFile, 'utf8'));
  const entries = Object.keys(python)
    .sort()
    .map((name) => `  ${JSON.stringify(name)}: ${JSON.stringify(comparable(python[name], python[name].compare))},`);
  const text = `/**
 * What the Python engine (scenario_execution at the reference commit) did with each fixture:
 * its exit status, whether the scenario started, and the compared log records
 * (see outcome.mjs). Recorded with record.mjs; edit by re-recording, not by hand.
 */
export const PYTHON_OUTCOMES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
${entries.join('\n')}
};
`;
  writeFileSync(join(here, 'expected.ts'), text);
}

function deliberateOutcomes(oursFile) {
  const ours = JSON.parse(readFileSync(oursFile, 'utf8'));
  const entries = Object.keys(ours)
    .filter((name) => ours[name].deliberate)
    .sort()
    .map((name) => `  ${JSON.stringify(name)}: ${JSON.stringify(comparable(ours[name], ours[name].compare))},`);
  const text = `/**
 * Our outcome of each fixture marked \`# deliberate:\` (a deliberate difference from the
 * Python engine, whose outcome stays in expected.ts): what the test asserts for it.
 * Recorded from our engine with record.mjs; check every change against the fixture's header.
 */
export const OUR_DELIBERATE_OUTCOMES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
${entries.join('\n')}
};
`;
  writeFileSync(join(here, 'deliberate.ts'), text);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'run') await record(rest[0], rest[1], rest.slice(2));
else if (mode === 'diff') diff(rest[0], rest[1]);
else if (mode === 'expected') expected(rest[0]);
else if (mode === 'deliberate') deliberateOutcomes(rest[0]);
else {
  process.stderr.write(
    'usage: record.mjs run <python|ours> <out.json> [prefix...] | diff <py.json> <ours.json> | expected <py.json> | deliberate <ours.json>\n',
  );
  process.exit(2);
}
