/** `scenario_execution_server`: runs scenario actions for remote clients. */
export { createActionResolver, type CatalogOptions, engineBuiltinActions } from './action-catalog.js';
export {
  ActionHost,
  ActionHostError,
  type ActionHostOptions,
  type ActionResolver,
  CapturingLogger,
  shortId,
} from './action-host.js';
export { HELP, type ParsedArgs, parseServerArgs, type ServerArgs, USAGE } from './cli-args.js';
export {
  CurveKeyError,
  type CurveKeyPair,
  curvePublicKey,
  generateServerKeys,
  isZ85Key,
  PUBLIC_KEY_FILE,
  readServerKeys,
  SECRET_KEY_FILE,
} from './curve.js';
export { formatTimestamp, type LogSink, ServerLog, type ServerLogLevel, stdoutSink } from './log.js';
export { HOST_LOGGER_NAME, LOGGER_NAME, main, type RunOptions, runServer, serverVersion } from './main.js';
export {
  ScenarioExecutionServer,
  type ServerOptions,
  ServerStartError,
  type StopReason,
} from './server.js';
