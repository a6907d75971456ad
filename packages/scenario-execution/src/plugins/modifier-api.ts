/**
 * The modifier API for plugin authors: a modifier wraps the subtree it is
 * applied to (`with: my_modifier(...)`) in a behaviour of its own. The built-in
 * modifiers (`repeat`, `timeout`, …) are decorators of the runtime; a plugin
 * modifier such as `remote(endpoint)` may replace the subtree entirely.
 */
import type { ActionDefinition, ActionLogger, ArgMap, ArgValue, VariableRef } from '../actions/api.js';
import type { Behaviour } from '../runtime/behaviour.js';

/** What the builder knows of an action invocation that a modifier wraps. */
export interface WrappedActionInfo {
  /** The action's name as declared in OSC (`run_process`); the plugin key on a server. */
  readonly name: string;
  /** Parameter names declared for the action, in declaration order. */
  readonly parameterNames: readonly string[];
  /**
   * The local plugin definition, when the action is installed on this machine
   * (it need not be: a remote action only needs its OSC declaration).
   */
  readonly definition: ActionDefinition | undefined;
  /**
   * Resolve every argument of the invocation now (variables read at this
   * moment), in wire form: physical values in SI units, enums as `[name, value]`.
   */
  resolveArgs(): Record<string, ArgValue>;
  /** Like resolveArgs, but variables are passed as references. */
  resolveArgsWithReferences(): Record<string, ArgValue | VariableRef>;
}

export interface ModifierContext {
  /** The subtree being wrapped. */
  readonly child: Behaviour;
  /**
   * Set when the modifier applies to an action invocation. The child is then the
   * action's leaf, or the decorators of modifiers written after this one around it.
   */
  readonly action: WrappedActionInfo | undefined;
  /** The modifier's arguments, resolved (physical values in SI units). */
  readonly args: ArgMap;
  readonly logger: ActionLogger;
  /** Where the modifier is written, `file:line:col`, for error messages. */
  readonly location: string;
}

export interface ModifierDefinition {
  /** Return the behaviour that takes the subtree's place in the tree. */
  wrap(ctx: ModifierContext): Behaviour;
}
