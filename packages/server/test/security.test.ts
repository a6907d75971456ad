/**
 * The server as an attacker meets it: client keys it does not list, actions
 * and programs it does not allow, plugins planted where it runs, client text
 * that tries to forge log lines, and a socket file others could open. The
 * built server runs as a child process (Unix sockets and loopback only).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeReply, encodeRequest, makeRequest } from '@scenario-execution/protocol';
import { describe, expect, it } from 'vitest';
import { curveKeyPair, Request } from 'zeromq';
import { decideZap, readAuthorizedKeys } from '../src/authentication.js';
import { CurveKeyError } from '../src/curve.js';
import { exposureWarnings, isLoopbackHost } from '../src/exposure.js';
import { clientText, escapeControlCharacters } from '../src/log.js';
import { actionNotAllowed, programNotAllowed, programOf } from '../src/policy.js';
import { bindWithMode } from '../src/unix-socket.js';
import { TestClient } from './support/client.js';
import { tempDir } from './support/harness.js';
import { freePort, type SpawnedServer, spawnServer } from './support/spawned.js';
import { useTestResources } from './support/resources.js';

const { spawned, clients, cleanups } = useTestResources();

function scratch(): string {
  const dir = tempDir('se-security-');
  cleanups.push(dir.remove);
  return dir.path;
}

async function start(args: string[], cwd?: string): Promise<SpawnedServer> {
  const server = spawnServer(['-w', '0', '-c', '0', ...args], cwd);
  spawned.push(server);
  await server.waitForLine(/listening on/);
  return server;
}

/** The server's start-up lines, complete: a request is answered only after they are written. */
async function startupLines(server: SpawnedServer, address: string, serverKey?: string): Promise<string[]> {
  if (serverKey === undefined) await connect(address).call('heartbeat', {});
  else await curveHeartbeat(address, serverKey);
  return server.stdout().split('\n');
}

function connect(address: string): TestClient {
  const client = new TestClient(address);
  clients.push(client);
  return client;
}

/** One heartbeat over a CURVE client socket; 'ok', or how the handshake failed. */
async function curveHeartbeat(address: string, serverKey: string, own = curveKeyPair()): Promise<string> {
  const socket = new Request({
    linger: 0,
    sendTimeout: 3000,
    receiveTimeout: 3000,
    curveServerKey: serverKey,
    curvePublicKey: own.publicKey,
    curveSecretKey: own.secretKey,
  });
  clients.push(socket);
  const refused = new Promise<string>((resolve) => {
    socket.events.on('handshake:error:auth', (event) => resolve(`refused ${event.error.status}`));
  });
  socket.connect(address);
  const answered = (async () => {
    await socket.send(encodeRequest(makeRequest('heartbeat', {})));
    const [body] = await socket.receive();
    const reply = decodeReply(body as Buffer);
    return reply.ok ? reply.value.status : reply.error;
  })().catch((err: Error) => `failed: ${err.message}`);
  return Promise.race([answered, refused]);
}

function writeKey(dir: string, name: string, secretKey: string): string {
  const file = join(dir, `${name}.key`);
  writeFileSync(file, `${secretKey}\n`, { mode: 0o600 });
  return file;
}

