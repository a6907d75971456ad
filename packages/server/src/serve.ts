/**
 * Serving: start the server with parsed arguments, serve until the watchdog,
 * the connect timeout or a signal (SIGTERM/SIGINT/SIGHUP) stops it, reset
 * every action, and return the exit code. Loaded by `main` only when it
 * serves, so `--check` (a probe run every few seconds) does not load the
 * engine, the plugins or the metrics; the metrics are loaded only for `--metrics`.
 */
import { bindAddress } from '@scenario-execution/protocol';
import { createActionResolver } from './action-catalog.js';
import { ActionHost, type ActionResolver } from './action-host.js';
import { type AuthorizedKeys, readAuthorizedKeys } from './authentication.js';
import { printError, type ServerArgs } from './cli-args.js';
import { CurveKeyError, type CurveKeyPair, readServerKeys } from './curve.js';
import { exposureWarnings } from './exposure.js';
import { HOST_LOGGER_NAME, LOGGER_NAME, type LogSink, ServerLog, stdoutSink } from './log.js';
import type { MetricsEndpoint } from './metrics.js';
import { checkPluginDirs, pluginDirWarnings } from './plugin-dirs.js';
import { applyPolicy } from './policy.js';
import { ScenarioExecutionServer, ServerStartError, type StopReason } from './server.js';

/**
 * Signals that stop the server cleanly. SIGHUP matters too: `run_process`
 * children run in their own session, so a closed terminal would not reach them.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** How long the final reset may take before the server exits anyway. */
const CLEANUP_LIMIT_MS = 60_000;

/**
 * The same after a signal: whoever sends SIGTERM (Kubernetes, systemd) gives a
 * grace period, 30 s by default for both, and the server exits 0 within 10 s
 * of the signal whatever its actions do. What an action's reset leaves running
 * then dies with the server: its process supervisor kills every process group
 * it started when the server exits.
 */
export const SIGNAL_CLEANUP_LIMIT_MS = 8_000;

export interface RunOptions {
  /** Where log lines go (stdout by default). */
  readonly sink?: LogSink;
  /** Where actions come from (built-ins and discovered plugins by default). */
  readonly resolve?: ActionResolver;
  /** Called once the server listens (tests use it to learn the endpoint). */
  readonly onListening?: (server: ScenarioExecutionServer) => void;
  /** Install SIGTERM/SIGINT/SIGHUP handlers (default true). */
  readonly handleSignals?: boolean;
  /** Called once the metrics endpoint listens, with its URL (tests bind port 0). */
  readonly onMetricsListening?: (url: string) => void;
  /** The limit of the final reset after a signal (default {@link SIGNAL_CLEANUP_LIMIT_MS}). */
  readonly signalCleanupLimitMs?: number;
}

