#!/usr/bin/env node
/**
 * Remote action benchmark (run after the build; prints one JSON line per figure):
 *
 * - wall time of a CLI run of 100 sequential remote `log` actions against an
 *   already started scenario_execution_server (and, for scale, the same with local logs);
 * - tick duration p50/p99 while 1, 10, 50 and 200 remote `run_process("sleep 2")`
 *   run side by side, each on its own socket, ticked every 0.1 s as a parallel does.
 *
 * Bounded: the whole run is aborted after 60 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEndpoint } from '@scenario-execution/protocol';
import { Status } from 'scenario-execution';
import { REPLY_BUDGET, RemoteActionBehaviour } from 'scenario-execution-plugin-remote';

const root = fileURLToPath(new URL('../', import.meta.url));
const serverBin = join(root, 'packages/server/bin/scenario_execution_server.js');
const cliBin = join(root, 'packages/scenario-execution/bin/scenario_execution.js');

const TOTAL_LIMIT_MS = 60_000;
const TICK_PERIOD_MS = 100;
const SEQUENTIAL_LOGS = 100;
const PARALLEL_COUNTS = [1, 10, 50, 200];

const dir = mkdtempSync(join(tmpdir(), 'se-bench-'));
const children = new Set();

function cleanUp() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

const abortTimer = setTimeout(() => {
  console.error(`bench/remote-actions: aborted after ${TOTAL_LIMIT_MS / 1000}s`);
  cleanUp();
  process.exit(1);
}, TOTAL_LIMIT_MS);
abortTimer.unref();

function emit(record) {
  console.log(JSON.stringify(record));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(args, { limitMs, onOutput } = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const collect = (data) => {
    output += data.toString();
    onOutput?.(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise((resolve) => {
    const timer = limitMs ? setTimeout(() => child.kill('SIGKILL'), limitMs) : undefined;
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code: code ?? signal, output });
    });
  });
  return { child, exit, output: () => output };
}

async function startServer(port) {
  let ready;
  const listening = new Promise((resolve) => {
    ready = resolve;
  });
  const server = run([serverBin, '--port', String(port), '--watchdog', '0', '--connect-timeout', '0'], {
    onOutput: (text) => {
      if (text.includes('listening on')) ready();
    },
  });
  const started = await Promise.race([listening.then(() => true), server.exit.then(() => false)]);
  if (!started) throw new Error(`server did not start:\n${server.output()}`);
  return server;
}

/** CLI run of `count` sequential logs, remote or local; wall seconds. */
async function sequentialLogs(endpoint, count, remote) {
  const lines = ['import osc.helpers', 'import osc.remote', '', 'scenario bench_logs:', '    do serial:'];
  for (let i = 0; i < count; i++) {
    lines.push(`        log("message ${i}")${remote ? ' with:' : ''}`);
    if (remote) lines.push(`            remote("${endpoint}")`);
  }
  const file = join(dir, `${remote ? 'remote' : 'local'}-logs.osc`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const started = performance.now();
  const { code, output } = await run([cliBin, file], { limitMs: 30_000 }).exit;
  const wallS = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`scenario_execution exited with ${code}:\n${output.slice(-2000)}`);
  return wallS;
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Tick `count` remote sleeps side by side until all finished; tick durations in ms. */
async function parallelSleeps(endpoint, count) {
  const address = parseEndpoint(endpoint);
  const behaviours = Array.from(
    { length: count },
    (_, i) =>
      new RemoteActionBehaviour(`run_process#${i}@remote(${address})`, {
        endpoint,
        address,
        logger: quietLogger,
        heartbeatFailureTimeout: 5,
        setupTimeout: 20,
        // As the remote() modifier sets it up.
        replyBudget: REPLY_BUDGET,
        action: {
          name: 'run_process',
          definition: undefined,
          resolveArgs: () => ({
            command: 'sleep 2',
            wait_for_shutdown: true,
            shutdown_signal: ['sigterm', 15],
            shutdown_timeout: 10,
          }),
        },
      }),
  );
  const ctx = { tickPeriod: TICK_PERIOD_MS / 1000, scenarioFileDirectory: dir, outputDir: undefined };
  const setupStarted = performance.now();
  await Promise.all(behaviours.map((b) => b.setup(ctx)));
  const setupMs = performance.now() - setupStarted;

  const durations = [];
  const finished = new Map();
  for (let tick = 0; tick < 100 && finished.size < count; tick++) {
    const tickStarted = performance.now();
    const running = behaviours.filter((b) => !finished.has(b));
    const statuses = await Promise.all(running.map((b) => b.tick()));
    const duration = performance.now() - tickStarted;
    durations.push(duration);
    running.forEach((b, i) => {
      if (statuses[i] !== Status.RUNNING) finished.set(b, statuses[i]);
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, TICK_PERIOD_MS - duration)));
  }
  await Promise.all(behaviours.map((b) => b.shutdown()));
  const failed = [...finished.values()].filter((s) => s !== Status.SUCCESS).length + (count - finished.size);
  const sorted = [...durations].sort((a, b) => a - b);
  // The first tick includes `execute` and the server starting every process.
  const steady = durations.slice(1).sort((a, b) => a - b);
  return {
    setupMs,
    ticks: durations.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    firstMs: durations[0] ?? Number.NaN,
    steadyP99: percentile(steady, 99),
    failed,
  };
}

const round = (x, digits = 2) => Number(x.toFixed(digits));

async function main() {
  const port = await freePort();
  const endpoint = `127.0.0.1:${port}`;
  const server = await startServer(port);
  try {
    const localS = await sequentialLogs(endpoint, SEQUENTIAL_LOGS, false);
    const remoteS = await sequentialLogs(endpoint, SEQUENTIAL_LOGS, true);
    emit({
      bench: 'remote_log_sequential',
      actions: SEQUENTIAL_LOGS,
      cli_wall_s: round(remoteS, 3),
      local_cli_wall_s: round(localS, 3),
      per_action_ms: round(((remoteS - localS) * 1000) / SEQUENTIAL_LOGS),
    });
    for (const count of PARALLEL_COUNTS) {
      const r = await parallelSleeps(endpoint, count);
      emit({
        bench: 'remote_run_process_parallel',
        parallel: count,
        setup_ms: round(r.setupMs, 1),
        ticks: r.ticks,
        tick_p50_ms: round(r.p50),
        tick_p99_ms: round(r.p99),
        first_tick_ms: round(r.firstMs),
        later_ticks_p99_ms: round(r.steadyP99),
        failed: r.failed,
      });
      if (r.failed > 0) throw new Error(`${r.failed} of ${count} remote sleeps did not succeed`);
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exit;
  }
}

try {
  await main();
  cleanUp();
} catch (err) {
  console.error(`bench/remote-actions: ${err instanceof Error ? err.message : String(err)}`);
  cleanUp();
  process.exitCode = 1;
}
