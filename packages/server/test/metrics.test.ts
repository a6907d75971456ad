/**
 * `--metrics [HOST:]PORT`: `/metrics` in the Prometheus text format (requests
 * by command, error replies, latency, actions alive, processes running,
 * actions reaped, clients refused) and `/healthz`. Loopback only.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { checkServer } from '../src/check.js';
import { parseServerArgs } from '../src/cli-args.js';
import { METRIC_PREFIX, type MetricsEndpoint, ServerMetrics, serveMetrics } from '../src/metrics.js';
import { countBelowChildren, parentOfStat, readProcessTable } from '../src/processes.js';
import { TestClient } from './support/client.js';
import { sleep, tempDir } from './support/harness.js';
import { BIN, requireBuild, type SpawnedServer, spawnServer } from './support/spawned.js';

/** The server package's bin folder (the built code is beside it, in dist). */
const BIN_DIR = new URL('.', pathToFileURL(BIN));

const spawned: SpawnedServer[] = [];
const clients: TestClient[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of spawned.splice(0)) s.kill();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function scratch(): string {
  const dir = tempDir('se-metrics-');
  cleanups.push(dir.remove);
  return dir.path;
}

/** Samples of a Prometheus text exposition: `name{labels}` → value (comments skipped). */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return samples(await response.text());
}

function metric(values: Map<string, number>, name: string, labels = ''): number | undefined {
  return values.get(`${METRIC_PREFIX}${name}${labels}`);
}

/** Start the built server with `--metrics 127.0.0.1:0`; returns it and the metrics URL it logged. */
async function start(args: string[]): Promise<{ server: SpawnedServer; url: string }> {
  const server = spawnServer(['-w', '0', '-c', '0', '--metrics', '127.0.0.1:0', ...args]);
  spawned.push(server);
  const line = await server.waitForLine(/Metrics at /);
  const url = /Metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(line)?.[1];
  if (url === undefined) throw new Error(`no metrics URL in: ${line}`);
  return { server, url };
}

describe('parsing --metrics', () => {
  it('is off by default and binds loopback unless a host is given', () => {
    const plain = parseServerArgs([]);
    expect(plain.kind === 'run' && plain.args.metrics).toBeUndefined();
    const port = parseServerArgs(['--metrics', '9464']);
    expect(port.kind === 'run' && port.args.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
  });
});

describe('scenario_execution_server --metrics', () => {
  it('counts requests, errors, live actions, running processes and reaped actions', async () => {
    const socket = join(scratch(), 'se.sock');
    const { url } = await start(['--socket', socket, '--action-timeout', '1']);
    const health = await fetch(`${url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);

    const client = new TestClient(`ipc://${socket}`);
    clients.push(client);
    const id = 'metrics-action';
    await client.call('heartbeat', {});
    await client.call('init', { action_id: id, plugin_key: 'run_process', init_args: {}, output_dir: null });
    await client.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/' });
    await client.call('execute', { action_id: id, exec_args: { command: 'sleep 44.25', wait_for_shutdown: true } });
    await client.call('update', { action_id: id });
    expect(
      (await client.call('init', { action_id: 'x', plugin_key: 'nope', init_args: {}, output_dir: null })).status,
    ).toBe('error');
    expect((await client.raw(Buffer.from([0xc1]))).length).toBeGreaterThan(0);

    let values = await scrape(url);
    for (const command of ['heartbeat', 'setup', 'execute', 'update', 'invalid']) {
      expect(metric(values, 'requests_total', `{command="${command}"}`)).toBe(1);
    }
    expect(metric(values, 'requests_total', '{command="init"}')).toBe(2);
    expect(metric(values, 'requests_total', '{command="terminate"}')).toBe(0);
    expect(metric(values, 'error_replies_total', '{command="init"}')).toBe(1);
    expect(metric(values, 'error_replies_total', '{command="invalid"}')).toBe(1);
    expect(metric(values, 'error_replies_total', '{command="setup"}')).toBe(0);
    expect(metric(values, 'request_duration_seconds_count', '{command="init"}')).toBe(2);
    expect(metric(values, 'request_duration_seconds_bucket', '{le="+Inf",command="heartbeat"}')).toBe(1);
    expect(metric(values, 'actions_alive')).toBe(1);
    expect(metric(values, 'actions_reaped_total')).toBe(0);
    // The process may take a moment to start behind the supervisor.
    const running = async () => metric(await scrape(url), 'processes_running');
    let count = await running();
    for (let i = 0; i < 100 && count !== 1; i++) {
      await sleep(50);
      count = await running();
    }
    expect(count).toBe(1);
    expect(values.get('process_resident_memory_bytes')).toBeGreaterThan(0);

    // The client dies: its action is reaped, its process killed.
    client.close();
    let settled = false;
    for (let i = 0; i < 200 && !settled; i++) {
      values = await scrape(url);
      settled = metric(values, 'actions_reaped_total') === 1 && metric(values, 'processes_running') === 0;
      if (!settled) await sleep(50);
    }
    expect(settled).toBe(true);
    expect(metric(values, 'actions_alive')).toBe(0);
  });

  it('counts clients refused at the CURVE handshake', async () => {
    const dir = scratch();
    const serverKeys = curveKeyPair();
    const listed = curveKeyPair();
    const unlisted = curveKeyPair();
    writeFileSync(join(dir, 'server.key'), `${serverKeys.secretKey}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'authorized'), `${listed.publicKey}\n`);
    writeFileSync(join(dir, 'unlisted.key'), `${unlisted.secretKey}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'listed.key'), `${listed.secretKey}\n`, { mode: 0o600 });
    const socket = join(dir, 'se.sock');
    const { url } = await start([
      '--socket',
      socket,
      '--curve-secret-key-file',
      join(dir, 'server.key'),
      '--curve-authorized-keys',
      join(dir, 'authorized'),
    ]);
    const check = (keyFile: string) =>
      checkServer({
        endpoint: socket,
        address: `ipc://${socket}`,
        timeout: 10,
        serverPublicKey: serverKeys.publicKey,
        clientKeyFile: join(dir, keyFile),
      });
    expect(await check('listed.key')).toMatchObject({ ok: true });
    expect(await check('unlisted.key')).toMatchObject({ ok: false });
    expect(await check('unlisted.key')).toMatchObject({ ok: false });
    // The server learns of a refusal from its socket's event monitor, which may report it a moment later.
    let values = await scrape(url);
    for (let i = 0; i < 100 && metric(values, 'clients_refused_total', '{reason="key"}') !== 2; i++) {
      await sleep(50);
      values = await scrape(url);
    }
    expect(metric(values, 'clients_refused_total', '{reason="key"}')).toBe(2);
    expect(metric(values, 'requests_total', '{command="heartbeat"}')).toBe(1);
  });
});

describe('loading the metrics', () => {
  /**
   * Whether the built server, started with `args`, has prom-client loaded once it
   * listens (asked in its own process: this one loaded it for the tests above).
   */
  function loadsPromClient(args: readonly string[]): Promise<boolean> {
    const main = new URL('../dist/main.js', BIN_DIR).href;
    const source = `
      import { createRequire } from 'node:module';
      const { main } = await import(${JSON.stringify(main)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/prom-client/'));
      await main(${JSON.stringify(args)}, {
        handleSignals: false,
        sink: () => {},
        onListening: (server) => { console.log('prom-client loaded: ' + loaded()); server.stop(); },
      });
    `;
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', source], { timeout: 20_000 }, (err, stdout) => {
        if (err) reject(err);
        else resolve(stdout.includes('prom-client loaded: true'));
      });
    });
  }

  it('only for --metrics: a server without them does not load prom-client', async () => {
    const dir = scratch();
    expect(await loadsPromClient(['-w', '0', '-c', '0', '-s', join(dir, 'plain.sock')])).toBe(false);
    expect(
      await loadsPromClient(['-w', '0', '-c', '0', '-s', join(dir, 'metrics.sock'), '--metrics', '127.0.0.1:0']),
    ).toBe(true);
  });
});

