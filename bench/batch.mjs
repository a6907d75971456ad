#!/usr/bin/env node
/**
 * `npm run bench:batch`: wall time of `scenario_batch_execution` on a set of generated
 * variations of a short scenario (a `log`, then `wait elapsed(0.05 s … 0.2 s)`), run by
 * our `scenario_execution`:
 *
 *   (a) --jobs <cores>  against  (b) --jobs 1 (the Python tool's sequential order);
 *   (c) the Python batch tool running the Python scenario_execution on the same files
 *       (when the Python reference is installed: /work/pyref, or PYREF=DIR; the column
 *       is skipped with a note otherwise).
 *
 * Every run must pass (exit status 0) with one testcase per scenario in OUT/test.xml,
 * else the bench stops with an error. Prints a table, then the figures as JSON lines
 * in the shape bench/run.mjs describes (ratios to a baseline measured in the same run).
 *
 *   node bench/batch.mjs [--count N (200)] [--jobs N (cores)] [--no-python]
 *
 * Run after `npm run build`. Each run is bounded by a time limit; nothing repeats.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const batchBin = join(root, 'packages/coverage/bin/scenario_batch_execution.js');
const seBin = join(root, 'packages/scenario-execution/bin/scenario_execution.js');
if (!existsSync(join(root, 'packages/coverage/dist/scenario_batch_execution-main.js'))) {
  console.error('bench: not built; run `npm run build` first');
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    'no-python': { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const jobs = Number(values.jobs);
if (!(Number.isInteger(count) && count > 0 && Number.isInteger(jobs) && jobs > 0)) {
  console.error('bench: --count and --jobs take whole numbers of at least 1');
  process.exit(2);
}
const pyref = process.env.PYREF ?? '/work/pyref';
const pythonBatch = join(pyref, 'venv/bin/scenario_batch_execution');
const pythonSe = join(pyref, 'bin/py-scenario-execution');
const withPython = !values['no-python'] && existsSync(pythonBatch) && existsSync(pythonSe);
/** Per run: generous, so that only a hung run hits it (the Python tool takes about 3 s a scenario). */
const RUN_LIMIT_MS = Math.max(600_000, count * 10_000);

const dir = mkdtempSync(join(tmpdir(), 'se-bench-batch-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const scenarios = join(dir, 'variations');
mkdirSync(scenarios);
for (let i = 0; i < count; i++) {
  const name = `variation_${String(i).padStart(3, '0')}`;
  const wait = (0.05 * (1 + (i % 4))).toFixed(2);
  writeFileSync(
    join(scenarios, `${name}.osc`),
    `import osc.helpers\n\nscenario ${name}:\n    do serial:\n        log("variation ${i}: waiting ${wait} s")\n        wait elapsed(${wait}s)\n`,
  );
}

/** Run a command to its end (bounded); resolves to its wall time in seconds. */
function timed(label, program, args, out) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(program, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGINT'), RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const combined = join(dir, out, 'test.xml');
      const testcases = existsSync(combined) ? (readFileSync(combined, 'utf8').match(/<testcase /g) ?? []).length : 0;
      if (code !== 0 || testcases !== count) {
        reject(new Error(`${label}: exit status ${code}, ${testcases} of ${count} testcases\n${stderr}`));
      } else resolve(seconds);
    });
  });
}

const launch = [process.execPath, seBin, '{SCENARIO}', '-o', '{OUTPUT_DIR}'];
console.log(`bench: ${count} variations, ${availableParallelism()} cores; our scenario_execution as launch command`);
const parallel = await timed(
  `--jobs ${jobs}`,
  process.execPath,
  [batchBin, '-i', 'variations', '-o', 'out-parallel', '--jobs', String(jobs), '--', ...launch],
  'out-parallel',
);
console.log(`  --jobs ${jobs}: ${parallel.toFixed(1)} s`);
const sequential = await timed(
  '--jobs 1',
  process.execPath,
  [batchBin, '-i', 'variations', '-o', 'out-sequential', '--jobs', '1', '--', ...launch],
  'out-sequential',
);
console.log(`  --jobs 1: ${sequential.toFixed(1)} s`);
let python;
if (withPython) {
  python = await timed(
    'Python batch tool',
    pythonBatch,
    ['-i', 'variations', '-o', 'out-python', '--', pythonSe, '{SCENARIO}', '-o', '{OUTPUT_DIR}'],
    'out-python',
  );
  console.log(`  Python batch tool + Python scenario_execution: ${python.toFixed(1)} s`);
} else {
  console.log(
    `  Python column skipped: ${values['no-python'] ? '--no-python' : `no Python reference at ${pyref} (set PYREF)`}`,
  );
}

const rows = [
  ['run', 'wall time', 'per scenario', 'vs --jobs 1', 'vs Python'],
  [`ours, --jobs ${jobs}`, parallel, parallel / count, sequential / parallel, python && python / parallel],
  ['ours, --jobs 1', sequential, sequential / count, 1, python && python / sequential],
  ['Python tool (sequential)', python, python && python / count, python && sequential / python, python && 1],
];
console.log('');
for (const [i, row] of rows.entries()) {
  const cells = row.map((cell, k) => {
    if (i === 0 || k === 0) return String(cell);
    if (cell === undefined) return '—';
    return k === 1 ? `${cell.toFixed(1)} s` : k === 2 ? `${(cell * 1000).toFixed(0)} ms` : `${cell.toFixed(2)}×`;
  });
  console.log(cells.map((cell, k) => cell.padEnd(k === 0 ? 26 : 13)).join(''));
}
console.log('(× columns: how many times faster the row is than the column)\n');

const figures = [
  {
    figure: `batch of ${count} short scenarios, ours --jobs ${jobs}`,
    value: Number(parallel.toFixed(2)),
    unit: 's',
    baseline: Number(sequential.toFixed(2)),
    baselineName: 'ours --jobs 1',
    ratio: Number((parallel / sequential).toFixed(3)),
  },
];
if (python !== undefined) {
  figures.push(
    {
      figure: `batch of ${count} short scenarios, ours --jobs ${jobs}`,
      value: Number(parallel.toFixed(2)),
      unit: 's',
      baseline: Number(python.toFixed(2)),
      baselineName: 'Python scenario_batch_execution + Python scenario_execution',
      ratio: Number((parallel / python).toFixed(3)),
    },
    {
      figure: `batch of ${count} short scenarios, ours --jobs 1`,
      value: Number(sequential.toFixed(2)),
      unit: 's',
      baseline: Number(python.toFixed(2)),
      baselineName: 'Python scenario_batch_execution + Python scenario_execution',
      ratio: Number((sequential / python).toFixed(3)),
    },
  );
}
for (const figure of figures) console.log(JSON.stringify({ bench: 'batch', ...figure }));
