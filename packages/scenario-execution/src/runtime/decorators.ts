/**
 * Decorators with py_trees 2.2 semantics; the engine's built-in modifiers
 * (`repeat`, `retry`, `timeout`, `inverter`, `failure_is_success`, …) map onto them.
 */
import { Behaviour, beginVisit, checkStatus, endVisit, tickChild } from './behaviour.js';
import type { MaybePromise, SetupContext } from './behaviour.js';
import { systemClock } from './clock.js';
import type { MonotonicClock } from './clock.js';
import { andThen, drive, isPromiseLike } from './maybe-promise.js';
import type { StepMachine } from './maybe-promise.js';
import { pyFloat } from './py-format.js';
import { Status } from './status.js';

/** A behaviour with exactly one child whose result it transforms in `update`. */
export abstract class Decorator extends Behaviour {
  private child: Behaviour;

  constructor(name: string, child: Behaviour) {
    super(name);
    if (child.parent !== undefined) {
      throw new Error(`behaviour '${child.name}' already has parent '${child.parent.name}'`);
    }
    this.child = child;
    child.parent = this;
  }

  get decorated(): Behaviour {
    return this.child;
  }

  override get children(): readonly Behaviour[] {
    return [this.child];
  }

  /** Swap the decorated child (the builder wraps subtrees in modifiers). */
  replaceChild(child: Behaviour, replacement: Behaviour): void {
    if (child !== this.child) throw new Error(`'${child.name}' is not the child of '${this.name}'`);
    child.parent = undefined;
    replacement.parent = this;
    this.child = replacement;
  }

  override tip(): Behaviour | undefined {
    return this.child.status !== Status.INVALID ? this.child.tip() : super.tip();
  }

  override tick(): MaybePromise<Status> {
    beginVisit(this);
    if (this.status !== Status.RUNNING) {
      const initialised = this.initialise();
      if (initialised !== undefined && isPromiseLike(initialised)) {
        return initialised.then(() => this.tickDecorated());
      }
    }
    return this.tickDecorated();
  }

  private tickDecorated(): MaybePromise<Status> {
    const ticked = tickChild(this, this.child);
    if (isPromiseLike(ticked)) return ticked.then(() => this.updateSelf());
    return this.updateSelf();
  }

  private updateSelf(): MaybePromise<Status> {
    const updated = this.update();
    if (isPromiseLike(updated)) return updated.then((status) => this.finishTick(status));
    return this.finishTick(updated);
  }

  private finishTick(newStatus: Status): MaybePromise<Status> {
    checkStatus(this, newStatus);
    if (newStatus === Status.RUNNING) return endVisit(this, newStatus);
    return andThen(this.stop(newStatus), () => endVisit(this, newStatus));
  }

  override stop(newStatus: Status = Status.INVALID): MaybePromise<void> {
    return drive(this.stopSteps(newStatus));
  }

  /** py_trees order: own terminate first, then interrupt the child. */
  private *stopSteps(newStatus: Status): StepMachine<void> {
    yield this.terminate(newStatus);
    if (newStatus === Status.INVALID) yield this.child.stop(Status.INVALID);
    if (this.child.status === Status.RUNNING) yield this.child.stop(Status.INVALID);
    this.status = newStatus;
  }
}

/**
 * `repeat(count)`: run the child until it succeeded `count` times; fail as soon
 * as it fails. `count` -1 (or 0, as in py_trees) repeats forever.
 */
export class Repeat extends Decorator {
  private successes = 0;

  constructor(
    name: string,
    child: Behaviour,
    readonly numSuccess: number,
  ) {
    super(name, child);
  }

  override initialise(): void {
    this.successes = 0;
  }

  override update(): Status {
    const childStatus = this.decorated.status;
    if (childStatus === Status.FAILURE) {
      this.feedbackMessage = `failed, aborting [status: ${this.successes} success from ${this.numSuccess}]`;
      return Status.FAILURE;
    }
    if (childStatus === Status.SUCCESS) {
      this.successes += 1;
      this.feedbackMessage = `success [status: ${this.successes} success from ${this.numSuccess}]`;
      return this.successes === this.numSuccess ? Status.SUCCESS : Status.RUNNING;
    }
    this.feedbackMessage = `running [status: ${this.successes} success from ${this.numSuccess}]`;
    return Status.RUNNING;
  }
}

/** `retry(count)`: re-run a failing child; fail after `count` failures. */
export class Retry extends Decorator {
  private failures = 0;

  constructor(
    name: string,
    child: Behaviour,
    readonly numFailures: number,
  ) {
    super(name, child);
  }

  override initialise(): void {
    this.failures = 0;
  }

