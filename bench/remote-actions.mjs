#!/usr/bin/env node
/**
 * Remote action benchmark (run after the build). Prints one JSON line per figure, in the figure
 * record shape of bench/run.mjs ({figure, value, unit, baseline, baselineName, ratio, target},
 * plus details); our `scenario_execution` CLI is the client throughout:
 *
 * - time per action of a CLI run of 100 sequential remote `log` actions against an already
 *   started server: (remote run − the same run with local logs) / 100; against our server, and
 *   against the Python server in the same run (runs interleaved), when `PY_SCENARIO_EXECUTION_SERVER`
 *   names it or /work/pyref has it; with the CPU time per action (all threads of the CLI
 *   process, measured the same way), which a loaded machine changes less than the wall time;
 * - wall time of one CLI run of 10 parallel remote `run_process("true")` followed by one remote
 *   `log`, repeated, our server against the Python server (interleaved, medians);
 * - tick duration p50/p99 while 1, 10, 50 and 200 remote `run_process("sleep 2")`
 *   run side by side, each on its own socket, ticked every 0.1 s as a parallel does.
 *
 * Servers listen on Unix sockets (the Python server would bind TCP on every interface).
 * Bounded: the whole run is aborted after 115 s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEndpoint } from '@scenario-execution/protocol';
import { Parallel, Status } from 'scenario-execution';
import { CLI_BIN, PYTHON_SERVER, percentile, SERVER_BIN } from './support.mjs';

/**
 * `BENCH_REMOTE_PLUGIN` names another build of the remote plugin (its package directory, with
 * dist/ and its dependencies resolvable from there): an A/B comparison of the client. The CLI
 * finds it first, from the scenarios' directory.
 */
const remotePlugin = process.env.BENCH_REMOTE_PLUGIN ? resolve(process.env.BENCH_REMOTE_PLUGIN) : undefined;
const { REPLY_BUDGET, RemoteActionBehaviour } = await import(
  remotePlugin ? pathToFileURL(join(remotePlugin, 'dist/index.js')).href : 'scenario-execution-plugin-remote'
);

const pythonServer = PYTHON_SERVER;

const TOTAL_LIMIT_MS = 115_000;
const TICK_PERIOD_MS = 100;
const SEQUENTIAL_LOGS = 100;
const SEQUENTIAL_REPEATS = 3;
const MIXED_REPEATS = 5;
const PARALLEL_COUNTS = [1, 10, 50, 200];

const dir = mkdtempSync(join(tmpdir(), 'se-bench-'));
if (remotePlugin) {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(remotePlugin, join(dir, 'node_modules', 'scenario-execution-plugin-remote'));
}
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
// Stopped from outside (bench/run.mjs's time limit, Ctrl-C): the servers started here go too.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

const round = (x, digits = 2) => Number(x.toFixed(digits));

