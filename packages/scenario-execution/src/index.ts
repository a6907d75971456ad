/**
 * Public API of the `scenario-execution` package, for plugin authors, the
 * server and programs that run scenarios:
 *
 * - the action API (`ActionDefinition`, `Action`, `ActionContext`, …) and the
 *   modifier API (`ModifierDefinition`, `ModifierContext`, …);
 * - the behaviour-tree runtime (`Status`, `Behaviour`, composites, decorators,
 *   `Blackboard`, `TreeRunner`, `Logger`, tree display);
 * - the engine's built-in actions (`builtinActions`);
 * - plugin discovery (`discoverPlugins`, `PluginRegistry`);
 * - loading, building and running scenarios (`loadScenario`,
 *   `loadModelWithPlugins`, `buildTree`, `TreeRunner`); the command itself is
 *   `main` in the `scenario-execution/cli` subpath;
 * - `OscError`, the one error type users see.
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
export {
  ActionBehaviour,
  type ActionBehaviourOptions,
  type ExecuteArgs,
  type ExecuteArgsSource,
} from './actions/action-behaviour.js';
export { builtinActions } from './actions/builtin.js';
export { type BuildTreeOptions, type BuiltTree, buildTree } from './builder/build-tree.js';
export { BUILTIN_MODIFIERS } from './builder/builtin-modifiers.js';
export { externalMethodLookup, loadModel, type LoadModelOptions, loadModelWithPlugins } from './cli/load-model.js';
export { type Location, OscError, SourceFile } from './language/diagnostics.js';
export { type LoadOptions, loadScenario, loadScenarioFromText } from './model/loader.js';
export { formatModel } from './model/format.js';
export type { OscModel } from './model/model.js';
export * from './plugins/index.js';
export * from './runtime/index.js';
