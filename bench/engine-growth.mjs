#!/usr/bin/env node
/**
 * How the engine's costs grow with the scenario: the generated scenario at 1×, 4× and
 * 10× its size (400, 1,600 and 4,000 blocks: 2,805, 11,205 and 28,005 lines), in this
 * process, each phase timed on its own in CPU time of the process, collection of its
 * own garbage included (see timeMs), after a discarded round, 7 rounds of every size in
 * turn, medians:
 *
 * - parse: the front end's syntax tree of the file;
 * - parse + resolve: loading the model (`loadScenarioFromText`);
 * - build: the behaviour tree of the model;
 * - tick: the one tick in which the whole tree succeeds (every action logs or counts).
 *
 * Each figure of 4× and 10× is printed against the same phase at 1× times the factor
 * (the baseline a linear cost would have): a ratio near 1 is linear growth, well above
 * 1 worse than linear. The 10× parse + resolve also has the issue's own limit (≤ 250 ms).
 * Run after `npm run build`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchDirectory, generatedScenario, importEngine, median, printFigure, ROOT } from './engine-measure.mjs';

const BASE_BLOCKS = 400;
const FACTORS = [1, 4, 10];
const SAMPLES = 7;
/** Growth beyond this share over linear is reported as not met. */
const LINEAR_TARGET = '≤ 1.3';

const engine = await importEngine();
const language = await import(pathToFileURL(join(ROOT, 'packages/scenario-execution/dist/entry/language.js')).href);
const dir = benchDirectory('se-bench-growth-');

// The collector on demand (what `node --expose-gc` gives), to bill each phase its own garbage (see timeMs).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

/** Two young-generation collections: what survives them is in the old generation. */
function collectYoung() {
  collectGarbage({ type: 'minor' });
  collectGarbage({ type: 'minor' });
}

/**
 * CPU ms of this process (user + system) spent in `run`, with the young-generation
 * collection of what it allocated: on a busy machine, waiting for a core is left out.
 *
 * Each phase pays for collecting its own garbage, and only its own. Before it, two
 * young-generation collections (not timed) move what earlier phases left to the old
 * generation; after it, two (timed) do the same for what this phase keeps. Without
 * them the phases of the 1× scenario fit into the young generation and leave their
 * collection to whichever later phase (or size) fills it, while at 4× and 10× they
 * pay for their own and their predecessor's: the ratios then showed where the
 * collector happened to run, not how the work grows. (A full collection before each
 * phase would not do: it also shrinks the young generation, so the next phase
 * collects many times while the young generation grows back.)
 */
async function timeMs(run) {
  collectYoung();
  const start = process.cpuUsage();
  await run();
  collectYoung();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1000;
}

/** One sample of each phase for a scenario of `blocks` blocks. */
async function samplePhases(blocks) {
  const text = generatedScenario(blocks);
  const path = join(dir, `growth-${blocks}.osc`);
  let model;
  const parse = await timeMs(() => language.parse(new language.SourceFile(path, text)));
  const load = await timeMs(async () => {
    model = await engine.loadScenarioFromText(text, path);
  });
  let built;
  const build = await timeMs(async () => {
    built = await engine.buildTree({
      model,
      blackboard: new engine.Blackboard(),
      logger: new engine.Logger('bench', { sink: () => {} }),
      builtinActions: engine.builtinActions,
    });
  });
  // The first tick of a tree is the one that runs every action.
  let status;
  const tick = await timeMs(async () => {
    status = await built.root.tick();
  });
  if (status !== engine.Status.SUCCESS) throw new Error(`the ${blocks}-block tree ticked ${status}`);
  return { lines: text.split('\n').length - 1, parse, load, build, tick };
}

// In this process, after one discarded round of every size (the engine's code compiled and
// optimised for each), rounds of every size in turn, so that the machine getting slower or
// faster meanwhile moves all sizes alike. (In a fresh process per sample the 1× figure would
// be mostly compiling the engine's code, which would hide how the work itself grows.)
for (const factor of FACTORS) await samplePhases(BASE_BLOCKS * factor);
const samples = new Map(FACTORS.map((factor) => [factor, []]));
for (let round = 0; round < SAMPLES; round++) {
  for (const factor of FACTORS) samples.get(factor).push(await samplePhases(BASE_BLOCKS * factor));
}
const results = FACTORS.map((factor) => {
  const rounds = samples.get(factor);
  const of = (key) => median(rounds.map((r) => r[key]));
  return { factor, lines: rounds[0].lines, parse: of('parse'), load: of('load'), build: of('build'), tick: of('tick') };
});
const [base] = results;

const PHASES = [
  ['parse', 'parse'],
  ['load', 'parse + resolve'],
  ['build', 'build the tree'],
  ['tick', 'the tick that runs every action'],
];
for (const { factor, lines, ...times } of results) {
  for (const [key, label] of PHASES) {
    const figure = `${label}, ${lines.toLocaleString('en')} lines (${factor}×)`;
    if (factor === 1) {
      printFigure({ figure, value: times[key], unit: 'ms' });
      continue;
    }
    const linear = base[key] * factor;
    printFigure({
      figure,
      value: times[key],
      unit: 'ms',
      baseline: linear,
      baselineName: `${factor} × the ${base.lines.toLocaleString('en')}-line figure`,
      ratio: times[key] / linear,
      target: LINEAR_TARGET,
    });
  }
}
const largest = results[results.length - 1];
printFigure({
  figure: `parse + resolve, ${largest.lines.toLocaleString('en')} lines, the issue's limit`,
  value: largest.load,
  unit: 'ms',
  target: '≤ 250 ms',
});
