/**
 * Running the scenarios of a batch: up to `jobs` launch commands at once, in
 * the sorted order of the scenarios, each writing to its own folder and log.
 *
 * With one job the console shows what the Python tool shows, in its order
 * (each command, its output, whether it failed). With more, the output of
 * the commands goes to their log files only, and the console gets a line per
 * finished scenario.
 *
 * SIGINT, SIGTERM or SIGHUP to the batch stops it: no further scenario
 * starts, each running command's process group gets SIGINT, then SIGKILL
 * after `stopTimeout` seconds (at once on a second signal), and once a
 * command has exited whatever is left of its group is killed.
 */
import { mkdirSync } from 'node:fs';
import { type ChildOutcome, ChildRun, describeOutcome, succeeded } from './child-run.js';
import { launchCommandFor } from './launch-command.js';
import { pathJoin, scenarioName } from './paths.js';
import { type BatchConsole, statusText } from './progress.js';

/** One scenario of the batch and, once it ran, how its command ended. */
export interface ScenarioRun {
  /** The scenario file, as given to the command. */
  readonly scenario: string;
  readonly name: string;
  /** Its output folder `OUT/<name>`. */
  readonly outputDir: string;
  outcome: ChildOutcome | undefined;
}

export interface BatchRunOptions {
  readonly scenarios: readonly string[];
  readonly outputDir: string;
  readonly launchCommand: readonly string[];
  readonly jobs: number;
  /** Print the Python tool's lines and each command's output (as with one job). */
  readonly printOutput: boolean;
  /** Seconds between SIGINT and SIGKILL when stopping. */
  readonly stopTimeout: number;
  readonly console: BatchConsole;
}

export interface BatchRunResult {
  /** Every scenario; those never started have no outcome. */
  readonly runs: readonly ScenarioRun[];
  /** The signal that stopped the batch, if one did. */
  readonly interruptedBy: NodeJS.Signals | undefined;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The Python tool's rendering of a command in its messages: the words joined by spaces. */
function commandText(command: readonly string[]): string {
  return command.join(' ');
}

export async function runBatch(options: BatchRunOptions): Promise<BatchRunResult> {
  const { console: out, jobs } = options;
  const sequential = options.printOutput;
  const runs: ScenarioRun[] = options.scenarios.map((scenario) => {
    const name = scenarioName(scenario);
    return { scenario, name, outputDir: pathJoin(options.outputDir, name), outcome: undefined };
  });
  const startedAt = performance.now();
  const running = new Map<ChildRun, ScenarioRun>();
  let done = 0;
  let failed = 0;
  let interruptedBy: NodeJS.Signals | undefined;
  const killTimers = new Set<NodeJS.Timeout>();

  const showStatus = () =>
    out.setStatus(
      statusText({ total: runs.length, done, running: running.size, failed }, (performance.now() - startedAt) / 1000),
    );

  const stopAll = (signal: NodeJS.Signals) => {
    for (const child of running.keys()) child.signalGroup(signal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy !== undefined) {
      out.line(`### ${signal} again: killing ${running.size} running scenario(s).`);
      stopAll('SIGKILL');
      return;
    }
    interruptedBy = signal;
    out.line(
      `### Interrupted by ${signal}: stopping ${running.size} running scenario(s) ` +
        `(SIGINT, SIGKILL after ${options.stopTimeout}s); no further scenario starts.`,
    );
    stopAll('SIGINT');
    const timer = setTimeout(() => {
      killTimers.delete(timer);
      if (running.size === 0) return;
      out.line(`### ${running.size} scenario(s) not stopped after ${options.stopTimeout}s: sending SIGKILL.`);
      stopAll('SIGKILL');
    }, options.stopTimeout * 1000);
    killTimers.add(timer);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const ticker = out.live ? setInterval(showStatus, 1000) : undefined;
  ticker?.unref();

  const runOne = async (run: ScenarioRun): Promise<void> => {
    const command = launchCommandFor(options.launchCommand, run.scenario, run.outputDir);
    if (sequential) {
      out.line(`### For scenario ${run.scenario}, executing process: '${commandText(command)}'`);
      out.line('### Waiting for process to finish...');
    }
    let child: ChildRun | undefined;
    try {
      mkdirSync(run.outputDir, { recursive: true });
      child = new ChildRun({
        command,
        logFile: pathJoin(run.outputDir, `${run.name}.log`),
        onLine: sequential ? (line) => out.line(line) : undefined,
      });
    } catch (error) {
      run.outcome = { code: undefined, signal: undefined, startError: (error as Error).message };
    }
    if (child) {
      running.set(child, run);
      showStatus();
      run.outcome = await child.outcome;
      running.delete(child);
      // Stopping: whatever the command left in its group goes too.
      if (interruptedBy !== undefined) child.signalGroup('SIGKILL');
    }
    const outcome = run.outcome as ChildOutcome;
    done += 1;
    const ok = succeeded(outcome);
    if (!ok) failed += 1;
    if (sequential) {
      if (outcome.startError !== undefined) out.line(`### Process could not be started: ${outcome.startError}`);
      out.line(ok ? '### Process finished successfully.' : '### Process failed.');
    } else {
      const log = pathJoin(run.outputDir, `${run.name}.log`);
      out.line(
        ok
          ? `### [${done}/${runs.length}] ${run.name}: process finished successfully.`
          : `### [${done}/${runs.length}] ${run.name}: process failed (${describeOutcome(outcome)}), log: ${log}`,
      );
    }
    showStatus();
  };

  try {
    const active = new Set<Promise<void>>();
    let next = 0;
    // Each pass starts commands up to the limit or waits for one to finish: bounded by the number of scenarios.
    while (next < runs.length && interruptedBy === undefined) {
      while (active.size < jobs && next < runs.length && interruptedBy === undefined) {
        const promise: Promise<void> = runOne(runs[next] as ScenarioRun).finally(() => active.delete(promise));
        active.add(promise);
        next += 1;
      }
      if (active.size > 0) await Promise.race(active);
    }
    await Promise.all(active);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    if (ticker) clearInterval(ticker);
    for (const timer of killTimers) clearTimeout(timer);
    out.clearStatus();
  }
  return { runs, interruptedBy };
}