function emit(record) {
  const out = { bench: 'remote-actions', ...record };
  if (out.baseline !== undefined && out.ratio === undefined) out.ratio = round(out.value / out.baseline, 2);
  console.log(JSON.stringify(out));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Start a process and collect its output. `onOutput` sees the output so far after each
 * chunk until it returns true; `keepChars` bounds what is kept (the tail). A server logs
 * for the whole run (160 KB for 200 remote actions): scanning or keeping all of it at each
 * chunk took this process, the client of the in-process figures, seconds of CPU by the
 * last figure (and a server blocks on a pipe it fills faster than it is read).
 */
function run(args, { limitMs, onOutput, command = process.execPath, keepChars = Number.POSITIVE_INFINITY } = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  let watching = onOutput !== undefined;
  const collect = (data) => {
    output += data.toString();
    if (output.length > keepChars) output = output.slice(-keepChars);
    if (watching && onOutput(output)) watching = false;
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

/** Our server (`python`: the Python one) on a fresh Unix socket; resolves once it logs that it listens. */
async function startServer(python = false) {
  const socket = join(dir, `${python ? 'python' : 'ours'}.sock`);
  let ready;
  const listening = new Promise((resolve) => {
    ready = resolve;
  });
  const args = ['-s', socket, '-w', '0', '-c', '0'];
  const readyWhen = (isReady) => (text) => {
    if (!isReady(text)) return false;
    ready();
    return true;
  };
  const keepChars = 64 * 1024;
  const server = python
    ? run(args, { command: pythonServer, onOutput: readyWhen(() => existsSync(socket)), keepChars })
    : run([SERVER_BIN, ...args], { onOutput: readyWhen((text) => text.includes('listening on')), keepChars });
  // The Python server may log nothing: its socket file appearing is the sign.
  const poll = setInterval(() => existsSync(socket) && ready(), 50);
  const started = await Promise.race([listening.then(() => true), server.exit.then(() => false)]);
  clearInterval(poll);
  if (!started) throw new Error(`server did not start:\n${server.output()}`);
  return { ...server, endpoint: socket };
}

/** Write a scenario; its path. */
function scenarioFile(name, body) {
  const file = join(dir, `${name}.osc`);
  writeFileSync(file, `import osc.helpers\nimport osc.remote\n\nscenario ${name}:\n${body}`);
  return file;
}

/**
 * Loaded into each CLI run (`--require`): prints the process's CPU time (all its threads,
 * ZeroMQ's I/O thread too) at exit. CPU time is what a loaded machine changes least.
 */
const CPU_PROBE = join(dir, 'cpu-probe.cjs');
writeFileSync(
  CPU_PROBE,
  "process.on('exit', () => { const c = process.cpuUsage(); process.stderr.write('\\n[bench-cpu-us] ' + (c.user + c.system) + '\\n'); });\n",
);
/** Wall and CPU seconds of one CLI run of `file`. */
async function cliRun(file) {
  const started = performance.now();
  const { code, output } = await run(['--require', CPU_PROBE, CLI_BIN, file], { limitMs: 30_000 }).exit;
  const wallS = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`scenario_execution ${file} exited with ${code}:\n${output.slice(-2000)}`);
  const cpu = /\[bench-cpu-us\] (\d+)/.exec(output);
  return { wallS, cpuS: cpu ? Number(cpu[1]) / 1e6 : Number.NaN };
}

/** Median wall seconds of `runs`. */
const medianWall = (runs) => median(runs.map((r) => r.wallS));
/** Median CPU seconds of `runs`. */
const medianCpu = (runs) => median(runs.map((r) => r.cpuS));

/** `count` sequential logs, remote (to `endpoint`) or local. */
function sequentialLogsFile(name, count, endpoint) {
  let body = '    do serial:\n';
  for (let i = 0; i < count; i++) {
    body += `        log("message ${i}")${endpoint ? ' with:' : ''}\n`;
    if (endpoint) body += `            remote("${endpoint}")\n`;
  }
  return scenarioFile(name, body);
}

/** 10 parallel remote `run_process("true")`, then one remote `log`. */
function mixedFile(name, endpoint) {
  let body = '    do serial:\n        parallel:\n';
  for (let i = 0; i < 10; i++) body += `            run_process("true") with:\n                remote("${endpoint}")\n`;
  body += `        log("done") with:\n            remote("${endpoint}")\n`;
  return scenarioFile(name, body);
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
  // Children of a parallel, as in a scenario (ticked one by one below, as the parallel would).
  new Parallel('sleeps', behaviours);
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

async function main() {
  const load = loadavg()[0];
  const server = await startServer();
  const python = pythonServer ? await startServer(true) : undefined;
  try {
    // Sequential remote logs: local, ours, Python, interleaved. The time per action is
    // (run of 100 remote logs − run of 100 local logs) / 100, which counts the one-off cost of
    // loading the remote plugin and ZeroMQ too; the marginal time per action is
    // (run of 200 remote logs − run of 100) / 100.
    const local = sequentialLogsFile('local_logs', SEQUENTIAL_LOGS, undefined);
    const ours = sequentialLogsFile('ours_logs', SEQUENTIAL_LOGS, server.endpoint);
    const oursMore = sequentialLogsFile('ours_logs_more', 2 * SEQUENTIAL_LOGS, server.endpoint);
    const theirs = python ? sequentialLogsFile('python_logs', SEQUENTIAL_LOGS, python.endpoint) : undefined;
    const theirsMore = python
      ? sequentialLogsFile('python_logs_more', 2 * SEQUENTIAL_LOGS, python.endpoint)
      : undefined;
    const times = { local: [], ours: [], oursMore: [], python: [], pythonMore: [] };
    await cliRun(local);
    for (let r = 0; r < SEQUENTIAL_REPEATS; r++) {
      times.local.push(await cliRun(local));
      times.ours.push(await cliRun(ours));
      if (theirs) times.python.push(await cliRun(theirs));
      times.oursMore.push(await cliRun(oursMore));
      if (theirsMore) times.pythonMore.push(await cliRun(theirsMore));
    }
    const perAction = (runs) => ((medianWall(runs) - medianWall(times.local)) * 1000) / SEQUENTIAL_LOGS;
    const marginal = (more, fewer) => ((medianWall(more) - medianWall(fewer)) * 1000) / SEQUENTIAL_LOGS;
    emit({
      figure: `${SEQUENTIAL_LOGS} sequential remote logs, time per action (our CLI, our server)`,
      value: round(perAction(times.ours)),
      unit: 'ms',
      target: '≤ 1.5 ms',
      marginalMs: round(marginal(times.oursMore, times.ours)),
      cpuPerActionMs: round(((medianCpu(times.ours) - medianCpu(times.local)) * 1000) / SEQUENTIAL_LOGS),
      marginalCpuMs: round(((medianCpu(times.oursMore) - medianCpu(times.ours)) * 1000) / SEQUENTIAL_LOGS),
      cliWallS: round(medianWall(times.ours), 3),
      localCliWallS: round(medianWall(times.local), 3),
      cliCpuS: round(medianCpu(times.ours), 3),
      localCliCpuS: round(medianCpu(times.local), 3),
      runs: SEQUENTIAL_REPEATS,
      loadAverage: round(load),
    });
    if (theirs) {
      emit({
        figure: `${SEQUENTIAL_LOGS} sequential remote logs, time per action (our CLI): our server / the Python server`,
        value: round(perAction(times.ours)),
        unit: 'ms',
        baseline: round(perAction(times.python)),
        baselineName: 'Python scenario_execution_server, same run',
        target: '≤ 1',
        runs: SEQUENTIAL_REPEATS,
        loadAverage: round(load),
      });
      emit({
        figure:
          'sequential remote logs, marginal time per action (200 − 100 logs) / 100: our server / the Python server',
        value: round(marginal(times.oursMore, times.ours)),
        unit: 'ms',
        baseline: round(marginal(times.pythonMore, times.python)),
        baselineName: 'Python scenario_execution_server, same run',
        target: '≤ 1',
        runs: SEQUENTIAL_REPEATS,
        loadAverage: round(loadavg()[0]),
      });
    }

    // 10 parallel remote run_process + 1 remote log, our server against the Python server.
    const mixedOurs = mixedFile('mixed_ours', server.endpoint);
    const mixedTheirs = python ? mixedFile('mixed_python', python.endpoint) : undefined;
    const mixed = { ours: [], python: [] };
    for (let r = 0; r < MIXED_REPEATS; r++) {
      mixed.ours.push(await cliRun(mixedOurs));
      if (mixedTheirs) mixed.python.push(await cliRun(mixedTheirs));
    }
    emit({
      figure: 'one run of 10 parallel remote run_process + 1 remote log (our CLI), wall time',
      value: round(medianWall(mixed.ours), 3),
      unit: 's',
      ...(mixedTheirs
        ? {
            baseline: round(medianWall(mixed.python), 3),
            baselineName: 'same, Python scenario_execution_server, same run',
            target: '≤ 1',
          }
        : {}),
      runs: MIXED_REPEATS,
      loadAverage: round(loadavg()[0]),
    });

    for (const count of PARALLEL_COUNTS) {
      const r = await parallelSleeps(server.endpoint, count);
      emit({
        figure: `tick duration p99, ${count} parallel remote run_process (ticked every 0.1 s)`,
        value: round(r.p99),
        unit: 'ms',
        ...(count === 200 ? { target: '≤ 10 ms' } : {}),
        p50: round(r.p50),
        setupMs: round(r.setupMs, 1),
        ticks: r.ticks,
        firstTickMs: round(r.firstMs),
        laterTicksP99Ms: round(r.steadyP99),
        failed: r.failed,
        loadAverage: round(loadavg()[0]),
      });
      if (r.failed > 0) throw new Error(`${r.failed} of ${count} remote sleeps did not succeed`);
    }
  } finally {
    for (const s of [server, python]) {
      if (s === undefined) continue;
      s.child.kill('SIGTERM');
      await s.exit;
    }
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
