/**
 * Opt-in CURVE encryption of a remote action's connection (ZeroMQ's
 * CurveZMQ), used when the scenario gives `server_public_key`: the client
 * authenticates the server by that key and encrypts everything it sends.
 */
import { capability, curveKeyPair } from 'zeromq';

/** Socket options of a CURVE client. */
export interface CurveClientOptions {
  readonly curveServerKey: string;
  readonly curvePublicKey: string;
  readonly curveSecretKey: string;
}

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/**
 * Why `serverPublicKey` cannot be used, or undefined when it can: a CURVE key
 * is 40 Z85 characters (as in the server's `server.pub`).
 */
export function serverPublicKeyProblem(serverPublicKey: string): string | undefined {
  if (!capability.curve) return 'this ZeroMQ build has no CURVE support';
  if (!Z85_KEY.test(serverPublicKey)) {
    return `server_public_key is not a CURVE public key (expected the 40 Z85 characters of the server's server.pub)`;
  }
  return undefined;
}

/** Options for a client socket of the server with this public key; a fresh client key pair each time. */
export function curveClientOptions(serverPublicKey: string): CurveClientOptions {
  const own = curveKeyPair();
  return { curveServerKey: serverPublicKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
}
