/**
 * TreeRunner: runs one scenario tree the way the Python engine does.
 *
 * `Executing scenario 'x'` → setup of every node (children first, bounded by
 * `setupTimeout`) → ticks paced to `tickPeriod` on a monotonic clock (deadline
 * k = start + k·period, no drift) → after each tick the root's status and the
 * scenario's `end`/`fail` events decide the outcome → running nodes are
 * interrupted (terminate(INVALID)) → every node is shut down, always.
 */
import { describeError } from '../language/diagnostics.js';
import type { Behaviour, MaybePromise, SetupContext } from './behaviour.js';
import { Blackboard, scenarioEventKey } from './blackboard.js';
import { systemClock } from './clock.js';
import type { MonotonicClock } from './clock.js';
import { blackboardText, snapshotTree, unicodeTree } from './display.js';
import { Logger } from './logger.js';
import { isPromiseLike } from './maybe-promise.js';
import { pyFloat } from './py-format.js';
import { Status } from './status.js';

/** Outcome of one scenario, as the engine records it (and writes to test.xml). */
export interface ScenarioResult {
  readonly name: string;
  readonly result: boolean;
  /** `execution failed.`, `Setup failed`, `Aborted`, … (empty on success). */
  readonly failureMessage: string;
  /** Details: error text and/or the tree snapshot of the last tick. */
  readonly failureOutput: string;
  /** Seconds from setup start to the end of the scenario. */
  readonly processingTime: number;
  readonly startTime: Date;
}

export interface TreeRunnerOptions {
  readonly root: Behaviour;
  /** Scenario name for log lines, the result and the end/fail event keys (default: root name). */
  readonly scenarioName?: string;
  readonly blackboard?: Blackboard;
  readonly logger?: Logger;
  /** Seconds between ticks (`--step-duration`), default 0.1. */
  readonly tickPeriod?: number;
  /** Seconds the whole setup may take (real time), default unbounded. */
  readonly setupTimeout?: number;
  readonly scenarioFileDirectory?: string;
  readonly outputDir?: string;
  /** Time source for pacing and for `timeout`/`wait elapsed` nodes; default the system clock. */
  readonly clock?: MonotonicClock;
  /** `--live-tree`: print the tree (and blackboard) after every tick. */
  readonly liveTree?: boolean;
  /** Log `Scenario 'x' succeeded.` / the failure line as the engine does (default true). */
  readonly logResult?: boolean;
  /**
   * When the scenario ends while nodes still run (an `end` event, abort), stop the
   * root with INVALID so they terminate before shutdown (default true). The
   * Python engine does not; it only shuts down.
   */
  readonly stopRunningOnEnd?: boolean;
  /** Called just before each tick with its serial (1 for the first): the run report's timings. */
  readonly onTickStart?: (tickSerial: number) => void;
  /** Called after every tick with the number of completed ticks (tests, progress). */
  readonly onTick?: (tickCount: number) => void;
}

interface Abort {
  readonly message: string;
}

interface Outcome {
  readonly result: boolean;
  readonly message: string;
  readonly output: string;
  /** A warning to print after the result line. */
  readonly lateWarning?: string | undefined;
}

export class TreeRunner {
  readonly root: Behaviour;
  readonly scenarioName: string;
  readonly blackboard: Blackboard;
  readonly logger: Logger;
  readonly tickPeriod: number;
  readonly clock: MonotonicClock;
  /** Completed ticks. */
  tickCount = 0;

  private readonly options: TreeRunnerOptions;
  private abortRequest: Abort | undefined;
  private wakeUp: (() => void) | undefined;
  private running = false;

