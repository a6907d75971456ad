/**
 * Public API of the `scenario-execution` package, for plugin authors and the
 * server: the action and modifier APIs, behaviour states, plugin discovery.
 */
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionLogger,
  ArgMap,
  ArgValue,
  VariableAccess,
  VariableRef,
} from './actions/api.js';
export { OscError, SourceFile, type Location } from './language/diagnostics.js';
export * from './plugins/index.js';
export { Behaviour, type MaybePromise, type SetupContext } from './runtime/behaviour.js';
export { Status } from './runtime/status.js';
