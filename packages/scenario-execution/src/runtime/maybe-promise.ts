/**
 * Helpers to run code that is synchronous unless one of its steps returns a
 * promise. Composites are written as generators that `yield` every step that
 * may be asynchronous; {@link drive} resumes them synchronously as long as no
 * step returns a promise, so a tree of synchronous leaves never allocates one.
 */
import type { MaybePromise } from './behaviour.js';

export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** A step machine: yields values that may be promises, receives them resolved. */
export type StepMachine<T> = Generator<unknown, T, unknown>;

/** Run a step machine; returns a promise only if one of its steps did. */
export function drive<T>(machine: StepMachine<T>): MaybePromise<T> {
  return continueDrive(machine, machine.next());
}

function continueDrive<T>(machine: StepMachine<T>, first: IteratorResult<unknown, T>): MaybePromise<T> {
  let step = first;
  while (!step.done) {
    const value = step.value;
    if (isPromiseLike(value as MaybePromise<unknown>)) {
      return (value as Promise<unknown>).then(
        (resolved) => continueDrive(machine, machine.next(resolved)),
        (error: unknown) => continueDrive(machine, machine.throw(error)),
      );
    }
    step = machine.next(value);
  }
  return step.value;
}

/** `then` that stays synchronous for plain values. */
export function andThen<T, U>(value: MaybePromise<T>, next: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}
