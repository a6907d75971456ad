/**
 * `scenario_execution_server` entry point: parse the command line, serve until
 * the watchdog, the connect timeout or a signal (SIGTERM/SIGINT/SIGHUP) stops it,
 * reset every action, and return the exit code. Also the commands that do not
 * serve: `--check`, `--list-actions`, `--generate-curve-keys`.
 */
import { readFileSync } from 'node:fs';
import { USAGE_EXIT_STATUS, usageErrorText } from 'scenario-execution/arg-parser';
import { checkLine, checkServer } from './check.js';
import {
  type CheckRequest,
  DEFAULT_KEY_NAME,
  type GenerateKeysRequest,
  HELP,
  type ListActionsRequest,
  PROGRAM,
  parseServerArgs,
  printError,
  type ServerArgs,
  USAGE_LINE,
} from './cli-args.js';
import { CurveKeyError, generateServerKeys } from './curve.js';
import type { RunOptions } from './serve.js';

export { HOST_LOGGER_NAME, LOGGER_NAME } from './log.js';
export type { RunOptions } from './serve.js';

export function serverVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * Serve with parsed arguments until stopped; returns the exit code. The
 * serving code (engine, plugins, metrics) is loaded only now.
 */
export async function runServer(args: ServerArgs, options: RunOptions = {}): Promise<number> {
  const serve = await import('./serve.js');
  return serve.runServer(args, options);
}

/** The command line program: `main(process.argv.slice(2))`. */
export async function main(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const parsed = parseServerArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(`${HELP}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${PROGRAM} ${serverVersion()}\n`);
      return 0;
    case 'error':
      process.stderr.write(usageErrorText(parsed.message, USAGE_LINE));
      return USAGE_EXIT_STATUS;
    case 'generate-keys':
      return writeKeys(parsed.request);
    case 'check':
      return runCheck(parsed.request);
    case 'list-actions':
      return printActions(parsed.request);
    case 'run':
      return runServer(parsed.args, options);
  }
}

/** `--check ENDPOINT`: one line on stdout, 0 when the server answered, else 1. */
async function runCheck(request: CheckRequest): Promise<number> {
  const result = await checkServer(request);
  process.stdout.write(`${checkLine(result)}\n`);
  return result.ok ? 0 : 1;
}

/** `--list-actions`: the listing on stdout; a broken plugin or a missing `--plugin-dir` is one error line and 1. */
async function printActions(request: ListActionsRequest): Promise<number> {
  const { formatActionList, listActions } = await import('./list-actions.js');
  const { checkPluginDirs } = await import('./plugin-dirs.js');
  let listing: ReturnType<typeof listActions>;
  try {
    checkPluginDirs(request.pluginDirs);
    listing = listActions(request);
  } catch (err) {
    printError(err instanceof Error ? err.message : String(err));
    return 1;
  }
  if (request.json) process.stdout.write(`${JSON.stringify(listing.actions, null, 2)}\n`);
  else if (listing.actions.length > 0) process.stdout.write(`${formatActionList(listing.actions)}\n`);
  for (const name of listing.unknownAllowed) {
    process.stderr.write(`${PROGRAM}: warning: --allow-actions names '${name}', which no package provides\n`);
  }
  return 0;
}

/** `--generate-curve-keys DIR [--name NAME]`: write a key pair, print where and what for, exit. */
function writeKeys(request: GenerateKeysRequest): number {
  try {
    const written = generateServerKeys(request.dir, request.name);
    const text =
      request.name === DEFAULT_KEY_NAME
        ? `secret key: ${written.secretFile} (keep it on the server: --curve-secret-key-file ${written.secretFile})\n` +
          `public key: ${written.publicFile} (give it to clients: server_public_key: "${written.publicKey}")\n`
        : `secret key: ${written.secretFile} (keep it secret: a client's client_key_file, or a server's --curve-secret-key-file)\n` +
          `public key: ${written.publicFile} (a client's key: put it in the server's --curve-authorized-keys; a server's: give it as server_public_key)\n`;
    process.stdout.write(text);
    return 0;
  } catch (err) {
    if (!(err instanceof CurveKeyError)) throw err;
    printError(err.message);
    return 1;
  }
}
