/**
 * `--metrics [HOST:]PORT`: Prometheus metrics of one server over HTTP
 * (`GET /metrics`, the Prometheus text format, by `prom-client`) and a health
 * check (`GET /healthz`: 200 `ok` while the server serves, 503 once it stops).
 *
 * | metric                                               | type      | what                                            |
 * | ---------------------------------------------------- | --------- | ----------------------------------------------- |
 * | scenario_execution_server_requests_total{command}     | counter   | requests received, by command (`invalid`: not a request) |
 * | scenario_execution_server_error_replies_total{command}| counter   | error replies sent, by command                  |
 * | scenario_execution_server_request_duration_seconds{command} | histogram | from a request's arrival to its reply     |
 * | scenario_execution_server_actions_alive              | gauge     | actions initialised and not reset               |
 * | scenario_execution_server_processes_running          | gauge     | processes running below the process supervisor  |
 * | scenario_execution_server_actions_reaped_total       | counter   | actions of silent clients reaped                |
 * | scenario_execution_server_clients_refused_total{reason} | counter | connections refused at the handshake (`key`: not in --curve-authorized-keys) |
 *
 * plus prom-client's default process metrics (CPU, memory, open files, event
 * loop lag). The registry is the server's own, not prom-client's global one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COMMAND_NAMES } from '@scenario-execution/protocol';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { actionProcessCount } from './processes.js';
import type { ServerObserver } from './server.js';

/** Prefix of every metric of ours. */
export const METRIC_PREFIX = 'scenario_execution_server_';

/**
 * Latency buckets in seconds: a heartbeat takes well under a millisecond, an
 * `init` that loads a plugin or a `setup` can take seconds.
 */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the metrics read from the running server at each scrape. */
export interface MetricsSources {
  /** Live actions (the action host's size). */
  readonly actionsAlive: () => number;
  /** Processes the actions have running; undefined when it cannot be known (no /proc). */
  readonly processesRunning?: () => number | undefined;
  /** Whether the server still serves (for /healthz). */
  readonly serving: () => boolean;
}

/** Known command names (and `invalid`): a label value never comes from a client. */
const COMMANDS: ReadonlySet<string> = new Set([...COMMAND_NAMES, 'invalid']);

function commandLabel(command: string): string {
  return COMMANDS.has(command) ? command : 'invalid';
}

/** The metrics of one server: an observer for it, and the registry to expose. */
export class ServerMetrics implements ServerObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<'command'>;
  private readonly errors: Counter<'command'>;
  private readonly latency: Histogram<'command'>;
  private readonly reapedTotal: Counter;
  private readonly refusedTotal: Counter<'reason'>;
  private sources: MetricsSources | undefined;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${METRIC_PREFIX}requests_total`,
      help: 'Requests received, by command (invalid: a message that is not a request)',
      labelNames: ['command'],
      registers,
    });
    this.errors = new Counter({
      name: `${METRIC_PREFIX}error_replies_total`,
      help: 'Error replies sent, by command',
      labelNames: ['command'],
      registers,
    });
    this.latency = new Histogram({
      name: `${METRIC_PREFIX}request_duration_seconds`,
      help: "Time from a request's arrival to its reply, by command",
      labelNames: ['command'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.reapedTotal = new Counter({
      name: `${METRIC_PREFIX}actions_reaped_total`,
      help: 'Actions reaped because their client sent nothing for --action-timeout',
      registers,
    });
    this.refusedTotal = new Counter({
      name: `${METRIC_PREFIX}clients_refused_total`,
      help: 'Connections refused at the CURVE handshake (key: not in --curve-authorized-keys; handshake: any other failure)',
      labelNames: ['reason'],
      registers,
    });
    const metrics = this;
    new Gauge({
      name: `${METRIC_PREFIX}actions_alive`,
      help: 'Actions initialised and not reset',
      registers,
      collect() {
        this.set(metrics.sources?.actionsAlive() ?? 0);
      },
    });
    // Zero series for every command, so rates exist before the first request of each kind.
    for (const command of COMMANDS) {
      this.requests.inc({ command }, 0);
      this.errors.inc({ command }, 0);
    }
    for (const reason of ['key', 'handshake']) this.refusedTotal.inc({ reason }, 0);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Where the gauges read from (set once the server runs). The processes
   * gauge exists only where they can be counted (Linux): no sample rather
   * than a wrong one.
   */
  attach(sources: MetricsSources): void {
    const first = this.sources === undefined;
    this.sources = sources;
    if (!first || sources.processesRunning?.() === undefined) return;
    const metrics = this;
    new Gauge({
      name: `${METRIC_PREFIX}processes_running`,
      help: "Processes running below the server's process supervisor (run_process commands and their children)",
      registers: [this.registry],
      collect() {
        this.set(metrics.sources?.processesRunning?.() ?? 0);
      },
    });
  }

  /** Whether the server serves (false before {@link attach}). */
  get serving(): boolean {
    return this.sources?.serving() ?? false;
  }

  request(command: string): void {
    this.requests.inc({ command: commandLabel(command) });
  }

  replied(command: string, error: boolean, seconds: number): void {
    const label = commandLabel(command);
    this.latency.observe({ command: label }, seconds);
    if (error) this.errors.inc({ command: label });
  }

  reaped(count: number): void {
    this.reapedTotal.inc(count);
  }

  refused(reason: 'key' | 'handshake'): void {
    this.refusedTotal.inc({ reason });
  }
}

/** The sources of a server process: its action host, and `/proc` for the processes. */
export function processSources(actionsAlive: () => number, serving: () => boolean): MetricsSources {
  return { actionsAlive, serving, processesRunning: () => actionProcessCount() };
}

/** An HTTP listener serving one {@link ServerMetrics}. */
export interface MetricsEndpoint {
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

function answer(metrics: ServerMetrics, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response
      .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      .end('method not allowed\n');
    return;
  }
  if (path === '/healthz') {
    const serving = metrics.serving;
    response
      .writeHead(serving ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(serving ? 'ok\n' : 'stopping\n');
    return;
  }
  if (path !== '/metrics') {
    response
      .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end('not found: try /metrics or /healthz\n');
    return;
  }
  metrics.registry.metrics().then(
    (text) => {
      response.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text);
    },
    (err: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${(err as Error).message}\n`);
    },
  );
}

/** Bind `host:port` and serve `metrics` there. Rejects when it cannot listen. */
export function serveMetrics(metrics: ServerMetrics, host: string, port: number): Promise<MetricsEndpoint> {
  const server: Server = createServer((request, response) => answer(metrics, request, response));
  // A scraper keeps its connection open between scrapes: closing must not wait for it.
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
