/**
 * Checks of the `--plugin-dir` folders at start: each must exist, and one
 * that other users can write is said out loud, since whoever writes there
 * chooses code this server runs.
 */
import { statSync } from 'node:fs';
import { ServerStartError } from './unix-socket.js';

/** Every `--plugin-dir` must be an existing folder. @throws ServerStartError */
export function checkPluginDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      throw new ServerStartError(`plugin directory ${dir} does not exist`);
    }
    if (!isDirectory) throw new ServerStartError(`plugin directory ${dir} is not a directory`);
  }
}

/** One warning per `--plugin-dir` that users other than its owner may write to. */
export function pluginDirWarnings(dirs: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const dir of dirs) {
    const mode = statSync(dir, { throwIfNoEntry: false })?.mode;
    if (mode === undefined || (mode & 0o022) === 0) continue;
    warnings.push(
      `Plugin directory ${dir} is writable by ${mode & 0o002 ? 'every user' : 'its group'}: ` +
        'whoever writes there chooses code this server runs.',
    );
  }
  return warnings;
}