describe('serveMetrics', () => {
  it('answers /healthz with 503 once the server stops serving', async () => {
    const metrics = new ServerMetrics({ defaultMetrics: false });
    let serving = true;
    metrics.attach({ actionsAlive: () => 3, serving: () => serving });
    const endpoint: MetricsEndpoint = await serveMetrics(metrics, '127.0.0.1', 0);
    cleanups.push(() => endpoint.close());
    expect((await fetch(`${endpoint.url}/healthz`)).status).toBe(200);
    serving = false;
    const stopped = await fetch(`${endpoint.url}/healthz`);
    expect([stopped.status, await stopped.text()]).toEqual([503, 'stopping\n']);
    const values = samples(await (await fetch(`${endpoint.url}/metrics`)).text());
    expect(metric(values, 'actions_alive')).toBe(3);
    // Without a way to count processes, the gauge has no sample rather than a wrong one.
    expect(metric(values, 'processes_running')).toBeUndefined();
    expect(values.has('process_cpu_user_seconds_total')).toBe(false);
  });

  it('never turns client text into a label', () => {
    const metrics = new ServerMetrics({ defaultMetrics: false });
    metrics.request('rm -rf /');
    metrics.replied('rm -rf /', true, 0.001);
    return metrics.registry.metrics().then((text) => {
      expect(text).not.toContain('rm -rf');
      expect(samples(text).get(`${METRIC_PREFIX}requests_total{command="invalid"}`)).toBe(1);
    });
  });

  it('rejects an address it cannot bind', async () => {
    const metrics = new ServerMetrics({ defaultMetrics: false });
    const first = await serveMetrics(metrics, '127.0.0.1', 0);
    cleanups.push(() => first.close());
    const port = Number(new URL(first.url).port);
    await expect(serveMetrics(metrics, '127.0.0.1', port)).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('processes below the server', () => {
  it('counts the grandchildren and deeper, not the direct children (the supervisors)', () => {
    const table = [
      { pid: 10, ppid: 1 }, // the server
      { pid: 11, ppid: 10 }, // its supervisor
      { pid: 12, ppid: 11 }, // a run_process command
      { pid: 13, ppid: 12 }, // its child
      { pid: 14, ppid: 11 },
      { pid: 20, ppid: 1 }, // unrelated
      { pid: 21, ppid: 20 },
    ];
    expect(countBelowChildren(table, 10)).toBe(3);
    expect(countBelowChildren(table, 99)).toBe(0);
    // A cycle (a pid reused while reading) does not loop.
    expect(countBelowChildren([...table, { pid: 10, ppid: 13 }], 10)).toBe(3);
  });

  it('reads the parent from /proc/PID/stat, whatever the command name holds', () => {
    expect(parentOfStat('1234 (a) b (c)) S 77 1234 1234 0 -1')).toBe(77);
    expect(parentOfStat('garbage')).toBeUndefined();
    const table = readProcessTable();
    expect(table?.find((entry) => entry.pid === process.pid)?.ppid).toBe(process.ppid);
    expect(readProcessTable(join(scratch(), 'no-proc'))).toBeUndefined();
  });
});
