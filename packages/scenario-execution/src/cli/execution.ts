/**
 * One invocation of `scenario_execution`: check the options, load and resolve
 * the scenario, build its tree, run it, record the result (console, JUnit,
 * post-run command). Mirrors the Python engine's `ScenarioExecution` flow.
 * Beyond it: colours only for a terminal (colour.ts), the live tree redrawn in
 * place on a terminal, and with `-o` a `report.html` (and with `--dot` a
 * picture of the tree coloured by the run's outcome).
 *
 * What only some runs need (the runner, tree display, dot output, the post-run
 * command) is imported when needed: a dry run starts faster without it.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { ActionBehaviour } from '../actions/action-behaviour.js';
import { builtinActions } from '../actions/builtin.js';
import { buildTree } from '../builder/build-tree.js';
import { configureExternalMethods } from '../external/common.js';
import { describeError, OscError } from '../language/diagnostics.js';
import { discoverPlugins } from '../plugins/discovery.js';
import type { Behaviour } from '../runtime/behaviour.js';
import { Blackboard } from '../runtime/blackboard.js';
import { colourEnabled, type Environment, isTerminal } from '../runtime/colour.js';
import type { LiveTreeDisplay, LiveTreeTerminal } from '../runtime/display.js';
import { Logger } from '../runtime/logger.js';
import type { TreeRunner } from '../runtime/runner.js';
import type { CliOptions } from './args.js';
import { writeStderr, writeStdout } from './batched-output.js';
import { epochSeconds, type TestCaseResult, writeJUnit } from './junit.js';
import { loadModel } from './load-model.js';
import { RunRecorder } from './report/run-record.js';

/** What the CLI needs to know of the stream behind `stdout` (`process.stdout` is one). */
export interface OutputStreamInfo {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Where the CLI writes: stdout for the log (as Python's print), stderr for errors. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The stream behind `stdout`: a terminal gets colours and the live tree
   * redrawn in place. Undefined: not a terminal (plain text).
   */
  readonly stdoutStream?: OutputStreamInfo;
  /** The environment for the colour rule (`NO_COLOR`, `FORCE_COLOR`, `TERM`); default `process.env`. */
  readonly env?: Environment;
}

export const processIO: CliIO = {
  stdout: writeStdout,
  stderr: writeStderr,
  stdoutStream: process.stdout,
};

/** `checked scenario 'name': 3 actions, not run (dry run)`: what a successful `-n` checked. */
export function dryRunSummary(scenarioName: string, root: Behaviour): string {
  let actions = 0;
  for (const node of root.iterate()) if (node instanceof ActionBehaviour) actions++;
  return `checked scenario '${scenarioName}': ${actions} action${actions === 1 ? '' : 's'}, not run (dry run)`;
}

/** An error the user caused outside any scenario file: printed as `error: message`. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Hooks to stop a run from outside (signals), and to observe it in tests. */
export interface ExecutionHooks {
  /** Called when the execution exists, before anything is loaded. */
  onExecutionCreated?(execution: Execution): void;
  /** Called once the runner exists, before the tree is set up. */
  onRunnerStarted?(runner: TreeRunner): void;
}

export class Execution {
  readonly logger: Logger;
  readonly results: TestCaseResult[] = [];
  /** Whether stdout gets colours (colour.ts). */
  readonly colour: boolean;
  private readonly outputDir: string | undefined;
  private readonly postRun: string | undefined;
  private abortReason: string | undefined;
  private runner: TreeRunner | undefined;
  /** `-t` on a terminal: the tree redrawn in place instead of printed after every tick. */
  private readonly liveOnTerminal: boolean;
  private live: LiveTreeDisplay | undefined;
  /** With `-o`: what the report and the result picture show. */
  private readonly recorder: RunRecorder | undefined;
  private tree: Behaviour | undefined;

  constructor(
    private readonly options: CliOptions,
    private readonly io: CliIO,
    private readonly hooks: ExecutionHooks = {},
  ) {
    const stream = io.stdoutStream ?? {};
    const env = io.env ?? process.env;
    this.colour = colourEnabled(stream, env);
    this.liveOnTerminal = options.liveTree && isTerminal(stream, env);
    this.recorder = options.outputDir === undefined || options.dryRun ? undefined : new RunRecorder();
    this.logger = new Logger('scenario_execution', {
      debug: options.debug,
      colour: this.colour,
      sink: (line) => this.writeLine(line),
    });
    this.postRun = options.postRun === undefined ? undefined : checkPostRun(options.postRun);
    this.outputDir = options.outputDir === undefined ? undefined : resolve(options.outputDir);
    // What `common.get_scenario_file_directory()` / `get_output_directory()` return during this run.
    configureExternalMethods({
      scenarioFileDirectory: options.scenario === undefined ? undefined : dirname(resolve(options.scenario)),
      outputDirectory: this.outputDir,
    });
    if (this.outputDir !== undefined && !options.dryRun) prepareOutputDir(this.outputDir);
  }

