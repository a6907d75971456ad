#!/usr/bin/env node
/**
 * `npm run bench:load`: the server under load and when things get killed, side by side with the
 * Python `scenario_execution_server` when one is named (not part of `npm test`).
 *
 * Every figure runs our `scenario_execution` CLI as the client, against a server on a Unix socket:
 *
 * (a) heartbeats while processes start: one client starts 300 remote `run_process("sleep 1")` at
 *     once; another sends a heartbeat every 5 ms on its own socket. Round trip p99 and max. Its
 *     floor, measured first: the same 300 starts made by our process supervisor alone
 *     (bench/start-sleeps.mjs) beside a bare zeromq.js echo server, probed the same way.
 * (b) 2,000 parallel remote `log` actions in one scenario: outcome and wall time.
 * (c) 20 clients at once, each with 50 parallel remote `run_process("true")` under `repeat(5)`:
 *     clients that succeeded, wall time, and the server's CPU time (ours: the server and its
 *     process supervisor; the started programs are not counted on either side).
 * (d) server SIGKILLed while a remote `sleep` runs: time until the `sleep` is gone.
 * (e) client SIGKILLed while its remote `sleep` runs, the server started with `--watchdog 0` and a
 *     second client keeping it busy: time until the `sleep` is gone (our `--action-timeout` is
 *     10 s by default).
 *
 * Diagnosis: `BENCH_TIMELINE_OUTPUT=FILE` writes figure (a)'s round trips with their times to
 * FILE.ours and FILE.python; `BENCH_SERVER_NODE_ARGS`, `BENCH_SERVER_ARGS`, `BENCH_SERVER_OUTPUT`
 * and `BENCH_SERVER_BIN` (support.mjs) change or keep what our server is run with.
 *
 * `PY_SCENARIO_EXECUTION_SERVER=/path/to/server-command node bench/load.mjs [--only a,c]`: the
 * command is run as `<command> -s SOCKET -w W -c 0` (DEVELOPERS.md tells how to install the
 * Python system outside the repo). Every wait is bounded; whatever survives is killed at the end.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../packages/protocol/dist/index.js';
import {
  CLI_BIN,
  ECHO_SOURCE,
  PYTHON_SERVER,
  pause,
  percentile,
  ROOT,
  requireServerBuild,
  SERVER_BIN,
} from './support.mjs';

requireServerBuild();
const { Request } = await import('zeromq');

const pythonServer = PYTHON_SERVER;
/** Node options for our server only (diagnosis: `BENCH_SERVER_NODE_ARGS='--cpu-prof --trace-gc'`). */
const serverNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** More arguments for our server only (diagnosis: `BENCH_SERVER_ARGS=-v`). */
const serverArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
const dir = mkdtempSync(join(tmpdir(), 'se-bench-load-'));
const CLK_TCK = 100;
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Pids of live processes whose command line is exactly `argv`. */
function pidsOf(argv) {
  const wanted = `${argv.join('\0')}\0`;
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** CPU seconds (user + system) of a process itself, or 0 when it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * Tracks the CPU seconds a server spends from now on: ours with its process supervisor (its
 * child, which does the server's work; it may come and go, so it is sampled while it lives), not
 * the programs that the supervisor started.
 */
function trackServerCpu(kind, serverPid) {
  const before = cpuSeconds(serverPid);
  const supervisorCpu = new Map();
  const sampleChildren = () => {
    if (kind !== 'ours') return;
    for (const pid of childPids(serverPid)) supervisorCpu.set(pid, cpuSeconds(pid));
  };
  const sampler = setInterval(sampleChildren, 100);
  return () => {
    clearInterval(sampler);
    sampleChildren();
    return cpuSeconds(serverPid) - before + [...supervisorCpu.values()].reduce((a, b) => a + b, 0);
  };
}

/** Direct children's pids. */
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Start a process whose output goes to a file of its own, read when asked for: read through
 * pipes, the output of a server logging thousands of lines would cost this process's event loop,
 * which also measures the heartbeat round trips.
 */
function run(command, args, options = {}) {
  const outputFile = join(dir, `output-${++outputFiles}.txt`);
  const fd = openSync(outputFile, 'w');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  children.add(child);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal);
    });
  });
  return { child, exited, output: () => readFileSync(outputFile, 'utf8') };
}
let outputFiles = 0;

