/**
 * Opt-in CURVE encryption of a remote action's connection (ZeroMQ's
 * CurveZMQ), used when the scenario gives `server_public_key`: the client
 * authenticates the server by that key and encrypts everything it sends.
 * With a client key file (`client_key_file`, or the environment variable
 * below for every `remote()` of a run) the client shows that key, for servers
 * that admit listed clients only (`--curve-authorized-keys`); without one it
 * makes up a fresh key pair per connection.
 */
import { CLIENT_KEY_FILE_VARIABLE, type CurveKeyPair, isZ85Key, readClientKeys } from '@scenario-execution/protocol';
import { zmq } from './zmq.js';

/** Socket options of a CURVE client. */
export interface CurveClientOptions {
  readonly curveServerKey: string;
  readonly curvePublicKey: string;
  readonly curveSecretKey: string;
}

/**
 * Why `serverPublicKey` cannot be used, or undefined when it can: a CURVE key
 * is 40 Z85 characters (as in the server's `server.pub`).
 */
export function serverPublicKeyProblem(serverPublicKey: string): string | undefined {
  if (!zmq.capability.curve) return 'this ZeroMQ build has no CURVE support';
  if (!isZ85Key(serverPublicKey)) {
    return `server_public_key is not a CURVE public key (expected the 40 Z85 characters of the server's server.pub)`;
  }
  return undefined;
}

/** The default client key file of every `remote()` that names none (CI secrets need no scenario edit). */
export { CLIENT_KEY_FILE_VARIABLE };

/**
 * The client key pair of a `remote()`: from `clientKeyFile`, else from the
 * file the environment variable names, else none (a fresh pair per
 * connection). Throws an Error naming the file when it cannot be used.
 */
export function clientKeyPair(
  clientKeyFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CurveKeyPair | undefined {
  return readClientKeys(clientKeyFile, 'client_key_file', env);
}

/** Options for a client socket of the server with this public key, showing `own` (or a fresh pair). */
export function curveClientOptions(
  serverPublicKey: string,
  own: CurveKeyPair = zmq.curveKeyPair(),
): CurveClientOptions {
  return { curveServerKey: serverPublicKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
}

/**
 * One key for the connections of one server as this process sees it: its
 * address, the heartbeat interval and the keys in use. Connections with the
 * same key may share what is kept per server (a channel pool, a liveness watcher).
 */
export function serverConnectionKey(
  address: string,
  heartbeatIntervalMs: number,
  serverPublicKey: string | undefined,
  clientKeys: CurveKeyPair | undefined,
): string {
  return [address, heartbeatIntervalMs, serverPublicKey ?? '', clientKeys?.publicKey ?? ''].join('\n');
}