  /** A log line: recorded for the report, and written above the live tree while it is shown. */
  private writeLine(line: string): void {
    this.recorder?.log(line);
    if (this.live !== undefined) this.live.printAbove(`${line}\n`);
    else this.io.stdout(`${line}\n`);
  }

  /** Stop the scenario (SIGINT/SIGTERM): finishes the current tick, then fails with `reason`. */
  abort(reason = 'Aborted'): void {
    this.abortReason ??= reason;
    this.runner?.abort(reason);
  }

  /** Run everything; returns the exit code. */
  async execute(): Promise<number> {
    const loaded = await this.load();
    if (loaded === 'template written') return 0;
    if (this.options.createScenarioParameterFileTemplate) return 1;
    if (loaded && !this.options.dryRun) await this.run(loaded.root, loaded.scenarioName, loaded.blackboard);
    // A dry run that found nothing wrong says so (on stderr: stdout stays the Python engine's, which prints nothing).
    if (loaded && this.options.dryRun) this.io.stderr(`${dryRunSummary(loaded.scenarioName, loaded.root)}\n`);
    return (await this.finish()) ? 0 : 1;
  }

  /** Load, resolve and build; on failure record `Parsing of <file>` as the engine does. */
  private async load(): Promise<
    { root: Behaviour; scenarioName: string; blackboard: Blackboard } | 'template written' | undefined
  > {
    const file = this.options.scenario;
    if (file === undefined) throw new CliError('no scenario file given (see --help)');
    const start = epochSeconds();
    const fail = (output: string): undefined => {
      this.io.stderr(`${output}\n`);
      this.results.push({
        name: `Parsing of ${file}`,
        success: false,
        failureMessage: 'parsing failed',
        failureOutput: output,
        processingTime: epochSeconds() - start,
        startTime: start,
      });
      return undefined;
    };
    const extension = extname(file);
    if (extension !== '.osc' && extension !== '.sce') {
      return fail(`error: ${file}: file has unknown extension '${extension}'; allowed: .osc, .sce`);
    }
    if (!existsSync(file)) return fail(`error: ${file}: file does not exist`);
    if (!statSync(file).isFile()) return fail(`error: ${file}: not a file`);
    try {
      accessSync(file, constants.R_OK);
    } catch {
      return fail(`error: ${file}: file is not readable`);
    }

    const blackboard = new Blackboard();
    let built: { root: Behaviour; scenarioName: string };
    try {
      const plugins = discoverPlugins({ scenarioDirectory: dirname(resolve(file)) });
      const model = await loadModel(file, {
        plugins,
        logger: this.logger,
        logModel: this.options.logModel,
        parameterFile: this.options.scenarioParameterFile,
        createParameterFileTemplate: this.options.createScenarioParameterFileTemplate,
      });
      if (model === undefined) return 'template written';
      built = await buildTree({ model, blackboard, logger: this.logger, plugins, builtinActions });
    } catch (error) {
      if (error instanceof OscError) return fail(error.format());
      const recorded = fail(`error: ${describeError(error)}`);
      // An internal error: its stack helps only when debugging.
      if (this.options.debug && error instanceof Error && error.stack) this.io.stderr(`${error.stack}\n`);
      return recorded;
    }
    if (this.options.logModel) {
      const { asciiTree } = await import('../runtime/display.js');
      this.logger.print(asciiTree(built.root));
    }
    if (this.options.dot) {
      this.logger.info(`Writing py-trees dot files to ${built.root.name.toLowerCase()}.[dot|svg|png] ...`);
      const { renderDotTree } = await import('./dot.js');
      renderDotTree(built.root, this.outputDir ?? process.cwd(), (line) => this.io.stdout(`${line}\n`));
    }
    this.tree = built.root;
    return { ...built, blackboard };
  }

