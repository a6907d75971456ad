#!/usr/bin/env node
/**
 * Process benchmark for `run_process` (run after `npm run build`; not part of `npm test`).
 *
 * Sections (a), (b), (c) and (d) run once per process supervisor: the native one
 * (`dist/native/se-spawner`, when built) and the Node one (`program.ts`).
 *
 * (a) Event-loop gaps while 300 processes are started at once: a 1 ms `setInterval` in this
 *     process records the time between its calls, from just before the starts until every
 *     process runs plus 200 ms. Measured for
 *     - `direct spawn`: 300 `child_process.spawn` calls in this process, the way `run_process`
 *       started processes before it had a supervisor (the old path, for comparison);
 *     - `run_process`: 300 `run_process("sleep 30")` actions of the built engine, started in
 *       the same turn of the event loop.
 *     Prints the max gap, the p99 gap and the time until all 300 ran.
 * (b) Orphans after the host is SIGKILLed: a host process runs 20 `run_process` actions (10 of
 *     `sleep 30`, 10 of a script that starts `sleep 30 &` and then `sleep 30`), prints the pids;
 *     the host is SIGKILLed and the time until none of those processes (nor their groups) is
 *     left is measured, polling every 5 ms for at most 5 s.
 * (c) The server: a `scenario_execution_server` is started; 200 clients (one socket each) set up
 *     a remote `run_process("sleep 30")` and then all `execute` and `update` at once, while one
 *     more client sends `heartbeat` in a loop. Prints the heartbeat round trip (max and p99)
 *     during those starts, and the time until all 200 updates were answered, and the CPU time
 *     the server and its supervisor used meanwhile.
 * (d) The supervisor's own cost: 200 and 1000 processes `true` started through a fresh
 *     supervisor, 50 at a time (as one client's `parallel` of 50), each batch waited for
 *     (exited, output closed). Prints the CPU time of the supervisor process (from
 *     /proc/PID/schedstat) in all and per process, the CPU time of this host process, and the
 *     wall time; then, in a second run of 200 with the 1 ms timer on (it costs CPU itself),
 *     the max event-loop gap here.
 *
 * Before (a), the same timer runs 2 s with nothing else going on (the machine's own noise:
 * the load average is printed too, as gaps include time this process waited for a CPU).
 *
 * `node bench/processes.mjs [DIST]`: DIST is the engine's `dist` directory to measure for (a), (b)
 * and (d), by default this repository's (another build, e.g. of an older commit, gives a
 * comparison; one without a choice of supervisor is measured once, as `default`).
 *
 * Every loop is bounded; whatever survives is SIGKILLed at the end.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pause, percentile, ROOT, SERVER_BIN, serverIsBuilt } from './support.mjs';

const engineDist = process.argv[2] ?? join(ROOT, 'packages/scenario-execution/dist');
const engineEntry = join(engineDist, 'index.js');
if (!existsSync(engineEntry)) {
  console.error('bench: the engine is not built; run `npm run build` first');
  process.exit(1);
}
const engine = await import(pathToFileURL(engineEntry).href);
/** The supervisor's host side, in the same module instance as the engine's run_process. */
const clientEntry = join(engineDist, 'actions/process-supervisor/client.js');
const client = existsSync(clientEntry) ? await import(pathToFileURL(clientEntry).href) : undefined;
const choosable = typeof client?.useProcessSupervisor === 'function';
const implementations = !choosable ? ['default'] : client.nativeSupervisorBuilt() ? ['native', 'node'] : ['node'];

/** Make run_process of this process use `implementation`'s supervisor. */
function useImplementation(implementation) {
  if (choosable) client.useProcessSupervisor(new client.ProcessSupervisor(undefined, undefined, implementation));
}

/** The environment of a host process that runs `implementation`'s supervisor. */
function hostEnv(implementation) {
  return implementation === 'default' ? process.env : { ...process.env, SCENARIO_EXECUTION_SUPERVISOR: implementation };
}

/** CPU time (ms) process `pid` used so far, or NaN; schedstat has ns, stat clock ticks. */
function cpuMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return Number.NaN;
    }
  }
}

/** CPU time (ms) of `pid` and its children that are alive now. */
function treeCpuMs(pid) {
  let total = cpuMs(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')) {
      if (child !== '') total += cpuMs(Number(child));
    }
  } catch {
    // No children list: the process alone.
  }
  return total;
}

