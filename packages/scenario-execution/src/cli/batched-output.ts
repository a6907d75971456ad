/**
 * The process's stdout, written in batches: lines written in one go of synchronous
 * code (a tick's 1,600 log lines) leave in one system call instead of one each. The
 * stream is corked at the first write and uncorked once that code is done (next tick
 * of the event loop's queue), before anything is written to stderr (so that the two
 * keep their order on a shared terminal or file), and at exit. Anything else that
 * writes to `process.stdout` meanwhile (a plugin's `console.log`) joins the same
 * batch, in order.
 */

let corked = false;
let exitHooked = false;

function uncork(): void {
  if (!corked) return;
  corked = false;
  process.stdout.uncork();
}

/** Write `text` to stdout, in the current batch. */
export function writeStdout(text: string): void {
  if (!corked) {
    corked = true;
    process.stdout.cork();
    process.nextTick(uncork);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', uncork);
    }
  }
  process.stdout.write(text);
}

/** Write `text` to stderr, after what stdout holds. */
export function writeStderr(text: string): void {
  uncork();
  process.stderr.write(text);
}
