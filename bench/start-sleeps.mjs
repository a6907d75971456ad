#!/usr/bin/env node
/**
 * `node bench/start-sleeps.mjs COUNT SECONDS`: starts COUNT `sleep SECONDS` at once through the
 * process supervisor our server uses for `run_process` (the native one when built), and exits
 * once all have ended (status 0) or after SECONDS + 30 s (status 1).
 *
 * bench/load.mjs runs it beside a bare echo server: the heartbeat round trips measured then are
 * what the starts alone cost a server that does nothing else, the floor of its figure (a).
 */
import { processSupervisor } from 'scenario-execution/process-supervisor';

const count = Number(process.argv[2] ?? 300);
const seconds = Number(process.argv[3] ?? 1);
const supervisor = processSupervisor();
let ended = 0;
const listener = {
  line() {},
  closed() {},
  exit() {
    if (++ended === count) process.exit(0);
  },
  lost(reason) {
    console.error(`start-sleeps: a sleep was lost: ${reason}`);
    process.exit(1);
  },
};
setTimeout(
  () => {
    console.error(`start-sleeps: ${count - ended} of ${count} sleeps still running after ${seconds + 30} s`);
    process.exit(1);
  },
  (seconds + 30) * 1000,
).unref();
const results = await Promise.all(
  Array.from({ length: count }, () => supervisor.spawn('sleep', [String(seconds)], listener)),
);
const failed = results.find((r) => !r.ok);
if (failed) {
  console.error(`start-sleeps: a start failed: ${failed.message}`);
  process.exit(1);
}
