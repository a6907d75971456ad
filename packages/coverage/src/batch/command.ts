/**
 * `scenario_batch_execution`: run a folder of scenarios with a launch
 * command and merge their results (or, with `--merge-only`, merge results
 * collected elsewhere, such as the pods of a Kubernetes Indexed Job).
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pyStr } from 'scenario-execution';
import { USAGE_EXIT_STATUS, usageErrorText } from 'scenario-execution/arg-parser';
import { type BatchOptions, HELP_TEXT, parseBatchArgs, USAGE_LINE, UsageError } from './args.js';
import { type BatchRunResult, runBatch } from './batch-run.js';
import { describeOutcome, succeeded } from './child-run.js';
import { type MergedResults, mergeResults } from './junit-merge.js';
import { hasPlaceholders } from './launch-command.js';
import { BatchInputError, listScenarios, pathJoin, resultFolders, scenarioName } from './paths.js';
import { BatchConsole, type ConsoleStream } from './progress.js';
import { type IndexRow, writeReportIndex } from './report-index.js';

export interface BatchIO {
  readonly stdout: ConsoleStream;
  readonly stderr: (text: string) => void;
}

const processIO: BatchIO = { stdout: process.stdout, stderr: (text) => process.stderr.write(text) };

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Create the output folder if needed; it must be writable. */
function prepareOutputDir(outputDir: string): void {
  try {
    mkdirSync(outputDir, { recursive: true });
  } catch (error) {
    throw new BatchInputError(`Could not create output directory: ${(error as Error).message}`);
  }
  if (!statSync(outputDir).isDirectory()) throw new BatchInputError(`Output directory '${outputDir}' is a file.`);
  try {
    accessSync(outputDir, constants.W_OK);
  } catch {
    throw new BatchInputError(`Output directory '${outputDir}' not writable.`);
  }
}

/** Write OUT/test.xml and OUT/report.html from the merge; print what the merge found. */
function writeCombined(out: BatchConsole, outputDir: string, merged: MergedResults, rows: readonly IndexRow[]): void {
  const testFile = pathJoin(outputDir, 'test.xml');
  out.line(`### Writing combined tests to '${testFile}'.....`);
  for (const problem of merged.problems) out.line(problem);
  writeFileSync(testFile, merged.xml);
  const index = writeReportIndex(outputDir, rows);
  out.line(`### Writing the index of all scenarios to '${index}'.`);
}

function mergeOnly(options: BatchOptions, out: BatchConsole): number {
  const names =
    options.scenarioDir === undefined
      ? resultFolders(options.outputDir)
      : listScenarios(options.scenarioDir).map(scenarioName);
  out.line(`Merging the results of ${names.length} scenarios.`);
  const merged = mergeResults(options.outputDir, names);
  writeCombined(
    out,
    options.outputDir,
    merged,
    merged.verdicts.map((verdict) => ({ verdict })),
  );
  return merged.passed ? 0 : 1;
}

async function runAndMerge(options: BatchOptions, out: BatchConsole, io: BatchIO): Promise<number> {
  let scenarios: string[];
  try {
    prepareOutputDir(options.outputDir);
    // A combined file from an earlier run must not pass for this run's.
    if (options.index === undefined) rmSync(pathJoin(options.outputDir, 'test.xml'), { force: true });
    scenarios = listScenarios(options.scenarioDir as string);
    out.line(`Detected ${scenarios.length} scenarios.`);
    if (!hasPlaceholders(options.launchCommand)) {
      throw new BatchInputError(
        `Launch command does not contain {SCENARIO} and {OUTPUT_DIR}: ${options.launchCommand.join(' ')}`,
      );
    }
    out.line(`Launch command: [${options.launchCommand.map(pyStr).join(', ')}]`);
    if (options.index !== undefined) {
      const chosen = scenarios[options.index];
      if (chosen === undefined) {
        throw new BatchInputError(
          `--index ${options.index} is out of range: ${options.scenarioDir} holds ${scenarios.length} scenarios (0 to ${scenarios.length - 1}).`,
        );
      }
      scenarios = [chosen];
    }
  } catch (error) {
    if (!(error instanceof BatchInputError)) throw error;
    io.stderr(`Error while initializing batch execution: ${error.message}\n`);
    return 1;
  }

  const result: BatchRunResult = await runBatch({
    scenarios,
    outputDir: options.outputDir,
    launchCommand: options.launchCommand,
    jobs: Math.min(options.jobs, scenarios.length),
    // One scenario of a Kubernetes Job: its output belongs in the pod log too.
    printOutput: options.jobs === 1 || options.index !== undefined,
    stopTimeout: options.stopTimeout,
    console: out,
  });
  // After a stop, the combined file covers the scenarios that were started.
  const started = result.runs.filter((run) => run.outcome !== undefined);
  const merged = mergeResults(
    options.outputDir,
    started.map((run) => run.name),
  );
  const processesOk = started.every((run) => succeeded(run.outcome as NonNullable<typeof run.outcome>));
  if (options.index === undefined) {
    const rows = merged.verdicts.map((verdict, i) => {
      const outcome = started[i]?.outcome;
      return {
        verdict,
        process: outcome === undefined ? undefined : describeOutcome(outcome),
        processFailed: outcome !== undefined && !succeeded(outcome),
      };
    });
    writeCombined(out, options.outputDir, merged, rows);
  } else {
    for (const problem of merged.problems) out.line(problem);
  }
  if (result.interruptedBy !== undefined) {
    const skipped = result.runs.length - started.length;
    out.line(`### Stopped by ${result.interruptedBy}: ${started.length} scenario(s) run, ${skipped} not started.`);
  }
  const ok = result.interruptedBy === undefined && merged.passed && (options.ignoreProcessReturnValue || processesOk);
  if (!ok) out.line('Error during batch executing!');
  return ok ? 0 : 1;
}

/** Run the command with `argv` (the arguments after the script); resolves to the exit status. */
export async function batchCommand(argv: readonly string[], io: BatchIO = processIO): Promise<number> {
  let options: BatchOptions;
  try {
    options = parseBatchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(usageErrorText(error.message, USAGE_LINE));
    return USAGE_EXIT_STATUS;
  }
  const out = new BatchConsole(io.stdout);
  if (options.help) {
    out.line(HELP_TEXT);
    return 0;
  }
  if (options.version) {
    out.line(`scenario_batch_execution ${packageVersion()}`);
    return 0;
  }
  if (options.mergeOnly) {
    try {
      return mergeOnly(options, out);
    } catch (error) {
      if (!(error instanceof BatchInputError)) throw error;
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
  }
  return runAndMerge(options, out, io);
}