  constructor(options: TreeRunnerOptions) {
    this.options = options;
    this.root = options.root;
    this.scenarioName = options.scenarioName ?? options.root.name;
    this.blackboard = options.blackboard ?? new Blackboard();
    this.logger = options.logger ?? new Logger();
    this.tickPeriod = options.tickPeriod ?? 0.1;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Stop the scenario (SIGINT/SIGTERM): the current tick (if any) completes,
   * then the scenario fails with `reason` and is cleaned up as usual.
   */
  abort(reason = 'Aborted'): void {
    this.abortRequest ??= { message: reason };
    this.wakeUp?.();
  }

  get aborted(): boolean {
    return this.abortRequest !== undefined;
  }

  private abortMessage(): string | undefined {
    return this.abortRequest?.message;
  }

  /** The failure snapshot: the tree as of the last tick. */
  snapshot(): string {
    return this.tickCount > 0 ? snapshotTree(this.root) : '';
  }

  async run(): Promise<ScenarioResult> {
    if (this.running) throw new Error('TreeRunner.run() called twice');
    this.running = true;
    const startTime = new Date();
    const startWall = performance.now();
    this.logger.info(`Executing scenario '${this.scenarioName}'`);
    this.blackboard.set(scenarioEventKey(this.scenarioName, 'end'), false);
    this.blackboard.set(scenarioEventKey(this.scenarioName, 'fail'), false);

    let result: ScenarioResult | undefined;
    try {
      const setupError = await this.setupAll();
      let outcome: Outcome;
      const abortedInSetup = this.abortMessage();
      if (setupError !== undefined && abortedInSetup !== undefined) {
        outcome = { result: false, message: abortedInSetup, output: '' };
      } else if (setupError !== undefined) {
        outcome = { result: false, message: 'Setup failed', output: setupError };
      } else {
        outcome = await this.tickLoop();
      }
      // As the engine: the result is recorded (and logged) when decided, before clean-up.
      result = {
        name: this.scenarioName,
        result: outcome.result,
        failureMessage: outcome.result ? '' : outcome.message,
        failureOutput: outcome.result ? '' : outcome.output,
        processingTime: (performance.now() - startWall) / 1000,
        startTime,
      };
      if (this.options.logResult ?? true) {
        if (result.result) this.logger.info(`Scenario '${result.name}' succeeded.`);
        else this.logger.error(`${result.name}: ${result.failureMessage} ${result.failureOutput}`);
      }
      if (outcome.lateWarning !== undefined) this.logger.warn(outcome.lateWarning);
    } finally {
      await this.cleanUp();
    }
    return result;
  }

  /**
   * Set up every node, children first; returns an error text on failure.
   *
   * Setups are started in tree order, but one that returns a promise does not
   * hold up the next node's: asynchronous setups (connecting remote actions)
   * overlap. The error reported is still the first in tree order, as if the
   * setups had run one by one; a synchronous failure starts no further setups.
   */
  private async setupAll(): Promise<string | undefined> {
    const ctx: SetupContext = {
      tickPeriod: this.tickPeriod,
      scenarioFileDirectory: this.options.scenarioFileDirectory ?? process.cwd(),
      outputDir: this.options.outputDir,
      clock: this.clock,
    };
    const timeout = this.options.setupTimeout ?? Number.POSITIVE_INFINITY;
    const deadline = performance.now() + timeout * 1000;
    const inFlight: { node: Behaviour; pending: Promise<void> }[] = [];
    let syncFailure: string | undefined;
    for (const node of this.root.iterate()) {
      if (this.abortMessage() !== undefined) break;
      try {
        const pending = node.setup(ctx);
        if (pending !== undefined && isPromiseLike(pending)) {
          // Awaited below, in order; until then a rejection must not count as unhandled.
          pending.catch(() => undefined);
          inFlight.push({ node, pending });
        }
      } catch (error) {
        syncFailure = describeError(error);
        break;
      }
      // Without a timeout (the command's case) no clock is read per node of a large tree.
      if (deadline !== Number.POSITIVE_INFINITY && performance.now() > deadline) {
        syncFailure = `tree setup interrupted or timed out [${node.name}]`;
        break;
      }
    }
    for (const { node, pending } of inFlight) {
      const abortMessage = this.abortMessage();
      if (abortMessage !== undefined) return abortMessage;
      try {
        const verdict = await this.raceSetup(pending, deadline);
        if (verdict === 'timeout') return `tree setup interrupted or timed out [${node.name}]`;
        if (verdict === 'aborted') return this.abortMessage() ?? 'Aborted';
      } catch (error) {
        return describeError(error);
      }
    }
    return this.abortMessage() ?? syncFailure;
  }

  private raceSetup(pending: Promise<void>, deadline: number): Promise<'done' | 'timeout' | 'aborted'> {
    return new Promise((resolve, reject) => {
      const remaining = deadline - performance.now();
      const timer = Number.isFinite(remaining)
        ? setTimeout(() => finish('timeout'), Math.max(0, remaining))
        : undefined;
      const finish = (verdict: 'done' | 'timeout' | 'aborted'): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.wakeUp = undefined;
        resolve(verdict);
      };
      this.wakeUp = () => finish('aborted');
      pending.then(
        () => finish('done'),
        (error: unknown) => {
          if (timer !== undefined) clearTimeout(timer);
          this.wakeUp = undefined;
          reject(error);
        },
      );
    });
  }