/** Resolves with 'limit' after `ms`; it does not keep the bench alive once the figures are done. */
function timeLimit(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms, 'limit').unref());
}

/** Start a server ('ours' or 'python') on a fresh socket; resolves once it answers a heartbeat. */
async function startServer(kind, extra = []) {
  const socket = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.sock`);
  const args = ['-s', socket, '-c', '0', ...extra];
  const server =
    kind === 'ours'
      ? run(process.execPath, [...serverNodeArgs, SERVER_BIN, ...args, ...serverArgs])
      : run(pythonServer, args, { shell: false });
  await answering(socket);
  return { ...server, socket, endpoint: socket };
}

/** Resolves once a server on Unix socket `socket` answers a heartbeat (or after some 50 s). */
async function answering(socket) {
  for (let i = 0; i < 200; i++) {
    if (existsSync(socket) && (await heartbeat(`ipc://${socket}`, 200)) !== undefined) return;
    await pause(50);
  }
}

/** One heartbeat round trip in ms on a fresh socket, or undefined. */
async function heartbeat(address, timeoutMs) {
  const socket = new Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
  socket.connect(address);
  try {
    const start = performance.now();
    await socket.send(encode({ cmd: 'heartbeat', payload: {} }));
    await socket.receive();
    return performance.now() - start;
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

function scenario(name, body) {
  const file = join(dir, `${name}.osc`);
  writeFileSync(file, `import osc.helpers\nimport osc.remote\n\nscenario ${name}:\n${body}`);
  return file;
}

function parallelOf(count, action, endpoint, indent = '        ') {
  let text = '';
  for (let i = 0; i < count; i++) text += `${indent}${action(i)} with:\n${indent}    remote("${endpoint}")\n`;
  return text;
}

const fmt = (v, digits = 1) => (v === undefined ? 'n/a' : Number(v).toFixed(digits));

async function heartbeatsWhileStarting(kind) {
  const server = await startServer(kind, ['-w', '0']);
  const file = scenario(
    `starts_${kind}`,
    `    do parallel:\n${parallelOf(300, () => 'run_process("sleep 1")', server.endpoint)}`,
  );
  const serverCpu = trackServerCpu(kind, server.child.pid);
  const client = run(process.execPath, [CLI_BIN, file]);
  const probed = await heartbeatsUntil(server.socket, client.exited, kind);
  const code = await client.exited;
  const cpu = serverCpu();
  server.child.kill('SIGTERM');
  await server.exited;
  if (process.env.BENCH_SERVER_OUTPUT && kind === 'ours')
    writeFileSync(process.env.BENCH_SERVER_OUTPUT, server.output());
  return { ok: code === 0, ...probed, cpu };
}

/**
 * The floor of figure (a): the same 300 `sleep 1` started at once by the process supervisor our
 * server uses (bench/start-sleeps.mjs), beside a bare zeromq.js echo server that does nothing but
 * answer, both started as the server and the client of figure (a) are (the same session).
 */
async function heartbeatsWhileStartingFloor() {
  const socket = join(dir, `echo-${Math.random().toString(36).slice(2)}.sock`);
  const echo = run(process.execPath, ['-e', ECHO_SOURCE, `ipc://${socket}`]);
  await answering(socket);
  const starter = run(process.execPath, [join(ROOT, 'bench/start-sleeps.mjs'), '300', '1']);
  const probed = await heartbeatsUntil(socket, starter.exited, 'floor');
  const code = await starter.exited;
  echo.child.kill('SIGTERM');
  await echo.exited;
  return { ok: code === 0, ...probed };
}

/** A heartbeat every 5 ms on a socket of its own to `socket` until `ended` settles; p99, max. */
async function heartbeatsUntil(socket, ended, name) {
  const prober = new Request({ linger: 0, receiveTimeout: 5000, sendTimeout: 5000 });
  prober.connect(`ipc://${socket}`);
  const rtts = [];
  let done = false;
  ended.then(() => {
    done = true;
  });
  const limit = performance.now() + 120_000;
  const began = performance.now();
  const timeline = [];
  while (!done && performance.now() < limit) {
    const start = performance.now();
    try {
      await prober.send(encode({ cmd: 'heartbeat', payload: {} }));
      await prober.receive();
      rtts.push(performance.now() - start);
    } catch {
      rtts.push(5000);
    }
    timeline.push(`${(start - began).toFixed(1)} ${rtts[rtts.length - 1].toFixed(2)}`);
    await pause(5);
  }
  // Diagnosis: when the slow round trips happened (ms since the load started, round trip ms).
  if (process.env.BENCH_TIMELINE_OUTPUT)
    writeFileSync(`${process.env.BENCH_TIMELINE_OUTPUT}.${name}`, timeline.join('\n'));
  prober.close();
  const sorted = rtts.sort((a, b) => a - b);
  return { p99: percentile(sorted, 99), max: sorted[sorted.length - 1], samples: sorted.length };
}

async function twoThousand(kind) {
  const server = await startServer(kind, ['-w', '0']);
  const file = scenario(
    `wide_${kind}`,
    `    do parallel:\n${parallelOf(2000, (i) => `log("a${i}")`, server.endpoint)}`,
  );
  const start = performance.now();
  const client = run(process.execPath, [CLI_BIN, file]);
  const limit = timeLimit(300_000);
  const code = await Promise.race([client.exited, limit]);
  const wall = (performance.now() - start) / 1000;
  client.child.kill('SIGKILL');
  server.child.kill('SIGTERM');
  await server.exited;
  const error =
    client
      .output()
      .split('\n')
      .find((l) => l.includes('ERROR')) ?? '';
  return { ok: code === 0, wall, error: error.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 160) };
}

async function manyClients(kind) {
  const server = await startServer(kind, ['-w', '0']);
  const body = `    do serial:\n        repeat(5)\n        parallel:\n${parallelOf(50, () => 'run_process("true")', server.endpoint, '            ')}`;
  const file = scenario(`load_${kind}`, body);
  const serverCpu = trackServerCpu(kind, server.child.pid);
  const start = performance.now();
  const clients = Array.from({ length: 20 }, () => run(process.execPath, [CLI_BIN, file]));
  const limit = timeLimit(600_000);
  const codes = await Promise.all(clients.map((c) => Promise.race([c.exited, limit])));
  const wall = (performance.now() - start) / 1000;
  const cpu = serverCpu();
  for (const c of clients) c.child.kill('SIGKILL');
  server.child.kill('SIGTERM');
  await server.exited;
  const errors = new Map();
  for (const c of clients) {
    for (const line of c.output().split('\n')) {
      if (!line.includes('ERROR') || line.includes('execution failed')) continue;
      const key = line
        .replace(/\x1b\[[0-9;]*m/g, '')
        .replace(/[0-9a-f]{8}-[0-9a-f-]+/g, 'ID')
        .slice(0, 400);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  }
  const topError = [...errors].sort((a, b) => b[1] - a[1])[0];
  // Both servers log each `execute` they are sent at INFO: with clients failing, a server may
  // serve fewer of the 5,000 runs, so its CPU is also given per run started.
  const executes = server
    .output()
    .split('\n')
    .filter((line) => line.includes('cmd=execute ') && !line.includes(' failed: ')).length;
  return { succeeded: codes.filter((c) => c === 0).length, wall, cpu, topError, executes };
}

async function untilGone(argv, limitMs) {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if (pidsOf(argv).length === 0) return performance.now() - start;
    await pause(5);
  }
  return undefined;
}

async function serverKilled(kind) {
  const server = await startServer(kind, ['-w', '0']);
  const argv = ['sleep', kind === 'ours' ? '301.5' : '302.5'];
  const file = scenario(
    `victim_${kind}`,
    `    do serial:\n${parallelOf(1, () => `run_process("${argv.join(' ')}")`, server.endpoint)}`,
  );
  const client = run(process.execPath, [CLI_BIN, file]);
  for (let i = 0; i < 200 && pidsOf(argv).length === 0; i++) await pause(50);
  server.child.kill('SIGKILL');
  const gone = await untilGone(argv, 5000);
  client.child.kill('SIGKILL');
  for (const pid of pidsOf(argv)) process.kill(pid, 'SIGKILL');
  return gone;
}

async function clientKilled(kind) {
  const server = await startServer(kind, ['-w', '0']);
  const argv = ['sleep', kind === 'ours' ? '303.5' : '304.5'];
  const file = scenario(
    `orphan_${kind}`,
    `    do serial:\n${parallelOf(1, () => `run_process("${argv.join(' ')}")`, server.endpoint)}`,
  );
  const busyFile = scenario(
    `busy_${kind}`,
    `    do serial:\n${parallelOf(1, () => 'run_process("sleep 25")', server.endpoint)}`,
  );
  const busy = run(process.execPath, [CLI_BIN, busyFile]);
  const client = run(process.execPath, [CLI_BIN, file]);
  for (let i = 0; i < 200 && pidsOf(argv).length === 0; i++) await pause(50);
  client.child.kill('SIGKILL');
  const gone = await untilGone(argv, 15_000);
  busy.child.kill('SIGKILL');
  server.child.kill('SIGTERM');
  await server.exited;
  for (const pid of pidsOf(argv)) process.kill(pid, 'SIGKILL');
  return gone;
}

const kinds = pythonServer ? ['ours', 'python'] : ['ours'];
const rows = [];
const want = (key) => only === undefined || only.has(key);
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; cores: 2 expected`,
);
if (!pythonServer) console.log('(no Python server: set PY_SCENARIO_EXECUTION_SERVER to measure it side by side)');

const cell = {};
/** The measurements behind the cells, for the figure records printed at the end. */
const raw = {};
for (const kind of kinds) {
  cell[kind] = {};
  raw[kind] = {};
}
/** Figure (a)'s floor, measured once before the servers (see heartbeatsWhileStartingFloor). */
const floorA = want('a') ? await heartbeatsWhileStartingFloor() : undefined;
for (const kind of kinds) {
  if (want('a')) {
    const r = await heartbeatsWhileStarting(kind);
    raw[kind].a = r;
    cell[kind].a =
      `p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms, server CPU ${fmt(r.cpu, 2)} s${r.ok ? '' : ' (client failed)'}`;
  }
  if (want('b')) {
    const r = await twoThousand(kind);
    cell[kind].b = r.ok ? `succeeded in ${fmt(r.wall)} s` : `failed after ${fmt(r.wall)} s: ${r.error}`;
  }
  if (want('c')) {
    const r = await manyClients(kind);
    raw[kind].c = r;
    const perRun = r.executes > 0 ? `, ${fmt((r.cpu / r.executes) * 1000, 2)} ms per run of ${r.executes} started` : '';
    cell[kind].c = `${r.succeeded}/20 in ${fmt(r.wall)} s, server CPU ${fmt(r.cpu, 2)} s${perRun}`;
    if (r.topError) cell[kind].cErr = `most frequent error (${r.topError[1]}×): ${r.topError[0]}`;
  }
  if (want('d')) {
    const gone = await serverKilled(kind);
    cell[kind].d = gone === undefined ? 'still running after 5 s' : `gone after ${fmt(gone / 1000, 2)} s`;
  }
  if (want('e')) {
    const gone = await clientKilled(kind);
    cell[kind].e = gone === undefined ? 'still running after 15 s' : `gone after ${fmt(gone / 1000, 2)} s`;
  }
}
const labels = {
  a: 'heartbeat round trip while 300 processes start',
  a0: 'the same starts beside a bare zeromq.js echo (the floor of the row above)',
  b: '2,000 parallel remote actions in one scenario',
  c: '20 clients × 50 parallel run_process × repeat(5)',
  d: 'server SIGKILLed: its remote sleep',
  e: 'client SIGKILLed (-w 0, another client busy): its sleep',
};
if (floorA) {
  cell.ours.a0 = `p99 ${fmt(floorA.p99)} ms, max ${fmt(floorA.max)} ms${floorA.ok ? '' : ' (starts failed)'}`;
}
for (const key of Object.keys(labels)) {
  if (!want(key.slice(0, 1))) continue;
  rows.push([labels[key], ...kinds.map((k) => cell[k][key] ?? '')]);
}
const header = ['figure', ...kinds.map((k) => (k === 'ours' ? 'our server' : 'Python server'))];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
for (const kind of kinds) if (cell[kind].cErr) console.log(`${kind}: ${cell[kind].cErr}`);
// Figure records (the shape of bench/run.mjs): our server, the Python server as the same-run baseline.
const round = (x, digits = 2) => Number(Number(x).toFixed(digits));
const withBaseline = (value, baseline, baselineName) =>
  baseline === undefined
    ? { value }
    : { value, baseline, baselineName, ratio: baseline > 0 ? round(value / baseline) : undefined };
const loadAverage = round(loadavg()[0]);
if (raw.ours.a) {
  const py = raw.python?.a;
  console.log(
    JSON.stringify({
      bench: 'load',
      figure: "another client's heartbeat round trip p99 while one client starts 300 remote processes",
      ...withBaseline(round(raw.ours.a.p99, 1), py ? round(py.p99, 1) : undefined, 'Python server, same run'),
      unit: 'ms',
      target: '≤ 20 ms',
      maxTarget: '≤ 100 ms',
      max: round(raw.ours.a.max, 1),
      pythonMax: py ? round(py.max, 1) : undefined,
      floorP99: floorA ? round(floorA.p99, 1) : undefined,
      floorMax: floorA ? round(floorA.max, 1) : undefined,
      loadAverage,
    }),
  );
}
if (raw.ours.c) {
  const py = raw.python?.c;
  console.log(
    JSON.stringify({
      bench: 'load',
      figure: '20 clients × 50 parallel remote run_process("true") × repeat(5): clients that succeeded',
      value: raw.ours.c.succeeded,
      unit: 'count',
      target: '= 20',
      pythonSucceeded: py?.succeeded,
      wallS: round(raw.ours.c.wall, 1),
      loadAverage,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'load',
      figure: 'server CPU time on that load (ours: server + its supervisor)',
      ...withBaseline(round(raw.ours.c.cpu), py ? round(py.cpu) : undefined, 'Python server, same run'),
      unit: 's',
      target: '≤ 1',
      loadAverage,
    }),
  );
  const perRun = (r) => (r.executes > 0 ? round((r.cpu / r.executes) * 1000, 3) : undefined);
  if (perRun(raw.ours.c) !== undefined) {
    console.log(
      JSON.stringify({
        bench: 'load',
        figure: 'server CPU time per remote run_process started on that load',
        ...withBaseline(perRun(raw.ours.c), py ? perRun(py) : undefined, 'Python server, same run'),
        unit: 'ms',
        target: '≤ 1',
        runs: raw.ours.c.executes,
        pythonRuns: py?.executes,
        loadAverage,
      }),
    );
  }
}
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
