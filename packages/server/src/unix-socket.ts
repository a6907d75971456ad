/**
 * The file behind an `ipc://` listener: checking its folder, taking over a
 * stale socket left by a dead server (never a live one, nor another file), and
 * creating it with the permissions asked for and never wider ones, not even
 * for an instant.
 */
import { chmodSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import type { ServerLog } from './log.js';

/** Mode of a Unix socket file unless told otherwise: the server's user only. */
export const DEFAULT_SOCKET_MODE = 0o600;

/** The server could not start (address in use, live server on the socket, …). */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

/**
 * The file behind an `ipc://` address. None for TCP, nor for a Linux abstract
 * socket (`ipc://@name`), which lives outside the filesystem.
 */
export function socketFilePath(address: string): string | undefined {
  if (!address.startsWith('ipc://')) return undefined;
  const path = address.slice('ipc://'.length);
  return path.startsWith('@') ? undefined : path;
}

/** Whether something accepts connections on the Unix socket at `path`. */
function unixSocketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    const done = (live: boolean) => {
      probe.destroy();
      resolve(live);
    };
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
    probe.setTimeout(1000, () => done(false));
  });
}

/**
 * Before binding `ipc://path`: its folder must exist; a socket file left by a
 * dead server is removed; one a live server answers on is not taken over, nor
 * is any other file. @throws ServerStartError
 */
export async function prepareUnixSocketPath(path: string, log: ServerLog): Promise<void> {
  const folder = dirname(path);
  let folderIsDirectory: boolean;
  try {
    folderIsDirectory = statSync(folder).isDirectory();
  } catch {
    throw new ServerStartError(`cannot listen on ipc://${path}: directory ${folder} does not exist`);
  }
  if (!folderIsDirectory) throw new ServerStartError(`cannot listen on ipc://${path}: ${folder} is not a directory`);
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new ServerStartError(`${path} exists and is not a socket; not replacing it`);
  if (await unixSocketIsLive(path)) {
    throw new ServerStartError(`another server is already listening on ${path}`);
  }
  log.info(`Removing stale socket file ${path}`);
  try {
    unlinkSync(path);
  } catch (err) {
    throw new ServerStartError(`cannot remove stale socket file ${path}: ${(err as Error).message}`);
  }
}

/**
 * Run `bind` (which creates the socket file) under a umask that leaves no
 * permission outside `mode`, then set `mode` exactly. A socket is created with
 * 0777 less the umask, so this way it never has wider permissions than asked.
 * The umask is process-wide; the server binds before it serves, so nothing else
 * creates files meanwhile.
 */
export async function bindWithMode(path: string, mode: number, bind: () => Promise<void>): Promise<void> {
  const previous = process.umask(0o777 & ~mode);
  try {
    await bind();
  } finally {
    process.umask(previous);
  }
  try {
    chmodSync(path, mode);
  } catch (err) {
    throw new ServerStartError(`cannot set the mode of ${path}: ${(err as Error).message}`);
  }
}
