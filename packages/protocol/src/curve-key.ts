/** CURVE keys as ZeroMQ takes them in text: 40 Z85 characters (32 bytes). */

/** The 85 characters of the Z85 encoding, in digit order. */
export const Z85_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/** Whether `text` is a CURVE key in Z85 text form. */
export function isZ85Key(text: string): boolean {
  return Z85_KEY.test(text);
}
