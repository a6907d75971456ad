import type { MonotonicClock } from './clock.js';
import { Status } from './status.js';
import { isPromiseLike } from './maybe-promise.js';

/** A value now, or later. Ticking stays synchronous unless a leaf really waits. */
export type MaybePromise<T> = T | Promise<T>;

/** What `setup` gets: facts about the run that a behaviour may need. */
export interface SetupContext {
  /** Seconds between two ticks (the `--step-duration`). */
  readonly tickPeriod: number;
  /** Absolute directory of the scenario file. */
  readonly scenarioFileDirectory: string;
  /** Output directory given with `-o`, if any. */
  readonly outputDir: string | undefined;
  /**
   * The clock the tree runs on (the runner's). Time-based behaviours (`timeout`,
   * `wait elapsed`) adopt it at setup unless they were given one explicitly.
   */
  readonly clock?: MonotonicClock;
}

const STATUSES: ReadonlySet<unknown> = new Set(Object.values(Status));

/** The children of every leaf: one shared empty list, not a new one per call (a tree walk asks each node). */
const NO_CHILDREN: readonly Behaviour[] = Object.freeze([]);

/**
 * A node of the behaviour tree, with the py_trees lifecycle:
 *
 * - `setup(ctx)`: once, before the first tick; may be async (bounded by a timeout).
 * - `initialise()`: when the node enters RUNNING from any other status.
 * - `update()`: each tick; returns the new status, or a promise of it. A tree of
 *   synchronous leaves ticks without creating a single promise; a leaf that waits
 *   (a remote action) makes only its ancestors wait, and a parallel waits for its
 *   children concurrently.
 * - `terminate(newStatus)`: when the node leaves RUNNING (finished or interrupted;
 *   an interrupted node gets INVALID).
 * - `shutdown()`: once at scenario end, always (also after failure or abort).
 *
 * Subclasses override `initialise`/`update`/`terminate`; `tick()` and `stop()`
 * drive them. The base class implements them for leaves (py_trees order:
 * initialise if not RUNNING → update → if finished, stop(newStatus) which calls
 * terminate(newStatus) → status := newStatus); composites and decorators
 * override both.
 */
export abstract class Behaviour {
  status: Status = Status.INVALID;
  /** One line telling why the node is in its status (shown in the live tree). */
  feedbackMessage = '';
  parent: Behaviour | undefined;

  /**
   * Bookkeeping for the tree display (py_trees' snapshot visitor): the serial
   * of the tree tick this node takes part in, of the last tick it was visited
   * in, and its status at the end of that visit. Set by parents and the runner.
   */
  tickSerial = 0;
  visitSerial = -1;
  visitStatus: Status = Status.INVALID;

  constructor(public name: string) {}

  /**
   * A short note on what the node is doing outside the tree, for displays (the
   * live tree, the run report): e.g. a remote action's endpoint and connection
   * state. Undefined for most nodes.
   */
  statusDetail(): string | undefined {
    return undefined;
  }

  /** Children, for composites and decorators; leaves have none. */
  get children(): readonly Behaviour[] {
    return NO_CHILDREN;
  }

  setup(_ctx: SetupContext): MaybePromise<void> {}
  initialise(): MaybePromise<void> {}
  abstract update(): MaybePromise<Status>;
  terminate(_newStatus: Status): MaybePromise<void> {}
  shutdown(): MaybePromise<void> {}

  /** Tick once: initialise if not running, update, stop when finished. */
  tick(): MaybePromise<Status> {
    beginVisit(this);
    if (this.status !== Status.RUNNING) {
      const initialised = this.initialise();
      if (initialised !== undefined && isPromiseLike(initialised)) {
        return initialised.then(() => this.tickUpdate());
      }
    }
    return this.tickUpdate();
  }

  /** Leave the current status for `newStatus` (INVALID when interrupted). */
  stop(newStatus: Status = Status.INVALID): MaybePromise<void> {
    const terminated = this.terminate(newStatus);
    if (terminated !== undefined && isPromiseLike(terminated)) {
      return terminated.then(() => {
        this.status = newStatus;
      });
    }
    this.status = newStatus;
  }

  /**
   * The deepest node that was running in this subtree in the last tick (py_trees'
   * "tip"); undefined when this node is INVALID.
   */
  tip(): Behaviour | undefined {
    return this.status !== Status.INVALID ? this : undefined;
  }

  /**
   * This subtree in py_trees order: children's subtrees first, then this node.
   * One generator with its own stack of open nodes: nested generators (`yield*`
   * per level) would pass every node up through each of its ancestors.
   */
  *iterate(): Generator<Behaviour> {
    // Per open node (the root first): the node, its children, and how many of them were entered.
    const nodes: Behaviour[] = [this];
    const childLists: (readonly Behaviour[])[] = [this.children];
    const entered: number[] = [0];
    let top = 0;
    while (top >= 0) {
      const children = childLists[top] as readonly Behaviour[];
      const index = entered[top] as number;
      if (index < children.length) {
        entered[top] = index + 1;
        const child = children[index] as Behaviour;
        top++;
        nodes[top] = child;
        childLists[top] = child.children;
        entered[top] = 0;
        continue;
      }
      const node = nodes[top] as Behaviour;
      top--;
      yield node;
    }
  }

  private tickUpdate(): MaybePromise<Status> {
    const updated = this.update();
    if (isPromiseLike(updated)) return updated.then((status) => this.tickFinish(status));
    return this.tickFinish(updated);
  }

  private tickFinish(newStatus: Status): MaybePromise<Status> {
    checkStatus(this, newStatus);
    if (newStatus !== Status.RUNNING) {
      const stopped = this.stop(newStatus);
      if (stopped !== undefined && isPromiseLike(stopped)) {
        return stopped.then(() => endVisit(this, newStatus));
      }
    }
    return endVisit(this, newStatus);
  }
}

/** Record that `node` is being ticked in its tree's current tick. */
export function beginVisit(node: Behaviour): void {
  node.visitSerial = node.tickSerial;
}

/** Set the node's final status of this tick and remember it for the display. */
export function endVisit(node: Behaviour, status: Status): Status {
  node.status = status;
  node.visitStatus = status;
  return status;
}

/** Tick `child` as part of `parent`'s tick (propagates the tick serial). */
export function tickChild(parent: Behaviour, child: Behaviour): MaybePromise<Status> {
  child.tickSerial = parent.tickSerial;
  return child.tick();
}

/** Reject values that are not statuses (e.g. a plugin returning a string). */
export function checkStatus(node: Behaviour, status: unknown): asserts status is Status {
  if (!STATUSES.has(status)) {
    throw new Error(`behaviour '${node.name}' returned an invalid status '${String(status)}'`);
  }
}
