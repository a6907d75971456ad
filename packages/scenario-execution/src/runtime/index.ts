/** The behaviour-tree runtime (py_trees semantics). */
export { Status } from './status.js';
export { Behaviour, beginVisit, endVisit, tickChild, checkStatus } from './behaviour.js';
export type { MaybePromise, SetupContext } from './behaviour.js';
export { drive, andThen, isPromiseLike } from './maybe-promise.js';
export type { StepMachine } from './maybe-promise.js';
export { Composite, Sequence, Selector, Parallel, ParallelPolicy } from './composites.js';
export type { SequenceOptions, SelectorOptions } from './composites.js';
export {
  Decorator,
  Repeat,
  Retry,
  Timeout,
  Inverter,
  FailureIsRunning,
  FailureIsSuccess,
  RunningIsFailure,
  RunningIsSuccess,
  SuccessIsFailure,
  SuccessIsRunning,
  PassThrough,
} from './decorators.js';
export type { ClockOptions } from './decorators.js';
export { EmitEvent, WaitForEvent, WaitElapsed, WaitCondition } from './leaves.js';
export { Blackboard, scenarioEventKey, createVariableRef, isVariableRef } from './blackboard.js';
export type { ScenarioEvent } from './blackboard.js';
export { systemClock, FakeClock } from './clock.js';
export type { MonotonicClock } from './clock.js';
export { Logger, stdoutSink } from './logger.js';
export type { LogSink, LoggerOptions } from './logger.js';
export { colourEnabled, isTerminal } from './colour.js';
export type { ColourTarget } from './colour.js';
export { unicodeTree, asciiTree, snapshotTree, blackboardText } from './display.js';
export type { TreeDisplayOptions } from './display.js';
export { describeError } from '../language/diagnostics.js';
export { TreeRunner } from './runner.js';
export type { ScenarioResult, TreeRunnerOptions } from './runner.js';
export { pyFloat, pyRepr, pyStr, pyStrOf } from './py-format.js';
