/**
 * Integration: the CLI runs an action on a `scenario_execution_server` through
 * the `remote()` modifier of the installed remote plugin (Unix socket).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, REPO_ROOT } from './build.js';
import { cleanUpRuns, runScenario, tempDir } from './harness.js';

let server: ChildProcess | undefined;
let socket = '';

/** Start the server; resolve once it reports that it listens (bounded). */
function startServer(path: string): Promise<ChildProcess> {
  const bin = join(REPO_ROOT, 'packages', 'server', 'bin', 'scenario_execution_server.js');
  const child = spawn(process.execPath, [bin, '--socket', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(guard);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

beforeAll(async () => {
  buildOnce({ withServer: true });
  socket = join(tempDir('se-remote-'), 'se.sock');
  server = await startServer(socket);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  cleanUpRuns();
});

describe('remote() from the command line', () => {
  it('runs the wrapped action on the server and shows its output', async () => {
    const run = await runScenario(
      `import osc.helpers
import osc.remote

scenario remote_test:
    do serial:
        log("local")
        run_process("echo remote-hello") with:
            remote("${socket}")
        log("done")
`,
      ['-s', '0.02'],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.info[0]).toBe("Executing scenario 'remote_test'");
    expect(run.info.slice(1, 4)).toEqual(['local', `[ipc://${socket}] remote-hello`, 'done']);
  });

  it('fails the scenario when the remote action fails', async () => {
    const run = await runScenario(
      `import osc.helpers\nimport osc.remote\n\nscenario remote_fail:\n    do run_process("false") with:\n        remote("${socket}")\n`,
      ['-s', '0.02'],
    );
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/^remote_fail: execution failed\. /);
  });
});
