/**
 * Opt-in CURVE encryption of the server socket (ZeroMQ's CurveZMQ): the
 * server's key pair, as 40-character Z85 text, generated into files and read
 * back. zeromq.js only generates key pairs, so the public key is derived from
 * the secret one here (CURVE keys are X25519 keys).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CurveKeyPair,
  curvePublicKey as derivePublicKey,
  isZ85Key,
  readCurveKeyFile,
} from '@scenario-execution/protocol';
import { zmq } from './zmq.js';

export type { CurveKeyPair };

/** A key file or key text that cannot be used. */
export class CurveKeyError extends Error {
  override name = 'CurveKeyError';
}

// Part of the server API too (key files are checked with it).
export { isZ85Key };

/** The public key of a Z85 secret key. @throws CurveKeyError */
export function curvePublicKey(secretKey: string): string {
  try {
    return derivePublicKey(secretKey);
  } catch (err) {
    throw new CurveKeyError((err as Error).message);
  }
}

function requireCurve(): void {
  if (!zmq.capability.curve) throw new CurveKeyError('this ZeroMQ build has no CURVE support');
}

/** Read a secret key file (one line of Z85) and derive its public key. @throws CurveKeyError */
export function readServerKeys(file: string): CurveKeyPair {
  requireCurve();
  try {
    return readCurveKeyFile(file);
  } catch (err) {
    throw new CurveKeyError((err as Error).message);
  }
}

/** File names written by {@link generateServerKeys} without a name. */
export const SECRET_KEY_FILE = 'server.key';
export const PUBLIC_KEY_FILE = 'server.pub';

/**
 * Write a fresh key pair to `dir` (created if missing, mode 0700): `NAME.key`
 * (secret, mode 0600) and `NAME.pub`; `server.*` without a name. The same
 * files serve a server (`--curve-secret-key-file`) and a client
 * (`client_key_file`). Existing files are not overwritten. @throws CurveKeyError
 */
export function generateServerKeys(
  dir: string,
  name = 'server',
): { secretFile: string; publicFile: string; publicKey: string } {
  requireCurve();
  const keys = zmq.curveKeyPair();
  const secretFile = join(dir, `${name}.key`);
  const publicFile = join(dir, `${name}.pub`);
  const existing = [secretFile, publicFile].find((file) => existsSync(file));
  if (existing) throw new CurveKeyError(`cannot write CURVE keys: ${existing} already exists; not overwriting it`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(secretFile, `${keys.secretKey}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given at creation is narrowed by the umask only; make it exact.
    chmodSync(secretFile, 0o600);
    writeFileSync(publicFile, `${keys.publicKey}\n`, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    throw new CurveKeyError(`cannot write CURVE keys to ${dir}: ${(err as Error).message}`);
  }
  return { secretFile, publicFile, publicKey: keys.publicKey };
}
