/**
 * Opt-in CURVE encryption, end to end: the built CLI runs scenarios with
 * `remote(endpoint, server_public_key: …)` against the built server started
 * with `--curve-secret-key-file`, on Unix sockets in a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { curveClientOptions, serverPublicKeyProblem } from '../src/curve.js';
import { CLI_BIN, type OurServer, runNode, startOurServer, writeScenario } from './helpers/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'se-remote-curve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = 'import osc.helpers\nimport osc.remote\n\n';

async function runScenario(name: string, remoteCall: string, env?: Readonly<Record<string, string>>) {
  const file = writeScenario(
    dir,
    name,
    `${header}scenario ${name}:\n    do serial:\n        log("sealed hello") with:\n            ${remoteCall}\n`,
  );
  const started = performance.now();
  const cli = runNode([CLI_BIN, file], { env });
  const code = await cli.exit(30_000);
  return { code, output: cli.output(), seconds: (performance.now() - started) / 1000 };
}

/** The output lines containing `text`. */
function linesWith(output: string, text: string): string[] {
  return output.split('\n').filter((line) => line.includes(text));
}

async function startServer(socket: string, extra: readonly string[]): Promise<OurServer> {
  return startOurServer(socket, ['--socket', socket, '--watchdog', '0', '--connect-timeout', '0', ...extra]);
}

describe('server_public_key checks', () => {
  it('accepts a Z85 public key and names what is wrong with anything else', () => {
    expect(serverPublicKeyProblem(curveKeyPair().publicKey)).toBeUndefined();
    expect(serverPublicKeyProblem('abc')).toMatch(/server_public_key is not a CURVE public key/);
    expect(serverPublicKeyProblem(`${'a'.repeat(39)}"`)).toMatch(/not a CURVE public key/);
  });

  it('gives each client socket its own fresh key pair', () => {
    const server = curveKeyPair().publicKey;
    const first = curveClientOptions(server);
    const second = curveClientOptions(server);
    expect(first.curveServerKey).toBe(server);
    expect(first.curvePublicKey).not.toBe(second.curvePublicKey);
    expect(first.curveSecretKey).not.toBe(second.curveSecretKey);
  });
});

describe('CLI against a CURVE server', () => {
  const keys = curveKeyPair();
  const socket = join(dir, 'curve.sock');
  let server: OurServer;
  beforeAll(async () => {
    const keyFile = join(dir, 'server.key');
    writeFileSync(keyFile, `${keys.secretKey}\n`, { mode: 0o600 });
    server = await startServer(socket, ['--curve-secret-key-file', keyFile]);
  });
  afterAll(() => server.stop());

  it('runs a remote action when the scenario gives the server public key', async () => {
    const { code, output } = await runScenario(
      'curve_ok',
      `remote("${socket}", server_public_key: "${keys.publicKey}")`,
    );
    expect(code, output).toBe(0);
    expect(output).toContain(`[ipc://${socket}] sealed hello`);
  });

  it('fails a plain client at setup within setup_timeout, in one line naming the endpoint', async () => {
    const { code, output, seconds } = await runScenario('curve_plain', `remote("${socket}", setup_timeout: 1s)`);
    expect(code).toBe(1);
    const lines = linesWith(output, 'Setup failed');
    expect(lines, output).toHaveLength(1);
    // Usually no answer within setup_timeout; when the refused handshake is seen first, a lost connection.
    expect(lines[0]).toMatch(
      new RegExp(
        `remote\\('${socket}'\\): cannot reach scenario_execution_server at ipc://${socket} within setup_timeout 1s|` +
          `ipc://${socket}: connection to ipc://${socket} lost`,
      ),
    );
    expect(output).not.toContain('sealed hello');
    expect(seconds).toBeLessThan(10);
  });

  it('fails a client with the wrong server key at setup, in one line naming the endpoint', async () => {
    const wrong = curveKeyPair().publicKey;
    const { code, output, seconds } = await runScenario(
      'curve_wrong',
      `remote("${socket}", server_public_key: "${wrong}", setup_timeout: 1s)`,
    );
    expect(code).toBe(1);
    const lines = linesWith(output, 'CURVE handshake');
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain(`remote('${socket}'): CURVE handshake with ipc://${socket} failed`);
    expect(lines[0]).toContain('wrong server_public_key');
    expect(output).not.toContain('sealed hello');
    expect(seconds).toBeLessThan(10);
  });

  it('fails at setup on a server_public_key that is no key, in one line naming the endpoint', async () => {
    const { code, output } = await runScenario('curve_invalid', `remote("${socket}", server_public_key: "abc")`);
    expect(code).toBe(1);
    const lines = linesWith(output, 'server_public_key is not');
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain(`remote('${socket}'): server_public_key is not a CURVE public key`);
  });
});

