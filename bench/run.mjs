#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark, printed as one table of figures, each beside the
 * baseline it was timed against in this run and their ratio, so that the figures hold
 * on any machine (quote the ratios).
 *
 * The benches, each a script of its own run in turn (a failing one is reported and the
 * others still run):
 * - bench/engine-startup.mjs: `scenario_execution -n` on a trivial scenario against
 *   `node -e 0`, the same without the bundle, a full run of the generated 2,805-line
 *   scenario against the full run of the trivial one, peak RSS;
 * - bench/engine-growth.mjs: parse, resolve, build and tick costs at 1×, 4× and 10× the
 *   generated scenario, against linear growth from 1×;
 * - bench/engine-ticks.mjs: tick time of trees of 1,000 leaves against a plain loop;
 * - bench/remote-roundtrip.mjs, bench/remote-actions.mjs: the remote figures, when present.
 * Run after `npm run build`. Every step is bounded: each bench has a time limit.
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
 * - target: the limit, as text: a bare number applies to the ratio ("≤ 1.3"), a number
 *   with a unit to the value ("≤ 1 ms"); absent when there is none.
 * Any other field (e.g. "bench", "samples", "transport") is shown after the figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const BENCHES = [
  ['engine-startup.mjs', 600_000],
  ['engine-growth.mjs', 600_000],
  ['engine-ticks.mjs', 120_000],
  ['remote-roundtrip.mjs', 120_000],
  ['remote-actions.mjs', 120_000],
];
const RECORD_FIELDS = new Set(['figure', 'value', 'unit', 'baseline', 'baselineName', 'ratio', 'target']);

if (!existsSync(join(root, 'packages/scenario-execution/dist/entry/index.js'))) {
  console.error('bench: the engine is not built; run `npm run build` first');
  process.exit(1);
}

const records = [];
const otherLines = [];
for (const [script, timeout] of BENCHES) {
  const path = join(root, 'bench', script);
  if (!existsSync(path)) continue;
  process.stderr.write(`bench: ${script} …\n`);
  const result = spawnSync(process.execPath, [path], { encoding: 'utf8', timeout, cwd: root });
  for (const line of (result.stdout ?? '').split('\n')) {
    if (!line.trim()) continue;
    const record = parseRecord(line);
    if (record) records.push({ script, ...record });
    else otherLines.push(`${script}: ${line.trim()}`);
  }
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    otherLines.push(`${script}: failed (${why}) ${(result.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** A figure record, or undefined for a line that is not one. */
function parseRecord(line) {
  if (!line.trim().startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line);
    return typeof record.figure === 'string' && typeof record.value === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}

function number(value) {
  if (value === undefined) return '';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** 'yes' / 'NO' for a target "≤ n" (ratio) or "≤ n unit" (value), '' without one. */
function met(record) {
  const match = /^\s*≤\s*([\d.]+)\s*(\S*)\s*$/.exec(record.target ?? '');
  if (!match) return '';
  const limit = Number(match[1]);
  const measured = match[2] ? record.value : record.ratio;
  if (match[2] && match[2] !== record.unit) return '';
  if (measured === undefined) return '';
  return measured <= limit ? 'yes' : 'NO';
}

const rows = records.map((r) => {
  const extra = Object.entries(r)
    .filter(([key]) => !RECORD_FIELDS.has(key) && key !== 'script')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return [
    extra ? `${r.figure} (${extra})` : r.figure,
    `${number(r.value)} ${r.unit ?? ''}`.trim(),
    r.baseline === undefined ? '' : `${number(r.baseline)} ${r.unit ?? ''} (${r.baselineName ?? 'baseline'})`,
    r.ratio === undefined ? '' : `${number(r.ratio)}×`,
    r.target ?? '',
    met(r),
  ];
});
const header = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target', 'met'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const format = (row) =>
  row
    .map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
console.log(format(header));
console.log(format(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(format(row));
if (otherLines.length > 0) {
  console.log('\nother output:');
  for (const line of otherLines) console.log(`  ${line}`);
}