describe('client authentication (--curve-authorized-keys)', () => {
  it('admits listed client keys and refuses others, logging each refused key', async () => {
    const dir = scratch();
    const server = curveKeyPair();
    const listed = curveKeyPair();
    const alsoListed = curveKeyPair();
    const stranger = curveKeyPair();
    writeFileSync(
      join(dir, 'authorized'),
      `# CI runners\n${listed.publicKey}\n\n   ${alsoListed.publicKey}   # the lab PC\n`,
    );
    const socket = join(dir, 'se.sock');
    const running = await start([
      '-s',
      socket,
      '--curve-secret-key-file',
      writeKey(dir, 'server', server.secretKey),
      '--curve-authorized-keys',
      join(dir, 'authorized'),
    ]);
    const address = `ipc://${socket}`;
    expect(await curveHeartbeat(address, server.publicKey, listed)).toBe('ok');
    expect(await curveHeartbeat(address, server.publicKey, alsoListed)).toBe('ok');
    expect(await curveHeartbeat(address, server.publicKey, stranger)).toBe('refused 400');
    // A fresh key pair (what a client without a key file shows) is a stranger too.
    expect(await curveHeartbeat(address, server.publicKey)).toBe('refused 400');
    const out = running.stdout();
    expect(
      out.split('\n').filter((line) => line.includes(`Refused CURVE client key ${stranger.publicKey}`)),
    ).toHaveLength(1);
    expect(out).not.toContain(`Refused CURVE client key ${listed.publicKey}`);
    expect(out).toContain('CURVE clients: 2 authorized keys');
    expect(out).not.toContain('any client that holds');
  });

  it('reads a folder of *.pub files, one key each', async () => {
    const dir = scratch();
    const keys = join(dir, 'clients');
    mkdirSync(keys);
    const robot = curveKeyPair();
    writeFileSync(join(keys, 'robot.pub'), `${robot.publicKey}\n`);
    writeFileSync(join(keys, 'robot.key'), `${robot.secretKey}\n`);
    writeFileSync(join(keys, 'README'), 'not a key');
    const read = readAuthorizedKeys(keys);
    expect([...read.keys]).toEqual([robot.publicKey]);
    const server = curveKeyPair();
    const socket = join(dir, 'se.sock');
    await start([
      '-s',
      socket,
      '--curve-secret-key-file',
      writeKey(dir, 'server', server.secretKey),
      '--curve-authorized-keys',
      keys,
    ]);
    expect(await curveHeartbeat(`ipc://${socket}`, server.publicKey, robot)).toBe('ok');
    expect(await curveHeartbeat(`ipc://${socket}`, server.publicKey, curveKeyPair())).toBe('refused 400');
  });

  it.each([
    ['a malformed line', `${curveKeyPair().publicKey}\nnot-a-key\n`, /authorized:2: not a CURVE public key/],
    ['no key at all', '# nobody yet\n', /holds no CURVE public keys; no client could connect/],
  ])('refuses to start on %s, in one line', async (_what, content, message) => {
    const dir = scratch();
    writeFileSync(join(dir, 'authorized'), content);
    expect(() => readAuthorizedKeys(join(dir, 'authorized'))).toThrow(CurveKeyError);
    const server = spawnServer([
      '-s',
      join(dir, 'se.sock'),
      '--curve-secret-key-file',
      writeKey(dir, 'server', curveKeyPair().secretKey),
      '--curve-authorized-keys',
      join(dir, 'authorized'),
    ]);
    spawned.push(server);
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim().split('\n')).toHaveLength(1);
    expect(server.stderr()).toMatch(message);
  });

  it('reads a key holding # (a Z85 character) as a key, and a line starting with # as a comment', () => {
    let hashKey: string | undefined;
    // Most keys hold a '#' somewhere (no key starts with one: Z85's first digit stays below 83); bounded.
    for (let i = 0; i < 1000 && hashKey === undefined; i++) {
      const key = curveKeyPair().publicKey;
      if (key.includes('#')) hashKey = key;
    }
    expect(hashKey).toBeDefined();
    const dir = scratch();
    writeFileSync(join(dir, 'authorized'), `# ${'k'.repeat(40)}\n${hashKey} # robot 7\n`);
    expect([...readAuthorizedKeys(join(dir, 'authorized')).keys]).toEqual([hashKey]);
  });

  it('answers ZAP requests for CURVE with a listed key only', () => {
    const listed = curveKeyPair();
    const keys = new Set([listed.publicKey]);
    const request = (mechanism: string, credential: Buffer) => [
      Buffer.from('1.0'),
      Buffer.from('7'),
      Buffer.from(''),
      Buffer.from('127.0.0.1'),
      Buffer.from(''),
      Buffer.from(mechanism),
      credential,
    ];
    const raw = (z85: string) => {
      // The test decodes with ZeroMQ's own alphabet through a round trip of the server's encoder.
      const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
      const bytes = Buffer.alloc(32);
      for (let i = 0; i < 40; i += 5) {
        let value = 0;
        for (let j = 0; j < 5; j++) value = value * 85 + alphabet.indexOf(z85[i + j] as string);
        bytes.writeUInt32BE(value, (i / 5) * 4);
      }
      return bytes;
    };
    expect(decideZap(request('CURVE', raw(listed.publicKey)), keys)).toEqual({
      allowed: true,
      clientKey: listed.publicKey,
      reason: 'OK',
    });
    const stranger = curveKeyPair().publicKey;
    expect(decideZap(request('CURVE', raw(stranger)), keys)).toMatchObject({ allowed: false, clientKey: stranger });
    expect(decideZap(request('PLAIN', Buffer.from('user')), keys)).toMatchObject({ allowed: false });
    expect(decideZap([Buffer.from('9.9')], keys)).toMatchObject({ allowed: false, reason: 'malformed ZAP request' });
  });
});

