/**
 * ActionBehaviour: the tree leaf that runs one action invocation.
 *
 * setup → `action.setup(ctx)`; entering RUNNING → `action.execute(args)` with
 * the arguments resolved at that moment; each tick → `action.update()`;
 * terminate/shutdown forwarded as py_trees calls them.
 */
import type { Location } from '../language/diagnostics.js';
import { errorMessage, OscError } from '../language/diagnostics.js';
import { Behaviour } from '../runtime/behaviour.js';
import type { MaybePromise, SetupContext } from '../runtime/behaviour.js';
import { isPromiseLike } from '../runtime/maybe-promise.js';
import type { Status } from '../runtime/status.js';
import type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionLogger,
  ArgMap,
  ArgValue,
  VariableAccess,
  VariableRef,
} from './api.js';

/** Arguments for `execute`, resolved when the invocation starts. */
export type ExecuteArgs = Record<string, ArgValue | VariableRef>;

/** Resolves an invocation's `execute` arguments when asked (see `ActionBehaviourOptions.resolveArgs`). */
export interface ExecuteArgsSource {
  executeArgs(passVariableReferences: boolean): ExecuteArgs;
}

export interface ActionBehaviourOptions {
  readonly definition: ActionDefinition;
  /** An already created action (default: `definition.create(initArgs)` in the constructor). */
  readonly action?: Action;
  /** The action's name as declared in OSC (`run_process`): the plugin key. Default: the node name. */
  readonly pluginName?: string;
  /** Arguments consumed by `create` (see {@link ActionDefinition.initArgs}). */
  readonly initArgs?: ArgMap;
  /**
   * Resolve the `execute` arguments now; called each time the invocation starts.
   * `passVariableReferences` is the definition's flag: when true, arguments given
   * as variables must be passed as {@link VariableRef}s.
   */
  readonly resolveArgs?: (passVariableReferences: boolean) => ExecuteArgs;
  /**
   * Instead of `resolveArgs`, an object that resolves them (the builder's, one per
   * invocation: a large tree then needs no function of its own per action).
   */
  readonly argumentSource?: ExecuteArgsSource;
  readonly logger: ActionLogger;
  readonly variables: VariableAccess;
  /** Where the invocation is written; errors thrown by the action are reported there. */
  readonly location?: Location;
}

export class ActionBehaviour extends Behaviour {
  readonly definition: ActionDefinition;
  readonly action: Action;
  readonly pluginName: string;
  readonly initArgs: ArgMap;
  readonly location: Location | undefined;
  private readonly options: ActionBehaviourOptions;

  constructor(name: string, options: ActionBehaviourOptions) {
    super(name);
    this.options = options;
    this.definition = options.definition;
    this.pluginName = options.pluginName ?? name;
    this.initArgs = options.initArgs ?? {};
    this.location = options.location;
    try {
      this.action = options.action ?? options.definition.create(this.initArgs);
    } catch (error) {
      throw this.locate(error);
    }
  }

  /** Resolve the `execute` arguments as the action would receive them now. */
  resolveExecuteArgs(): ExecuteArgs {
    const references = this.definition.passVariableReferences ?? false;
    const source = this.options.argumentSource;
    if (source !== undefined) return source.executeArgs(references);
    return this.options.resolveArgs?.(references) ?? {};
  }

  override setup(ctx: SetupContext): MaybePromise<void> {
    const action = this.action;
    if (action.setup === undefined) return;
    const node = this;
    const actionContext: ActionContext = {
      logger: this.options.logger,
      variables: this.options.variables,
      tickPeriod: ctx.tickPeriod,
      scenarioFileDirectory: ctx.scenarioFileDirectory,
      outputDir: ctx.outputDir,
      // A method, not an arrow function: one shared shape, whatever the bundler does to
      // arrow functions' names. It does not use `this`, so it also works when taken off the context.
      setFeedback(message: string) {
        node.feedbackMessage = message;
      },
    };
    return this.guard(() => action.setup?.(actionContext));
  }

  override initialise(): MaybePromise<void> {
    const action = this.action;
    if (action.execute === undefined) return;
    return this.guard(() => action.execute?.(this.resolveExecuteArgs()));
  }

  override update(): MaybePromise<Status> {
    return this.guard(() => this.action.update());
  }

  override terminate(newStatus: Status): MaybePromise<void> {
    const action = this.action;
    if (action.terminate === undefined) return;
    return this.guard(() => action.terminate?.(newStatus));
  }

  override shutdown(): MaybePromise<void> {
    const action = this.action;
    if (action.shutdown === undefined) return;
    return this.guard(() => action.shutdown?.());
  }

  /** Run an action method; errors become OscErrors at the invocation's location. */
  private guard<T>(call: () => MaybePromise<T>): MaybePromise<T> {
    let result: MaybePromise<T>;
    try {
      result = call();
    } catch (error) {
      throw this.locate(error);
    }
    if (isPromiseLike(result)) {
      return result.catch((error: unknown) => {
        throw this.locate(error);
      });
    }
    return result;
  }

  private locate(error: unknown): unknown {
    if (error instanceof OscError || this.location === undefined) return error;
    return new OscError(errorMessage(error), this.location);
  }
}
