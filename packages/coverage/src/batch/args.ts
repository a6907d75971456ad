/**
 * Command-line options of `scenario_batch_execution`: the Python tool's
 * `-i`, `-o`, `-r` and launch command, plus `--jobs`, `--index`,
 * `--merge-only` and `--stop-timeout`. Options come first; the launch command
 * starts after `--` or at the first word that is not an option.
 */
import { availableParallelism } from 'node:os';

export interface BatchOptions {
  readonly scenarioDir: string | undefined;
  readonly outputDir: string;
  readonly ignoreProcessReturnValue: boolean;
  /** Scenarios run at once. */
  readonly jobs: number;
  /** Run only the scenario at this position of the sorted list (one Kubernetes Job index). */
  readonly index: number | undefined;
  readonly mergeOnly: boolean;
  /** Seconds between SIGINT and SIGKILL to a child when the batch is stopped. */
  readonly stopTimeout: number;
  readonly launchCommand: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
}

export class BatchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchUsageError';
  }
}

export const USAGE =
  'usage: scenario_batch_execution -i DIR [-o OUT] [-r] [-j N] [--index I] [--stop-timeout S] -- COMMAND...\n' +
  '       scenario_batch_execution --merge-only [-o OUT] [-i DIR]';

export const HELP_TEXT = `${USAGE}

Run every scenario (*.osc, *.sce) of a folder with a launch command, each with its own
output folder OUT/<name>/ and log file OUT/<name>/<name>.log, then merge their JUnit
results into OUT/test.xml and write an index of all scenarios to OUT/report.html.

In the launch command, {SCENARIO} stands for the scenario file and {OUTPUT_DIR} for
OUT/<name>; both must occur. Example:
  scenario_batch_execution -i scenarios -o out -- scenario_execution {SCENARIO} -o {OUTPUT_DIR}

options:
  -h, --help            show this help and exit
  --version             print the version and exit
  -i, --scenario-dir DIR
                        folder holding the scenarios
  -o, --output-dir OUT  folder for the results (default: out)
  -r, --ignore-process-return-value
                        a launch command's exit status does not fail the batch (its results still do)
  -j, --jobs N          scenarios run at once (default: the number of cores, ${availableParallelism()} here);
                        with 1 they run one after the other and their output is printed too
  --index I             run only the I-th scenario (from 0, in sorted order) into OUT/<name>/,
                        without writing OUT/test.xml (one index of a Kubernetes Indexed Job)
  --merge-only          run nothing: merge OUT/*/test.xml into OUT/test.xml and OUT/report.html
                        (the scenarios are the subfolders of OUT, or those of -i DIR when given)
  --stop-timeout S      on Ctrl-C (SIGINT or SIGTERM), seconds a running scenario gets to stop
                        after SIGINT before it is killed (default: 10); a second Ctrl-C kills at once

exit status: 0 when every scenario ran and passed; 1 when one failed, had no readable
test.xml, its launch command failed (unless -r), or the batch was stopped; 2 for a
mistake on the command line.`;

/** A positive count, or a usage error naming the option. */
function count(option: string, text: string, minimum: number): number {
  if (!/^\d+$/.test(text) || Number(text) < minimum) {
    throw new BatchUsageError(`${option} expects a whole number of at least ${minimum}, got '${text}'`);
  }
  return Number(text);
}

/** Parse the arguments (without `node` and the script). */
export function parseBatchArgs(argv: readonly string[]): BatchOptions {
  let scenarioDir: string | undefined;
  let outputDir = 'out';
  let ignoreProcessReturnValue = false;
  let jobs = availableParallelism();
  let index: number | undefined;
  let mergeOnly = false;
  let stopTimeout = 10;
  let help = false;
  let version = false;
  let i = 0;
  /** The value of an option: `--opt=value`, `-oVALUE` or the next argument. */
  const optionValue = (option: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const next = argv[i + 1];
    if (next === undefined) throw new BatchUsageError(`option ${option} needs a value`);
    i++;
    return next;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const long = /^(--[^=]+)=(.*)$/s.exec(arg);
    const short = /^(-[ioj])(.+)$/s.exec(arg);
    const option = long?.[1] ?? short?.[1] ?? arg;
    const inline = long?.[2] ?? short?.[2];
    switch (option) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--version':
        version = true;
        break;
      case '-i':
      case '--scenario-dir':
        scenarioDir = optionValue(option, inline);
        break;
      case '-o':
      case '--output-dir':
        outputDir = optionValue(option, inline);
        break;
      case '-r':
      case '--ignore-process-return-value':
        ignoreProcessReturnValue = true;
        break;
      case '-j':
      case '--jobs':
        jobs = count(option, optionValue(option, inline), 1);
        break;
      case '--index':
        index = count(option, optionValue(option, inline), 0);
        break;
      case '--merge-only':
        mergeOnly = true;
        break;
      case '--stop-timeout': {
        const text = optionValue(option, inline);
        stopTimeout = Number(text);
        if (text.trim() === '' || !Number.isFinite(stopTimeout) || stopTimeout < 0) {
          throw new BatchUsageError(`--stop-timeout expects seconds (0 or more), got '${text}'`);
        }
        break;
      }
      default:
        throw new BatchUsageError(`unknown option ${option}`);
    }
    if (inline !== undefined && ['-h', '--help', '--version', '-r', '--merge-only'].includes(option)) {
      throw new BatchUsageError(`option ${option} takes no value`);
    }
  }
  const launchCommand = argv.slice(i);
  if (!help && !version) {
    if (mergeOnly) {
      if (launchCommand.length > 0) throw new BatchUsageError('--merge-only runs nothing: no launch command expected');
      if (index !== undefined) throw new BatchUsageError('--merge-only and --index exclude each other');
    } else {
      if (scenarioDir === undefined) throw new BatchUsageError('the scenario folder (-i DIR) is required');
      if (launchCommand.length === 0) throw new BatchUsageError('the launch command is missing (after --)');
    }
  }
  return {
    scenarioDir,
    outputDir,
    ignoreProcessReturnValue,
    jobs,
    index,
    mergeOnly,
    stopTimeout,
    launchCommand,
    help,
    version,
  };
}
