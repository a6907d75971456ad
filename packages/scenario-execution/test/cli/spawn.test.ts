/** The installed command as a process: exit statuses and signals. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, CLI_BIN } from './build.js';
import { cleanUpRuns, tempDir, writeFiles } from './harness.js';

beforeAll(() => buildOnce());
afterAll(cleanUpRuns);

const LONG =
  'import osc.helpers\n\nscenario long_one:\n    do serial:\n        log("started")\n        wait elapsed(30s)\n';

function runBin(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Start the command, wait until it logged `marker`, send `signal`, collect the outcome. */
function interruptAfter(args: string[], marker: string, signal: NodeJS.Signals) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit in time; stdout: ${stdout}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes(marker)) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('scenario_execution as a process', () => {
  it('exits 0 on success and 1 on failure', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'ok.osc': 'import osc.helpers\n\nscenario ok:\n    do log("fine")\n',
      'bad.osc': 'import osc.helpers\n\nscenario bad:\n    do run_process("false")\n',
    });
    const ok = runBin(['-s', '0.01', join(dir, 'ok.osc')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(
      "[scenario_execution] [INFO] Executing scenario 'ok'\n[scenario_execution] [INFO] fine\n[scenario_execution] [INFO] Scenario 'ok' succeeded.\n",
    );
    const bad = runBin(['-s', '0.01', join(dir, 'bad.osc')]);
    expect(bad.status).toBe(1);
    // Piped: no colour codes (colours are for terminals only).
    expect(bad.stdout).toContain('\n[scenario_execution] [ERROR] bad: execution failed. ');
    expect(bad.stdout).not.toContain('\x1b[');
    const usage = runBin(['--bogus']);
    expect(usage.status).toBe(2);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('aborts cleanly on %s and records "Aborted"', async (signal) => {
    const dir = tempDir();
    writeFiles(dir, { 'long.osc': LONG });
    const outcome = await interruptAfter(['-o', join(dir, 'out'), join(dir, 'long.osc')], '] started\n', signal);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('[scenario_execution] [ERROR] long_one: Aborted {-} long_one [*]');
    expect(outcome.stderr).toBe('');
    const xml = readFileSync(join(dir, 'out', 'test.xml'), 'utf8');
    expect(xml).toContain('<testsuite errors="0" failures="1" name="scenario_execution" tests="1"');
    expect(xml).toContain('<failure message="Aborted">{-} long_one [*]');
  });
});

describe('scenario_execution with a reader that goes away', () => {
  it('finishes the run without a stack trace when stdout is closed early (as `| head -1`)', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 200 }, (_, i) => `        log("line ${i}")`).join('\n');
    writeFiles(dir, { 'chatty.osc': `import osc.helpers\n\nscenario chatty:\n    do serial:\n${lines}\n` });
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BIN, '-s', '0.01', join(dir, 'chatty.osc')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('no exit in time'));
      }, 20_000);
      child.stdout.once('data', () => child.stdout.destroy());
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('exit', (code) => {
        clearTimeout(guard);
        resolve({ code, stderr });
      });
    });
    expect(outcome.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(outcome.code).toBe(0);
  });
});
