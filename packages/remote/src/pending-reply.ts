/**
 * A reply a tick may wait for only a little: a remote action must not hold
 * the whole tree's tick while its server is busy (starting 200 processes).
 * The tick waits up to a budget (reply-budget.ts); a reply that comes later is
 * taken by a later tick.
 */
import { arrivesWithin, type ReplyBudget } from './reply-budget.js';

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export class PendingReply<T> {
  private outcome: Outcome<T> | undefined;
  private readonly settled: Promise<void>;

  /** `reply` may already be a plain value (an action known to have failed). */
  constructor(reply: T | Promise<T>) {
    if (!(reply instanceof Promise)) {
      this.outcome = { ok: true, value: reply };
      this.settled = Promise.resolve();
      return;
    }
    this.settled = reply.then(
      (value) => {
        this.outcome = { ok: true, value };
      },
      (error: unknown) => {
        this.outcome = { ok: false, error };
      },
    );
  }

  /** Whether the reply is in (then {@link result} gives it). */
  get arrived(): boolean {
    return this.outcome !== undefined;
  }

  /** The reply's value when it is in and the call did not throw; undefined otherwise. */
  get value(): T | undefined {
    return this.outcome?.ok ? this.outcome.value : undefined;
  }

  /** The reply's value; throws what its call threw. Only once {@link arrived}. */
  result(): T {
    const outcome = this.outcome;
    if (outcome === undefined) throw new Error('PendingReply.result() before the reply arrived');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * True once the reply is in, false if the budget was spent first; synchronous
   * when it is already in. Without a budget, waits as long as the call takes.
   */
  arrivedWithin(budget: ReplyBudget | undefined): true | Promise<boolean> {
    if (this.outcome !== undefined) return true;
    const arrived = this.settled.then(() => true as const);
    return budget === undefined ? arrived : arrivesWithin(arrived, budget);
  }
}