  private async run(root: Behaviour, scenarioName: string, blackboard: Blackboard): Promise<void> {
    const { TreeRunner } = await import('../runtime/runner.js');
    const recorder = this.recorder;
    let live: LiveTreeDisplay | undefined;
    if (this.liveOnTerminal) {
      const { LiveTreeDisplay } = await import('../runtime/display.js');
      live = new LiveTreeDisplay(root, terminalOf(this.io), { colours: this.colour });
    }
    const runner = new TreeRunner({
      root,
      scenarioName,
      blackboard,
      logger: this.logger,
      tickPeriod: this.options.stepDuration,
      scenarioFileDirectory: dirname(resolve(this.options.scenario ?? '.')),
      outputDir: this.outputDir,
      // On a terminal the live display draws the tree; piped, the runner prints it as the engine does.
      liveTree: this.options.liveTree && live === undefined,
      logResult: false,
      onTickStart: recorder === undefined ? undefined : () => recorder.tickStarted(),
      onTick: (tickCount) => {
        recorder?.tickEnded(tickCount);
        live?.update(tickCount);
      },
    });
    const startTime = epochSeconds();
    if (this.abortReason !== undefined) {
      // Stopped while loading: nothing was set up, so there is nothing to run or shut down.
      this.logger.error(`${scenarioName}: ${this.abortReason} `);
      this.results.push({
        name: scenarioName,
        success: false,
        failureMessage: this.abortReason,
        failureOutput: '',
        processingTime: 0,
        startTime,
      });
      return;
    }
    this.runner = runner;
    this.hooks.onRunnerStarted?.(runner);
    recorder?.begin(root);
    this.live = live;
    let result: Awaited<ReturnType<TreeRunner['run']>>;
    try {
      result = await runner.run();
    } finally {
      // The last drawing stays on screen; the result line goes below it.
      this.live?.finish();
      this.live = undefined;
      recorder?.end();
    }
    this.runner = undefined;
    if (result.result) {
      this.logger.info(`Scenario '${result.name}' succeeded.`);
    } else {
      const snapshot = runner.snapshot();
      if (this.options.logModel && snapshot) this.logger.error(snapshot);
      this.logger.error(`${result.name}: ${result.failureMessage} ${result.failureOutput}`);
    }
    this.results.push({
      name: result.name,
      success: result.result,
      failureMessage: result.failureMessage,
      failureOutput: result.failureOutput,
      processingTime: result.processingTime,
      startTime,
    });
  }

  /** `report.html` of the (first) result, and with `--dot` the tree coloured by the outcome. */
  private async writeRunReport(dir: string): Promise<void> {
    const recorder = this.recorder;
    const first = this.results[0];
    if (recorder === undefined || first === undefined) return;
    const record = recorder.result({
      scenario: first.name,
      file: this.options.scenario ?? '',
      startTime: new Date((first.startTime ?? epochSeconds()) * 1000),
      duration: first.processingTime,
      success: first.success,
      failureMessage: first.failureMessage,
      failureOutput: first.failureOutput,
    });
    const { writeReport } = await import('./report/report-html.js');
    writeReport(dir, record);
    if (this.options.dot && this.tree !== undefined) {
      const { renderResultPicture } = await import('./dot.js');
      const outcome = first.success ? 'succeeded' : `failed: ${first.failureMessage}`;
      renderResultPicture(this.tree, dir, (node) => recorder.statusOf(node), `${first.name} ${outcome}`);
    }
  }

  /** Overall result; writes test.xml and runs the post-run command as the engine does. */
  private async finish(): Promise<boolean> {
    let success = this.results.every((r) => r.success);
    if (this.results.length === 0 && !this.options.dryRun) success = false;
    if (this.outputDir === undefined) return success;
    if (this.options.dryRun) {
      this.io.stdout('Dry_run is enabled, no output files will be generated!\n');
      return success;
    }
    if (this.results.length === 0) return success;
    try {
      writeJUnit(this.outputDir, this.results);
      await this.writeRunReport(this.outputDir);
    } catch (error) {
      this.io.stderr(`error: could not write results to '${this.outputDir}': ${describeError(error)}\n`);
      success = false;
    }
    if (this.postRun !== undefined) {
      this.logger.info(`Running post-run: ${this.postRun} ${this.outputDir}`);
      const { spawnSync } = await import('node:child_process');
      const { pyRepr } = await import('../runtime/py-format.js');
      const run = spawnSync(this.postRun, [this.outputDir], { stdio: 'inherit' });
      if (run.error !== undefined || run.status !== 0) {
        const cause =
          run.error !== undefined
            ? run.error.message
            : run.status === null
              ? `died with ${run.signal}`
              : `returned non-zero exit status ${run.status}.`;
        this.io.stderr(`post-run failed: Command '${pyRepr([this.postRun, this.outputDir])}' ${cause}\n`);
        success = false;
      }
    }
    return success;
  }
}

/** Where the live tree draws: stdout, with the terminal's size read at each drawing (it may change). */
function terminalOf(io: CliIO): LiveTreeTerminal {
  const stream = io.stdoutStream ?? {};
  return {
    write: (text) => io.stdout(text),
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
  };
}

/** The post-run command must be an executable file (as in the engine); returns its absolute path. */
function checkPostRun(command: string): string {
  const path = resolve(command);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new CliError(`post-run command '${command}' does not exist`);
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new CliError(`post-run command '${command}' is not executable`);
  }
  return path;
}

/** Create the output directory if needed, check it is writable, remove an old test.xml. */
function prepareOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new CliError(`could not create output directory '${dir}': ${describeError(error)}`);
  }
  if (!statSync(dir).isDirectory()) throw new CliError(`output directory '${dir}' is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`output directory '${dir}' is not writable`);
  }
  rmSync(resolve(dir, 'test.xml'), { force: true });
}
