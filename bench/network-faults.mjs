#!/usr/bin/env node
/**
 * `node bench/network-faults.mjs`: what a client sees when the network between it and its
 * server fails, measured through the fault-injecting proxy of the tests
 * (packages/remote/test/helpers/fault-proxy.ts, compiled on the fly). The figures of
 * docs/remote.md, "What happens when the network fails". Not part of `npm test`.
 *
 * For each pair of client and server, a remote `run_process` of a `sleep` runs with the default
 * `heartbeat_failure_timeout` (3 s) and a 0.1 s step, and while it runs:
 *
 *   blip       the proxy blackholes everything for 1 s, then heals;
 *   partition  it blackholes for 8 s: time until the client reports the action failed, and (our
 *              server) until the server reaped it (default `--action-timeout`, 10 s);
 *   reset      it cuts every connection (an RST on TCP, a close on a Unix socket);
 *   reset-in-flight  it cuts the connection of the next `update` after the server answered it
 *              (the reply is lost: a reset that hits a request in flight);
 *   restart    the server is stopped (SIGTERM) and started again on the same address; a second
 *              remote action starts afterwards;
 *   killed     the server is SIGKILLed and not restarted;
 *   latency    (our pair only) 50 ms added each way, 20 parallel remote actions.
 *
 * The longest tick comes from the engines' own `Tick too long` warnings (the step is 0.1 s).
 *
 * Python: PY_SCENARIO_EXECUTION_SERVER and PY_SCENARIO_EXECUTION name the Python server and CLI
 * (DEVELOPERS.md tells how to install them outside the repo); pairs with a Python side are skipped
 * without them. Python servers listen on Unix sockets only (they would bind TCP on every
 * interface). `--only ours-tcp,ours-unix,…` picks pairs (client-server), `--faults blip,…` faults,
 * `--repeat N` measures each case N times, `--dump` prints the client's output with times.
 * Every wait is bounded; whatever survives is killed at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { CLI_BIN, freePort, PYTHON_SERVER, pause, ROOT, requireServerBuild, SERVER_BIN } from './support.mjs';

requireServerBuild();
const pythonServer = PYTHON_SERVER;
const pythonClient = process.env.PY_SCENARIO_EXECUTION;
const argValue = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const only = argValue('--only') === undefined ? undefined : new Set(argValue('--only').split(','));
const repeat = Number(argValue('--repeat') ?? 1);
const dump = process.argv.includes('--dump');

const dir = mkdtempSync(join(tmpdir(), 'se-bench-faults-'));
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The test's proxy, compiled to a module here (its one import pointed at the built protocol package). */
async function loadFaultProxy() {
  const source = readFileSync(join(ROOT, 'packages/remote/test/helpers/fault-proxy.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const protocol = pathToFileURL(join(ROOT, 'packages/protocol/dist/index.js')).href;
  const file = join(dir, 'fault-proxy.mjs');
  writeFileSync(file, outputText.replace("'@scenario-execution/protocol'", `'${protocol}'`));
  return import(pathToFileURL(file).href);
}
const { FaultProxy } = await loadFaultProxy();

let names = 0;
const fresh = (name) => join(dir, `${++names}-${name}`);

/** A child process whose output lines are kept with the time each arrived. */
function run(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines = [];
  let text = '';
  const take = (data) => {
    const now = performance.now();
    text += data;
    for (const line of String(data).split('\n')) if (line) lines.push({ at: now, line });
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal);
    });
  });
  return { child, exited, lines, output: () => text };
}

async function waitFor(check, limitMs) {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    const value = check();
    if (value) return value;
    await pause(20);
  }
  return check();
}

async function exitWithin(process, limitMs) {
  const timer = setTimeout(() => process.child.kill('SIGKILL'), limitMs);
  const code = await process.exited;
  clearTimeout(timer);
  return code;
}

/** A server ('ours' or 'python') on `transport` ('tcp' or 'unix'). */
function serverArgs(kind, transport, where) {
  const place = transport === 'tcp' ? ['--port', String(where), '--bind', '127.0.0.1'] : ['--socket', where];
  return kind === 'ours'
    ? [process.execPath, [SERVER_BIN, ...place, '--persistent']]
    : [pythonServer, ['-s', where, '-w', '0', '-c', '0']];
}

async function startServer(kind, transport, where) {
  const [command, args] = serverArgs(kind, transport, where);
  const server = run(command, args);
  const listening = await waitFor(() => server.output().includes('listening on'), 30_000);
  if (!listening) throw new Error(`${kind} server did not start: ${server.output()}`);
  return server;
}

const stopServer = async (server, signal = 'SIGTERM') => {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return exitWithin(server, 20_000);
};

