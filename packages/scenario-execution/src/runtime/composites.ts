/**
 * Composites with py_trees 2.2 semantics: Sequence, Selector, Parallel.
 *
 * Each tick is a step machine (see maybe-promise.ts): it runs synchronously
 * unless a child's tick returns a promise. A Parallel starts every child's tick
 * before waiting, so asynchronous children are in flight at the same time.
 */
import { Behaviour, beginVisit, endVisit, tickChild } from './behaviour.js';
import type { MaybePromise } from './behaviour.js';
import { drive, isPromiseLike } from './maybe-promise.js';
import type { StepMachine } from './maybe-promise.js';
import { Status } from './status.js';

/** A behaviour with an ordered list of children. */
export abstract class Composite extends Behaviour {
  protected readonly childList: Behaviour[] = [];
  /** The child the composite is (or was last) working on. */
  currentChild: Behaviour | undefined;

  constructor(name: string, children: readonly Behaviour[] = []) {
    super(name);
    for (const child of children) this.addChild(child);
  }

  override get children(): readonly Behaviour[] {
    return this.childList;
  }

  addChild(child: Behaviour): this {
    if (child.parent !== undefined) {
      throw new Error(`behaviour '${child.name}' already has parent '${child.parent.name}'`);
    }
    child.parent = this;
    this.childList.push(child);
    return this;
  }

  addChildren(children: readonly Behaviour[]): this {
    for (const child of children) this.addChild(child);
    return this;
  }

  /** Put `replacement` where `child` was (the builder wraps subtrees in modifiers). */
  replaceChild(child: Behaviour, replacement: Behaviour): void {
    const index = this.childList.indexOf(child);
    if (index < 0) throw new Error(`'${child.name}' is not a child of '${this.name}'`);
    child.parent = undefined;
    replacement.parent = this;
    this.childList[index] = replacement;
    if (this.currentChild === child) this.currentChild = replacement;
  }

  override update(): Status {
    return Status.INVALID;
  }

  override tip(): Behaviour | undefined {
    return this.currentChild !== undefined ? this.currentChild.tip() : super.tip();
  }

  override tick(): MaybePromise<Status> {
    return drive(this.tickSteps());
  }

  /** One tick of the composite and its children. */
  protected abstract tickSteps(): StepMachine<Status>;

  override stop(newStatus: Status = Status.INVALID): MaybePromise<void> {
    return drive(this.stopSteps(newStatus));
  }

  /** py_trees Composite.stop: on INVALID, interrupt every child not yet INVALID. */
  protected *stopSteps(newStatus: Status): StepMachine<void> {
    if (newStatus === Status.INVALID) {
      this.currentChild = undefined;
      yield* this.stopChildren();
    }
    yield this.terminate(newStatus);
    this.status = newStatus;
  }

  /**
   * Interrupt (stop with INVALID), in order, the children from `from` on that
   * are not INVALID, or with `onlyRunning` those that are RUNNING.
   */
  protected *stopChildren(from = 0, onlyRunning = false): StepMachine<void> {
    const children = this.childList;
    for (let index = from; index < children.length; index++) {
      const child = children[index] as Behaviour;
      if (onlyRunning ? child.status === Status.RUNNING : child.status !== Status.INVALID) {
        yield child.stop(Status.INVALID);
      }
    }
  }

  /**
   * Entering RUNNING (py_trees Sequence and Parallel): reset children left in
   * a final status, make `current` the current child, then initialise.
   */
  protected restart(current: Behaviour | undefined): MaybePromise<void> {
    return drive(this.restartSteps(current));
  }

  private *restartSteps(current: Behaviour | undefined): StepMachine<void> {
    yield* this.stopChildren();
    this.currentChild = current;
    yield this.initialise();
  }

  /** End the tick finished with `newStatus`: stop (own terminate, py_trees), then record the status. */
  protected *finishSteps(newStatus: Status): StepMachine<Status> {
    yield this.stop(newStatus);
    return endVisit(this, newStatus);
  }
}

