#!/usr/bin/env node
/**
 * How fast `scenario_execution` rejects garbage (issue 10): 5 MB files that are not
 * scenarios, spawned, each timed in turn with the trivial `-n` run as baseline (median
 * of 5 pairs, after one warm-up each):
 *
 * - random printable text (a generated, fixed sequence): the first syntax error is at
 *   1:1 and the rest of the file must not be read;
 * - a binary (NUL bytes): "not a text file", before any parsing;
 * - one 5 MB line with the error at its end: the whole line must be read, but the error
 *   shows only 80 characters each side of the caret.
 *
 * A ratio near 1 means the garbage costs next to nothing beyond start-up. Also printed:
 * the in-process time of `parse` to the first error of the random text, the peak RSS of
 * its spawned run, and the size of each error message (it must not echo the file).
 * Run after `npm run build`. Every loop is bounded by the sample count.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BIN,
  benchDirectory,
  median,
  msSince,
  printFigure,
  ROOT,
  TRIVIAL_SCENARIO,
  writeScenario,
} from './engine-measure.mjs';

const SIZE = 5 * 1024 * 1024;
const SAMPLES = 5;
const RATIO_TARGET = '≤ 1.5';
const dir = benchDirectory('se-bench-first-error-');

/** Fixed pseudo-random printable text with the scenario language's punctuation and line breaks. */
function randomText(size) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ()[]:.,="\'#\n\t+-*/<>!@|$';
  const bytes = Buffer.alloc(size);
  let seed = 20261201;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = alphabet.charCodeAt((seed >> 8) % alphabet.length);
  }
  return bytes;
}

/** A binary as an executable starts: a magic number, then mostly NUL bytes. */
function binary(size) {
  const bytes = Buffer.alloc(size);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]);
  for (let i = 64; i < size; i += 97) bytes[i] = i & 0xff;
  return bytes;
}

function oneLine(size) {
  return `global x: int = ${'a'.repeat(size - 20)} $\n`;
}

/** Spawn the CLI on a file that must be rejected (exit 1): wall ms, stderr, peak RSS with `measureRss`. */
function reject(file, measureRss = false) {
  const hook =
    'data:text/javascript,process.on("exit",()=>process.stderr.write("BENCH_MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...(measureRss ? ['--import', hook] : []), BIN, file], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = msSince(start);
  if (result.status !== 1) throw new Error(`${file}: expected exit status 1, got ${result.status}: ${result.stderr}`);
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(result.stderr);
  return { wallMs, stderr: result.stderr.replace(/BENCH_MAXRSS_KB \d+\n/, ''), rssKb: rss ? Number(rss[1]) : 0 };
}

function dryRun(file) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, '-n', file], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`trivial -n exited ${result.status}: ${result.stderr}`);
  return { wallMs: msSince(start) };
}

const trivial = writeScenario(dir, 'trivial.osc', TRIVIAL_SCENARIO);
const cases = [
  {
    name: 'random text',
    file: join(dir, 'random.osc'),
    bytes: randomText(SIZE),
    expect: /^.*random\.osc:1:1: error: /,
  },
  { name: 'binary', file: join(dir, 'binary.osc'), bytes: binary(SIZE), expect: /: error: not a text file \(/ },
  { name: 'one line', file: join(dir, 'line.osc'), bytes: oneLine(SIZE), expect: /line\.osc:1:\d+: error: / },
];

for (const { name, file, bytes, expect } of cases) {
  writeFileSync(file, bytes);
  reject(file);
  dryRun(trivial);
  const values = [];
  const baselines = [];
  const ratios = [];
  let stderr = '';
  for (let i = 0; i < SAMPLES; i++) {
    const run = reject(file);
    const base = dryRun(trivial);
    stderr = run.stderr;
    values.push(run.wallMs);
    baselines.push(base.wallMs);
    ratios.push(run.wallMs / base.wallMs);
  }
  if (!expect.test(stderr)) throw new Error(`${name}: unexpected error text: ${stderr.slice(0, 300)}`);
  printFigure({
    figure: `5 MB ${name}: rejected (spawned, median of ${SAMPLES})`,
    value: Number(median(values).toFixed(1)),
    unit: 'ms',
    baseline: Number(median(baselines).toFixed(1)),
    baselineName: 'trivial scenario, -n',
    ratio: Number(median(ratios).toFixed(2)),
    target: RATIO_TARGET,
    stderrBytes: Buffer.byteLength(stderr),
  });
}

{
  const random = cases[0];
  const { rssKb } = reject(random.file, true);
  printFigure({
    figure: '5 MB random text: peak RSS of the rejecting run',
    value: Math.round(rssKb / 1024),
    unit: 'MB',
  });
  const language = await import(pathToFileURL(join(ROOT, 'packages/scenario-execution/dist/language/index.js')).href);
  const text = random.bytes.toString('utf8');
  const times = [];
  for (let i = 0; i < SAMPLES + 1; i++) {
    const start = process.hrtime.bigint();
    try {
      language.parse(new language.SourceFile('random.osc', text));
      throw new Error('random text parsed without error');
    } catch (error) {
      if (!(error instanceof language.OscError)) throw error;
    }
    if (i > 0) times.push(msSince(start));
  }
  printFigure({
    figure: `5 MB random text: parse to the first error (in-process, median of ${SAMPLES})`,
    value: Number(median(times).toFixed(2)),
    unit: 'ms',
    target: '≤ 50 ms',
  });
}
