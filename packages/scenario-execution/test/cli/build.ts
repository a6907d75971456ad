/**
 * Builds the engine (and the example plugin) once before tests that need
 * `dist/`: spawned CLI runs and the example plugin's compiled module. Test
 * files run in parallel processes, so a lock directory keeps two `tsc -b`
 * from writing the same files at once; `tsc -b` itself is incremental.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'packages', 'scenario-execution', 'bin', 'scenario_execution.js');

const LOCK = join(tmpdir(), `scenario-execution-build-${REPO_ROOT.replace(/[^A-Za-z0-9]/g, '_')}.lock`);
const STALE_LOCK_MS = 180_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(): void {
  for (let attempt = 0; attempt < 1200; attempt++) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Removed by its owner meanwhile.
      }
      sleep(100);
    }
  }
  throw new Error(`could not acquire build lock ${LOCK}`);
}

const builtSets = new Set<string>();

/**
 * Run `tsc -b` for the engine and the example plugin (and, with `withServer`,
 * the remote plugin and the server); throws when outputs are missing.
 */
export function buildOnce(options: { withServer?: boolean } = {}): void {
  const key = options.withServer ? 'server' : 'engine';
  if (builtSets.has(key)) return;
  acquireLock();
  try {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const projects = ['packages/scenario-execution', 'examples/plugin-hello'];
    if (options.withServer) projects.push('packages/protocol', 'packages/remote', 'packages/server');
    const result = spawnSync(process.execPath, [tsc, '-b', ...projects], { cwd: REPO_ROOT, encoding: 'utf8' });
    const outputs = [
      join(REPO_ROOT, 'packages', 'scenario-execution', 'dist', 'cli', 'main.js'),
      join(REPO_ROOT, 'packages', 'scenario-execution', 'dist', 'index.js'),
      join(REPO_ROOT, 'examples', 'plugin-hello', 'dist', 'hello.js'),
    ];
    if (options.withServer) {
      outputs.push(
        join(REPO_ROOT, 'packages', 'remote', 'dist', 'remote-modifier.js'),
        join(REPO_ROOT, 'packages', 'server', 'dist', 'main.js'),
      );
    }
    const missing = outputs.filter((file) => !existsSync(file));
    if (missing.length > 0) {
      throw new Error(`build did not produce ${missing.join(', ')}:\n${result.stdout}${result.stderr}`);
    }
    builtSets.add(key);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
