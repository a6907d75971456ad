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

interface NamedExpr {
  readonly name: string;
  readonly value: Expr;
  /** The action uses this argument as text (`ActionDefinition.textArgs`). */
  readonly asText: boolean;
}

/** Every argument expression of an invocation, the actor first (as `associated_actor`). */
function argumentExprs(node: ActionInvocationNode, textArgs: readonly string[]): NamedExpr[] {
  const exprs: NamedExpr[] = node.args.map((a) => ({
    name: a.name,
    value: a.value,
    asText: textArgs.includes(a.name),
  }));
  if (node.actor) exprs.unshift({ name: ASSOCIATED_ACTOR, value: node.actor.value, asText: false });
  return exprs;
}

/** One argument's value now; the actor value gets its parameter name added, as Python does. */
function resolveOne(
  node: ActionInvocationNode,
  arg: NamedExpr,
  variables: VariableStore,
  references: boolean,
): ArgValue | VariableRef {
  if (references && arg.value.kind === 'variable') return createVariableRef(variables, arg.value.name);
  if (arg.asText) return asPythonText(arg.value, variables);
  const value = evaluateToWire(arg.value, variables);
  if (
    arg.name === ASSOCIATED_ACTOR &&
    node.actor &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value)
  ) {
    return { ...(value as Record<string, ArgValue>), name: node.actor.name };
  }
  return value;
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

/** Resolves the arguments of one invocation against the variables, when asked. */
export class InvocationArgs {
  private readonly exprs: readonly NamedExpr[];

  constructor(
    private readonly node: ActionInvocationNode,
    private readonly variables: VariableStore,
    textArgs: readonly string[] = [],
  ) {
    this.exprs = argumentExprs(node, textArgs);
  }

  /** Names of all arguments (the actor's included). */
  names(): string[] {
    return this.exprs.map((e) => e.name);
  }

  /** The `create` arguments (plain values), read now. */
  initArgs(initNames: readonly string[]): ArgMap {
    const out: ArgMap = {};
    for (const arg of this.exprs) {
      if (initNames.includes(arg.name)) out[arg.name] = resolveOne(this.node, arg, this.variables, false) as ArgValue;
    }
    return out;
  }

  /** The `execute` arguments (all but the init ones), read now; variables as references when asked. */
  executeArgs(initNames: readonly string[], references: boolean): Record<string, ArgValue | VariableRef> {
    const out: Record<string, ArgValue | VariableRef> = {};
    for (const arg of this.exprs) {
      if (!initNames.includes(arg.name)) out[arg.name] = resolveOne(this.node, arg, this.variables, references);
    }
    return out;
  }

  /** Every argument, read now (what a remote modifier sends). */
  all(references: boolean): Record<string, ArgValue | VariableRef> {
    return this.executeArgs([], references);
  }
}
