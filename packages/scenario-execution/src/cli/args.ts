/**
 * Command-line options of `scenario_execution`: the flags of the Python
 * engine, plus `--help` and `--version`.
 */
import { type OptionSpecs, optionError, parseCommandLine, parseSeconds, UsageError } from './arg-parser.js';

export interface CliOptions {
  readonly debug: boolean;
  readonly logModel: boolean;
  readonly liveTree: boolean;
  readonly outputDir: string | undefined;
  readonly dryRun: boolean;
  readonly dot: boolean;
  /** Seconds between two ticks. */
  readonly stepDuration: number;
  readonly scenarioParameterFile: string | undefined;
  readonly createScenarioParameterFileTemplate: boolean;
  readonly postRun: string | undefined;
  readonly scenario: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

export { UsageError } from './arg-parser.js';

/** The usage line printed under a usage error. */
export const USAGE_LINE = 'usage: scenario_execution [options] scenario';

export const HELP_TEXT = `${USAGE_LINE}

Run an OpenSCENARIO DSL 2 scenario (.osc) as a behaviour tree.

positional arguments:
  scenario              scenario file to execute

options:
  -h, --help            show this help and exit
  --version             print the version and exit
  -d, --debug           debugging output (debug log lines, stack traces of internal errors)
  -l, --log-model       print the resolved model and the behaviour tree; log the tree on failure
  -t, --live-tree       print the tree with the status of every node after each tick
                        (on a terminal: redrawn in place, coloured by status)
  -o, --output-dir DIR  directory for output: test results as DIR/test.xml (JUnit), a run report
                        DIR/report.html, dot files
  -n, --dry-run         parse and resolve the scenario and build the tree, but do not execute it
  --dot                 write the behaviour tree as Graphviz <scenario>.dot, and .svg/.png when
                        the 'dot' program is installed (into --output-dir, else the current directory)
  -s, --step-duration S seconds between two ticks of the tree (default: 0.1)
  --scenario-parameter-file F
                        YAML file with scenario parameter values overriding the defaults
  --create-scenario-parameter-file-template
                        write the scenario's parameters with their defaults to the file
                        given by --scenario-parameter-file, and exit
  --post-run CMD        executable run after the scenario as 'CMD <output-dir>' (needs -o)

Plugins: installed packages named scenario-execution-plugin-* (or @scope/scenario-execution-plugin-*)
in a node_modules folder above the scenario, above the engine or above this script provide actions,
modifiers and OSC libraries (import osc.<name>).

exit status: 0 when the scenario succeeded (or the dry run found no error), 1 when it failed or
could not be loaded, 2 for a mistake on the command line.`;

const OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  debug: { type: 'boolean', short: 'd' },
  'log-model': { type: 'boolean', short: 'l' },
  'live-tree': { type: 'boolean', short: 't' },
  'output-dir': { type: 'string', short: 'o', metavar: 'DIR' },
  'dry-run': { type: 'boolean', short: 'n' },
  dot: { type: 'boolean' },
  'step-duration': { type: 'string', short: 's', metavar: 'S' },
  'scenario-parameter-file': { type: 'string', metavar: 'F' },
  'create-scenario-parameter-file-template': { type: 'boolean' },
  'post-run': { type: 'string', metavar: 'CMD' },
};

/** Parse the arguments (without `node` and the script). Throws UsageError. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const line = parseCommandLine(argv, OPTIONS);
  const help = line.has('help');
  const version = line.has('version');
  const positionals = line.positionals;
  if (positionals.length > 1) {
    throw new UsageError(`only one scenario file can be given, got ${positionals.length}: ${positionals.join(', ')}`);
  }
  const scenario = positionals[0];
  if (scenario === undefined && !help && !version) throw new UsageError('no scenario file given');
  const stepText = line.value('step-duration');
  const stepDuration = stepText === undefined ? 0.1 : parseSeconds(line.flag('step-duration'), stepText);
  const parameterFile = line.value('scenario-parameter-file');
  const createTemplate = line.has('create-scenario-parameter-file-template');
  if (createTemplate && parameterFile === undefined) {
    throw optionError('--create-scenario-parameter-file-template', 'needs --scenario-parameter-file F');
  }
  const outputDir = line.value('output-dir');
  const postRun = line.value('post-run');
  // The command gets the output folder as its argument: without one it would never run.
  if (postRun !== undefined && outputDir === undefined) throw optionError('--post-run', 'needs -o, --output-dir DIR');
  return {
    debug: line.has('debug'),
    logModel: line.has('log-model'),
    liveTree: line.has('live-tree'),
    outputDir,
    dryRun: line.has('dry-run'),
    dot: line.has('dot'),
    stepDuration,
    scenarioParameterFile: parameterFile,
    createScenarioParameterFileTemplate: createTemplate,
    postRun,
    scenario,
    help,
    version,
  };
}
