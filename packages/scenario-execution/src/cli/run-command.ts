/**
 * Process-level wrapper of a command's `main`, shared by the launchers of
 * `scenario_execution` and `scenario_execution_server`.
 */

import { errorMessage } from '../language/diagnostics.js';
import { writeStderr } from './batched-output.js';

/** Run `main` with the process's arguments and exit with its status. */
export async function runCommand(main: (argv: string[]) => Promise<number>): Promise<void> {
  // A reader that went away (`… | head`) must not crash the run with a stack
  // trace: drop further output and let the run finish and clean up.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (error) {
    // Last resort for a failure `main` did not turn into a message: one line, no stack trace.
    writeStderr(`error: ${oneLine(error)}\n`);
    code = 1;
  }
  // Exit explicitly: a plugin that leaves a handle open must not keep the
  // process alive. First let stdout/stderr drain: on a full pipe Node queues
  // writes, and exiting at once would drop them (an empty write calls back
  // after the ones before it).
  process.exitCode = code;
  // Nothing queued (pipes, files and terminals are written synchronously on Linux): exit now,
  // not a turn of the event loop later, in which a garbage collection may start (~18 ms after
  // a large run).
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  setTimeout(() => process.exit(code), 10_000).unref();
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** The message of anything thrown, on a single line. */
function oneLine(error: unknown): string {
  const text = errorMessage(error);
  return text.trim().replace(/\s*\n\s*/g, ' ') || (error instanceof Error ? error.name : 'unknown error');
}
