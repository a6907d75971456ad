/**
 * Opt-in CURVE encryption: key generation, key files, and the built server
 * with `--curve-secret-key-file` against encrypted, plain and wrongly keyed
 * clients (Unix sockets in temporary directories).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeReply, encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { curveKeyPair, Request } from 'zeromq';
import { HELP, parseServerArgs } from '../src/cli-args.js';
import { CurveKeyError, curvePublicKey, generateServerKeys, isZ85Key, readServerKeys } from '../src/curve.js';
import { tempDir } from './support/harness.js';
import { requireBuild, type SpawnedServer, spawnServer } from './support/spawned.js';

const spawned: SpawnedServer[] = [];
const sockets: Request[] = [];
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of spawned.splice(0)) s.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const dir = tempDir('se-curve-');
  cleanups.push(dir.remove);
  return dir.path;
}

function start(args: string[]): SpawnedServer {
  const s = spawnServer(args);
  spawned.push(s);
  return s;
}

/** One heartbeat over a REQ socket with these options; the reply status, or the error text. */
async function heartbeat(address: string, options: ConstructorParameters<typeof Request>[0] = {}): Promise<string> {
  const socket = new Request({ linger: 0, sendTimeout: 1500, receiveTimeout: 1500, ...options });
  sockets.push(socket);
  socket.connect(address);
  try {
    await socket.send(encodeRequest(makeRequest('heartbeat', {})));
    const [body] = await socket.receive();
    const reply = decodeReply(body as Buffer);
    return reply.ok ? reply.value.status : reply.error;
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  }
}

function curveClient(serverPublicKey: string) {
  const own = curveKeyPair();
  return { curveServerKey: serverPublicKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
}

describe('CURVE keys', () => {
  it('derives the public key zeromq generated with the secret one', () => {
    for (let i = 0; i < 50; i++) {
      const pair = curveKeyPair();
      expect(curvePublicKey(pair.secretKey)).toBe(pair.publicKey);
    }
  });

  it('tells Z85 keys from other text', () => {
    expect(isZ85Key(curveKeyPair().publicKey)).toBe(true);
    expect(isZ85Key('short')).toBe(false);
    expect(isZ85Key(`${'a'.repeat(39)}"`)).toBe(false);
    expect(() => curvePublicKey('x'.repeat(39))).toThrow(CurveKeyError);
  });

  it('writes server.key (0600) and server.pub, reads them back, and never overwrites', () => {
    const dir = join(scratch(), 'keys');
    const written = generateServerKeys(dir);
    expect(statSync(written.secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(written.secretFile, 'utf8');
    const pub = readFileSync(written.publicFile, 'utf8');
    expect(secret).toMatch(/^\S{40}\n$/);
    expect(pub).toBe(`${written.publicKey}\n`);
    expect(readServerKeys(written.secretFile)).toEqual({ secretKey: secret.trim(), publicKey: written.publicKey });
    expect(() => generateServerKeys(dir)).toThrow(/server\.key already exists; not overwriting it/);
    expect(readFileSync(written.secretFile, 'utf8')).toBe(secret);
  });

  it('rejects missing and malformed key files with one line', () => {
    const dir = scratch();
    expect(() => readServerKeys(join(dir, 'none.key'))).toThrow(
      /^cannot read CURVE secret key file .*none\.key: ENOENT$/,
    );
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not a key\n');
    expect(() => readServerKeys(bad)).toThrow(/bad\.key holds no CURVE secret key/);
  });
});

describe('command line', () => {
  it('parses and documents the CURVE flags; plain by default', () => {
    const plain = parseServerArgs([]);
    expect(plain.kind === 'run' && plain.args.curveSecretKeyFile).toBe(undefined);
    const curve = parseServerArgs(['--curve-secret-key-file', '/k/server.key']);
    expect(curve.kind === 'run' && curve.args.curveSecretKeyFile).toBe('/k/server.key');
    expect(parseServerArgs(['--generate-curve-keys', '/k'])).toEqual({
      kind: 'generate-keys',
      request: { dir: '/k', name: 'server' },
    });
    expect(parseServerArgs(['--generate-curve-keys', '/k', '--name', 'robot-7'])).toEqual({
      kind: 'generate-keys',
      request: { dir: '/k', name: 'robot-7' },
    });
    expect(parseServerArgs(['--generate-curve-keys', '/k', '--name', '../x'])).toMatchObject({ kind: 'error' });
    expect(parseServerArgs(['--name', 'x'])).toMatchObject({ kind: 'error' });
    expect(parseServerArgs(['--generate-curve-keys', ''])).toMatchObject({ kind: 'error' });
    expect(HELP).toContain('--curve-secret-key-file FILE');
    expect(HELP).toContain('--generate-curve-keys DIR');
  });

  it('--generate-curve-keys writes the files and exits 0; a second time exits 1 with one line', async () => {
    const dir = join(scratch(), 'keys');
    const first = start(['--generate-curve-keys', dir]);
    expect(await first.exited).toBe(0);
    const pub = readFileSync(join(dir, 'server.pub'), 'utf8').trim();
    expect(first.stdout()).toContain(`server_public_key: "${pub}"`);
    expect(statSync(join(dir, 'server.key')).mode & 0o777).toBe(0o600);
    const again = start(['--generate-curve-keys', dir]);
    expect(await again.exited).toBe(1);
    expect(again.stderr().trim().split('\n')).toHaveLength(1);
    expect(again.stderr()).toContain('already exists');
  });

  it.each([
    ['a missing file', null, /cannot read CURVE secret key file .*server\.key: ENOENT/],
    ['a file without a key', 'hello\n', /server\.key holds no CURVE secret key/],
  ])('exits 1 with one line for %s', async (_what, content, message) => {
    const dir = scratch();
    const file = join(dir, 'server.key');
    if (content !== null) writeFileSync(file, content);
    const server = start(['--curve-secret-key-file', file, '--socket', join(dir, 'se.sock')]);
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim().split('\n')).toHaveLength(1);
    expect(server.stderr()).toMatch(message);
    expect(server.stdout()).not.toContain('listening on');
  });
});

describe('a CURVE server', () => {
  it('answers clients that know its public key, and no others', async () => {
    const dir = scratch();
    const keys = generateServerKeys(join(dir, 'keys'));
    const address = `ipc://${join(dir, 'se.sock')}`;
    const server = start([
      '--curve-secret-key-file',
      keys.secretFile,
      '--socket',
      join(dir, 'se.sock'),
      '-w',
      '0',
      '-c',
      '0',
    ]);
    const keyLine = await server.waitForLine(/CURVE encryption on/);
    expect(keyLine).toContain(`CURVE encryption on; server public key: ${keys.publicKey}`);
    expect(server.stdout()).toContain('listening on');

    expect(await heartbeat(address, curveClient(keys.publicKey))).toBe('ok');
    expect(await heartbeat(address)).toMatch(/^failed: /);
    expect(await heartbeat(address, curveClient(curveKeyPair().publicKey))).toMatch(/^failed: /);
    // Still serving after the refused handshakes.
    expect(await heartbeat(address, curveClient(keys.publicKey))).toBe('ok');
  });

  it('leaves a server without the flag plain', async () => {
    const dir = scratch();
    const server = start(['--socket', join(dir, 'se.sock'), '-w', '0', '-c', '0']);
    await server.waitForLine(/listening on/);
    expect(server.stdout()).not.toContain('CURVE');
    expect(await heartbeat(`ipc://${join(dir, 'se.sock')}`)).toBe('ok');
  });
});
