#!/usr/bin/env node
/**
 * scenario_execution_server micro-benchmark (run after the build; prints one
 * JSON line per figure):
 *
 * - request round trip p50/p99 (heartbeat, one REQ client) over TCP loopback
 *   and over a Unix domain socket;
 * - server memory per idle action: RSS growth of the server process after
 *   `init` + `setup` of N `log` actions, divided by N.
 *
 * Bounded: the whole run is aborted after 20 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeReply, encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { Request } from 'zeromq';

const root = fileURLToPath(new URL('../', import.meta.url));
const serverBin = join(root, 'packages/server/bin/scenario_execution_server.js');

const TOTAL_LIMIT_MS = 20_000;
const WARMUP_REQUESTS = 200;
const MEASURED_REQUESTS = 2000;
const IDLE_ACTIONS = 1000;

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

function emit(record) {
  console.log(JSON.stringify({ bench: 'remote-roundtrip', ...record }));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Start the server; resolve once it logs that it listens. */
function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverBin, '-w', '0', '-c', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening on')) resolve(child);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

async function stopServer(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return kb * 1024;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function call(socket, cmd, payload) {
  await socket.send(encodeRequest(makeRequest(cmd, payload)));
  const [frame] = await socket.receive();
  const reply = decodeReply(frame);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

function connect(address) {
  const socket = new Request({ linger: 0, receiveTimeout: 5000, sendTimeout: 5000 });
  socket.connect(address);
  return socket;
}

async function roundTrip(transport, address) {
  const socket = connect(address);
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await call(socket, 'heartbeat', {});
    const samples = [];
    for (let i = 0; i < MEASURED_REQUESTS; i++) {
      const started = process.hrtime.bigint();
      await call(socket, 'heartbeat', {});
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    samples.sort((a, b) => a - b);
    emit({
      figure: 'heartbeat round trip',
      transport,
      requests: MEASURED_REQUESTS,
      p50_us: Math.round(percentile(samples, 50)),
      p99_us: Math.round(percentile(samples, 99)),
    });
  } finally {
    socket.close();
  }
}

async function memoryPerIdleAction(child, address) {
  const socket = connect(address);
  try {
    // One action first, so code loaded on first use is not counted per action.
    const warm = await call(socket, 'init', { action_id: 'warm', plugin_key: 'log', init_args: {}, output_dir: null });
    if (warm.status !== 'ok') throw new Error(`init of a log action failed: ${warm.message}`);
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
      figure: 'server memory per idle action',
      actions: IDLE_ACTIONS,
      rss_before_bytes: before,
      rss_after_bytes: after,
      bytes_per_action: Math.round((after - before) / IDLE_ACTIONS),
    });
  } finally {
    socket.close();
  }
}

try {
  const port = await freePort();
  const tcpServer = await startServer(['--bind', '127.0.0.1', '-p', String(port)]);
  await roundTrip('tcp', `tcp://127.0.0.1:${port}`);
  await memoryPerIdleAction(tcpServer, `tcp://127.0.0.1:${port}`);
  await stopServer(tcpServer);

  const socketPath = join(dir, 'se.sock');
  const ipcServer = await startServer(['-s', socketPath]);
  await roundTrip('ipc', `ipc://${socketPath}`);
  await stopServer(ipcServer);
} catch (err) {
  console.error(`bench/remote-roundtrip: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  cleanUp();
  clearTimeout(abortTimer);
}
