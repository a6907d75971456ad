#!/usr/bin/env node
/**
 * The README demo (`npm run demo`, after the build): start a
 * scenario_execution_server on a Unix socket in a temporary directory, run
 * scenario.osc whose run_process actions execute on that server (their output
 * is printed by the client), stop the server. Exits 0 only if all of it worked.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverBin = join(root, 'packages/server/bin/scenario_execution_server.js');
const cliBin = join(root, 'packages/scenario-execution/bin/scenario_execution.js');
const scenario = fileURLToPath(new URL('./scenario.osc', import.meta.url));

/** A line the scenario's second remote process prints (see scenario.osc). */
const EXPECTED_REMOTE_LINE = 'hello from the scenario_execution_server';
const SERVER_START_LIMIT_MS = 20_000;
const SCENARIO_LIMIT_MS = 60_000;
const SERVER_STOP_LIMIT_MS = 15_000;

/** Resolve with the exit code (or signal name) of a child, or 'timeout' after `ms` (then kill it). */
function exitOf(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode ?? child.signalCode);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/** Start the server and wait until it says it listens. */
function startServer(socketPath) {
  const server = spawn(process.execPath, [serverBin, '--socket', socketPath, '--watchdog', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), SERVER_START_LIMIT_MS);
    const onData = (data) => {
      output += data.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return { server, ready, output: () => output };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'se-demo-'));
  const socketPath = join(dir, 'se.sock');
  const started = startServer(socketPath);
  try {
    await started.ready;
    console.log(`demo: scenario_execution_server listening on ipc://${socketPath}`);

    // The scenario's `server` parameter, overridden to point at our socket.
    const parameterFile = join(dir, 'parameters.yaml');
    writeFileSync(parameterFile, `remote_demo:\n  server: ${JSON.stringify(socketPath)}\n`);

    console.log(`demo: running ${scenario}\n`);
    const cli = spawn(process.execPath, [cliBin, scenario, '--scenario-parameter-file', parameterFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Show the client's output as it comes, and keep it to check the remote lines arrived.
    let cliOutput = '';
    const show = (stream) => (data) => {
      cliOutput += data.toString();
      stream.write(data);
    };
    cli.stdout.on('data', show(process.stdout));
    cli.stderr.on('data', show(process.stderr));
    const cliExit = await exitOf(cli, SCENARIO_LIMIT_MS);

    started.server.kill('SIGTERM');
    const serverExit = await exitOf(started.server, SERVER_STOP_LIMIT_MS);
    console.log('');
    if (cliExit !== 0) {
      console.error(`demo: FAILED, scenario_execution exited with ${cliExit}`);
      return 1;
    }
    if (serverExit !== 0) {
      console.error(`demo: FAILED, the server exited with ${serverExit}:\n${started.output()}`);
      return 1;
    }
    if (!cliOutput.includes(`[ipc://${socketPath}] ${EXPECTED_REMOTE_LINE}`)) {
      console.error('demo: FAILED, the output of the remote process did not reach the client');
      return 1;
    }
    console.log('demo: scenario succeeded, server stopped');
    return 0;
  } catch (err) {
    console.error(`demo: FAILED, ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (started.server.exitCode === null && started.server.signalCode === null) started.server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
