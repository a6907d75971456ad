/**
 * One invocation of `scenario_execution`: check the options, load and resolve
 * the scenario, build its tree, run it, record the result (console, JUnit,
 * post-run command). Mirrors the Python engine's `ScenarioExecution` flow.
 *
 * What only some runs need (the runner, tree display, dot output, the post-run
 * command) is imported when needed: a dry run starts faster without it.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { builtinActions } from '../actions/builtin.js';
import { buildTree } from '../builder/build-tree.js';
import { configureExternalMethods } from '../external/common.js';
import { describeError, OscError } from '../language/diagnostics.js';
import { discoverPlugins } from '../plugins/discovery.js';
import type { Behaviour } from '../runtime/behaviour.js';
import { Blackboard } from '../runtime/blackboard.js';
import { Logger } from '../runtime/logger.js';
import type { TreeRunner } from '../runtime/runner.js';
import type { CliOptions } from './args.js';
import { epochSeconds, type TestCaseResult, writeJUnit } from './junit.js';
import { loadModel } from './load-model.js';

/** Where the CLI writes: stdout for the log (as Python's print), stderr for errors. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

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
  private readonly outputDir: string | undefined;
  private readonly postRun: string | undefined;
  private abortReason: string | undefined;
  private runner: TreeRunner | undefined;

  constructor(
    private readonly options: CliOptions,
    private readonly io: CliIO,
    private readonly hooks: ExecutionHooks = {},
  ) {
    this.logger = new Logger('scenario_execution', { debug: options.debug, sink: (line) => io.stdout(`${line}\n`) });
    this.postRun = options.postRun === undefined ? undefined : checkPostRun(options.postRun);
    this.outputDir = options.outputDir === undefined ? undefined : resolve(options.outputDir);
    // What `common.get_scenario_file_directory()` / `get_output_directory()` return during this run.
    configureExternalMethods({
      scenarioFileDirectory: options.scenario === undefined ? undefined : dirname(resolve(options.scenario)),
      outputDirectory: this.outputDir,
    });
    if (this.outputDir !== undefined && !options.dryRun) prepareOutputDir(this.outputDir);
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
    if (extension !== '.osc') {
      return fail(`error: ${file}: file has unknown extension '${extension}'; allowed: .osc`);
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
    return { ...built, blackboard };
  }

  private async run(root: Behaviour, scenarioName: string, blackboard: Blackboard): Promise<void> {
    const { TreeRunner } = await import('../runtime/runner.js');
    const runner = new TreeRunner({
      root,
      scenarioName,
      blackboard,
      logger: this.logger,
      tickPeriod: this.options.stepDuration,
      scenarioFileDirectory: dirname(resolve(this.options.scenario ?? '.')),
      outputDir: this.outputDir,
      liveTree: this.options.liveTree,
      logResult: false,
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
    const result = await runner.run();
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
