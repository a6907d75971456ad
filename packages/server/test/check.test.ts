/**
 * `scenario_execution_server --check ENDPOINT`: one heartbeat, `ok ENDPOINT
 * <round trip>` and exit 0 when answered, else one line and exit 1 within the
 * timeout. Plain and CURVE servers, Unix sockets and loopback TCP only.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { curveKeyPair, Router } from 'zeromq';
import { CLIENT_KEY_FILE_VARIABLE, checkLine, checkServer, formatRoundTrip } from '../src/check.js';
import { type CheckRequest, parseServerArgs } from '../src/cli-args.js';
import { type RunningServer, sleep, startServer, tempDir } from './support/harness.js';
import { TestClient } from './support/client.js';
import { BIN, freePort, requireBuild } from './support/spawned.js';

const servers: RunningServer[] = [];
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const dir = tempDir('se-check-');
  cleanups.push(dir.remove);
  return dir.path;
}

async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

/** The request `--check ARGS…` parses to. */
function request(...argv: string[]): CheckRequest {
  const parsed = parseServerArgs(['--check', ...argv]);
  if (parsed.kind !== 'check') throw new Error(`not a check: ${JSON.stringify(parsed)}`);
  return parsed.request;
}

/** The built command, as a probe runs it. */
function runCheck(argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, '--check', ...argv], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A secret key file (one line of Z85) and its public key. */
function keyFile(dir: string, name: string): { file: string; publicKey: string } {
  const pair = curveKeyPair();
  const file = join(dir, `${name}.key`);
  writeFileSync(file, `${pair.secretKey}\n`, { mode: 0o600 });
  return { file, publicKey: pair.publicKey };
}

describe('--check parsing', () => {
  it('reads ENDPOINT as remote() does, with a 2 s default timeout', () => {
    expect(request('/ipc/se.sock')).toEqual({ endpoint: '/ipc/se.sock', address: 'ipc:///ipc/se.sock', timeout: 2 });
    expect(request('robot1', '--timeout', '0.5')).toMatchObject({ address: 'tcp://robot1:7613', timeout: 0.5 });
    expect(request('10.0.0.5:9000').address).toBe('tcp://10.0.0.5:9000');
    expect(request('./se.sock').address).toBe('ipc://./se.sock');
    expect(request('::1').address).toBe('tcp://[::1]:7613');
    expect(request(' tcp://127.0.0.1:7000 ').address).toBe('tcp://127.0.0.1:7000');
  });

  it("takes a server key that starts with '-' (a Z85 character) as the value, not a flag", () => {
    const key = `-${'a'.repeat(39)}`;
    expect(request('x', '--server-public-key', key).serverPublicKey).toBe(key);
    expect(parseServerArgs(['--check', 'x', '--server-public-key', '--timeout'])).toMatchObject({
      kind: 'error',
      message: "option '--server-public-key': needs a value (KEY)",
    });
  });

  it.each([
    [['--check', 'udp://x:1'], /^option '--check': unsupported transport 'udp:\/\/'/],
    [['--check', 'host:99999'], /^option '--check': /],
    [['--check', 'x', '--timeout', '0'], /^option '--timeout': expected a number of seconds > 0, got '0'$/],
    [['--check', 'x', '--port', '1'], /^option '--port': not allowed with --check$/],
    [['--check', 'x', '--list-actions'], /^option '--list-actions': not allowed with --check$/],
    [['--timeout', '1'], /^option '--timeout': only with --check$/],
    [['--server-public-key', 'k'], /only with --check/],
    [['--check', 'x', '--server-public-key', 'short'], /^option '--server-public-key': not a CURVE public key/],
    [['--check', 'x', '--client-key-file', 'f'], /^option '--client-key-file': needs --server-public-key/],
  ])('rejects %j', (argv, message) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toMatch(message);
  });
});

