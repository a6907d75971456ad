/**
 * What the server and remote benches share: where the built commands are, a check
 * that they are built, a pause, a free loopback port, and one definition of a
 * percentile (nearest rank), so that a p99 means the same in every table.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CLI_BIN = join(ROOT, 'packages/scenario-execution/bin/scenario_execution.js');
/** The server's command; `BENCH_SERVER_BIN` names another build of it (an A/B comparison). */
export const SERVER_BIN =
  process.env.BENCH_SERVER_BIN ?? join(ROOT, 'packages/server/bin/scenario_execution_server.js');

/** True when the server (and so everything it depends on) is built. */
export function serverIsBuilt() {
  return existsSync(join(ROOT, 'packages/server/dist/main.js'));
}

/** Exits with one line when the server is not built. */
export function requireServerBuild() {
  if (serverIsBuilt()) return;
  console.error('bench: not built; run `npm run build` first');
  process.exit(1);
}

/**
 * The command that starts the Python `scenario_execution_server`, for figures side by
 * side with it: `PY_SCENARIO_EXECUTION_SERVER`, else the reference install of this
 * development machine when it is there (/work/pyref), else undefined (no Python column).
 */
export const PYTHON_SERVER =
  process.env.PY_SCENARIO_EXECUTION_SERVER ??
  (existsSync('/work/pyref/bin/py-scenario-execution-server')
    ? '/work/pyref/bin/py-scenario-execution-server'
    : undefined);

export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `p`-th percentile (0–100) of ascending `sorted`, by nearest rank; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A bare zeromq.js ROUTER that answers every request with the bytes of `{status: 'ok'}`: the
 * library's floor, for `node -e ECHO_SOURCE ADDRESS…` (prints `listening on …` once bound).
 */
export const ECHO_SOURCE = `
const { Router } = require(${JSON.stringify(join(ROOT, 'node_modules/zeromq'))});
const ok = Buffer.from([0x81, 0xa6, 0x73, 0x74, 0x61, 0x74, 0x75, 0x73, 0xa2, 0x6f, 0x6b]);
(async () => {
  const router = new Router({ linger: 0 });
  for (const address of process.argv.slice(1)) await router.bind(address);
  console.log('listening on ' + process.argv.slice(1).join(' '));
  for await (const frames of router) { frames[frames.length - 1] = ok; await router.send(frames); }
})();
`;