describe('authorization (--allow-actions, --allow-programs)', () => {
  it('refuses an init for an action that is not allowed, with an error reply', async () => {
    const dir = scratch();
    const socket = join(dir, 'se.sock');
    await start(['-s', socket, '--allow-actions', 'log']);
    const c = connect(`ipc://${socket}`);
    expect(
      await c.call('init', { action_id: 'a1', plugin_key: 'run_process', init_args: {}, output_dir: null }),
    ).toEqual({ status: 'error', message: actionNotAllowed('run_process') });
    expect(await c.call('init', { action_id: 'a2', plugin_key: 'log', init_args: {}, output_dir: null })).toEqual({
      status: 'ok',
    });
    expect(await c.call('heartbeat', {})).toEqual({ status: 'ok' });
  });

  it('starts run_process only for a listed program, and nothing else', async () => {
    const dir = scratch();
    const socket = join(dir, 'se.sock');
    const marker = join(dir, 'touched');
    await start(['-s', socket, '--allow-programs', 'true,/bin/echo']);
    const c = connect(`ipc://${socket}`);
    const run = async (id: string, command: string) => {
      await c.call('init', { action_id: id, plugin_key: 'run_process', init_args: {}, output_dir: null });
      await c.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
      return c.call('execute', { action_id: id, exec_args: { command } });
    };
    expect(await run('p1', `touch ${marker}`)).toEqual({ status: 'error', message: programNotAllowed('touch') });
    // The same program by another path is another program.
    expect(await run('p2', `/usr/bin/touch ${marker}`)).toEqual({
      status: 'error',
      message: programNotAllowed('/usr/bin/touch'),
    });
    expect(await run('p3', '/bin/echo allowed')).toMatchObject({ status: 'ok' });
    expect(await run('p4', 'true')).toMatchObject({ status: 'ok' });
    expect(existsSync(marker)).toBe(false);
  });

  it('names the program a command starts as run_process splits it', () => {
    expect(programOf('sleep 3')).toBe('sleep');
    expect(programOf(['/bin/echo', 'a b'])).toBe('/bin/echo');
    expect(programOf(undefined)).toBeUndefined();
    expect(programOf(42)).toBeUndefined();
  });
});