const COUNT = 300;
const HOST_CHILDREN = 20;
const REMOTE_COUNT = 200;
const GONE_LIMIT_MS = 5000;
const dir = mkdtempSync(join(tmpdir(), 'se-bench-proc-'));
/** Process groups to SIGKILL at the end, whatever happened. */
const leftovers = new Set();
process.on('exit', () => {
  for (const pgid of leftovers) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Record the gaps between the calls of a 1 ms interval until `stop()`. */
function gapRecorder() {
  const gaps = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      gaps.push(performance.now() - last);
      const sorted = [...gaps].sort((a, b) => a - b);
      return { max: sorted[sorted.length - 1], p99: percentile(sorted, 99), samples: sorted.length };
    },
  };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of live (non-zombie) processes whose process group is one of `groups`. */
function membersOf(groups) {
  const found = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && groups.has(Number(fields[2]))) found.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

function logger() {
  const ignore = () => {};
  return { debug: ignore, info: ignore, warn: ignore, error: ignore };
}

const ctx = {
  logger: logger(),
  variables: { get: () => undefined, set: () => {} },
  tickPeriod: 0.1,
  scenarioFileDirectory: dir,
  outputDir: undefined,
  setFeedback: () => {},
};

function row(figure, value) {
  console.log(`${figure.padEnd(66)} ${value}`);
}

// the machine's noise
{
  const recorder = gapRecorder();
  await pause(2000);
  const gaps = recorder.stop();
  row('load average (1 min)', loadavg()[0].toFixed(2));
  row('idle 2 s: event-loop max gap', `${gaps.max.toFixed(1)} ms`);
  row('idle 2 s: event-loop p99 gap', `${gaps.p99.toFixed(1)} ms`);
}

// (a) direct spawn: the old path
{
  const children = [];
  let running = 0;
  const recorder = gapRecorder();
  const started = performance.now();
  const allRunning = new Promise((resolve) => {
    for (let i = 0; i < COUNT; i++) {
      const child = spawn('sleep', ['30'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      child.once('spawn', () => {
        leftovers.add(child.pid);
        running += 1;
        if (running === COUNT) resolve();
      });
    }
  });
  await allRunning;
  const startMs = performance.now() - started;
  await pause(200);
  const gaps = recorder.stop();
  const closed = children.map((child) => new Promise((resolve) => child.once('close', resolve)));
  for (const child of children) process.kill(-child.pid, 'SIGKILL');
  row(`direct spawn x${COUNT}: event-loop max gap`, `${gaps.max.toFixed(1)} ms`);
  row(`direct spawn x${COUNT}: event-loop p99 gap`, `${gaps.p99.toFixed(1)} ms`);
  row(`direct spawn x${COUNT}: all running after`, `${startMs.toFixed(0)} ms`);
  // Let this process reap them before the next measurement.
  await Promise.race([Promise.all(closed), pause(10_000)]);
  await pause(300);
}

// (a) run_process actions of the built engine
for (const implementation of implementations) {
  useImplementation(implementation);
  // One process first: the supervisor (when there is one) starts lazily, as in a scenario.
  const warm = engine.builtinActions.run_process.create({});
  await warm.setup(ctx);
  await warm.execute({ command: 'true' });
  await warm.update();
  await warm.shutdown();

  const actions = [];
  for (let i = 0; i < COUNT; i++) {
    const action = engine.builtinActions.run_process.create({});
    await action.setup(ctx);
    await action.execute({ command: 'sleep 30', wait_for_shutdown: false, shutdown_timeout: 2 });
    actions.push(action);
  }
  const recorder = gapRecorder();
  const started = performance.now();
  // The first update reports RUNNING after half a tick at most; then update every 10 ms until each ran.
  let statuses = await Promise.all(actions.map((action) => action.update()));
  for (let i = 0; i < 2000 && statuses.some((status) => String(status).toLowerCase() === 'running'); i++) {
    await pause(10);
    statuses = await Promise.all(actions.map((action) => action.update()));
  }
  const startMs = performance.now() - started;
  await pause(200);
  const gaps = recorder.stop();
  for (const action of actions) if (action.pid !== undefined) leftovers.add(action.pid);
  const ok = statuses.filter((status) => String(status).toLowerCase() === 'success').length;
  row(`run_process x${COUNT} (${implementation}): event-loop max gap`, `${gaps.max.toFixed(1)} ms`);
  row(`run_process x${COUNT} (${implementation}): event-loop p99 gap`, `${gaps.p99.toFixed(1)} ms`);
  row(`run_process x${COUNT} (${implementation}): all running after`, `${startMs.toFixed(0)} ms (${ok} succeeded)`);
  const stopRecorder = gapRecorder();
  const stopStarted = performance.now();
  await Promise.all(actions.map((action) => action.shutdown()));
  const stopMs = performance.now() - stopStarted;
  const stopGaps = stopRecorder.stop();
  row(`run_process x${COUNT} (${implementation}): shutdown (SIGTERM) took`, `${stopMs.toFixed(0)} ms`);
  row(`run_process x${COUNT} (${implementation}): event-loop max gap during shutdown`, `${stopGaps.max.toFixed(1)} ms`);
}

// (d) the supervisor's CPU per process started
const BATCH = 50;

/** Start `count` processes `true` through `supervisor`, BATCH at a time; resolves with the failures. */
async function startTrue(supervisor, count) {
  let failed = 0;
  for (let done = 0; done < count; done += BATCH) {
    const batch = Array.from(
      { length: Math.min(BATCH, count - done) },
      () =>
        new Promise((resolve) => {
          const state = { exited: false, closed: false };
          const finish = () => state.exited && state.closed && resolve();
          const listener = {
            line() {},
            exit() {
              state.exited = true;
              finish();
            },
            closed() {
              state.closed = true;
              finish();
            },
            lost: resolve,
          };
          supervisor.spawn('true', [], listener).then((result) => {
            if (!result.ok) {
              failed += 1;
              resolve();
            }
          });
        }),
    );
    await Promise.all(batch);
  }
  return failed;
}

for (const implementation of choosable ? implementations : []) {
  for (const count of [200, 1000]) {
    const supervisor = new client.ProcessSupervisor(undefined, undefined, implementation);
    await supervisor.whenReady();
    const pid = supervisor.pid;
    const before = cpuMs(pid);
    const hostBefore = process.cpuUsage();
    const started = performance.now();
    const failed = await startTrue(supervisor, count);
    const wallMs = performance.now() - started;
    const supervisorMs = cpuMs(pid) - before;
    const host = process.cpuUsage(hostBefore);
    const label = `supervisor (${implementation}), ${count} x true`;
    row(
      `${label}: supervisor CPU`,
      `${supervisorMs.toFixed(0)} ms (${((supervisorMs * 1000) / count).toFixed(0)} us each)`,
    );
    row(`${label}: host CPU`, `${((host.user + host.system) / 1000).toFixed(0)} ms`);
    row(`${label}: wall`, `${wallMs.toFixed(0)} ms${failed ? ` (${failed} failed)` : ''}`);
  }
  const supervisor = new client.ProcessSupervisor(undefined, undefined, implementation);
  await supervisor.whenReady();
  const recorder = gapRecorder();
  await startTrue(supervisor, 200);
  const gaps = recorder.stop();
  row(`supervisor (${implementation}), 200 x true: host event-loop max gap`, `${gaps.max.toFixed(1)} ms`);
  row(`supervisor (${implementation}), 200 x true: host event-loop p99 gap`, `${gaps.p99.toFixed(1)} ms`);
}

// (b) SIGKILL of a host with running processes
for (const implementation of implementations) {
  const script = join(dir, 'forks.sh');
  writeFileSync(script, '#!/bin/sh\nsleep 30 &\necho child $!\nsleep 30\n');
  chmodSync(script, 0o755);
  const hostProgram = `
const engine = await import(${JSON.stringify(pathToFileURL(engineEntry).href)});
const lines = [];
const ctx = {
  logger: { debug() {}, info(m) { lines.push(m); }, warn() {}, error() {} },
  variables: { get: () => undefined, set() {} },
  tickPeriod: 0.1, scenarioFileDirectory: '/tmp', outputDir: undefined, setFeedback() {},
};
const pids = [];
for (let i = 0; i < ${HOST_CHILDREN}; i++) {
  const action = engine.builtinActions.run_process.create({});
  await action.setup(ctx);
  await action.execute({ command: i % 2 ? ${JSON.stringify(script)} : 'sleep 30', wait_for_shutdown: false });
  // The first update may report RUNNING before the start (a busy machine): wait for the pid.
  for (let j = 0; j < 500 && action.pid === undefined; j++) {
    await new Promise((r) => setTimeout(r, 10));
    await action.update();
  }
  pids.push(action.pid);
}
for (let i = 0; i < 200 && lines.length < ${HOST_CHILDREN / 2}; i++) await new Promise((r) => setTimeout(r, 10));
process.stdout.write('PIDS ' + pids.join(',') + ' ' + lines.map((l) => l.split(' ')[1]).join(',') + '\\n');
setInterval(() => {}, 1000);
`;
  const host = spawn(process.execPath, ['--input-type=module', '-e', hostProgram], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: hostEnv(implementation),
  });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    const guard = setTimeout(() => reject(new Error(`host printed no pids: ${out}`)), 20_000);
    host.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /PIDS (\S+) (\S*)\n/.exec(out);
      if (match) {
        clearTimeout(guard);
        resolve(match);
      }
    });
  });
  const groups = new Set(line[1].split(',').map(Number));
  const grandchildren = line[2] ? line[2].split(',').map(Number) : [];
  for (const pgid of groups) leftovers.add(pgid);
  const watched = [...groups, ...grandchildren];
  const before = watched.filter(alive).length;
  const killedAt = performance.now();
  host.kill('SIGKILL');
  let goneMs;
  for (let i = 0; i < GONE_LIMIT_MS / 5; i++) {
    if (watched.every((pid) => !alive(pid)) && membersOf(groups).length === 0) {
      goneMs = performance.now() - killedAt;
      break;
    }
    await pause(5);
  }
  row(
    `host SIGKILLed (${implementation}): ${before} processes (${groups.size} groups) gone after`,
    goneMs === undefined
      ? `not within ${GONE_LIMIT_MS} ms (${watched.filter(alive).length} still alive)`
      : `${goneMs.toFixed(0)} ms`,
  );
}

