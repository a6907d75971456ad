#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
import { main } from '../dist/main.js';

// A reader that went away (`… | head`) must not crash the run with a stack trace:
// drop further output and let the run finish and clean up.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const code = await main(process.argv.slice(2));
// Exit explicitly: a plugin that leaves a handle open must not keep the process alive.
// But first let stdout/stderr drain: a full pipe or socket makes Node queue writes,
// and process.exit would drop them. (An empty write calls back after the ones before it.)
process.exitCode = code;
setTimeout(() => process.exit(code), 10_000).unref();
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
