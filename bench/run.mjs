#!/usr/bin/env node
/**
 * `npm run bench`: engine benchmarks on the built dist, printed as a table.
 *
 * (a) wall time of `scenario_execution -n` on a trivial scenario (spawned, median of 5);
 * (b) parse + resolve of a generated scenario of 400 labelled serial blocks
 *     (two `log`s, an `increment` of a variable, a parallel of two `log`s each), in-process,
 *     median of 5;
 * (c) full run of that scenario (spawned, not dry, default step duration 0.1 s): every
 *     action finishes in its first update, so the whole tree succeeds in the first tick and
 *     the step duration adds no waiting; the figure is start-up + load + build + one tick
 *     (1,600 log lines) + exit, median of 3;
 * (d) tick time of trees with 1,000 leaves that keep running: a scenario-built `parallel`
 *     of 1,000 `wait elapsed(1h)`, and 10 parallels of 100 bare leaves (median per tick);
 * (e) peak RSS of the full run (c);
 * then the remote benchmarks `bench/remote-roundtrip.mjs` and `bench/remote-actions.mjs`
 * (written by the server/remote packages; they print JSON lines), when present.
 *
 * Run after `npm run build`. Every step is bounded; nothing runs in a loop beyond the
 * sample counts above.
 *
 * The figure record. Every bench script that run.mjs starts prints its figures as JSON
 * lines of this shape (other lines are shown as they are), so that each figure is read
 * as a ratio to a baseline measured in the same run and holds on any machine:
 *
 *   {"figure": "trivial scenario, -n", "value": 61.2, "unit": "ms",
 *    "baseline": 43.0, "baselineName": "node -e 0", "ratio": 1.42, "target": "≤ 1.3"}
 *
 * - figure: what was measured (one line of text);
 * - value, unit: the measurement ("ms", "s", "MB", "%", "count", "/s", …);
 * - baseline, baselineName: the same kind of measurement of the baseline, taken in the
 *   same run, interleaved with the figure's samples (e.g. `node -e 0`, the trivial run,
 *   a bare zeromq.js echo, the Python server); both absent when a figure has none;
 * - ratio: value / baseline (absent without a baseline);
 * - target: the limit, as text; it applies to the ratio when there is one
 *   ("≤ 1.3"), to the value otherwise ("≤ 1 ms"); absent when there is none.
 * Any other field (e.g. "bench", "samples", "transport") is shown after the figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'packages/scenario-execution/bin/scenario_execution.js');
const engineEntry = join(root, 'packages/scenario-execution/dist/index.js');
if (!existsSync(engineEntry)) {
  console.error('bench: the engine is not built; run `npm run build` first');
  process.exit(1);
}
const engine = await import(pathToFileURL(engineEntry).href);

const BLOCKS = 400;
const SPAWN_TIMEOUT_MS = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'se-bench-engine-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function seconds(startNs) {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** The generated scenario of (b)/(c). */
function bigScenario() {
  const lines = ['import osc.helpers', '', 'scenario bench:', '    var counter: int = 0', '    do serial:'];
  for (let i = 0; i < BLOCKS; i++) {
    lines.push(
      `        block_${i}: serial:`,
      `            log("block ${i} first")`,
      `            log("block ${i} second")`,
      '            increment(counter)',
      '            parallel:',
      `                log("block ${i} left")`,
      `                log("block ${i} right")`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("BENCH_MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

/** Spawn the CLI; returns wall seconds, exit status and (with `measureRss`) peak RSS in kB. */
function runCli(args, measureRss = false) {
  const nodeArgs = measureRss ? ['--import', RSS_HOOK, bin, ...args] : [bin, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, nodeArgs, {
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = seconds(start);
  if (result.status !== 0) {
    throw new Error(`scenario_execution ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(result.stderr ?? '');
  return { wall, rssKb: rss ? Number(rss[1]) : undefined, stdout: result.stdout };
}

const rows = [];
function row(figure, value, unit, target, detail = '') {
  rows.push({ figure, value, unit, target, detail });
}

// (a) trivial scenario, dry run
const trivial = join(dir, 'trivial.osc');
writeFileSync(trivial, 'import osc.helpers\n\nscenario trivial:\n    do log("hello")\n');
runCli(['-n', trivial]);
const trivialTimes = [];
for (let i = 0; i < 5; i++) trivialTimes.push(runCli(['-n', trivial]).wall);
row('trivial scenario, `-n` (spawned, median of 5)', median(trivialTimes), 's', 0.15);

// (b) parse + resolve of the generated scenario
const big = join(dir, 'big.osc');
const bigText = bigScenario();
writeFileSync(big, bigText);
const lineCount = bigText.split('\n').length - 1;
const loadTimes = [];
let model;
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  model = await engine.loadScenario(big);
  loadTimes.push(seconds(start));
}
row(
  `${lineCount}-line scenario: parse + resolve (in-process, median of 5)`,
  median(loadTimes),
  's',
  0.25,
  `first run ${loadTimes[0].toFixed(3)} s`,
);

// build time of the same scenario, for reference
{
  const start = process.hrtime.bigint();
  await engine.buildTree({
    model,
    blackboard: new engine.Blackboard(),
    logger: new engine.Logger('bench', { sink: () => {} }),
    builtinActions: engine.builtinActions,
  });
  row(`${lineCount}-line scenario: build the tree (in-process)`, seconds(start), 's', undefined);
}

// (c) + (e) full run of the generated scenario
const fullRuns = [];
let peakRssKb = 0;
for (let i = 0; i < 3; i++) {
  const run = runCli([big], true);
  const logLines = run.stdout.split('\n').filter((l) => l.includes('[INFO] block ')).length;
  if (logLines !== BLOCKS * 4) throw new Error(`full run logged ${logLines} block lines, expected ${BLOCKS * 4}`);
  fullRuns.push(run.wall);
  peakRssKb = Math.max(peakRssKb, run.rssKb ?? 0);
}
row(`${lineCount}-line scenario: full run (spawned, -s 0.1, median of 3)`, median(fullRuns), 's', 0.4);

// (d) tick time with 1,000 leaves
async function tickTimes(rootNode, ticks) {
  for (let i = 0; i < 100; i++) await rootNode.tick();
  const samples = [];
  for (let i = 0; i < ticks; i++) {
    const start = process.hrtime.bigint();
    const ticked = rootNode.tick();
    if (ticked instanceof Promise) await ticked;
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

{
  const waits = Array.from({ length: 1000 }, () => '        wait elapsed(1h)').join('\n');
  const waitModel = await engine.loadScenarioFromText(
    `import osc.helpers\n\nscenario ticks:\n    do parallel:\n${waits}\n`,
    join(dir, 'ticks.osc'),
  );
  const built = await engine.buildTree({
    model: waitModel,
    blackboard: new engine.Blackboard(),
    logger: new engine.Logger('bench', { sink: () => {} }),
    builtinActions: engine.builtinActions,
  });
  const ms = await tickTimes(built.root, 1000);
  row('1,000-leaf tick: parallel of 1,000 `wait elapsed` (median per tick)', ms, 'ms', 1);
}
{
  class KeepRunning extends engine.Behaviour {
    update() {
      return engine.Status.RUNNING;
    }
  }
  const groups = Array.from(
    { length: 10 },
    (_, g) =>
      new engine.Parallel(
        `group_${g}`,
        Array.from({ length: 100 }, (_, i) => new KeepRunning(`leaf_${g}_${i}`)),
      ),
  );
  const rootNode = new engine.Sequence('root', [new engine.Parallel('all', groups)]);
  const ms = await tickTimes(rootNode, 1000);
  row('1,000-leaf tick: 10 parallels × 100 bare leaves (median per tick)', ms, 'ms', 1);
}

row('peak RSS of the full run (c)', peakRssKb / 1024, 'MB', undefined);

// Remote benchmarks (JSON lines), when their scripts exist.
const remoteLines = [];
for (const script of ['remote-roundtrip.mjs', 'remote-actions.mjs']) {
  const path = join(root, 'bench', script);
  if (!existsSync(path)) continue;
  const result = spawnSync(process.execPath, [path], { encoding: 'utf8', timeout: 120_000, cwd: root });
  if (result.status !== 0) {
    remoteLines.push(`${script}: failed (exit ${result.status ?? result.signal}) ${(result.stderr ?? '').trim()}`);
    continue;
  }
  for (const line of result.stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const record = JSON.parse(line);
      const name = [record.bench, record.figure, record.transport].filter(Boolean).join(' / ');
      const fields = Object.entries(record)
        .filter(([key]) => !['bench', 'figure', 'transport'].includes(key))
        .map(([key, value]) => `${key}=${value}`)
        .join('  ');
      remoteLines.push(`${name}: ${fields}`);
    } catch {
      remoteLines.push(`${script}: ${line.trim()}`);
    }
  }
}

// Table
function format(value, unit) {
  if (unit === 's') return `${value.toFixed(3)} s`;
  if (unit === 'ms') return `${value.toFixed(3)} ms`;
  return `${value.toFixed(1)} ${unit}`;
}
const width = Math.max(...rows.map((r) => r.figure.length));
console.log(`${'figure'.padEnd(width)}  ${'measured'.padStart(12)}  ${'target'.padStart(10)}  ok`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(12)}  ${'-'.repeat(10)}  ---`);
for (const r of rows) {
  const target = r.target === undefined ? '' : `≤ ${r.target} ${r.unit}`;
  const ok = r.target === undefined ? '' : r.value <= r.target ? 'yes' : 'NO';
  const detail = r.detail ? `  (${r.detail})` : '';
  console.log(
    `${r.figure.padEnd(width)}  ${format(r.value, r.unit).padStart(12)}  ${target.padStart(10)}  ${ok}${detail}`,
  );
}
if (remoteLines.length > 0) {
  console.log('\nremote benchmarks:');
  for (const line of remoteLines) console.log(`  ${line}`);
}
