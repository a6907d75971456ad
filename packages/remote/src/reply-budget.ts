/**
 * How long a tick waits for remote replies before it moves on.
 *
 * Replies awaited at the same time (a parallel of remote actions) form a group
 * with one deadline, the shared budget from the first of them: many replies at
 * once mean a busy server, and the tick must stay short. A reply awaited alone
 * (remote actions in a row) normally comes within a millisecond; a short stall
 * on either side (garbage collection, a busy CPU) must not cost a whole tick
 * period, so it gets the longer lone budget — until another wait joins it.
 *
 * The budget ends at its time even while the event loop is busy reading
 * replies (timers only fire after all that is ready has been read: 200
 * replies take longer than a budget): a reply taken past it ends the wait of
 * the others.
 */

export interface ReplyBudget {
  /** Milliseconds to wait for replies awaited together, from the first of them. */
  readonly sharedMs: number;
  /** Milliseconds to wait for a reply awaited alone (at least `sharedMs`). */
  readonly loneMs: number;
}

interface WaitGroup {
  readonly due: number;
  readonly loneDue: number;
  readonly expired: Promise<false>;
  /** More than one reply awaited: the lone budget is off. */
  shared: boolean;
  waits: number;
  timer: NodeJS.Timeout | undefined;
  expire(): void;
}

/** The group of the replies being waited for right now. */
let current: WaitGroup | undefined;

/** How many replies are being waited for right now (in the current group). */
export function repliesAwaited(): number {
  return current?.waits ?? 0;
}

/** True when `arrived` resolves within the budget, false when the budget is spent first. */
export function arrivesWithin(arrived: Promise<true>, budget: ReplyBudget): Promise<boolean> {
  let group = current;
  if (group === undefined) {
    group = startGroup(budget);
    current = group;
  } else {
    markShared(group);
  }
  group.waits++;
  const joined = group;
  return Promise.race([arrived, joined.expired]).then((inTime) => {
    joined.waits--;
    if (joined.waits === 0) endGroup(joined);
    else if (inTime && performance.now() >= (joined.shared ? joined.due : joined.loneDue)) joined.expire();
    return inTime;
  });
}

function startGroup(budget: ReplyBudget): WaitGroup {
  const now = performance.now();
  let resolve!: (value: false) => void;
  const group: WaitGroup = {
    due: now + budget.sharedMs,
    loneDue: now + Math.max(budget.sharedMs, budget.loneMs),
    expired: new Promise<false>((r) => {
      resolve = r;
    }),
    shared: false,
    waits: 0,
    timer: undefined,
    expire: () => {
      endGroup(group);
      resolve(false);
    },
  };
  const check = () => {
    const left = (group.shared ? group.due : group.loneDue) - performance.now();
    // A timer may fire early (it counts from the event loop's cached time): re-arm until due.
    if (left > 0) group.timer = setTimeout(check, left);
    else group.expire();
  };
  group.timer = setTimeout(check, budget.sharedMs);
  return group;
}

/** No reply of the group is awaited any more, or its budget is spent: later waits form a new group. */
function endGroup(group: WaitGroup): void {
  if (group.timer !== undefined) clearTimeout(group.timer);
  group.timer = undefined;
  if (current === group) current = undefined;
}

/** A wait in its lone extension ends as soon as another one joins it. */
function markShared(group: WaitGroup): void {
  if (group.shared) return;
  group.shared = true;
  if (performance.now() >= group.due) group.expire();
}
