/**
 * Composites with py_trees 2.2 semantics: Sequence, Selector, Parallel.
 *
 * Each tick is a step machine (see maybe-promise.ts): it runs synchronously
 * unless a child's tick returns a promise. A Parallel starts every child's tick
 * before waiting, so asynchronous children are in flight at the same time.
 */
import { Behaviour, beginVisit, endVisit, tickChild } from './behaviour.js';
import type { MaybePromise } from './behaviour.js';
import { andThen, drive, isPromiseLike } from './maybe-promise.js';
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

  override stop(newStatus: Status = Status.INVALID): MaybePromise<void> {
    return drive(this.stopSteps(newStatus));
  }

  /** py_trees Composite.stop: on INVALID, interrupt every child not yet INVALID. */
  protected *stopSteps(newStatus: Status): StepMachine<void> {
    if (newStatus === Status.INVALID) {
      this.currentChild = undefined;
      for (const child of this.childList) {
        if (child.status !== Status.INVALID) yield child.stop(Status.INVALID);
      }
    }
    yield this.terminate(newStatus);
    this.status = newStatus;
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

  override tick(): MaybePromise<Status> {
    beginVisit(this);
    const children = this.childList;
    if (this.status !== Status.RUNNING) {
      this.setCurrent(0);
      return andThen(drive(this.restartSteps()), () => this.continueFrom(0));
    }
    if (this.memory) {
      const current = this.currentChild;
      const index =
        current === children[this.currentIndex]
          ? this.currentIndex
          : Math.max(0, current === undefined ? 0 : children.indexOf(current));
      return this.continueFrom(index);
    }
    this.setCurrent(0);
    return this.continueFrom(0);
  }

  /** Entering RUNNING: reset children left in a final status, then initialise. */
  private *restartSteps(): StepMachine<void> {
    for (const child of this.childList) {
      if (child.status !== Status.INVALID) yield child.stop(Status.INVALID);
    }
    yield this.initialise();
  }

  /** Tick children from `start` on; synchronous until a child returns a promise. */
  private continueFrom(start: number): MaybePromise<Status> {
    const children = this.childList;
    if (children.length === 0) {
      this.currentChild = undefined;
      return this.succeed();
    }
    for (let index = start; index < children.length; index++) {
      const ticked = tickChild(this, children[index] as Behaviour);
      if (isPromiseLike(ticked)) return ticked.then((status) => this.afterAsyncChild(index, status));
      if (ticked !== Status.SUCCESS) return this.childDidNotSucceed(index, ticked);
      if (index + 1 < children.length) this.setCurrent(index + 1);
    }
    return this.succeed();
  }

  private afterAsyncChild(index: number, status: Status): MaybePromise<Status> {
    if (status !== Status.SUCCESS) return this.childDidNotSucceed(index, status);
    if (index + 1 < this.childList.length) {
      this.setCurrent(index + 1);
      return this.continueFrom(index + 1);
    }
    return this.succeed();
  }

  /** A child runs or failed: so does the sequence (which, as py_trees, does not stop itself). */
  private childDidNotSucceed(index: number, status: Status): MaybePromise<Status> {
    if (this.memory) return endVisit(this, status);
    return andThen(drive(this.stopLaterSteps(index)), () => endVisit(this, status));
  }

  private *stopLaterSteps(index: number): StepMachine<void> {
    const children = this.childList;
    for (let later = index + 1; later < children.length; later++) {
      const other = children[later] as Behaviour;
      if (other.status !== Status.INVALID) yield other.stop(Status.INVALID);
    }
  }

  private succeed(): MaybePromise<Status> {
    return andThen(this.stop(Status.SUCCESS), () => endVisit(this, Status.SUCCESS));
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

  override tick(): MaybePromise<Status> {
    return drive(this.tickSteps());
  }

  private *tickSteps(): StepMachine<Status> {
    beginVisit(this);
    const children = this.childList;
    if (this.status !== Status.RUNNING) {
      this.currentChild = children[0];
      yield this.initialise();
    }
    if (children.length === 0) {
      this.currentChild = undefined;
      yield this.stop(Status.FAILURE);
      return endVisit(this, Status.FAILURE);
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
      const childStatus = (yield tickChild(this, child)) as Status;
      if (childStatus === Status.RUNNING || childStatus === Status.SUCCESS) {
        this.currentChild = child;
        if (previous !== child) {
          for (let later = index + 1; later < children.length; later++) {
            const other = children[later] as Behaviour;
            if (other.status !== Status.INVALID) yield other.stop(Status.INVALID);
          }
        }
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

  override tick(): MaybePromise<Status> {
    beginVisit(this);
    if (this.status !== Status.RUNNING) {
      return andThen(drive(this.restartSteps()), () => this.tickChildren());
    }
    return this.tickChildren();
  }

  /** Entering RUNNING: reset children left in a final status, then initialise. */
  private *restartSteps(): StepMachine<void> {
    for (const child of this.childList) {
      if (child.status !== Status.INVALID) yield child.stop(Status.INVALID);
    }
    this.currentChild = undefined;
    yield this.initialise();
  }

  /** Start every child's tick, then wait for the asynchronous ones together. */
  private tickChildren(): MaybePromise<Status> {
    const children = this.childList;
    if (children.length === 0) {
      this.currentChild = undefined;
      return andThen(this.stop(Status.SUCCESS), () => endVisit(this, Status.SUCCESS));
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
        if (pending === undefined) throw error;
        return settleAll(pending).then(
          () => Promise.reject(error),
          () => Promise.reject(error),
        );
      }
      if (isPromiseLike(ticked)) {
        if (pending === undefined) pending = [];
        pending.push(ticked);
      }
    }
    if (pending !== undefined) return settleAll(pending).then(() => this.conclude());
    return this.conclude();
  }

  /** Apply the policy to the children's statuses. */
  private conclude(): MaybePromise<Status> {
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
    const finalStatus = newStatus;
    return andThen(this.stop(finalStatus), () => endVisit(this, finalStatus));
  }

  /** py_trees Parallel.stop: interrupt running children first, then the composite stop. */
  protected override *stopSteps(newStatus: Status): StepMachine<void> {
    for (const child of this.childList) {
      if (child.status === Status.RUNNING) yield child.stop(Status.INVALID);
    }
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
