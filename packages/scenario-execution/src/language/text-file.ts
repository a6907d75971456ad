/**
 * Reading a scenario or parameter file as text. A file that is not UTF-8 text
 * (a binary, an image, a file in another encoding) is rejected at once as a
 * whole, without echoing its bytes to the terminal and without lexing it.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { OscError } from './diagnostics.js';

/** Why `bytes` are not UTF-8 text, or undefined when they are. */
export function notTextReason(bytes: Uint8Array): string | undefined {
  // Text never holds a NUL; binaries almost always do, and near their start.
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `it holds a NUL byte at offset ${nul}`;
  if (!isUtf8(bytes)) return 'it is not valid UTF-8';
  return undefined;
}

/**
 * The text of the file at `path`. Throws an OscError `<shownPath>: error: not
 * a text file (…)` for binary content; errors of the file system (missing
 * file, folder, permissions) are thrown as they come.
 */
export function readTextFile(path: string, shownPath = path): string {
  const bytes = readFileSync(path);
  const reason = notTextReason(bytes);
  if (reason !== undefined) throw new OscError(`not a text file (${reason})`, undefined, shownPath);
  return bytes.toString('utf8');
}

/** Plain words for the file-system errors a user causes (no `EISDIR: illegal operation …`). */
export function fileErrorText(error: unknown): string {
  const code = error !== null && typeof error === 'object' && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
