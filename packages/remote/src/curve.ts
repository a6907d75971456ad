/**
 * Opt-in CURVE encryption of a remote action's connection (ZeroMQ's
 * CurveZMQ), used when the scenario gives `server_public_key`: the client
 * authenticates the server by that key and encrypts everything it sends.
 */
import { isZ85Key } from '@scenario-execution/protocol';
import { capability, curveKeyPair } from 'zeromq';

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
  if (!capability.curve) return 'this ZeroMQ build has no CURVE support';
  if (!isZ85Key(serverPublicKey)) {
    return `server_public_key is not a CURVE public key (expected the 40 Z85 characters of the server's server.pub)`;
  }
  return undefined;
}

/** Options for a client socket of the server with this public key; a fresh client key pair each time. */
export function curveClientOptions(serverPublicKey: string): CurveClientOptions {
  const own = curveKeyPair();
  return { curveServerKey: serverPublicKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
}
