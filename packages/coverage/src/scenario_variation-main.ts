/**
 * Entry of the `scenario_variation` command: the flags of the Python tool
 * (`-d`, `-l`, `-o DIR`, default `out`) plus `--help`.
 *
 * Exit status: 0 when every concrete scenario was written, 1 for an error in
 * the scenario (or a combination that does not resolve), 2 for a
 * command-line mistake.
 */
import { OscError } from 'scenario-execution';
import {
  type OptionSpecs,
  parseCommandLine,
  USAGE_EXIT_STATUS,
  UsageError,
  usageErrorText,
} from 'scenario-execution/arg-parser';
import { generateVariations } from './variation/generate.js';

const USAGE = 'usage: scenario_variation [-h] [-d] [-l] [-o OUTPUT_DIR] scenario';

export const HELP_TEXT = `${USAGE}

Write one concrete scenario per combination of the values of the scenario's
variation points, keep(it.<field> in [v1, v2, …]), as OUTPUT_DIR/<name><n>.osc
(numbered as the Python scenario_variation numbers them). Each file starts with
one comment line per point, #<qualified name>==<value>.

positional arguments:
  scenario              abstract scenario file (.osc)

options:
  -h, --help            show this help and exit
  -d, --debug           debugging output (the values of every combination, stack traces of internal errors)
  -l, --log-model       print the resolved model of every concrete scenario
  -o, --output-dir DIR  output directory for concrete scenarios (default: out)`;

/** Run the command with `argv` (the arguments after the script); resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  let parsed: VariationCommandLine;
  try {
    parsed = parseVariationArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(usageErrorText(error.message, USAGE));
    return USAGE_EXIT_STATUS;
  }
  if (parsed.help) {
    process.stdout.write(`${HELP_TEXT}\n`);
    return 0;
  }
  try {
    await generateVariations({
      scenarioPath: parsed.scenario,
      outputDir: parsed.outputDir,
      debug: parsed.debug,
      logModel: parsed.logModel,
      log: (level, line) => {
        if (level === 'INFO' || parsed.debug) process.stdout.write(`[scenario_variation] [${level}] ${line}\n`);
      },
    });
    return 0;
  } catch (error) {
    if (error instanceof OscError) {
      process.stderr.write(`${error.format()}\n`);
      return 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (parsed.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

interface VariationCommandLine {
  readonly help: boolean;
  readonly debug: boolean;
  readonly logModel: boolean;
  readonly outputDir: string;
  readonly scenario: string;
}

const OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean', short: 'd' },
  'log-model': { type: 'boolean', short: 'l' },
  'output-dir': { type: 'string', short: 'o', metavar: 'DIR' },
};

/** Parse the arguments (without `node` and the script). Throws UsageError. */
export function parseVariationArgs(argv: readonly string[]): VariationCommandLine {
  const line = parseCommandLine(argv, OPTIONS);
  const help = line.has('help');
  const positionals = line.positionals;
  if (!help) {
    if (positionals.length === 0) throw new UsageError('no scenario file given');
    if (positionals.length > 1) {
      throw new UsageError(`only one scenario file can be given, got ${positionals.length}: ${positionals.join(', ')}`);
    }
  }
  return {
    help,
    debug: line.has('debug'),
    logModel: line.has('log-model'),
    outputDir: line.value('output-dir') ?? 'out',
    scenario: positionals[0] ?? '',
  };
}
