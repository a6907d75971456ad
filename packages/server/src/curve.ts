/**
 * Opt-in CURVE encryption of the server socket (ZeroMQ's CurveZMQ): the
 * server's key pair, as 40-character Z85 text, generated into files and read
 * back. zeromq.js only generates key pairs, so the public key is derived from
 * the secret one here (CURVE keys are X25519 keys).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isZ85Key, Z85_ALPHABET } from '@scenario-execution/protocol';
import { capability, curveKeyPair } from 'zeromq';

export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

/** A key file or key text that cannot be used. */
export class CurveKeyError extends Error {
  override name = 'CurveKeyError';
}

// Part of the server API too (key files are checked with it).
export { isZ85Key };

function z85Decode(text: string): Buffer {
  const bytes = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) value = value * 85 + Z85_ALPHABET.indexOf(text[i + j] as string);
    if (value > 0xffffffff) throw new CurveKeyError('not a Z85 key');
    bytes.writeUInt32BE(value, (i / 5) * 4);
  }
  return bytes;
}

function z85Encode(bytes: Buffer): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = bytes.readUInt32BE(i);
    let chunk = '';
    for (let j = 0; j < 5; j++) {
      chunk = Z85_ALPHABET[value % 85] + chunk;
      value = Math.floor(value / 85);
    }
    text += chunk;
  }
  return text;
}

/** DER of a PKCS#8 X25519 private key, up to the 32 key bytes (RFC 8410). */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The public key of a Z85 secret key. @throws CurveKeyError */
export function curvePublicKey(secretKey: string): string {
  if (!isZ85Key(secretKey)) throw new CurveKeyError('not a CURVE key (expected 40 Z85 characters)');
  const der = Buffer.concat([X25519_PKCS8_PREFIX, z85Decode(secretKey)]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  // The raw public key is the last 32 bytes of its SubjectPublicKeyInfo.
  return z85Encode(spki.subarray(spki.length - 32));
}

function requireCurve(): void {
  if (!capability.curve) throw new CurveKeyError('this ZeroMQ build has no CURVE support');
}

/** Read a secret key file (one line of Z85) and derive its public key. @throws CurveKeyError */
export function readServerKeys(file: string): CurveKeyPair {
  requireCurve();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CurveKeyError(
      `cannot read CURVE secret key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const secretKey = text.trim();
  if (!isZ85Key(secretKey)) {
    throw new CurveKeyError(`${file} holds no CURVE secret key (expected one line of 40 Z85 characters)`);
  }
  try {
    return { secretKey, publicKey: curvePublicKey(secretKey) };
  } catch {
    throw new CurveKeyError(`${file} holds no CURVE secret key (not valid Z85)`);
  }
}

/** File names written by {@link generateServerKeys}. */
export const SECRET_KEY_FILE = 'server.key';
export const PUBLIC_KEY_FILE = 'server.pub';

/**
 * Write a fresh key pair to `dir` (created if missing): `server.key` (secret,
 * mode 0600) and `server.pub`. Existing files are not overwritten. @throws CurveKeyError
 */
export function generateServerKeys(dir: string): { secretFile: string; publicFile: string; publicKey: string } {
  requireCurve();
  const keys = curveKeyPair();
  const secretFile = join(dir, SECRET_KEY_FILE);
  const publicFile = join(dir, PUBLIC_KEY_FILE);
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
