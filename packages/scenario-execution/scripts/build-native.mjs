#!/usr/bin/env node
/**
 * Builds the native process supervisor (`native/se-spawner.c`) into
 * `dist/native/se-spawner`, for `npm run build`.
 *
 * The compiler is `$CC`, else the first of `cc`, `gcc`, `clang` that runs.
 * Without one (or on a system other than Linux), or when the program does not
 * compile or run, it prints one line saying that `run_process` will use the
 * Node process supervisor, and exits 0: the Node supervisor does the same
 * work, at a higher CPU cost per process. Nothing is done when the executable
 * is newer than the source and this script.
 *
 * The executable is written under a temporary name and renamed into place, so
 * that a supervisor running the previous one is not disturbed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(packageDir, 'native', 'se-spawner.c');
const target = join(packageDir, 'dist', 'native', 'se-spawner');
const FALLBACK = 'run_process will use the Node process supervisor';

/** Modification time in ms, or undefined when the file is missing. */
function modified(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function skip(reason) {
  console.log(`se-spawner not built (${reason}): ${FALLBACK}`);
  process.exit(0);
}

if (process.platform !== 'linux') skip(`it needs Linux, this is ${process.platform}`);

const built = modified(target);
if (
  built !== undefined &&
  built >= (modified(source) ?? 0) &&
  built >= (modified(fileURLToPath(import.meta.url)) ?? 0)
) {
  process.exit(0);
}

const candidates = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
const compiler = candidates.find((name) => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0);
if (compiler === undefined) skip(`no C compiler found: ${candidates.join(', ')}`);

mkdirSync(dirname(target), { recursive: true });
const temporary = `${target}.${process.pid}.tmp`;
const compiled = spawnSync(compiler, ['-std=c99', '-O2', '-Wall', '-Wextra', '-o', temporary, source], {
  encoding: 'utf8',
});
if (compiled.status !== 0) {
  rmSync(temporary, { force: true });
  const output = `${compiled.stderr ?? ''}${compiled.stdout ?? ''}`.trim();
  if (output !== '') console.log(output.split('\n').slice(0, 20).join('\n'));
  skip(`${compiler} failed${compiled.error ? `: ${compiled.error.message}` : ''}`);
}
if (compiled.stderr?.trim()) console.log(compiled.stderr.trim());

const version = spawnSync(temporary, ['--version'], { encoding: 'utf8' });
if (version.status !== 0 || !version.stdout.startsWith('se-spawner ')) {
  rmSync(temporary, { force: true });
  skip('the program built does not run');
}
renameSync(temporary, target);
console.log(`built ${join('packages', 'scenario-execution', 'dist', 'native', 'se-spawner')} with ${compiler}`);
