#!/usr/bin/env node
/**
 * Start-up and full-run figures of `scenario_execution`, each timed in turn with its
 * baseline in this run (figure record lines, see bench/run.mjs):
 *
 * - `-n` on a trivial scenario against `node -e 0` (11 pairs);
 * - the same with the engine's modules of dist/ instead of the bundle, against
 *   `node -e 0`: what the bundle saves (5 pairs);
 * - a full run of the generated 2,805-line scenario (400 blocks, default step 0.1 s:
 *   the tree succeeds in its first tick, so the figure is start-up, load, build, one
 *   tick of 1,600 log lines and exit) against a full run of the trivial scenario (5 pairs);
 * - peak RSS of that full run against that of the trivial run (3 runs each, apart from
 *   the timed ones: the RSS hook costs start-up time).
 * Run after `npm run build`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BIN,
  benchDirectory,
  generatedScenario,
  interleaved,
  printFigure,
  ROOT,
  spawnNode,
  TRIVIAL_SCENARIO,
  writeScenario,
} from './engine-measure.mjs';

const BLOCKS = 400;
const dir = benchDirectory('se-bench-startup-');
const trivial = writeScenario(dir, 'trivial.osc', TRIVIAL_SCENARIO);
const bigText = generatedScenario(BLOCKS);
const big = writeScenario(dir, 'big.osc', bigText);
const bigLines = bigText.split('\n').length - 1;

const nodeBaseline = () => spawnNode(['-e', '0']);

{
  const { value, baseline, ratio } = interleaved(() => spawnNode([BIN, '-n', trivial]), nodeBaseline, 11);
  printFigure({
    figure: 'scenario_execution -n, trivial scenario',
    value,
    unit: 'ms',
    baseline,
    baselineName: 'node -e 0',
    ratio,
    target: '≤ 1.3',
  });
}

{
  // The command as it runs from the modules tsc wrote, without the bundle.
  const modulesMain = pathToFileURL(join(ROOT, 'packages/scenario-execution/dist/cli/main.js')).href;
  const modulesRun = pathToFileURL(join(ROOT, 'packages/scenario-execution/dist/cli/run-command.js')).href;
  const launcher = writeScenario(
    dir,
    'modules-launcher.mjs',
    `import { main } from '${modulesMain}';\nimport { runCommand } from '${modulesRun}';\nawait runCommand(main);\n`,
  );
  const { value, baseline, ratio } = interleaved(() => spawnNode([launcher, '-n', trivial]), nodeBaseline, 5);
  printFigure({
    figure: 'the same, from the modules of dist/ (no bundle)',
    value,
    unit: 'ms',
    baseline,
    baselineName: 'node -e 0',
    ratio,
  });
}

{
  const checkedBig = (run) => {
    const logged = run.stdout.split('\n').filter((line) => line.includes('[INFO] block ')).length;
    if (logged !== BLOCKS * 4) throw new Error(`full run logged ${logged} block lines, expected ${BLOCKS * 4}`);
    return run;
  };
  // Timed without the RSS hook (an ES module loaded with --import: it costs start-up time).
  const { value, baseline, ratio } = interleaved(
    () => checkedBig(spawnNode([BIN, big])),
    () => spawnNode([BIN, trivial]),
    5,
  );
  printFigure({
    figure: `full run, generated ${bigLines.toLocaleString('en')}-line scenario`,
    value,
    unit: 'ms',
    baseline,
    baselineName: 'full run, trivial scenario',
    ratio,
    target: '≤ 1.5',
  });
  let rssBig = 0;
  let rssTrivial = 0;
  for (let i = 0; i < 3; i++) {
    rssBig = Math.max(rssBig, checkedBig(spawnNode([BIN, big], { measureRss: true })).rssKb ?? 0);
    rssTrivial = Math.max(rssTrivial, spawnNode([BIN, trivial], { measureRss: true }).rssKb ?? 0);
  }
  printFigure({
    figure: `peak RSS, full run of the ${bigLines.toLocaleString('en')}-line scenario`,
    value: rssBig / 1024,
    unit: 'MB',
    baseline: rssTrivial / 1024,
    baselineName: 'peak RSS, full run, trivial scenario',
    ratio: rssBig / rssTrivial,
  });
}
