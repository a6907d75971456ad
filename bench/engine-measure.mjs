/**
 * What the engine benches share: where the built engine is, the generated scenario,
 * timing of spawned commands (interleaved with their baseline, medians), and the
 * figure record of bench/run.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BIN = join(ROOT, 'packages/scenario-execution/bin/scenario_execution.js');
const ENGINE_ENTRY = join(ROOT, 'packages/scenario-execution/dist/entry/index.js');
const SPAWN_TIMEOUT_MS = 120_000;

/** The built engine, as plugins import it; exits when it is not built. */
export async function importEngine() {
  if (!existsSync(ENGINE_ENTRY)) {
    console.error('bench: the engine is not built; run `npm run build` first');
    process.exit(1);
  }
  return import(pathToFileURL(ENGINE_ENTRY).href);
}

/** A temporary folder, removed at exit. */
export function benchDirectory(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds since `startNs` (process.hrtime.bigint()). */
export function msSince(startNs) {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

export const TRIVIAL_SCENARIO = 'import osc.helpers\n\nscenario trivial:\n    do log("hello")\n';

/**
 * The generated scenario: `blocks` labelled serial blocks of two `log`s, an
 * `increment` of a variable and a parallel of two `log`s (400 blocks: 2,805 lines).
 * Every action finishes in its first update: the tree succeeds in one tick.
 */
export function generatedScenario(blocks) {
  const lines = ['import osc.helpers', '', 'scenario bench:', '    var counter: int = 0', '    do serial:'];
  for (let i = 0; i < blocks; i++) {
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

/** Write `text` to `dir/name` and return the path. */
export function writeScenario(dir, name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("BENCH_MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

/**
 * Spawn `node …args`; wall ms, and with `measureRss` the peak RSS in kB (through an
 * --import hook, which costs start-up time: not for timed runs). Throws on a non-zero exit.
 */
export function spawnNode(args, { env, measureRss = false } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, measureRss ? ['--import', RSS_HOOK, ...args] : args, {
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: env ?? process.env,
  });
  const wallMs = msSince(start);
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(result.stderr ?? '');
  return { wallMs, rssKb: rss ? Number(rss[1]) : undefined, stdout: result.stdout };
}

/**
 * Time two commands in turn (one warm-up each, then `samples` pairs, A B A B …) so
 * that a machine getting slower or faster meanwhile moves both; returns their
 * median wall ms and the median of the pairwise ratios A/B.
 */
export function interleaved(commandA, commandB, samples) {
  commandA();
  commandB();
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < samples; i++) {
    const timeA = commandA().wallMs;
    const timeB = commandB().wallMs;
    a.push(timeA);
    b.push(timeB);
    ratios.push(timeA / timeB);
  }
  return { value: median(a), baseline: median(b), ratio: median(ratios) };
}

/** One figure record of bench/run.mjs (see its header), printed as a JSON line. */
export function printFigure(record) {
  console.log(JSON.stringify(record));
}
