/**
 * Command-line options of `scenario_batch_execution`: the Python tool's
 * `-i`, `-o`, `-r` and launch command, plus `--jobs`, `--index`,
 * `--merge-only` and `--stop-timeout`. Options come first; the launch command
 * starts after `--` or at the first word that is not an option, so its own
 * options (`-o {OUTPUT_DIR}`) are not this command's (argparse `REMAINDER` in
 * Python). Parsed by the project's one parser, `scenario-execution/arg-parser`.
 */
import { availableParallelism } from 'node:os';
import {
  type OptionSpecs,
  optionError,
  parseCommandLine,
  parseSeconds,
  UsageError,
} from 'scenario-execution/arg-parser';

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

export { UsageError } from 'scenario-execution/arg-parser';

export const USAGE =
  'usage: scenario_batch_execution -i DIR [-o OUT] [-r] [-j N] [--index I] [--stop-timeout S] -- COMMAND...\n' +
  '       scenario_batch_execution --merge-only [-o OUT] [-i DIR]';

/** The usage line printed under a usage error. */
export const USAGE_LINE = 'usage: scenario_batch_execution [options] -- COMMAND...';

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

const OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'scenario-dir': { type: 'string', short: 'i', metavar: 'DIR' },
  'output-dir': { type: 'string', short: 'o', metavar: 'OUT' },
  'ignore-process-return-value': { type: 'boolean', short: 'r' },
  jobs: { type: 'string', short: 'j', metavar: 'N' },
  index: { type: 'string', metavar: 'I' },
  'merge-only': { type: 'boolean' },
  'stop-timeout': { type: 'string', metavar: 'S' },
};

/** A whole number >= `minimum`, or a UsageError naming the option. */
function wholeNumber(flag: string, text: string, minimum: number): number {
  if (!/^\d+$/.test(text) || Number(text) < minimum) {
    throw optionError(flag, `expected a whole number >= ${minimum}, got '${text}'`);
  }
  return Number(text);
}

/** Parse the arguments (without `node` and the script). Throws UsageError. */
export function parseBatchArgs(argv: readonly string[]): BatchOptions {
  const line = parseCommandLine(argv, OPTIONS, { optionsFirst: true });
  /** The value of `name` read by `parse`, or `fallback` when not given. */
  const read = <T>(name: string, fallback: T, parse: (flag: string, text: string) => T): T => {
    const text = line.value(name);
    return text === undefined ? fallback : parse(line.flag(name), text);
  };
  const help = line.has('help');
  const version = line.has('version');
  const mergeOnly = line.has('merge-only');
  const scenarioDir = line.value('scenario-dir');
  const jobs = read('jobs', availableParallelism(), (flag, text) => wholeNumber(flag, text, 1));
  const index = read<number | undefined>('index', undefined, (flag, text) => wholeNumber(flag, text, 0));
  const stopTimeout = read('stop-timeout', 10, (flag, text) => parseSeconds(flag, text));
  const launchCommand = line.positionals;
  if (!help && !version) {
    if (mergeOnly) {
      if (launchCommand.length > 0) {
        throw optionError(line.flag('merge-only'), 'not allowed with a launch command (it runs nothing)');
      }
      if (index !== undefined) throw optionError(line.flag('index'), 'not allowed with --merge-only');
    } else {
      if (scenarioDir === undefined) throw new UsageError('no scenario folder given (-i DIR)');
      if (launchCommand.length === 0) throw new UsageError('no launch command given (after --)');
    }
  }
  return {
    scenarioDir,
    outputDir: line.value('output-dir') ?? 'out',
    ignoreProcessReturnValue: line.has('ignore-process-return-value'),
    jobs,
    index,
    mergeOnly,
    stopTimeout,
    launchCommand,
    help,
    version,
  };
}
