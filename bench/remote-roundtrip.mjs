#!/usr/bin/env node
/**
 * scenario_execution_server round trips (run after the build). Prints one JSON line per figure,
 * in the figure record shape of bench/run.mjs ({figure, value, unit, baseline, baselineName,
 * ratio, target}, plus details):
 *
 * - heartbeat round trip p50 over TCP loopback and over a Unix domain socket, against a bare
 *   zeromq.js ROUTER echo (the library's floor) measured in the same run, rounds interleaved;
 * - the same against the Python server (over the Unix socket: it binds TCP on every interface),
 *   when `PY_SCENARIO_EXECUTION_SERVER` names it or /work/pyref has it;
 * - p99 / p50 of our server's round trip (target ≤ 3);
 * - server memory per idle action: RSS growth after `init` + `setup` of N `log` actions, / N
 *   (measured after the same work once with the actions reset, so that the young generation is
 *   already as large as that work makes it: otherwise the figure depended on how much the
 *   heartbeats before it had allocated).
 *
 * One zeromq.js REQ client in this process measures every server, so the client's cost is the
 * same in every column. Bounded: the whole run is aborted after 110 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReply, encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { Request } from 'zeromq';
import { ECHO_SOURCE, freePort, PYTHON_SERVER, percentile, SERVER_BIN } from './support.mjs';

const pythonServer = PYTHON_SERVER;

const TOTAL_LIMIT_MS = 110_000;
const WARMUP_REQUESTS = 200;
const ROUNDS = 20;
const PER_ROUND = 100;
const IDLE_ACTIONS = 500;

const dir = mkdtempSync(join(tmpdir(), 'se-roundtrip-'));
const children = new Set();

function cleanUp() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

const abortTimer = setTimeout(() => {
  console.error(`bench/remote-roundtrip: aborted after ${TOTAL_LIMIT_MS / 1000}s`);
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
  const out = { bench: 'remote-roundtrip', ...record };
  if (out.baseline !== undefined && out.ratio === undefined) out.ratio = round(out.value / out.baseline, 2);
  console.log(JSON.stringify(out));
}

/** Characters of a server's output kept once it listens (its tail, for the message should it exit). */
const OUTPUT_KEPT = 64 * 1024;

