/** Starting in-process servers for tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionHost, type ActionResolver } from '../../src/action-host.js';
import { ServerLog } from '../../src/log.js';
import { HOST_LOGGER_NAME, LOGGER_NAME } from '../../src/main.js';
import { ScenarioExecutionServer, type ServerOptions } from '../../src/server.js';
import { testResolver } from './test-actions.js';

export interface RunningServer {
  readonly server: ScenarioExecutionServer;
  readonly host: ActionHost;
  /** Where clients connect. */
  readonly endpoint: string;
  /** Every log line so far. */
  readonly lines: string[];
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<ServerOptions, 'host' | 'log'>> {
  readonly resolve?: ActionResolver;
  readonly verbose?: boolean;
}

/** A server on an ephemeral loopback port (or the given address), with watchdog and connect timeout off by default. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const lines: string[] = [];
  const log = new ServerLog(LOGGER_NAME, (line) => lines.push(line), options.verbose ? 'debug' : 'info');
  const host = new ActionHost({ resolve: options.resolve ?? testResolver, log: log.child(HOST_LOGGER_NAME) });
  const server = await ScenarioExecutionServer.start({
    address: 'tcp://127.0.0.1:*',
    watchdogSeconds: 0,
    connectTimeoutSeconds: 0,
    ...options,
    host,
    log,
  });
  return { server, host, endpoint: server.endpoint, lines, close: () => server.close() };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'se-server-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` every `intervalMs` until it is true or `limitMs` passed; returns whether it became true. */
export async function waitFor(check: () => boolean, limitMs = 5000, intervalMs = 20): Promise<boolean> {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    if (check()) return true;
    await sleep(intervalMs);
  }
  return check();
}
