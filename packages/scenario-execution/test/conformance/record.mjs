#!/usr/bin/env node
/**
 * Records conformance outcomes; a developer tool, not part of the test run.
 *
 *   node record.mjs run <python|ours> <out.json> [fixture-name-prefix...]
 *       run an engine on the fixtures (each in a scratch copy under the OS temp directory)
 *       python: $PYTHON_SCENARIO_EXECUTION or /work/pyref/bin/py-scenario-execution; its versions
 *               are read with the interpreter $PYTHON_SCENARIO_EXECUTION_PYTHON, else the one the
 *               command (a wrapper script) execs, else /work/pyref/venv/bin/python
 *       ours:   the built bin (run `npx tsc -b packages/scenario-execution` first)
 *       The recording says which engine made it: { engine: { name, version, details, command },
 *       outcomes: { <fixture>: ... } }. An existing out.json is added to only by the same engine.
 *   node record.mjs diff <python.json> <ours.json>
 *       list the fixtures whose compared outcome, or rejection (place and reason, see
 *       rejection.mjs), differs (those marked `# deliberate:` apart)
 *   node record.mjs expected <python.json>
 *       write expected.ts (the Python outcomes and rejections) from a recording of the Python
 *       engine (refuses any other); format it afterwards with `npx biome check --write expected.ts`
 *   node record.mjs deliberate <ours.json>
 *       write deliberate.ts (our outcomes and rejections of the fixtures marked `# deliberate:`) from
 *       a recording of our engine; format it afterwards with `npx biome check --write deliberate.ts`
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { comparable, fixtureArgv, fixtureOptions, makeOutcome, templateOutput, templateRepr } from './outcome.mjs';
import { compareRejections, ourRejection, pythonErrorText } from './rejection.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, 'fixtures');
const ourBin = join(here, '..', '..', 'bin', 'scenario_execution.js');
const pythonBin = process.env.PYTHON_SCENARIO_EXECUTION ?? '/work/pyref/bin/py-scenario-execution';

/**
 * @typedef {object} Engine
 * @property {'python' | 'ours'} name
 * @property {string} version e.g. `scenario_execution 1.4.0`
 * @property {string} details the versions of what the engine runs on
 * @property {string} command
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {{ status: number, output: string }}
 */