export interface SequenceOptions {
  /** Resume from the running child (true, as the engine's `serial`) or restart each tick. */
  readonly memory?: boolean;
}

/** `serial`: ticks children in order; fails with the first child that fails. */
export class Sequence extends Composite {
  readonly memory: boolean;
  private currentIndex = 0;

  constructor(name: string, children: readonly Behaviour[] = [], options: SequenceOptions = {}) {
    super(name, children);
    this.memory = options.memory ?? true;
  }

  protected override *tickSteps(): StepMachine<Status> {
    beginVisit(this);
    const children = this.childList;
    let index = 0;
    if (this.status !== Status.RUNNING) {
      this.setCurrent(0);
      yield this.restart(children[0]);
    } else if (this.memory) {
      const current = this.currentChild;
      index =
        current === children[this.currentIndex]
          ? this.currentIndex
          : Math.max(0, current === undefined ? 0 : children.indexOf(current));
    } else {
      this.setCurrent(0);
    }
    if (children.length === 0) {
      this.currentChild = undefined;
      return yield* this.finishSteps(Status.SUCCESS);
    }
    for (; index < children.length; index++) {
      // Only a promise is yielded: a synchronous child costs no step (the hot path of a tick).
      let childStatus = tickChild(this, children[index] as Behaviour);
      if (isPromiseLike(childStatus)) childStatus = (yield childStatus) as Status;
      if (childStatus !== Status.SUCCESS) {
        // The child runs or failed: so does the sequence (which, as py_trees, does not stop itself).
        // Without memory, stop the later children as one step (when the tick's promise settles stays the same).
        if (!this.memory) yield drive(this.stopChildren(index + 1));
        return endVisit(this, childStatus);
      }
      if (index + 1 < children.length) this.setCurrent(index + 1);
    }
    return yield* this.finishSteps(Status.SUCCESS);
  }

  private setCurrent(index: number): void {
    this.currentIndex = index;
    this.currentChild = this.childList[index];
  }
}

export interface SelectorOptions {
  /** Resume from the running child (true) or re-check higher priorities each tick (false). */
  readonly memory?: boolean;
}

/** Priority selector: the first child that succeeds or runs wins. */
export class Selector extends Composite {
  readonly memory: boolean;

  constructor(name: string, children: readonly Behaviour[] = [], options: SelectorOptions = {}) {
    super(name, children);
    this.memory = options.memory ?? false;
  }

  protected override *tickSteps(): StepMachine<Status> {
    beginVisit(this);
    const children = this.childList;
    if (this.status !== Status.RUNNING) {
      this.currentChild = children[0];
      yield this.initialise();
    }
    if (children.length === 0) {
      this.currentChild = undefined;
      return yield* this.finishSteps(Status.FAILURE);
    }
    let index = 0;
    if (this.memory) {
      index = this.currentChild !== undefined ? Math.max(0, children.indexOf(this.currentChild)) : 0;
      // py_trees stops the skipped higher-priority children unconditionally.
      for (let earlier = 0; earlier < index; earlier++) {
        yield (children[earlier] as Behaviour).stop(Status.INVALID);
      }
    }
    const previous = this.currentChild;
    for (; index < children.length; index++) {
      const child = children[index] as Behaviour;
      let childStatus = tickChild(this, child);
      if (isPromiseLike(childStatus)) childStatus = (yield childStatus) as Status;
      if (childStatus === Status.RUNNING || childStatus === Status.SUCCESS) {
        this.currentChild = child;
        if (previous !== child) yield* this.stopChildren(index + 1);
        return endVisit(this, childStatus);
      }
    }
    this.currentChild = children[children.length - 1];
    return endVisit(this, Status.FAILURE);
  }
}

