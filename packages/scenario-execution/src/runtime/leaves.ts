/**
 * Leaves the builder creates for scenario directives: `emit e`, `wait @e`,
 * `wait elapsed(t)` and `wait <condition>`.
 */
import { Behaviour } from './behaviour.js';
import type { SetupContext } from './behaviour.js';
import type { Blackboard } from './blackboard.js';
import { systemClock } from './clock.js';
import type { ClockOptions } from './decorators.js';
import type { MonotonicClock } from './clock.js';
import { pyFloat } from './py-format.js';
import { Status } from './status.js';

/** `emit e`: sets the event's key on the blackboard; succeeds at once. */
export class EmitEvent extends Behaviour {
  constructor(
    name: string,
    private readonly blackboard: Blackboard,
    readonly key: string,
  ) {
    super(name);
  }

  // As the engine: the key exists (not set) before anyone may wait on it.
  override setup(_ctx: SetupContext): void {
    if (!this.blackboard.isEmitted(this.key)) this.blackboard.set(this.key, '');
  }

  override update(): Status {
    this.blackboard.emit(this.key);
    return Status.SUCCESS;
  }
}

/** `wait @e`: RUNNING until the event's key is set (the engine names it "TopicEquals"). */
export class WaitForEvent extends Behaviour {
  constructor(
    name: string,
    private readonly blackboard: Blackboard,
    readonly key: string,
  ) {
    super(name);
  }

  override update(): Status {
    return this.blackboard.isEmitted(this.key) ? Status.SUCCESS : Status.RUNNING;
  }
}

/** `wait elapsed(t)`: succeeds once more than `duration` seconds passed since it started. */
export class WaitElapsed extends Behaviour {
  private clock: MonotonicClock;
  private readonly fixedClock: boolean;
  private finishTime = 0;

  constructor(
    name: string,
    readonly duration: number,
    options: ClockOptions = {},
  ) {
    super(name);
    this.clock = options.clock ?? systemClock;
    this.fixedClock = options.clock !== undefined;
    this.feedbackMessage = `duration set to '${pyFloat(duration)}'s`;
  }

  override setup(ctx: SetupContext): void {
    if (!this.fixedClock && ctx.clock !== undefined) this.clock = ctx.clock;
  }

  override initialise(): void {
    this.finishTime = this.clock.now() + this.duration;
    this.feedbackMessage = `configured to fire in '${pyFloat(this.duration)}' seconds`;
  }

  override update(): Status {
    if (this.clock.now() > this.finishTime) {
      this.feedbackMessage = `timer ran out [${pyFloat(this.duration)}]`;
      return Status.SUCCESS;
    }
    this.feedbackMessage = 'still running';
    return Status.RUNNING;
  }
}

/** `wait <expression>`: re-evaluates the condition every tick; SUCCESS once it holds. */
export class WaitCondition extends Behaviour {
  constructor(
    name: string,
    private readonly condition: () => boolean,
  ) {
    super(name);
  }

  override update(): Status {
    return this.condition() ? Status.SUCCESS : Status.RUNNING;
  }
}
