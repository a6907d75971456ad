/**
 * `scenario-execution-plugin-remote`: run any action of a scenario on a
 * `scenario_execution_server` with `remote(endpoint)` (OSC library `osc.remote`).
 */
export { type RemoteActionInfo, RemoteActionClient, type RemoteActionClientOptions } from './remote-action-client.js';
export {
  RemoteActionBehaviour,
  type RemoteBehaviourOptions,
  type ReplyBudgetFractions,
  remoteBehaviourName,
} from './remote-behaviour.js';
export {
  type CallFailureKind,
  RemoteCallError,
  RemoteConnection,
  type RemoteConnectionOptions,
} from './remote-connection.js';
export { REPLY_BUDGET, remoteModifier } from './remote-modifier.js';
