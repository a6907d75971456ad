/** The action API and the built-in actions. */
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionLogger,
  ArgMap,
  ArgValue,
  VariableAccess,
  VariableRef,
} from './api.js';
export { ActionBehaviour } from './action-behaviour.js';
export type { ActionBehaviourOptions, ExecuteArgs } from './action-behaviour.js';
export { builtinActions } from './builtin.js';
export { logAction } from './log.js';
export { compareAction } from './compare.js';
export { incrementAction, StepVariableAction } from './increment.js';
export { decrementAction } from './decrement.js';
export { runProcessAction, RunProcessAction, parseSignal, signalName } from './run-process.js';
export { pythonTypeName, requireVariableRef, argumentValue } from './variables.js';
