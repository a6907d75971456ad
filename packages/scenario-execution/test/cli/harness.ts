/** Runs the CLI in-process on scenario text, with stdout/stderr captured. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Execution } from '../../src/cli/execution.js';
import { main } from '../../src/cli/main.js';
import type { TreeRunner } from '../../src/runtime/runner.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Messages of the `[scenario_execution] [INFO]` lines. */
  readonly info: string[];
  /** Messages of the `[scenario_execution] [ERROR]` lines (colour codes removed). */
  readonly errors: string[];
  /** The temporary directory holding the scenario (and other files). */
  readonly dir: string;
}

const dirs: string[] = [];

/** A fresh temporary directory, removed by {@link cleanUpRuns}. */
export function tempDir(prefix = 'se-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanUpRuns(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function messages(stdout: string, level: string): string[] {
  const prefix = `[scenario_execution] [${level}] `;
  const out: string[] = [];
  // Strip colour codes; an ERROR message may span several lines up to the reset code.
  const clean = stdout.replace(/\x1b\[3[13]m/g, '').replace(/\n?\x1b\[0m/g, '');
  const lines = clean.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith(prefix)) continue;
    let message = line.slice(prefix.length);
    while (level === 'ERROR' && i + 1 < lines.length && /^ {4}/.test(lines[i + 1] as string)) {
      message += `\n${lines[++i]}`;
    }
    out.push(message);
  }
  return out;
}

/**
 * Run `scenario_execution <args> <dir>/test.osc` in-process on `scenario`.
 * `args` may contain `{dir}`, replaced by the temporary directory.
 */
export async function runScenario(
  scenario: string | undefined,
  args: readonly string[] = [],
  options: {
    files?: Readonly<Record<string, string>>;
    onRunner?: (runner: TreeRunner) => void;
    onExecution?: (execution: Execution) => void;
  } = {},
): Promise<CliRun> {
  const dir = tempDir();
  if (scenario !== undefined) writeFiles(dir, { 'test.osc': scenario });
  if (options.files) writeFiles(dir, options.files);
  let stdout = '';
  let stderr = '';
  const argv = args.map((a) => a.replaceAll('{dir}', dir));
  if (scenario !== undefined) argv.push(join(dir, 'test.osc'));
  const code = await main(argv, {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    handleSignals: false,
    hooks: { onRunnerStarted: options.onRunner, onExecutionCreated: options.onExecution },
  });
  return { code, stdout, stderr, info: messages(stdout, 'INFO'), errors: messages(stdout, 'ERROR'), dir };
}
