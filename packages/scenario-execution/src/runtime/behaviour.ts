import { Status } from './status.js';

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
}

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
 * drive them (see tick.ts for the exact order).
 */
export abstract class Behaviour {
  status: Status = Status.INVALID;
  /** One line telling why the node is in its status (shown in the live tree). */
  feedbackMessage = '';
  parent: Behaviour | undefined;

  constructor(public name: string) {}

  /** Children, for composites and decorators; leaves have none. */
  get children(): readonly Behaviour[] {
    return [];
  }

  setup(_ctx: SetupContext): MaybePromise<void> {}
  initialise(): MaybePromise<void> {}
  abstract update(): MaybePromise<Status>;
  terminate(_newStatus: Status): MaybePromise<void> {}
  shutdown(): MaybePromise<void> {}

  /** Tick once: initialise if not running, update, stop when finished. */
  abstract tick(): MaybePromise<Status>;
  /** Leave the current status for `newStatus` (INVALID when interrupted). */
  abstract stop(newStatus?: Status): MaybePromise<void>;
}
