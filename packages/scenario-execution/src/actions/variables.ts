/** Helpers shared by the actions that work on variables. */
import { isVariableRef } from '../runtime/blackboard.js';
import type { ArgValue, VariableRef } from './api.js';

/** Python's type name of a value, for error messages that match the engine's. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (isVariableRef(value)) return 'VariableReference';
  return 'dict';
}

/** The argument as a variable reference, or an error naming what it is instead. */
export function requireVariableRef(name: string, value: ArgValue | VariableRef | undefined): VariableRef {
  if (!isVariableRef(value)) {
    throw new Error(`'${name}' is expected to be a variable reference but is ${pythonTypeName(value)}.`);
  }
  return value;
}

/** The current value of an argument that may be a variable reference. */
export function argumentValue(value: ArgValue | VariableRef | undefined): ArgValue | undefined {
  return isVariableRef(value) ? value.get() : value;
}
