/**
 * Many remote actions in one scenario: past libzmq's default of 1,023 sockets
 * a process (341 actions, three sockets each), and a clear message naming the
 * limit when one is hit. The full 2,000 is measured by `npm run bench:load`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, Request } from 'zeromq';
import { MAX_SOCKETS, socketOpenProblem } from '../src/remote-connection.js';
import { CLI_BIN, type OurServer, runNode, startOurServer, writeScenario } from './helpers/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'se-remote-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one scenario with many remote actions', () => {
  const socket = join(dir, 'se.sock');
  let server: OurServer;
  beforeAll(async () => {
    server = await startOurServer(socket, ['--socket', socket, '--watchdog', '0', '--connect-timeout', '0']);
  });
  afterAll(() => server.stop());

  it('runs 400 parallel remote actions (past the old limit of 341)', async () => {
    let body = 'import osc.helpers\nimport osc.remote\n\nscenario wide:\n    do parallel:\n';
    for (let i = 0; i < 400; i++) body += `        log("item ${i}") with:\n            remote("${socket}")\n`;
    const cli = runNode([CLI_BIN, writeScenario(dir, 'wide', body)]);
    const code = await cli.exit(120_000);
    expect(code, cli.output().slice(-2000)).toBe(0);
    const items = cli
      .output()
      .split('\n')
      .filter((line) => line.includes(`[ipc://${socket}] item `));
    expect(new Set(items).size).toBe(400);
  });
});

describe('the socket limit', () => {
  it('is raised far above libzmq’s default for this process', async () => {
    const { context } = await import('zeromq');
    expect(context.maxSockets).toBeGreaterThanOrEqual(MAX_SOCKETS);
  });

  it('is named, with what to do, when a socket cannot be opened because of it', () => {
    const small = new Context({ maxSockets: 2 });
    const open: Request[] = [];
    let failure: unknown;
    try {
      for (let i = 0; i < 10; i++) open.push(new Request({ context: small, linger: 0 }));
    } catch (err) {
      failure = err;
    } finally {
      for (const socket of open) socket.close();
    }
    expect(failure).toBeInstanceOf(Error);
    expect(socketOpenProblem('tcp://10.0.0.5:7613', failure)).toMatch(
      /^cannot open a connection to tcp:\/\/10\.0\.0\.5:7613: ZeroMQ's limit of \d+ sockets in this process is reached/,
    );
    expect(socketOpenProblem('tcp://x:1', new Error('Invalid argument'))).toBe(
      'invalid endpoint tcp://x:1: Invalid argument',
    );
  });
});