/** When a Parallel succeeds (it fails as soon as any child fails). */
export type ParallelPolicy =
  | {
      readonly kind: 'successOnAll';
      /** Skip children that already succeeded until the policy is met. */
      readonly synchronise: boolean;
    }
  | { readonly kind: 'successOnOne' };

export const ParallelPolicy = {
  /** `parallel`: success when every child succeeded (py_trees default: synchronised). */
  successOnAll(synchronise = true): ParallelPolicy {
    return { kind: 'successOnAll', synchronise };
  },
  /** `one_of`: success as soon as one child succeeds. */
  successOnOne(): ParallelPolicy {
    return { kind: 'successOnOne' };
  },
} as const;

/** Ticks every child each tick; asynchronous children are awaited concurrently. */
export class Parallel extends Composite {
  readonly policy: ParallelPolicy;

  constructor(
    name: string,
    children: readonly Behaviour[] = [],
    policy: ParallelPolicy = ParallelPolicy.successOnAll(),
  ) {
    super(name, children);
    this.policy = policy;
  }

  /** Start every child's tick, then wait for the asynchronous ones together. */
  protected override *tickSteps(): StepMachine<Status> {
    beginVisit(this);
    if (this.status !== Status.RUNNING) yield this.restart(undefined);
    const children = this.childList;
    if (children.length === 0) {
      this.currentChild = undefined;
      return yield* this.finishSteps(Status.SUCCESS);
    }
    const synchronise = this.policy.kind === 'successOnAll' && this.policy.synchronise;
    let pending: Promise<Status>[] | undefined;
    for (let index = 0; index < children.length; index++) {
      const child = children[index] as Behaviour;
      if (synchronise && child.status === Status.SUCCESS) continue;
      let ticked: MaybePromise<Status>;
      try {
        ticked = tickChild(this, child);
      } catch (error) {
        // Let the children already in flight finish before the error travels up,
        // so none of them rejects unhandled or acts after the tree has shut down.
        if (pending !== undefined) yield Promise.allSettled(pending);
        throw error;
      }
      if (isPromiseLike(ticked)) {
        if (pending === undefined) pending = [];
        pending.push(ticked);
      }
    }
    if (pending !== undefined) yield settleAll(pending);
    return yield* this.concludeSteps();
  }

  /** Apply the policy to the children's statuses. */
  private *concludeSteps(): StepMachine<Status> {
    const children = this.childList;
    let newStatus: Status = Status.RUNNING;
    let failed: Behaviour | undefined;
    let lastSuccessful: Behaviour | undefined;
    let successes = 0;
    for (let index = 0; index < children.length; index++) {
      const child = children[index] as Behaviour;
      if (child.status === Status.FAILURE && failed === undefined) failed = child;
      else if (child.status === Status.SUCCESS) {
        successes += 1;
        lastSuccessful = child;
      }
    }
    this.currentChild = children[children.length - 1];
    if (failed !== undefined) {
      this.currentChild = failed;
      newStatus = Status.FAILURE;
    } else if (this.policy.kind === 'successOnAll') {
      if (successes === children.length) newStatus = Status.SUCCESS;
    } else if (lastSuccessful !== undefined) {
      newStatus = Status.SUCCESS;
      this.currentChild = lastSuccessful;
    }
    if (newStatus === Status.RUNNING) return endVisit(this, newStatus);
    return yield* this.finishSteps(newStatus);
  }

  /** py_trees Parallel.stop: interrupt running children first, then the composite stop. */
  protected override *stopSteps(newStatus: Status): StepMachine<void> {
    yield* this.stopChildren(0, true);
    yield* super.stopSteps(newStatus);
  }
}

/**
 * Wait until every promise settled (a failing child must not leave siblings
 * mid-tick), then reject with the first error, if any.
 */
async function settleAll(pending: readonly Promise<Status>[]): Promise<void> {
  const results = await Promise.allSettled(pending);
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
  }
}
