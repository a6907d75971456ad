import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'zeromq';
import { ServerStartError } from '../src/server.js';
import { TestClient } from './support/client.js';
import { type RunningServer, startServer, tempDir } from './support/harness.js';

const PYTHON = '/usr/bin/python3';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(address: string): Promise<RunningServer> {
  const running = await startServer({ address });
  cleanups.push(() => running.close());
  return running;
}

function socketDir(): string {
  const dir = tempDir('se-sock-');
  cleanups.push(dir.remove);
  return dir.path;
}

async function heartbeat(address: string): Promise<unknown> {
  const c = new TestClient(address, 3000);
  try {
    return await c.call('heartbeat', {});
  } finally {
    c.close();
  }
}

describe('Unix domain socket', () => {
  it('serves over ipc:// and removes its socket file when closed', async () => {
    const path = join(socketDir(), 'se.sock');
    const running = await serve(`ipc://${path}`);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(await heartbeat(`ipc://${path}`)).toEqual({ status: 'ok' });
    await running.close();
    expect(existsSync(path)).toBe(false);
  });

  it('replaces the stale socket file of a dead server', async () => {
    const path = join(socketDir(), 'stale.sock');
    // A socket file nobody listens on, as a killed server leaves behind.
    execFileSync(PYTHON, ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
    expect(lstatSync(path).isSocket()).toBe(true);
    const running = await serve(`ipc://${path}`);
    expect(running.lines.some((l) => l.includes(`Removing stale socket file ${path}`))).toBe(true);
    expect(await heartbeat(`ipc://${path}`)).toEqual({ status: 'ok' });
  });

  it('does not take over the socket of a live server', async () => {
    const path = join(socketDir(), 'live.sock');
    await serve(`ipc://${path}`);
    const attempt = startServer({ address: `ipc://${path}` });
    await expect(attempt).rejects.toThrow(ServerStartError);
    await expect(attempt).rejects.toThrow(`another server is already listening on ${path}`);
    expect(await heartbeat(`ipc://${path}`)).toEqual({ status: 'ok' });
  });

  it('does not replace a file that is not a socket', async () => {
    const path = join(socketDir(), 'notes.txt');
    writeFileSync(path, 'keep me');
    await expect(startServer({ address: `ipc://${path}` })).rejects.toThrow(/exists and is not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});

describe('a failed start closes its socket', () => {
  it.each([
    ['a live server on the socket', 'live'],
    ['a file that is not a socket', 'file'],
    ['a directory that does not exist', 'missing'],
  ] as const)('%s', async (_name, kind) => {
    const dir = socketDir();
    let path = join(dir, 'se.sock');
    if (kind === 'live') await serve(`ipc://${path}`);
    if (kind === 'file') writeFileSync(path, 'keep me');
    if (kind === 'missing') path = join(dir, 'missing', 'se.sock');
    const close = vi.spyOn(Router.prototype, 'close');
    cleanups.push(() => close.mockRestore());
    close.mockClear(); // a spy re-created on the same method keeps earlier calls
    await expect(startServer({ address: `ipc://${path}` })).rejects.toThrow(ServerStartError);
    expect((close.mock.contexts[0] as Router).closed).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('Linux abstract socket (ipc://@name)', () => {
  it('serves without a socket file, as the Python server does', async () => {
    const address = `ipc://@se-sock-test-${process.pid}-${Date.now()}`;
    const running = await serve(address);
    expect(running.endpoint).toBe(address);
    expect(await heartbeat(address)).toEqual({ status: 'ok' });
    await expect(startServer({ address })).rejects.toThrow(ServerStartError);
  });
});

describe('TCP', () => {
  it('reports a port in use clearly', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    await expect(startServer({ address: `tcp://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`cannot listen on tcp://127\\.0\\.0\\.1:${port}: .*in use`, 'i'),
    );
  });
});