  private async tickLoop(): Promise<Outcome> {
    const period = this.tickPeriod;
    const endKey = scenarioEventKey(this.scenarioName, 'end');
    const failKey = scenarioEventKey(this.scenarioName, 'fail');
    // Tick k is due at anchor + k·period; an overrun re-anchors at its end.
    let anchor = this.clock.now();
    let periodsSinceAnchor = 0;
    for (;;) {
      const abortedBefore = this.abortMessage();
      if (abortedBefore !== undefined) return { result: false, message: abortedBefore, output: this.snapshot() };
      if (this.options.liveTree) {
        this.logger.debug(`--------- Scenario ${this.root.name}: Run ${this.tickCount} ---------`);
      }
      const tickStart = this.clock.now();
      this.root.tickSerial = this.tickCount + 1;
      this.options.onTickStart?.(this.root.tickSerial);
      try {
        const ticked = this.root.tick();
        if (isPromiseLike(ticked)) await ticked;
      } catch (error) {
        this.tickCount += 1;
        return {
          result: false,
          message: 'execution failed.',
          output: joinOutput(describeError(error), this.snapshot()),
        };
      }
      this.tickCount += 1;
      const tickEnd = this.clock.now();
      if (this.options.liveTree) {
        this.logger.print(`\n${unicodeTree(this.root)}`);
        this.logger.print(blackboardText(this.blackboard));
      }
      this.options.onTick?.(this.tickCount);
      const abortedDuring = this.abortMessage();
      if (abortedDuring !== undefined) return { result: false, message: abortedDuring, output: this.snapshot() };

      const tickTime = tickEnd - tickStart;
      const overrun = tickTime > period ? `Tick too long: ${pyFloat(tickTime)} > ${pyFloat(period)}` : undefined;
      if (this.root.status === Status.FAILURE) this.blackboard.set(failKey, true);
      if (this.root.status === Status.SUCCESS) this.blackboard.set(endKey, true);
      const failed = this.blackboard.isEmitted(failKey);
      if (failed || this.blackboard.isEmitted(endKey)) {
        // The engine warns about an overrun of the last tick after logging the result.
        // The snapshot is a failure's output only: a large tree that succeeded is not drawn.
        const output = failed ? this.snapshot() : '';
        return { result: !failed, message: 'execution failed.', output, lateWarning: overrun };
      }
      if (overrun !== undefined) this.logger.warn(overrun);
      periodsSinceAnchor += 1;
      let nextDeadline = anchor + periodsSinceAnchor * period;
      if (nextDeadline < tickEnd) {
        // No burst of catch-up ticks after an overrun: the schedule restarts now.
        anchor = tickEnd;
        periodsSinceAnchor = 0;
        nextDeadline = tickEnd;
      }
      await this.sleepUntil(nextDeadline);
      if (this.options.liveTree && this.logger.debugEnabled) {
        this.logger.debug(unicodeTree(this.root, { showStatus: true }));
      }
    }
  }

  private async sleepUntil(deadline: number): Promise<void> {
    const remaining = deadline - this.clock.now();
    if (remaining <= 0 || this.abortRequest) return;
    await new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      this.clock.sleep(remaining).then(resolve, resolve);
    });
    this.wakeUp = undefined;
  }

  /** Interrupt what still runs, then shut every node down (errors are logged, not fatal). */
  private async cleanUp(): Promise<void> {
    if (this.root.status === Status.RUNNING && (this.options.stopRunningOnEnd ?? true)) {
      try {
        const stopped = this.root.stop(Status.INVALID);
        if (stopped !== undefined && isPromiseLike(stopped)) await stopped;
      } catch (error) {
        this.logger.error(`Error while stopping the tree: ${describeError(error)}`);
      }
    }
    // Shutdowns start in tree order; asynchronous ones (remote resets) overlap.
    const inFlight: Promise<void>[] = [];
    for (const node of this.root.iterate()) {
      const failure = startShutdown(node);
      if (isPromiseLike(failure)) inFlight.push(failure.then((late) => this.logShutdownFailure(node, late)));
      else this.logShutdownFailure(node, failure);
    }
    await Promise.all(inFlight);
  }

  private logShutdownFailure(node: Behaviour, failure: { error: unknown } | undefined): void {
    if (failure !== undefined) {
      this.logger.error(`Error while shutting down '${node.name}': ${describeError(failure.error)}`);
    }
  }
}

/** Start `node.shutdown()`; gives (now or later) its error, if it failed. */
function startShutdown(node: Behaviour): MaybePromise<{ error: unknown } | undefined> {
  try {
    const done = node.shutdown();
    if (done !== undefined && isPromiseLike(done)) {
      return done.then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
    }
  } catch (error) {
    return { error };
  }
  return undefined;
}

function joinOutput(first: string, second: string): string {
  return first && second ? `${first}\n\n${second}` : first || second;
}