// (c) heartbeat round trip of a server while 200 remote run_process start
const serverBuilt = serverIsBuilt();
for (const implementation of serverBuilt ? implementations : []) {
  const { Request } = await import('zeromq');
  const { decodeReply, encodeRequest, makeRequest } = await import('@scenario-execution/protocol');
  const port = await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const server = spawn(
    process.execPath,
    [SERVER_BIN, '--bind', '127.0.0.1', '-p', String(port), '-w', '0', '-c', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: hostEnv(implementation),
    },
  );
  process.on('exit', () => server.kill('SIGKILL'));
  await new Promise((resolve, reject) => {
    let out = '';
    const guard = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening on')) {
        clearTimeout(guard);
        resolve();
      }
    });
  });
  const address = `tcp://127.0.0.1:${port}`;
  const open = () => {
    const socket = new Request({ linger: 0, receiveTimeout: 30_000, sendTimeout: 30_000 });
    socket.connect(address);
    return socket;
  };
  const call = async (socket, cmd, payload) => {
    await socket.send(encodeRequest(makeRequest(cmd, payload)));
    const [reply] = await socket.receive();
    const decoded = decodeReply(reply);
    if (!decoded.ok || decoded.value.status !== 'ok') throw new Error(`${cmd}: ${JSON.stringify(decoded)}`);
    return decoded.value;
  };
  const sockets = Array.from({ length: REMOTE_COUNT }, open);
  const ids = sockets.map((_, i) => `bench-${i}`);
  await Promise.all(
    sockets.map(async (socket, i) => {
      await call(socket, 'init', { action_id: ids[i], plugin_key: 'run_process', init_args: {}, output_dir: null });
      await call(socket, 'setup', {
        action_id: ids[i],
        tick_period: 0.1,
        output_dir: null,
        scenario_file_directory: dir,
      });
    }),
  );
  const heartbeat = open();
  await call(heartbeat, 'heartbeat', {});
  let measuring = true;
  const trips = [];
  const beats = (async () => {
    for (let i = 0; i < 100_000 && measuring; i++) {
      const sent = performance.now();
      await call(heartbeat, 'heartbeat', {});
      trips.push(performance.now() - sent);
      await pause(5);
    }
  })();
  await pause(100);
  const serverCpuBefore = treeCpuMs(server.pid);
  const started = performance.now();
  const statuses = await Promise.all(
    sockets.map(async (socket, i) => {
      await call(socket, 'execute', { action_id: ids[i], exec_args: { command: 'sleep 30' } });
      return (await call(socket, 'update', { action_id: ids[i] })).action_status;
    }),
  );
  const startMs = performance.now() - started;
  await pause(200);
  const serverCpuMs = treeCpuMs(server.pid) - serverCpuBefore;
  measuring = false;
  await beats;
  const sorted = [...trips].sort((a, b) => a - b);
  const running = statuses.filter((status) => status === 'running').length;
  row(
    `server (${implementation}), ${REMOTE_COUNT} starts: heartbeat max round trip`,
    `${sorted[sorted.length - 1].toFixed(1)} ms`,
  );
  row(
    `server (${implementation}), ${REMOTE_COUNT} starts: heartbeat p99 round trip`,
    `${sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))].toFixed(1)} ms (${sorted.length} beats)`,
  );
  row(
    `server (${implementation}), ${REMOTE_COUNT} starts: all updates answered after`,
    `${startMs.toFixed(0)} ms (${running} running)`,
  );
  row(`server (${implementation}), ${REMOTE_COUNT} starts: server + supervisor CPU`, `${serverCpuMs.toFixed(0)} ms`);
  await Promise.all(sockets.map((socket, i) => call(socket, 'reset', { action_id: ids[i] })));
  for (const socket of [...sockets, heartbeat]) socket.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => {
    const guard = setTimeout(resolve, 20_000);
    server.once('exit', () => {
      clearTimeout(guard);
      resolve();
    });
  });
}
if (!serverBuilt) row('server section', 'skipped: the server is not built');