describe('CLI against a plain server', () => {
  const socket = join(dir, 'plain.sock');
  let server: OurServer;
  beforeAll(async () => {
    server = await startServer(socket, []);
  });
  afterAll(() => server.stop());

  it('still runs plain remote actions (the default)', async () => {
    const { code, output } = await runScenario('plain_ok', `remote("${socket}")`);
    expect(code, output).toBe(0);
    expect(output).toContain(`[ipc://${socket}] sealed hello`);
  });

  it('refuses to talk in the clear when the scenario asks for encryption', async () => {
    const { code, output, seconds } = await runScenario(
      'plain_curve_client',
      `remote("${socket}", server_public_key: "${curveKeyPair().publicKey}", setup_timeout: 1s)`,
    );
    expect(code).toBe(1);
    expect(linesWith(output, 'CURVE handshake'), output).toHaveLength(1);
    expect(output).not.toContain('sealed hello');
    expect(seconds).toBeLessThan(10);
  });
});

/** A key pair written as `--generate-curve-keys DIR --name NAME` writes it. */
function clientKeyFiles(folder: string, name: string): { keyFile: string; publicKey: string } {
  const pair = curveKeyPair();
  mkdirSync(folder, { recursive: true });
  const keyFile = join(folder, `${name}.key`);
  writeFileSync(keyFile, `${pair.secretKey}\n`, { mode: 0o600 });
  writeFileSync(join(folder, `${name}.pub`), `${pair.publicKey}\n`);
  return { keyFile, publicKey: pair.publicKey };
}

describe('CLI against a CURVE server that admits listed clients only', () => {
  const keys = curveKeyPair();
  const socket = join(dir, 'listed.sock');
  const listed = clientKeyFiles(join(dir, 'clients'), 'ci');
  const stranger = clientKeyFiles(join(dir, 'strangers'), 'stranger');
  let server: OurServer;
  beforeAll(async () => {
    const keyFile = join(dir, 'listed-server.key');
    writeFileSync(keyFile, `${keys.secretKey}\n`, { mode: 0o600 });
    server = await startServer(socket, [
      '--curve-secret-key-file',
      keyFile,
      '--curve-authorized-keys',
      join(dir, 'clients'),
    ]);
  });
  afterAll(() => server.stop());

  it('runs the action for a client whose key file is listed', async () => {
    const { code, output } = await runScenario(
      'listed_ok',
      `remote("${socket}", server_public_key: "${keys.publicKey}", client_key_file: "${listed.keyFile}")`,
    );
    expect(code, output).toBe(0);
    expect(output).toContain(`[ipc://${socket}] sealed hello`);
  });

  it('takes the client key file from SCENARIO_EXECUTION_CLIENT_KEY_FILE when the scenario names none', async () => {
    const { code, output } = await runScenario(
      'listed_env',
      `remote("${socket}", server_public_key: "${keys.publicKey}")`,
      { SCENARIO_EXECUTION_CLIENT_KEY_FILE: listed.keyFile },
    );
    expect(code, output).toBe(0);
    expect(output).toContain(`[ipc://${socket}] sealed hello`);
  });

  it('fails an unlisted client at setup with one line saying the server refused its key', async () => {
    const { code, output } = await runScenario(
      'listed_stranger',
      // A long setup_timeout: the refusal must come from the handshake, not from waiting.
      `remote("${socket}", server_public_key: "${keys.publicKey}", client_key_file: "${stranger.keyFile}", setup_timeout: 20s)`,
    );
    expect(code).toBe(1);
    const lines = linesWith(output, 'Setup failed');
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain(`the server at ipc://${socket} refused this client's CURVE key ${stranger.publicKey}`);
    expect(output).not.toContain('cannot reach');
    expect(output).not.toContain('sealed hello');
    expect(server.output()).toContain(`Refused CURVE client key ${stranger.publicKey}`);
  });

  it('refuses a client that shows no key of its own (a fresh pair per connection)', async () => {
    const { code, output } = await runScenario(
      'listed_fresh',
      `remote("${socket}", server_public_key: "${keys.publicKey}", setup_timeout: 20s)`,
    );
    expect(code).toBe(1);
    expect(linesWith(output, "refused this client's CURVE key"), output).toHaveLength(1);
  });

  it('reports a client key file that cannot be read at its place in the scenario', async () => {
    const missing = join(dir, 'nowhere.key');
    const { code, output } = await runScenario(
      'listed_missing_key',
      `remote("${socket}", server_public_key: "${keys.publicKey}", client_key_file: "${missing}")`,
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      new RegExp(
        `listed_missing_key\\.osc:\\d+:\\d+: error: .*client_key_file: cannot read CURVE secret key file ${missing}: ENOENT`,
      ),
    );
  });

  it('rejects client_key_file without server_public_key', async () => {
    const { code, output } = await runScenario(
      'listed_no_server_key',
      `remote("${socket}", client_key_file: "${listed.keyFile}")`,
    );
    expect(code).toBe(1);
    expect(output).toContain('client_key_file needs server_public_key');
  });
});