function probe(command, args) {
  try {
    return { status: 0, output: execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const failed = /** @type {{ status?: number, stdout?: string, stderr?: string }} */ (error);
    return { status: failed.status ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The interpreter the Python engine's command runs on. */
function pythonInterpreter() {
  if (process.env.PYTHON_SCENARIO_EXECUTION_PYTHON) return process.env.PYTHON_SCENARIO_EXECUTION_PYTHON;
  try {
    const script = readFileSync(pythonBin, 'utf8');
    const exec = /^\s*exec\s+(\S*python[\d.]*)\s/m.exec(script);
    if (exec) return exec[1];
  } catch {
    // not a script
  }
  return '/work/pyref/venv/bin/python';
}

/**
 * Which engine a run uses, with its version; refuses a Python command that is not the Python engine.
 * @param {'python' | 'ours'} name
 * @returns {Engine}
 */
function identifyEngine(name) {
  if (name === 'ours') {
    const { status, output } = probe(process.execPath, [ourBin, '--version']);
    if (status !== 0) throw new Error(`record.mjs: ${ourBin} --version failed: ${output}`);
    const commit = probe('git', ['-C', here, 'rev-parse', '--short', 'HEAD']).output.trim();
    return {
      name,
      version: `${output.trim()} (TypeScript)`,
      details: `Node.js ${process.version}${commit ? `, commit ${commit}` : ''}`,
      command: `${process.execPath} ${ourBin}`,
    };
  }
  // Our CLI answers --version; the Python engine's has no such option.
  const answer = probe(pythonBin, ['--version']);
  if (answer.status === 0 && /^scenario_execution \d/.test(answer.output)) {
    throw new Error(`record.mjs: ${pythonBin} answers --version like our engine, not the Python one`);
  }
  const python = pythonInterpreter();
  const script = [
    'import importlib.metadata as m, json, platform, py_trees.version as t',
    'print(json.dumps([m.version("scenario_execution"), t.__version__, platform.python_version()]))',
  ].join('\n');
  const versions = probe(python, ['-c', script]);
  if (versions.status !== 0) {
    throw new Error(`record.mjs: cannot read the Python engine's version with ${python}: ${versions.output}`);
  }
  const [engine, pyTrees, interpreter] = JSON.parse(versions.output);
  return {
    name,
    version: `scenario_execution ${engine}`,
    details: `py_trees ${pyTrees}, Python ${interpreter} (${python})`,
    command: pythonBin,
  };
}

/**
 * A recording file; refuses the format without the engine.
 * @param {string} file
 * @returns {{ engine: Engine, outcomes: Record<string, any> }}
 */
function readRecording(file) {
  const recording = JSON.parse(readFileSync(file, 'utf8'));
  if (!recording || typeof recording.engine?.name !== 'string' || typeof recording.outcomes !== 'object') {
    throw new Error(`record.mjs: ${file} does not say which engine made it; record it again`);
  }
  return recording;
}

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
    return {
      ...outcome,
      compare: options.compare,
      deliberate: options.deliberate,
      seconds,
      stdout: stdout.replaceAll(runDir, '<dir>'),
      stderr: stderr.replaceAll(runDir, '<dir>'),
    };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function record(engineName, outFile, prefixes) {
  if (engineName !== 'python' && engineName !== 'ours') throw new Error('record.mjs: run python or run ours');
  const engine = identifyEngine(engineName);
  const names = fixtureNames(prefixes);
  let results = {};
  if (existsSync(outFile)) {
    const earlier = readRecording(outFile);
    if (JSON.stringify(earlier.engine) !== JSON.stringify(engine)) {
      throw new Error(`record.mjs: ${outFile} was made by ${JSON.stringify(earlier.engine)}, not this engine`);
    }
    results = earlier.outcomes;
  }
  process.stdout.write(`${engine.version}; ${engine.details}\n`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      results[name] = await runOne(engineName, name);
      process.stdout.write(`${name}: exit ${results[name].exit} (${results[name].seconds}s)\n`);
    }
  };
  await Promise.all([worker(), worker()]);
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(outFile, `${JSON.stringify({ engine, outcomes: sorted }, null, 2)}\n`);
}

/** The fixture's text, '' for a fixture that names another target. */
function fixtureSource(name) {
  const file = join(fixturesDir, `${name}.osc`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** How our rejection compares with the Python one, or undefined when Python did not reject the fixture. */
function rejectionDiff(pythonRun, ourRun, name) {
  const text = pythonErrorText(pythonRun.stdout ?? '');
  if (text === undefined || pythonRun.exit === 0 || pythonRun.loaded) return undefined;
  return compareRejections(text, ourRun.stderr ?? '', fixtureSource(name));
}

function diff(pythonFile, oursFile) {
  const python = readRecording(pythonFile).outcomes;
  const ours = readRecording(oursFile).outcomes;
  let same = 0;
  const different = [];
  const deliberate = [];
  const deliberateButSame = [];
  for (const name of Object.keys(python)) {
    if (!(name in ours)) continue;
    const mode = python[name].compare;
    const a = JSON.stringify(comparable(python[name], mode), null, 1);
    const b = JSON.stringify(comparable(ours[name], mode), null, 1);
    const rejection = a === b ? rejectionDiff(python[name], ours[name], name) : undefined;
    const agree = a === b && (rejection === undefined || (rejection.place === 'same' && rejection.reason === 'same'));
    if (ours[name].deliberate) {
      (agree ? deliberateButSame : deliberate).push(name);
    } else if (agree) same += 1;
    else {
      different.push(name);
      if (a !== b) process.stdout.write(`=== ${name}\n--- python\n${a}\n--- ours\n${b}\n`);
      else process.stdout.write(`=== ${name}: rejected, place ${rejection?.place}; reason ${rejection?.reason}\n`);
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
  const { engine, outcomes: python } = readRecording(pythonFile);
  if (engine.name !== 'python' || !/^scenario_execution \d/.test(engine.version)) {
    throw new Error(`record.mjs: ${pythonFile} was recorded with ${JSON.stringify(engine)}, not the Python engine`);
  }
  const names = Object.keys(python).sort();
  const entries = names.map(
    (name) => `  ${JSON.stringify(name)}: ${JSON.stringify(comparable(python[name], python[name].compare))},`,
  );
  const rejections = names.flatMap((name) => {
    const run = python[name];
    const text = run.exit !== 0 && !run.loaded ? pythonErrorText(run.stdout) : undefined;
    return text === undefined ? [] : [`  ${JSON.stringify(name)}: ${JSON.stringify(text)},`];
  });
  const text = `/**
 * What the Python engine did with each fixture: its exit status, whether the scenario
 * started, and the compared log records (see outcome.mjs); for a file it rejected, its
 * error (place and message, compared by rejection.mjs). Recorded with record.mjs;
 * edit by re-recording, not by hand.
 */
export const PYTHON_ENGINE = ${JSON.stringify({ name: engine.name, version: engine.version, details: engine.details })} as const;

export const PYTHON_OUTCOMES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
${entries.join('\n')}
};

/** The error text of the Python engine's \`Parsing of <file>: parsing failed <error>\` record. */
export const PYTHON_REJECTIONS: Readonly<Record<string, string>> = {
${rejections.join('\n')}
};
`;
  writeFileSync(join(here, 'expected.ts'), text);
}

function deliberateOutcomes(oursFile) {
  const { engine, outcomes: ours } = readRecording(oursFile);
  if (engine.name !== 'ours') throw new Error(`record.mjs: ${oursFile} was not recorded with our engine`);
  const entries = Object.keys(ours)
    .filter((name) => ours[name].deliberate)
    .sort()
    .map((name) => {
      const rejection = ourRejection(ours[name], ours[name].stderr);
      const outcome = { ...comparable(ours[name], ours[name].compare), ...(rejection ? { rejection } : {}) };
      return `  ${JSON.stringify(name)}: ${JSON.stringify(outcome)},`;
    });
  const text = `/**
 * Our outcome of each fixture marked \`# deliberate:\` (a deliberate difference from the
 * Python engine, whose outcome stays in expected.ts): what the test asserts for it, with
 * our rejection (place and normalised reason, see rejection.mjs) when we reject the file.
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
