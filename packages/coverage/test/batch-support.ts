/** Running `scenario_batch_execution` (the built command) in tests, on temporary folders. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BATCH_BIN = join(REPO, 'packages/coverage/bin/scenario_batch_execution.js');
export const SE_BIN = join(REPO, 'packages/scenario-execution/bin/scenario_execution.js');
export const FIXTURES = join(REPO, 'packages/coverage/test/fixtures/batch');
const DIST_MAIN = join(REPO, 'packages/coverage/dist/scenario_batch_execution-main.js');

/** Our scenario_execution as a launch command. */
export const SE_COMMAND = [process.execPath, SE_BIN, '{SCENARIO}', '-o', '{OUTPUT_DIR}'];

export function requireBuild(): void {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run 'npm run build' first`);
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the batch command to its end. */
export function runBatchCommand(args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BATCH_BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Start the batch command; its output is collected. */
export function startBatchCommand(
  args: readonly string[],
  cwd: string,
): { child: ChildProcess; output: () => string; exited: Promise<number | string> } {
  const child = spawn(process.execPath, [BATCH_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal as string)));
  });
  return { child, output: () => output, exited };
}

/** A fresh temporary folder, removed by `remove`. */
export function tempDir(prefix = 'se-batch-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Write scenario files `{ name: text }` into `dir`. */
export function writeScenarios(dir: string, scenarios: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(scenarios)) writeFileSync(join(dir, name), text);
}

export function copyFixture(from: string, to: string): void {
  cpSync(join(FIXTURES, from), to, { recursive: true });
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A combined or single test.xml with its run-dependent numbers (times, start times) blanked. */
export function withoutTimes(xml: string): string {
  return xml.replace(/ time="[^"]*"/g, ' time="…"').replace(/(name="start_time" value=)"[^"]*"/g, '$1"…"');
}

/** The files under `dir` (relative paths, sorted). */
export function filesUnder(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...filesUnder(dir, path));
    else found.push(path);
  }
  return found.sort();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` until it is true, at most `tries` times `intervalMs` apart; returns whether it became true. */
export async function pollUntil(check: () => boolean, tries = 1200, intervalMs = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (check()) return true;
    await sleep(intervalMs);
  }
  return check();
}

/** A tiny scenario: logs, then waits `seconds`. */
export function waitingScenario(name: string, seconds: number, message = `hello from ${name}`): string {
  return `import osc.helpers\n\nscenario ${name}:\n    do serial:\n        log("${message}")\n        wait elapsed(${seconds}s)\n`;
}

/** A tiny scenario that fails: its process exits non-zero. */
export function failingScenario(name: string): string {
  return `import osc.helpers\n\nscenario ${name}:\n    do serial:\n        log("failing on purpose")\n        run_process("false")\n`;
}

/**
 * Test options of suites that start many processes: a hang guard long enough for a
 * machine shared by several builds (the default 30 s is not), not a performance bound.
 */
export const SPAWNING = { timeout: 180_000 } as const;