/** Serve with parsed arguments until stopped; returns the exit code. */
export async function runServer(args: ServerArgs, options: RunOptions = {}): Promise<number> {
  let curve: CurveKeyPair | undefined;
  let authorized: AuthorizedKeys | undefined;
  try {
    if (args.curveSecretKeyFile !== undefined) curve = readServerKeys(args.curveSecretKeyFile);
    if (args.curveAuthorizedKeys !== undefined) authorized = readAuthorizedKeys(args.curveAuthorizedKeys);
    checkPluginDirs(args.pluginDirs);
  } catch (err) {
    if (!(err instanceof CurveKeyError || err instanceof ServerStartError)) throw err;
    printError(err.message);
    return 1;
  }
  const log = new ServerLog(
    LOGGER_NAME,
    options.sink ?? stdoutSink,
    args.verbose ? 'debug' : 'info',
    args.logFormat ?? 'text',
  );
  const resolve = applyPolicy(options.resolve ?? createActionResolver({ pluginDirs: args.pluginDirs }), args);
  const host = new ActionHost({ resolve, log: log.child(HOST_LOGGER_NAME) });
  const address = bindAddress({ port: args.port, host: args.bind, socketPath: args.socket });
  // The metrics (prom-client: some 2 MB of heap and 0.1 s to load) only for `--metrics`.
  const metricsModule = args.metrics === undefined ? undefined : await import('./metrics.js');
  const metrics = metricsModule === undefined ? undefined : new metricsModule.ServerMetrics();
  let metricsEndpoint: MetricsEndpoint | undefined;
  let server: ScenarioExecutionServer;
  try {
    server = await ScenarioExecutionServer.start({
      address,
      host,
      log,
      watchdogSeconds: args.watchdog,
      connectTimeoutSeconds: args.connectTimeout,
      actionTimeoutSeconds: args.actionTimeout,
      curveSecretKey: curve?.secretKey,
      curveAuthorizedKeys: authorized?.keys,
      socketMode: args.socketMode,
      ...(metrics === undefined ? {} : { observer: metrics }),
    });
    if (metricsModule !== undefined && metrics !== undefined && args.metrics !== undefined) {
      const started = server;
      metrics.attach(
        metricsModule.processSources(
          () => host.size,
          () => started.serving,
        ),
      );
      try {
        metricsEndpoint = await metricsModule.serveMetrics(metrics, args.metrics.host, args.metrics.port);
      } catch (err) {
        await server.close();
        throw new ServerStartError(
          `cannot serve metrics on ${args.metrics.host}:${args.metrics.port}: ${(err as Error).message}`,
        );
      }
      log.info(`Metrics at ${metricsEndpoint.url}/metrics, health at ${metricsEndpoint.url}/healthz`);
      options.onMetricsListening?.(metricsEndpoint.url);
    }
    if (args.persistent) {
      const reaping =
        args.actionTimeout > 0
          ? `the actions of a client silent for ${args.actionTimeout}s are reaped`
          : 'dead clients are never reaped (--action-timeout 0)';
      log.info(`Persistent: no watchdog, no connect timeout; ${reaping}`);
    }
    if (curve) log.info(`CURVE encryption on; server public key: ${curve.publicKey}`);
    if (authorized) log.info(`CURVE clients: ${authorized.keys.size} authorized keys from ${authorized.source}`);
    if (args.allowActions) log.info(`Allowed actions: ${args.allowActions.join(', ')}`);
    if (args.allowPrograms) log.info(`Allowed programs for run_process: ${args.allowPrograms.join(', ')}`);
    const exposure = {
      address,
      curve: curve !== undefined,
      authorizedClients: authorized !== undefined,
      socketMode: args.socketMode,
      restricted: args.allowActions !== undefined || args.allowPrograms !== undefined,
    };
    const persistentWarnings =
      args.persistent && args.actionTimeout === 0
        ? [
            '--persistent with --action-timeout 0: the actions (and processes) of dead clients stay until the server stops.',
          ]
        : [];
    for (const warning of [
      ...exposureWarnings(exposure),
      ...pluginDirWarnings(args.pluginDirs),
      ...persistentWarnings,
    ]) {
      log.warn(warning);
    }
  } catch (err) {
    // Any start-up failure is one error line and exit 1, never a stack trace.
    const reason = err instanceof Error ? err.message : String(err);
    const message = err instanceof ServerStartError ? reason : `cannot start the server: ${reason}`;
    log.error(message);
    printError(message);
    return 1;
  }

  /**
   * The wait for the final reset: bounded by {@link CLEANUP_LIMIT_MS}, or by
   * the signal limit once a signal came (also one that comes while the server
   * is already cleaning up after its watchdog); a further signal ends it at once.
   */
  let signalled = false;
  let waitEnds: ((why: 'limit' | 'signal') => void) | undefined;
  let limitTimer: NodeJS.Timeout | undefined;
  let limitMs = CLEANUP_LIMIT_MS;
  const signalLimitMs = options.signalCleanupLimitMs ?? SIGNAL_CLEANUP_LIMIT_MS;
  const setLimit = (ms: number) => {
    limitMs = ms;
    clearTimeout(limitTimer);
    limitTimer = setTimeout(() => waitEnds?.('limit'), ms);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn(`${signal} received again, exiting without waiting for the actions`);
      waitEnds?.('signal');
      return;
    }
    signalled = true;
    if (signal === 'SIGINT') log.info('Interrupted, shutting down…');
    else log.info(`${signal} received, stopping…`);
    if (server.serving) server.stop('signal');
    else if (waitEnds !== undefined) setLimit(signalLimitMs);
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    options.onListening?.(server);
    const reason: StopReason = await server.stopped;
    log.debug(`Stopping (${reason})`);
    const cutShort = new Promise<'limit' | 'signal'>((resolve) => {
      waitEnds = resolve;
    });
    setLimit(signalled ? signalLimitMs : CLEANUP_LIMIT_MS);
    const outcome = await Promise.race([server.close().then(() => 'done' as const), cutShort]);
    clearTimeout(limitTimer);
    if (outcome !== 'done') {
      if (outcome === 'limit') log.warn(`Actions did not shut down within ${limitMs / 1000}s; exiting anyway`);
      server.abandon();
    }
    return 0;
  } finally {
    if (handleSignals) for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    await metricsEndpoint?.close();
  }
}
