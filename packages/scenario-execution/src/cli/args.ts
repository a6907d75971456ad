/**
 * Command-line options of `scenario_execution`: the flags of the Python
 * engine, plus `--help` and `--version`.
 */
import { parseArgs } from 'node:util';

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

/** A mistake on the command line; printed as `error: message` with a hint to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP_TEXT = `usage: scenario_execution [options] [scenario]

Run an OpenSCENARIO DSL 2 scenario (.osc) as a behaviour tree.

positional arguments:
  scenario              scenario file to execute

options:
  -h, --help            show this help and exit
  --version             print the version and exit
  -d, --debug           debugging output (debug log lines, stack traces of internal errors)
  -l, --log-model       print the resolved model and the behaviour tree; log the tree on failure
  -t, --live-tree       print the tree with the status of every node after each tick
  -o, --output-dir DIR  directory for output: test results as DIR/test.xml (JUnit), dot files
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

/** Parse the arguments (without `node` and the script). */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (e) {
    // Node's messages name the option; drop its hint about `--` which does not apply here.
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`only one scenario file can be given, got ${positionals.length}: ${positionals.join(', ')}`);
  }
  let stepDuration = 0.1;
  if (values['step-duration'] !== undefined) {
    const text = values['step-duration'];
    stepDuration = Number(text);
    if (text.trim() === '' || !Number.isFinite(stepDuration) || stepDuration < 0) {
      throw new UsageError(`option '-s, --step-duration' needs a number of seconds >= 0, got '${text}'`);
    }
  }
  if (values['create-scenario-parameter-file-template'] && values['scenario-parameter-file'] === undefined) {
    throw new UsageError('--create-scenario-parameter-file-template needs --scenario-parameter-file FILE');
  }
  return {
    debug: values.debug ?? false,
    logModel: values['log-model'] ?? false,
    liveTree: values['live-tree'] ?? false,
    outputDir: values['output-dir'],
    dryRun: values['dry-run'] ?? false,
    dot: values.dot ?? false,
    stepDuration,
    scenarioParameterFile: values['scenario-parameter-file'],
    createScenarioParameterFileTemplate: values['create-scenario-parameter-file-template'] ?? false,
    postRun: values['post-run'],
    scenario: positionals[0],
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      debug: { type: 'boolean', short: 'd' },
      'log-model': { type: 'boolean', short: 'l' },
      'live-tree': { type: 'boolean', short: 't' },
      'output-dir': { type: 'string', short: 'o' },
      'dry-run': { type: 'boolean', short: 'n' },
      dot: { type: 'boolean' },
      'step-duration': { type: 'string', short: 's' },
      'scenario-parameter-file': { type: 'string' },
      'create-scenario-parameter-file-template': { type: 'boolean' },
      'post-run': { type: 'string' },
    },
  });
}
