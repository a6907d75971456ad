/**
 * `compare(left_value, operator, right_value)`: SUCCESS when the comparison
 * holds, else FAILURE. Variables are read at every update.
 */
import { Status } from '../runtime/status.js';
import type { Action, ActionDefinition, ArgValue, VariableRef } from './api.js';
import { pythonTypeName, argumentValue } from './variables.js';

type Comparison = (left: ArgValue | undefined, right: ArgValue | undefined) => boolean;

const OPERATORS: Readonly<Record<string, Comparison>> = {
  '==': (l, r) => deepEqual(l, r),
  '!=': (l, r) => !deepEqual(l, r),
  '<': (l, r) => ordered('<', l, r) < 0,
  '<=': (l, r) => ordered('<=', l, r) <= 0,
  '>': (l, r) => ordered('>', l, r) > 0,
  '>=': (l, r) => ordered('>=', l, r) >= 0,
};

/** Equality as Python's `==` on plain values (1 == 1.0, lists element-wise). */
function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === 'boolean' && typeof right === 'number') return Number(left) === right;
  if (typeof left === 'number' && typeof right === 'boolean') return left === Number(right);
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => deepEqual(item, right[i]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((k) => deepEqual(left[k], right[k]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Three-way comparison for numbers with numbers and strings with strings, as Python allows. */
function ordered(operator: string, left: unknown, right: unknown): number {
  const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
  if (numeric(left) && numeric(right)) return Number(left) - Number(right);
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  throw new Error(
    `'${operator}' not supported between instances of '${pythonTypeName(left)}' and '${pythonTypeName(right)}'`,
  );
}

class CompareAction implements Action {
  private comparison: Comparison | undefined;
  private left: ArgValue | VariableRef | undefined;
  private right: ArgValue | VariableRef | undefined;

  execute(args: Record<string, ArgValue | VariableRef>): void {
    const operator = argumentValue(args.operator);
    const comparison = typeof operator === 'string' ? OPERATORS[operator] : undefined;
    if (comparison === undefined) throw new Error(`Unknown expression operator ${String(operator)}.`);
    this.comparison = comparison;
    this.left = args.left_value;
    this.right = args.right_value;
  }

  update(): Status {
    if (this.comparison === undefined) throw new Error('compare(): no operator given.');
    return this.comparison(argumentValue(this.left), argumentValue(this.right)) ? Status.SUCCESS : Status.FAILURE;
  }
}

export const compareAction: ActionDefinition = {
  passVariableReferences: true,
  create: () => new CompareAction(),
};

export default compareAction;