describe('checkServer', () => {
  it('answers ok with the round trip of a TCP server', async () => {
    const server = await serve();
    const result = await checkServer(request(server.endpoint.replace('tcp://', '')));
    expect(result).toMatchObject({ ok: true, address: server.endpoint });
    if (result.ok) expect(result.roundTripMs).toBeGreaterThan(0);
    expect(checkLine(result)).toMatch(/^ok tcp:\/\/127\.0\.0\.1:\d+ \d+(\.\d+)? ms$/);
  });

  it('answers ok for a Unix socket written as a path', async () => {
    const socket = join(scratch(), 'se.sock');
    await serve({ address: `ipc://${socket}` });
    expect(checkLine(await checkServer(request(socket)))).toMatch(/^ok ipc:\/\/.*se\.sock /);
  });

  it('fails within the timeout when nothing listens, naming a missing socket file', async () => {
    const socket = join(scratch(), 'absent.sock');
    const result = await checkServer(request(socket, '--timeout', '0.3'));
    expect(result).toEqual({
      ok: false,
      message: `no answer from ipc://${socket} within 0.3s (no socket file at ${socket}: is the server running?)`,
    });
    const port = await freePort();
    expect(checkLine(await checkServer(request(`127.0.0.1:${port}`, '--timeout', '0.3')))).toBe(
      `no answer from tcp://127.0.0.1:${port} within 0.3s (is it running?)`,
    );
  });

  it('succeeds for a server that starts while it waits', async () => {
    const socket = join(scratch(), 'late.sock');
    const pending = checkServer(request(socket, '--timeout', '20'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await serve({ address: `ipc://${socket}` });
    expect(await pending).toMatchObject({ ok: true });
  });

  it('fails on a reply that is not the protocol', async () => {
    const socket = join(scratch(), 'odd.sock');
    const router = new Router({ linger: 0 });
    cleanups.push(() => router.close());
    await router.bind(`ipc://${socket}`);
    void (async () => {
      for await (const [id, delimiter] of router) await router.send([id as Buffer, delimiter as Buffer, 'hello']);
    })().catch(() => {});
    const result = await checkServer(request(socket, '--timeout', '5'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^bad reply from ipc:\/\/.*odd\.sock: /);
  });

  it('formats round trips', () => {
    expect(formatRoundTrip(0.4213)).toBe('0.42 ms');
    expect(formatRoundTrip(12.34)).toBe('12.3 ms');
    expect(formatRoundTrip(1204.4)).toBe('1,204 ms');
  });
});

describe('a check is not a client', () => {
  it('neither starts nor feeds the watchdog', async () => {
    const server = await serve({ watchdogSeconds: 0.2 });
    for (let i = 0; i < 3; i++) {
      expect(await checkServer(request(server.endpoint))).toMatchObject({ ok: true });
      await sleep(100);
    }
    await sleep(400);
    expect(server.server.serving).toBe(true);
    const client = new TestClient(server.endpoint);
    cleanups.push(() => client.close());
    await client.call('heartbeat', {});
    expect(await server.server.stopped).toBe('watchdog');
  });

  it('does not hold off the connect timeout', async () => {
    const server = await serve({ connectTimeoutSeconds: 0.5 });
    let stopped = false;
    void server.server.stopped.then(() => {
      stopped = true;
    });
    for (let i = 0; i < 100 && !stopped; i++) {
      await checkServer(request(server.endpoint, '--timeout', '0.2'));
      await sleep(50);
    }
    expect(await server.server.stopped).toBe('connect-timeout');
  });
});

describe('checkServer with CURVE', () => {
  it('answers an encrypted server with its public key, and fails at once with a wrong one', async () => {
    const serverKeys = curveKeyPair();
    const server = await serve({ curveSecretKey: serverKeys.secretKey });
    const endpoint = server.endpoint;
    expect(await checkServer(request(endpoint, '--server-public-key', serverKeys.publicKey))).toMatchObject({
      ok: true,
    });
    const wrong = await checkServer(
      request(endpoint, '--server-public-key', curveKeyPair().publicKey, '--timeout', '10'),
    );
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/^CURVE handshake with tcp:\/\/.* failed .*wrong --server-public-key/);
    // A plain check of an encrypted server gets no answer.
    const plain = await checkServer(request(endpoint, '--timeout', '0.3'));
    expect(plain).toMatchObject({ ok: false, message: expect.stringMatching(/^no answer from /) });
  });

  it('shows a listed client key from --client-key-file or the environment; an unlisted one is refused', async () => {
    const dir = scratch();
    const serverKeys = curveKeyPair();
    const listed = keyFile(dir, 'listed');
    const unlisted = keyFile(dir, 'unlisted');
    const server = await serve({
      curveSecretKey: serverKeys.secretKey,
      curveAuthorizedKeys: new Set([listed.publicKey]),
    });
    const curve = ['--server-public-key', serverKeys.publicKey, '--timeout', '10'];
    expect(await checkServer(request(server.endpoint, ...curve, '--client-key-file', listed.file))).toMatchObject({
      ok: true,
    });
    expect(
      await checkServer(request(server.endpoint, ...curve), { [CLIENT_KEY_FILE_VARIABLE]: listed.file }),
    ).toMatchObject({
      ok: true,
    });
    const refused = await checkServer(request(server.endpoint, ...curve, '--client-key-file', unlisted.file));
    expect(refused).toEqual({
      ok: false,
      message: expect.stringContaining(
        `${server.endpoint} refused this client's CURVE key ${unlisted.publicKey} (status 400)`,
      ) as string,
    });
    const missing = await checkServer(request(server.endpoint, ...curve, '--client-key-file', join(dir, 'none.key')));
    expect(missing).toMatchObject({ ok: false, message: expect.stringMatching(/^--client-key-file: /) });
  });
});

describe('scenario_execution_server --check', () => {
  it('prints one line and exits 0 when the server answers, 1 when not, 2 for a bad endpoint', async () => {
    const socket = join(scratch(), 'se.sock');
    await serve({ address: `ipc://${socket}` });
    const ok = await runCheck([socket]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok ipc:\/\/\S+se\.sock \d[\d.,]* ms\n$/);
    expect(ok.stderr).toBe('');

    const absent = join(scratch(), 'absent.sock');
    const failed = await runCheck([absent, '--timeout', '0.2']);
    expect(failed).toEqual({
      code: 1,
      stdout: `no answer from ipc://${absent} within 0.2s (no socket file at ${absent}: is the server running?)\n`,
      stderr: '',
    });

    const bad = await runCheck(['udp://x:1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^error: option '--check': unsupported transport .*\nusage: scenario_execution_server \[options\] {2}\(see --help\)\n$/,
    );
  });
});