  override update(): Status {
    const childStatus = this.decorated.status;
    if (childStatus === Status.FAILURE) {
      this.failures += 1;
      if (this.failures < this.numFailures) {
        this.feedbackMessage = `attempt failed [status: ${this.failures} failure from ${this.numFailures}]`;
        return Status.RUNNING;
      }
      this.feedbackMessage = `final failure [status: ${this.failures} failure from ${this.numFailures}]`;
      return Status.FAILURE;
    }
    if (childStatus === Status.RUNNING) {
      this.feedbackMessage = `running [status: ${this.failures} failure from ${this.numFailures}]`;
      return Status.RUNNING;
    }
    this.feedbackMessage = `succeeded [status: ${this.failures} failure from ${this.numFailures}]`;
    return Status.SUCCESS;
  }
}

export interface ClockOptions {
  /** Time source; by default the runner's (from setup), else the system clock. */
  readonly clock?: MonotonicClock;
}

/** `timeout(duration)`: fail (and interrupt the child) when it runs longer than `duration` s. */
export class Timeout extends Decorator {
  private clock: MonotonicClock;
  private readonly fixedClock: boolean;
  private finishTime = 0;

  constructor(
    name: string,
    child: Behaviour,
    readonly duration: number,
    options: ClockOptions = {},
  ) {
    super(name, child);
    this.clock = options.clock ?? systemClock;
    this.fixedClock = options.clock !== undefined;
  }

  override setup(ctx: SetupContext): void {
    if (!this.fixedClock && ctx.clock !== undefined) this.clock = ctx.clock;
  }

  override initialise(): void {
    this.finishTime = this.clock.now() + this.duration;
    this.feedbackMessage = '';
  }

  override update(): MaybePromise<Status> {
    const now = this.clock.now();
    const child = this.decorated;
    if (child.status === Status.RUNNING && now > this.finishTime) {
      this.feedbackMessage = 'timed out';
      return andThen(child.stop(Status.INVALID), () => Status.FAILURE);
    }
    if (child.status === Status.RUNNING) {
      this.feedbackMessage = `time still ticking ... [remaining: ${pyFloat(this.finishTime - now)}s]`;
    } else {
      this.feedbackMessage = 'child finished before timeout triggered';
    }
    return child.status;
  }
}

/** `inverter`: SUCCESS ↔ FAILURE. */
export class Inverter extends Decorator {
  override update(): Status {
    const child = this.decorated;
    if (child.status === Status.SUCCESS) {
      this.feedbackMessage = 'success -> failure';
      return Status.FAILURE;
    }
    if (child.status === Status.FAILURE) {
      this.feedbackMessage = 'failure -> success';
      return Status.SUCCESS;
    }
    this.feedbackMessage = child.feedbackMessage;
    return child.status;
  }
}

/** Base for the "X is Y" decorators: map one child status to another. */
abstract class StatusMapping extends Decorator {
  protected abstract readonly from: Status;
  protected abstract readonly to: Status;
  protected abstract readonly label: string;

  override update(): Status {
    const child = this.decorated;
    if (child.status === this.from) {
      this.feedbackMessage = this.mappedFeedback(child.feedbackMessage);
      return this.to;
    }
    this.feedbackMessage = child.feedbackMessage;
    return child.status;
  }

  protected mappedFeedback(childFeedback: string): string {
    return childFeedback ? `${this.label} [${childFeedback}]` : this.label;
  }
}

/** `failure_is_running`. */
export class FailureIsRunning extends StatusMapping {
  protected readonly from = Status.FAILURE;
  protected readonly to = Status.RUNNING;
  protected readonly label = 'failure is running';
}

/** `failure_is_success`. */
export class FailureIsSuccess extends StatusMapping {
  protected readonly from = Status.FAILURE;
  protected readonly to = Status.SUCCESS;
  protected readonly label = 'failure is success';
}

/** `running_is_failure`. */
export class RunningIsFailure extends StatusMapping {
  protected readonly from = Status.RUNNING;
  protected readonly to = Status.FAILURE;
  protected readonly label = 'running is failure';
}

/** `running_is_success`. */
export class RunningIsSuccess extends StatusMapping {
  protected readonly from = Status.RUNNING;
  protected readonly to = Status.SUCCESS;
  protected readonly label = 'running is success';
}

/** `success_is_failure`. */
export class SuccessIsFailure extends StatusMapping {
  protected readonly from = Status.SUCCESS;
  protected readonly to = Status.FAILURE;
  protected readonly label = 'success is failure';
}

/** `success_is_running`. */
export class SuccessIsRunning extends StatusMapping {
  protected readonly from = Status.SUCCESS;
  protected readonly to = Status.RUNNING;
  protected readonly label = 'success is running';

  // py_trees always prints the brackets here, even with an empty child message.
  protected override mappedFeedback(childFeedback: string): string {
    return `${this.label} [${childFeedback}]`;
  }
}

/** Passes the child's status through unchanged. */
export class PassThrough extends Decorator {
  override update(): Status {
    return this.decorated.status;
  }
}
