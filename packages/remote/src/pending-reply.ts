/**
 * A reply a tick may wait for only a little: a remote action must not hold
 * the whole tree's tick while its server is busy (starting 200 processes).
 * The tick waits up to a budget; a reply that comes later is taken by a
 * later tick.
 */

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

  /** The reply's value; throws what its call threw. Only once {@link arrived}. */
  result(): T {
    const outcome = this.outcome;
    if (outcome === undefined) throw new Error('PendingReply.result() before the reply arrived');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * True once the reply is in, false if `budgetMs` passed first; synchronous when
   * it is already in. Without a budget, waits as long as the call takes.
   */
  arrivedWithin(budgetMs: number | undefined): true | Promise<boolean> {
    if (this.outcome !== undefined) return true;
    const arrived = this.settled.then(() => true);
    if (budgetMs === undefined) return arrived;
    return Promise.race([arrived, budgetElapsed(budgetMs)]);
  }
}

/** How late a budget timer may fire before the event loop counts as having been blocked. */
const LATE_TIMER_MS = 1;

/** Budget timers by due millisecond: the actions of one tick share a few timers. */
const budgetTimers = new Map<number, Promise<false>>();

/** Resolves to false `ms` from now (rounded up to the next millisecond). */
function budgetElapsed(ms: number): Promise<false> {
  const due = Math.ceil(performance.now() + ms);
  let elapsed = budgetTimers.get(due);
  if (elapsed === undefined) {
    elapsed = new Promise<false>((resolve) => {
      const expire = () => {
        budgetTimers.delete(due);
        resolve(false);
      };
      const check = () => {
        const left = due - performance.now();
        // A timer may fire early (it counts from the event loop's cached time): re-arm until due.
        if (left > 0) setTimeout(check, left);
        // Fired late, the event loop was blocked (garbage collection, no CPU): a reply
        // that came in meanwhile is not late, so expire only after the next look at I/O.
        else if (-left > LATE_TIMER_MS) setImmediate(expire);
        else expire();
      };
      check();
    });
    budgetTimers.set(due, elapsed);
  }
  return elapsed;
}
