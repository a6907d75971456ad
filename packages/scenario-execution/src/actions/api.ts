/**
 * The action API for plugin authors.
 *
 * An action is what a behaviour invocation in a scenario runs, e.g. `log("hi")`
 * or `run_process("sleep 1")`. A plugin exports an {@link ActionDefinition}; the
 * engine creates one {@link Action} per invocation in the tree.
 *
 * Lifecycle (the same locally and on a `scenario_execution_server`):
 * `create(initArgs)` → `setup(ctx)` once → each time the invocation starts:
 * `execute(args)` then `update()` every tick until it returns SUCCESS or FAILURE
 * → `terminate(newStatus)` when it stops running (INVALID when interrupted) →
 * `shutdown()` once at scenario end.
 */
import type { MaybePromise } from '../runtime/behaviour.js';
import type { Status } from '../runtime/status.js';
import type { ActionLogger, ArgMap, ArgValue, VariableAccess, VariableRef } from '../shared/values.js';

export type { ActionLogger, ArgMap, ArgValue, VariableAccess, VariableRef } from '../shared/values.js';

export interface ActionContext {
  readonly logger: ActionLogger;
  readonly variables: VariableAccess;
  /** Seconds between two ticks. */
  readonly tickPeriod: number;
  readonly scenarioFileDirectory: string;
  readonly outputDir: string | undefined;
  /** Set the one-line feedback shown in the live tree and in failure reports. */
  setFeedback(message: string): void;
}

export interface Action {
  /** Once before the first tick. Throw to fail the scenario at setup. */
  setup?(ctx: ActionContext): MaybePromise<void>;
  /**
   * Each time the invocation starts running, with its arguments resolved at that
   * moment (minus those consumed by `create`).
   */
  execute?(args: Record<string, ArgValue | VariableRef>): MaybePromise<void>;
  /** Every tick while running. */
  update(): MaybePromise<Status>;
  /** When it stops running; INVALID when a parent interrupted it. */
  terminate?(newStatus: Status): MaybePromise<void>;
  /** Once at scenario end, always. Release every resource (kill processes). */
  shutdown?(): MaybePromise<void>;
}

export interface ActionDefinition {
  /**
   * Argument names consumed at construction (Python's `__init__` arguments); the
   * rest go to `execute`. Used by the remote client to split `init_args` /
   * `exec_args` the way the Python client does. Default: none.
   */
  readonly initArgs?: readonly string[];
  /**
   * When true, an argument the scenario gives as a variable arrives in `execute`
   * as a {@link VariableRef} instead of the variable's current value (Python's
   * `resolve_variable_reference_arguments_in_execute=False`). Default: false.
   */
  readonly passVariableReferences?: boolean;
  /**
   * Arguments the action uses as text (`log`'s `msg`). Whatever value is given
   * for one (whatever its declared type) arrives as the text Python's `str()`
   * makes of it: `2.0` stays `2.0` (JavaScript numbers cannot tell it from
   * `2`), `True`, a struct as `{'x': 1.0}`, an enum value as `('red', 0)`.
   * Default: none.
   */
  readonly textArgs?: readonly string[];
  create(initArgs: ArgMap): Action;
}