/** Start a process; resolve once it prints `listening on`. */
function startProcess(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let listening = false;
    // Scanned until it listens; after that only the tail is kept, for the message should it exit.
    const onData = (chunk) => {
      out += chunk;
      if (listening) {
        if (out.length > OUTPUT_KEPT) out = out.slice(-OUTPUT_KEPT);
      } else if (out.includes('listening on')) {
        listening = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited early (${code}): ${out}`)));
  });
}

async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

/** Wait until a heartbeat on `address` is answered (a server that logs before it binds). */
async function answering(address) {
  for (let i = 0; i < 100; i++) {
    const socket = connect(address, 200);
    try {
      await call(socket, 'heartbeat', {});
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      socket.close();
    }
  }
  throw new Error(`no answer on ${address}`);
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return kb * 1024;
}

const HEARTBEAT = encodeRequest(makeRequest('heartbeat', {}));

async function call(socket, cmd, payload) {
  await socket.send(cmd === 'heartbeat' ? HEARTBEAT : encodeRequest(makeRequest(cmd, payload)));
  const [frame] = await socket.receive();
  const reply = decodeReply(frame);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

function connect(address, timeoutMs = 5000) {
  const socket = new Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
  socket.connect(address);
  return socket;
}

/**
 * Heartbeat round trips (µs) to each of `targets` ({name, address}), in interleaved rounds of
 * PER_ROUND requests, so that every target sees the same load of the machine.
 */
async function interleavedRoundTrips(targets) {
  const sockets = targets.map((t) => connect(t.address));
  try {
    for (const socket of sockets) for (let i = 0; i < WARMUP_REQUESTS; i++) await call(socket, 'heartbeat', {});
    const samples = targets.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let t = 0; t < targets.length; t++) {
        const socket = sockets[(t + r) % targets.length];
        const into = samples[(t + r) % targets.length];
        for (let i = 0; i < PER_ROUND; i++) {
          const started = process.hrtime.bigint();
          await call(socket, 'heartbeat', {});
          into.push(Number(process.hrtime.bigint() - started) / 1000);
        }
      }
    }
    return samples.map((s) => {
      const sorted = s.sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
    });
  } finally {
    for (const socket of sockets) socket.close();
  }
}

async function memoryPerIdleAction(child, address) {
  const socket = connect(address);
  try {
    // One action first, so code loaded on first use is not counted per action.
    const warm = await call(socket, 'init', { action_id: 'warm', plugin_key: 'log', init_args: {}, output_dir: null });
    if (warm.status !== 'ok') throw new Error(`init of a log action failed: ${warm.message}`);
    // The same work once with the actions reset at once: the heap grows its young generation to
    // what this work needs before the first reading, so the growth measured is the actions kept,
    // not a young generation sized by whatever the server did before (the heartbeats).
    for (let i = 0; i < IDLE_ACTIONS; i++) {
      const id = `warm-${i}`;
      await call(socket, 'init', { action_id: id, plugin_key: 'log', init_args: {}, output_dir: null });
      await call(socket, 'setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
      await call(socket, 'reset', { action_id: id });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = rssBytes(child.pid);
    for (let i = 0; i < IDLE_ACTIONS; i++) {
      const id = `idle-${i}`;
      await call(socket, 'init', { action_id: id, plugin_key: 'log', init_args: {}, output_dir: null });
      await call(socket, 'setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = rssBytes(child.pid);
    emit({
      figure: 'server memory per idle action (init + setup of a log action)',
      value: Math.round((after - before) / IDLE_ACTIONS),
      unit: 'bytes',
      actions: IDLE_ACTIONS,
    });
  } finally {
    socket.close();
  }
}

try {
  const load = loadavg()[0];
  const port = await freePort();
  const echoPort = await freePort();
  const socketPath = join(dir, 'se.sock');
  const echoSocket = join(dir, 'echo.sock');
  const pySocket = join(dir, 'py.sock');
  const ours = await startProcess(process.execPath, [
    SERVER_BIN,
    '-w',
    '0',
    '-c',
    '0',
    '--bind',
    '127.0.0.1',
    '-p',
    String(port),
  ]);
  const oursIpc = await startProcess(process.execPath, [SERVER_BIN, '-w', '0', '-c', '0', '-s', socketPath]);
  const echo = await startProcess(process.execPath, [
    '-e',
    ECHO_SOURCE,
    `tcp://127.0.0.1:${echoPort}`,
    `ipc://${echoSocket}`,
  ]);
  const targets = [
    { name: 'ours tcp', address: `tcp://127.0.0.1:${port}` },
    { name: 'echo tcp', address: `tcp://127.0.0.1:${echoPort}` },
    { name: 'ours ipc', address: `ipc://${socketPath}` },
    { name: 'echo ipc', address: `ipc://${echoSocket}` },
  ];
  let python;
  if (pythonServer) {
    python = spawn(pythonServer, ['-s', pySocket, '-w', '0', '-c', '0'], { stdio: 'ignore' });
    children.add(python);
    await answering(`ipc://${pySocket}`);
    targets.push({ name: 'python ipc', address: `ipc://${pySocket}` });
  }
  const results = await interleavedRoundTrips(targets);
  const by = Object.fromEntries(targets.map((t, i) => [t.name, results[i]]));
  const common = { samples: by['ours tcp'].n, loadAverage: round(load, 2) };
  for (const transport of ['tcp', 'ipc']) {
    const name = transport === 'tcp' ? 'TCP loopback' : 'Unix socket';
    const own = by[`ours ${transport}`];
    emit({
      figure: `heartbeat round trip p50, ${name}: our server / a bare zeromq.js ROUTER echo`,
      value: round(own.p50, 0),
      unit: 'µs',
      baseline: round(by[`echo ${transport}`].p50, 0),
      baselineName: 'bare zeromq.js ROUTER echo, same run',
      ...common,
    });
    emit({
      figure: `heartbeat round trip p99 / p50, ${name}, our server`,
      value: round(own.p99, 0),
      unit: 'µs',
      baseline: round(own.p50, 0),
      baselineName: 'its p50',
      target: '≤ 3',
      echoP99: round(by[`echo ${transport}`].p99, 0),
      ...common,
    });
  }
  if (by['python ipc']) {
    emit({
      figure: 'heartbeat round trip p50, Unix socket: our server / the Python server',
      value: round(by['ours ipc'].p50, 0),
      unit: 'µs',
      baseline: round(by['python ipc'].p50, 0),
      baselineName: 'Python scenario_execution_server, same run',
      target: '≤ 1',
      pythonP99: round(by['python ipc'].p99, 0),
      ...common,
    });
  }
  await memoryPerIdleAction(ours, `tcp://127.0.0.1:${port}`);
  await Promise.all([ours, oursIpc, echo, ...(python ? [python] : [])].map(stopProcess));
} catch (err) {
  console.error(`bench/remote-roundtrip: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  cleanUp();
  clearTimeout(abortTimer);
}