/** A `run_process` job that marks its start in a file, then sleeps. */
function countedSleep(seconds) {
  const marks = fresh('starts');
  const script = fresh('counted.sh');
  writeFileSync(script, `echo started >> ${marks}\nexec sleep ${seconds}\n`);
  return {
    command: `sh ${script}`,
    starts: () => (existsSync(marks) ? readFileSync(marks, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

function startClient(kind, name, body) {
  const file = fresh(`${name}.osc`);
  writeFileSync(file, `import osc.helpers\nimport osc.remote\n\nscenario ${name}:\n${body}`);
  return kind === 'ours' ? run(process.execPath, [CLI_BIN, file]) : run(pythonClient, [file]);
}

/** The first line after `since` that reports the remote action failed. */
function failureAfter(client, since) {
  return client.lines.find(
    (l) =>
      l.at >= since && /\[ERROR\]|ERROR|error|timed out|presumed dead|lost/.test(l.line) && /remote|@/.test(l.line),
  );
}

/** The longest tick, from the engine's own `Tick too long` warnings (both engines print them). */
function longestTick(client) {
  const long = client.lines
    .map((l) => /Tick too long: ([\d.]+)/.exec(l.line)?.[1])
    .filter(Boolean)
    .map(Number);
  return long.length === 0 ? '≤ step' : `${Math.max(...long).toFixed(2)} s`;
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * One case: server and proxy up, client started, the fault applied once the job runs.
 * Returns what to print.
 */
async function measure(pair, fault) {
  const { client: clientKind, server: serverKind, transport } = pair;
  const where = transport === 'tcp' ? await freePort() : fresh('se.sock');
  let server = await startServer(serverKind, transport, where);
  const proxy =
    transport === 'tcp'
      ? await FaultProxy.start({ port: where })
      : await FaultProxy.start({ path: where }, { path: fresh('proxy.sock') });
  const job = countedSleep(fault === 'latency' ? 1 : 4);
  const remote = `remote("${proxy.endpoint}")`;
  let body;
  if (fault === 'latency') {
    proxy.delay(50);
    body = `    do parallel:\n${`        run_process("sleep 1") with:\n            ${remote}\n`.repeat(20)}`;
  } else {
    // Where the fault is to fail the action, the tree goes on to a second remote action.
    const expectedToFail = fault === 'partition' || fault === 'restart' || fault === 'killed';
    body =
      `    do serial:\n        run_process("${job.command}") with:\n` +
      `${expectedToFail ? '            failure_is_success()\n' : ''}            ${remote}\n` +
      `        run_process("true") with:\n            ${remote}\n`;
  }
  const started = performance.now();
  const client = startClient(clientKind, `${fault.replaceAll('-', '_')}_${names}`, body);
  const result = { fault };
  try {
    if (fault !== 'latency' && !(await waitFor(() => job.starts() === 1, 30_000))) {
      throw new Error(`the job did not start:\n${client.output()}`);
    }
    const cutAt = performance.now();
    if (fault === 'blip') await proxy.blackhole(1000);
    if (fault === 'partition') void proxy.blackhole(8000);
    if (fault === 'reset') result.cut = proxy.resetAll();
    if (fault === 'reset-in-flight') proxy.loseReplyTo((r) => r.cmd === 'update');
    if (fault === 'restart') {
      await stopServer(server);
      server = await startServer(serverKind, transport, where);
      result.restartedIn = seconds(performance.now() - cutAt);
    }
    if (fault === 'killed') await stopServer(server, 'SIGKILL');
    if (fault === 'partition' || fault === 'restart' || fault === 'killed') {
      const line = await waitFor(() => failureAfter(client, cutAt), 20_000);
      result.detected = line ? seconds(line.at - cutAt) : 'not within 20 s';
      result.line = line?.line.trim();
    }
    if (fault === 'partition' && serverKind === 'ours') {
      const reaped = await waitFor(() => server.lines.find((l) => l.line.includes('Reaped action')), 20_000);
      result.reaped = reaped ? seconds(reaped.at - cutAt) : 'not within 20 s';
    }
    const code = await exitWithin(client, 60_000);
    if (dump) console.log(client.lines.map((l) => `${(l.at - cutAt).toFixed(0)} ${l.line}`).join('\n'));
    result.outcome = code === 0 ? 'succeeded' : `exit ${code}`;
    if (fault === 'latency') result.wall = seconds(performance.now() - started);
    if (fault !== 'latency') result.starts = job.starts();
    result.longestTick = longestTick(client);
  } finally {
    if (client.child.exitCode === null) client.child.kill('SIGKILL');
    await proxy.close();
    await stopServer(server, 'SIGKILL');
  }
  return result;
}

const pairs = [
  { name: 'ours-tcp', client: 'ours', server: 'ours', transport: 'tcp' },
  { name: 'ours-unix', client: 'ours', server: 'ours', transport: 'unix' },
  { name: 'ours-python', client: 'ours', server: 'python', transport: 'unix' },
  { name: 'python-python', client: 'python', server: 'python', transport: 'unix' },
  { name: 'python-ours', client: 'python', server: 'ours', transport: 'unix' },
].filter((pair) => {
  if (only !== undefined && !only.has(pair.name)) return false;
  if ((pair.client === 'python' && !pythonClient) || (pair.server === 'python' && !pythonServer)) {
    console.log(`${pair.name}: skipped (PY_SCENARIO_EXECUTION / PY_SCENARIO_EXECUTION_SERVER not set)`);
    return false;
  }
  return true;
});

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average before: ${load()}`);
for (const pair of pairs) {
  const faults = (argValue('--faults') ?? 'blip,partition,reset,reset-in-flight,restart,killed').split(',');
  if (pair.name === 'ours-tcp' && argValue('--faults') === undefined) faults.push('latency');
  for (const fault of faults) {
    for (let i = 0; i < repeat; i++) {
      try {
        const result = await measure(pair, fault);
        console.log(`${pair.name} ${JSON.stringify(result)}`);
      } catch (err) {
        console.log(`${pair.name} ${fault}: ${err instanceof Error ? err.message : err}`);
      }
    }
  }
}
console.log(`load average after: ${load()}`);
process.exit(0);
