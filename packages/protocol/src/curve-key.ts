/** CURVE keys as ZeroMQ takes them in text: 40 Z85 characters (32 bytes); key files. */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The 85 characters of the Z85 encoding, in digit order. */
export const Z85_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/** Whether `text` is a CURVE key in Z85 text form. */
export function isZ85Key(text: string): boolean {
  return Z85_KEY.test(text);
}

/** A CURVE key pair as Z85 text. */
export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

/** Raw bytes of Z85 text (a multiple of 5 long); throws on a character or group out of range. */
export function z85Decode(text: string): Buffer {
  const bytes = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85_ALPHABET.indexOf(text[i + j] as string);
      if (digit < 0) throw new Error('not Z85 text');
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new Error('not Z85 text');
    bytes.writeUInt32BE(value, (i / 5) * 4);
  }
  return bytes;
}

/** Z85 text of raw bytes (a multiple of 4 long), as ZeroMQ writes keys. */
export function z85Encode(bytes: Uint8Array): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = '';
  for (let i = 0; i + 4 <= view.length; i += 4) {
    let value = view.readUInt32BE(i);
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

/**
 * The public key of a Z85 secret key. CURVE keys are X25519 keys, and
 * zeromq.js only generates pairs, so key files hold the secret key alone and
 * the public one is derived here. Throws when `secretKey` is not a key.
 */
export function curvePublicKey(secretKey: string): string {
  if (!isZ85Key(secretKey)) throw new Error('not a CURVE key (expected 40 Z85 characters)');
  const der = Buffer.concat([X25519_PKCS8_PREFIX, z85Decode(secretKey)]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  // The raw public key is the last 32 bytes of its SubjectPublicKeyInfo.
  return z85Encode(spki.subarray(spki.length - 32));
}

/**
 * Read a secret key file (one line of Z85, as `--generate-curve-keys` writes
 * it) and derive its public key. Throws an Error whose message names the file
 * and what is wrong.
 */
export function readCurveKeyFile(file: string): CurveKeyPair {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`cannot read CURVE secret key file ${file}: ${reason}`);
  }
  const secretKey = text.trim();
  if (!isZ85Key(secretKey)) {
    throw new Error(`${file} holds no CURVE secret key (expected one line of 40 Z85 characters)`);
  }
  try {
    return { secretKey, publicKey: curvePublicKey(secretKey) };
  } catch {
    throw new Error(`${file} holds no CURVE secret key (not valid Z85)`);
  }
}

/** The environment variable that names a client key file for every client of a run (a CI secret). */
export const CLIENT_KEY_FILE_VARIABLE = 'SCENARIO_EXECUTION_CLIENT_KEY_FILE';

/**
 * A client's key pair: from `file` (given as `option`, e.g. `client_key_file`
 * or `--client-key-file`), else from the file {@link CLIENT_KEY_FILE_VARIABLE}
 * names, else none. Throws an Error that says which of the two named the file
 * and what is wrong with it.
 */
export function readClientKeys(
  file: string | undefined,
  option: string,
  env: NodeJS.ProcessEnv = process.env,
): CurveKeyPair | undefined {
  const chosen = file || env[CLIENT_KEY_FILE_VARIABLE] || undefined;
  if (chosen === undefined) return undefined;
  try {
    return readCurveKeyFile(chosen);
  } catch (err) {
    throw new Error(`${file ? option : CLIENT_KEY_FILE_VARIABLE}: ${(err as Error).message}`);
  }
}
