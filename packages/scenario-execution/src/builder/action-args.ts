/**
 * Arguments of an action invocation: split into those the action consumes at
 * creation (`initArgs`, resolved once while building, as Python's
 * `__init__` arguments) and those resolved each time it starts (`execute`).
 */
import type { ArgMap, ArgValue, VariableRef } from '../actions/api.js';
import { evaluate, evaluateToWire } from '../model/evaluate.js';
import type { ActionInvocationNode, Expr, VariableStore } from '../model/model.js';
import { pythonStr } from '../model/python-text.js';
import { createVariableRef } from '../runtime/blackboard.js';

/** The argument name under which an actor action gets its actor. */
export const ASSOCIATED_ACTOR = 'associated_actor';

/** No names (most actions have no `initArgs` and no `textArgs`). */
const NO_NAMES: readonly string[] = [];

/** One argument's value now; the actor value gets its parameter name added, as Python does. */
function resolveOne(
  node: ActionInvocationNode,
  name: string,
  value: Expr,
  asText: boolean,
  variables: VariableStore,
  references: boolean,
): ArgValue | VariableRef {
  if (references && value.kind === 'variable') return createVariableRef(variables, value.name);
  if (asText) return asPythonText(value, variables);
  const resolved = evaluateToWire(value, variables);
  if (
    name === ASSOCIATED_ACTOR &&
    node.actor &&
    typeof resolved === 'object' &&
    resolved !== null &&
    !Array.isArray(resolved)
  ) {
    return { ...(resolved as Record<string, ArgValue>), name: node.actor.name };
  }
  return resolved;
}

/**
 * A value given for an argument the action uses as text (`log(2.0)`,
 * `log(my_struct)`), whatever its declared type, becomes the text Python's
 * `str()` makes of it: `2.0` stays `2.0` (JavaScript numbers cannot tell it
 * from `2`), a struct reads `{'x': 1.0}`, an enum `('red', 0)`. Made from the
 * model value, locally and on the wire alike.
 */
function asPythonText(expr: Expr, variables: VariableStore): ArgValue {
  const value = evaluate(expr, variables);
  // No value stays null (the action decides; `log` fails with "Empty message", as in Python).
  return value.kind === 'none' ? null : pythonStr(value);
}

/**
 * Resolves the arguments of one invocation against the variables, when asked: the
 * actor first (as `associated_actor`), then the action's parameters in order. It
 * reads them from the model node each time rather than keeping a list of its own
 * (one per action of a large tree), and is the action's `argumentSource`.
 */
export class InvocationArgs {
  constructor(
    private readonly node: ActionInvocationNode,
    private readonly variables: VariableStore,
    /** Arguments the action uses as text (`ActionDefinition.textArgs`). */
    private readonly textArgs: readonly string[] = NO_NAMES,
    /** Arguments consumed at creation (`ActionDefinition.initArgs`); the rest go to `execute`. */
    private readonly initNames: readonly string[] = NO_NAMES,
  ) {}

  /** Names of all arguments (the actor's included). */
  names(): string[] {
    const names = this.node.args.map((a) => a.name);
    if (this.node.actor) names.unshift(ASSOCIATED_ACTOR);
    return names;
  }

  /** The `create` arguments (plain values), read now. */
  initArgs(): ArgMap {
    return this.collect(true, false, false) as ArgMap;
  }

  /** The `execute` arguments (all but the init ones), read now; variables as references when asked. */
  executeArgs(references: boolean): Record<string, ArgValue | VariableRef> {
    return this.collect(false, true, references);
  }

  /** Every argument, read now (what a remote modifier sends). */
  all(references: boolean): Record<string, ArgValue | VariableRef> {
    return this.collect(true, true, references);
  }

  /** The arguments named in `initNames` (`init`) and those not (`execute`), by name. */
  private collect(init: boolean, execute: boolean, references: boolean): Record<string, ArgValue | VariableRef> {
    const out: Record<string, ArgValue | VariableRef> = {};
    const { node, variables, textArgs, initNames } = this;
    if (node.actor && (initNames.includes(ASSOCIATED_ACTOR) ? init : execute)) {
      out[ASSOCIATED_ACTOR] = resolveOne(node, ASSOCIATED_ACTOR, node.actor.value, false, variables, references);
    }
    for (const arg of node.args) {
      const name = arg.name;
      if (initNames.includes(name) ? !init : !execute) continue;
      out[name] = resolveOne(node, name, arg.value, textArgs.includes(name), variables, references);
    }
    return out;
  }
}
