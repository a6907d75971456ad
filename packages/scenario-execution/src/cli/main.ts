/**
 * Entry point of the `scenario_execution` command.
 *
 * Exit status: 0 when the scenario succeeded (or a dry run found no error),
 * 1 when it failed or could not be loaded, 2 for a command-line mistake.
 * User errors print without a stack trace (`--debug` adds it for internal errors).
 */
import { readFileSync } from 'node:fs';
import { errorMessage, OscError } from '../language/diagnostics.js';
import { USAGE_EXIT_STATUS, usageErrorText } from './arg-parser.js';
import { HELP_TEXT, parseCliArgs, USAGE_LINE, UsageError } from './args.js';
import { CliError, type CliIO, Execution, type ExecutionHooks, processIO } from './execution.js';

// For pages that link to a run's report (the batch index of scenario_batch_execution).
export { escapeHtml, REPORT_FILE } from './report/html-text.js';

export interface MainOptions {
  /** Output streams (default: the process's). */
  readonly io?: CliIO;
  /** Stop the run on SIGINT/SIGTERM/SIGHUP (default: true). */
  readonly handleSignals?: boolean;
  readonly hooks?: ExecutionHooks;
}

/** The engine's version, from its package.json. */
export function engineVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

const ABORT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Run the command with `argv` (the arguments after the script); resolves to the exit status. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  let debug = argv.includes('-d') || argv.includes('--debug');
  let execution: Execution | undefined;
  let signalCount = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalCount += 1;
    if (signalCount > 1) {
      // A second signal while shutting down: stop waiting for cleanup.
      io.stderr(`error: ${signal} received again, exiting without cleanup\n`);
      process.exit(1);
    }
    execution?.abort('Aborted');
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) for (const signal of ABORT_SIGNALS) process.on(signal, onSignal);
  try {
    const cli = parseCliArgs(argv);
    debug = cli.debug;
    if (cli.help) {
      io.stdout(`${HELP_TEXT}\n`);
      return 0;
    }
    if (cli.version) {
      io.stdout(`scenario_execution ${engineVersion()}\n`);
      return 0;
    }
    execution = new Execution(cli, io, options.hooks);
    options.hooks?.onExecutionCreated?.(execution);
    return await execution.execute();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(usageErrorText(error.message, USAGE_LINE));
      return USAGE_EXIT_STATUS;
    }
    if (error instanceof OscError) {
      io.stderr(`${error.format()}\n`);
      return 1;
    }
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr(`error: ${errorMessage(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 1;
  } finally {
    if (handleSignals) for (const signal of ABORT_SIGNALS) process.off(signal, onSignal);
  }
}