/** A plugin package whose module, when imported, writes `marker` (the proof that code ran). */
function plantPlugin(nodeModules: string, marker: string): void {
  const root = join(nodeModules, 'scenario-execution-plugin-planted');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'scenario-execution-plugin-planted',
      version: '1.0.0',
      type: 'module',
      'scenario-execution': { actions: { planted: './planted.js' } },
    }),
  );
  writeFileSync(
    join(root, 'planted.js'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\n` +
      `export default { create() { return { update() { return 'SUCCESS'; } }; } };\n`,
  );
}

describe('plugin loading', () => {
  it('never imports a plugin planted in or above its working directory', async () => {
    const dir = scratch();
    const marker = join(dir, 'planted-ran');
    plantPlugin(join(dir, 'node_modules'), marker);
    const work = join(dir, 'work', 'deeper');
    mkdirSync(work, { recursive: true });
    plantPlugin(join(work, 'node_modules'), marker);
    const socket = join(dir, 'se.sock');
    await start(['-s', socket], work);
    const c = connect(`ipc://${socket}`);
    expect(await c.call('init', { action_id: 'x', plugin_key: 'planted', init_args: {}, output_dir: null })).toEqual({
      status: 'error',
      message: "No action plugin found for key 'planted'",
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('imports plugins from a --plugin-dir', async () => {
    const dir = scratch();
    const plugins = join(dir, 'plugins');
    const marker = join(dir, 'plugin-ran');
    plantPlugin(join(plugins, 'node_modules'), marker);
    const socket = join(dir, 'se.sock');
    await start(['-s', socket, '--plugin-dir', plugins]);
    const c = connect(`ipc://${socket}`);
    expect(await c.call('init', { action_id: 'y', plugin_key: 'planted', init_args: {}, output_dir: null })).toEqual({
      status: 'ok',
    });
    expect(existsSync(marker)).toBe(true);
  });

  it('refuses to start with a --plugin-dir that does not exist', async () => {
    const dir = scratch();
    const server = spawnServer(['-s', join(dir, 'se.sock'), '--plugin-dir', join(dir, 'nope')]);
    spawned.push(server);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toBe(`error: plugin directory ${join(dir, 'nope')} does not exist\n`);
  });
});

describe('log hygiene', () => {
  it('escapes control characters and cuts long client values, noting their length', () => {
    expect(escapeControlCharacters('a\nb\r\tc\x1b[31m\u2028')).toBe('a\\nb\\r\\tc\\x1b[31m\\u2028');
    const long = `${'x'.repeat(250)}\n`;
    expect(clientText(long)).toBe(`${'x'.repeat(200)}… (251 characters)`);
    expect(clientText('short\n')).toBe('short\\n');
  });

  it('logs no line a client wrote, and no client value longer than 200 characters', async () => {
    const dir = scratch();
    const socket = join(dir, 'se.sock');
    const server = await start(['-s', socket]);
    const c = connect(`ipc://${socket}`);
    const forged = `x\n2026-01-01 00:00:00,000 [ERROR] scenario_execution_server.server: forged ${'y'.repeat(5000)}`;
    await c.call('init', { action_id: 'z1', plugin_key: forged, init_args: {}, output_dir: null });
    await c.call('init', { action_id: 'z2', plugin_key: 'run_process', init_args: {}, output_dir: null });
    await c.call('setup', { action_id: 'z2', tick_period: 0.1, output_dir: null, scenario_file_directory: dir });
    await c.call('execute', { action_id: 'z2', exec_args: { command: `${forged} arg` } });
    await c.call('update', { action_id: 'z2' });
    await c.call('heartbeat', {});
    const lines = server.stdout().trimEnd().split('\n');
    expect(server.stdout()).not.toContain('y'.repeat(201));
    // Every line is one the server wrote: it starts with a timestamp, none starts with the forged text.
    for (const line of lines)
      expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[(INFO|WARNING|ERROR|DEBUG)\] /);
    expect(lines.some((line) => line.includes('forged'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('2026-01-01'))).toHaveLength(0);
    for (const line of lines) expect(line.length).toBeLessThan(1200);
    expect(server.stdout()).toMatch(/… \(\d{4} characters\)/);
  });
});

describe('error replies', () => {
  it('quote at most 4,096 characters of what the client sent', async () => {
    const dir = scratch();
    const socket = join(dir, 'se.sock');
    await start(['-s', socket]);
    const c = connect(`ipc://${socket}`);
    const huge = 'k'.repeat(1_000_000);
    const reply = await c.call('init', { action_id: 'e1', plugin_key: huge, init_args: {}, output_dir: null });
    expect(reply.status).toBe('error');
    const message = reply.status === 'error' ? reply.message : '';
    expect(message.startsWith("No action plugin found for key 'kkk")).toBe(true);
    expect(message.length).toBeLessThan(4200);
    expect(message).toMatch(/… \(10000\d\d characters\)$/);
    // A short one is as the Python server writes it.
    expect(await c.call('update', { action_id: 'nope' })).toEqual({
      status: 'error',
      message: "'Unknown action_id: nope'",
    });
  });
});

describe('safe defaults, said out loud', () => {
  it('creates the Unix socket for its own user only, or with --socket-mode', async () => {
    const dir = scratch();
    const own = join(dir, 'own.sock');
    await start(['-s', own]);
    expect(statSync(own).mode & 0o777).toBe(0o600);
    const shared = join(dir, 'shared.sock');
    const server = await start(['-s', shared, '--socket-mode', '0660']);
    expect(statSync(shared).mode & 0o777).toBe(0o660);
    expect((await startupLines(server, `ipc://${shared}`)).join('\n')).not.toContain('WARNING');
  });

  it('binds under a umask that leaves no permission outside the mode', async () => {
    const dir = scratch();
    const file = join(dir, 'made-while-binding');
    let umaskWhileBinding = -1;
    await bindWithMode(file, 0o660, async () => {
      umaskWhileBinding = process.umask();
      writeFileSync(file, '', { mode: 0o777 });
    });
    expect(umaskWhileBinding).toBe(0o117);
    expect(statSync(file).mode & 0o777).toBe(0o660);
  });

  it('warns once about a TCP listener on every interface without CURVE, not on loopback', async () => {
    const openPort = await freePort();
    const open = await start(['-p', String(openPort)]);
    const warnings = (await startupLines(open, `tcp://127.0.0.1:${openPort}`)).filter((line) =>
      line.includes('[WARNING]'),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('anyone who can reach this port can run programs as this user');
    const loopbackPort = await freePort();
    const loopback = await start(['--bind', '127.0.0.1', '-p', String(loopbackPort)]);
    expect((await startupLines(loopback, `tcp://127.0.0.1:${loopbackPort}`)).join('\n')).not.toContain('[WARNING]');
  });

  it('warns once about CURVE without an allow-list', async () => {
    const dir = scratch();
    const keys = curveKeyPair();
    const server = await start([
      '-s',
      join(dir, 'se.sock'),
      '--curve-secret-key-file',
      writeKey(dir, 'server', keys.secretKey),
    ]);
    const lines = await startupLines(server, `ipc://${join(dir, 'se.sock')}`, keys.publicKey);
    const warnings = lines.filter((line) => line.includes('[WARNING]'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("any client that holds the server's public key may connect");
  });

  it('tells loopback hosts from others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['*', '0.0.0.0', '::', '10.0.0.5', 'robot.local', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    const base = { curve: false, authorizedClients: false, socketMode: 0o600, restricted: false };
    expect(exposureWarnings({ ...base, address: 'tcp://0.0.0.0:7613' })).toHaveLength(1);
    expect(exposureWarnings({ ...base, address: 'tcp://127.0.0.1:7613' })).toEqual([]);
    expect(exposureWarnings({ ...base, address: 'ipc:///run/se.sock', socketMode: 0o666 })[0]).toContain(
      'every local user',
    );
    expect(exposureWarnings({ ...base, address: 'tcp://*:7613', curve: true, authorizedClients: true })).toEqual([]);
  });
});
