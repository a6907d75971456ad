/** The engine's built-in modifiers (declared in `osc.helpers`) as runtime decorators. */
import type { ArgMap } from '../actions/api.js';
import type { Behaviour } from '../runtime/behaviour.js';
import type { MonotonicClock } from '../runtime/clock.js';
import {
  type Decorator,
  FailureIsRunning,
  FailureIsSuccess,
  Inverter,
  Repeat,
  Retry,
  RunningIsFailure,
  RunningIsSuccess,
  SuccessIsFailure,
  SuccessIsRunning,
  Timeout,
} from '../runtime/decorators.js';

export const BUILTIN_MODIFIERS = [
  'repeat',
  'inverter',
  'timeout',
  'retry',
  'failure_is_running',
  'failure_is_success',
  'running_is_failure',
  'running_is_success',
  'success_is_failure',
  'success_is_running',
] as const;

export function isBuiltinModifier(name: string): boolean {
  return (BUILTIN_MODIFIERS as readonly string[]).includes(name);
}

function numberArg(args: ArgMap, key: string, modifier: string): number {
  const value = args[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`needs a number for '${key}', got ${JSON.stringify(value ?? null)}`);
  }
  if ((modifier === 'repeat' || modifier === 'retry') && !Number.isInteger(value)) {
    throw new Error(`needs an integer for '${key}', got ${value}`);
  }
  return value;
}

/** Wrap `child` in the decorator of a built-in modifier. */
export function createBuiltinDecorator(
  modifier: string,
  name: string,
  child: Behaviour,
  args: ArgMap,
  clock: MonotonicClock | undefined,
): Decorator {
  const clockOptions = clock ? { clock } : {};
  switch (modifier) {
    case 'repeat':
      return new Repeat(name, child, numberArg(args, 'count', modifier));
    case 'retry':
      return new Retry(name, child, numberArg(args, 'count', modifier));
    case 'timeout':
      return new Timeout(name, child, numberArg(args, 'duration', modifier), clockOptions);
    case 'inverter':
      return new Inverter(name, child);
    case 'failure_is_running':
      return new FailureIsRunning(name, child);
    case 'failure_is_success':
      return new FailureIsSuccess(name, child);
    case 'running_is_failure':
      return new RunningIsFailure(name, child);
    case 'running_is_success':
      return new RunningIsSuccess(name, child);
    case 'success_is_failure':
      return new SuccessIsFailure(name, child);
    case 'success_is_running':
      return new SuccessIsRunning(name, child);
    default:
      throw new Error(`'${modifier}' is not a built-in modifier`);
  }
}
