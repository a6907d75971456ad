/**
 * Which actions a server can run: the engine's built-in actions first, then
 * those of plugin packages from two places only — the `node_modules` tree the
 * server is installed in, and the folders named with `--plugin-dir`.
 *
 * Unlike the `scenario_execution` CLI, the server never searches its working
 * directory or the folders above it: anyone who can write a `node_modules`
 * folder there (`/tmp/node_modules`, say) would otherwise have code run as the
 * server's user the moment a client names an action of theirs.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ActionDefinition, builtinActions, discoverPluginsIn, type PluginRegistry } from 'scenario-execution';
import type { ActionResolver } from './action-host.js';

/** A table of action definitions by name, as a Map or a plain object. */
type ActionTable = ReadonlyMap<string, ActionDefinition> | Readonly<Record<string, ActionDefinition>>;

/** The server package's name, as it appears in the `node_modules` tree it is installed in. */
const SERVER_PACKAGE = join('@scenario-execution', 'server');

function lookUp(table: ActionTable, name: string): ActionDefinition | undefined {
  if (table instanceof Map) return table.get(name);
  const record = table as Readonly<Record<string, ActionDefinition>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The engine's built-in action table (`builtinActions` of the package's public index). */
export function engineBuiltinActions(): Readonly<Record<string, ActionDefinition>> {
  return builtinActions;
}

/** The server package's own folder (resolved through links, as a workspace links it). */
function serverPackageDirectory(): string {
  const here = fileURLToPath(new URL('..', import.meta.url));
  try {
    return realpathSync(here);
  } catch {
    return resolve(here);
  }
}

/**
 * The `node_modules` folders of the server's own installation: from the
 * server package upward, up to and including the first `node_modules` folder
 * that holds the server package itself (`…/node_modules/@scenario-execution/server`,
 * a real folder or a workspace link). Never above it.
 */
export function installationPluginFolders(packageDirectory = serverPackageDirectory()): string[] {
  const folders: string[] = [];
  let dir = resolve(packageDirectory);
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) {
      const folder = join(dir, 'node_modules');
      folders.push(folder);
      if (existsSync(join(folder, SERVER_PACKAGE))) return folders;
    } else if (existsSync(join(dir, SERVER_PACKAGE))) {
      // Installed as a package: `dir` is the tree it lives in.
      return folders.includes(dir) ? folders : [...folders, dir];
    }
    const parent = dirname(dir);
    // No installation tree found (an unusual layout): the package's own dependencies only.
    if (parent === dir) return folders.slice(0, 1);
    dir = parent;
  }
}

/**
 * The folders a `--plugin-dir DIR` stands for: `DIR/node_modules` (a prefix
 * folder, as `npm install --prefix DIR` fills) and `DIR` itself (a folder of
 * plugin packages).
 */
export function pluginDirFolders(dir: string): string[] {
  const absolute = resolve(dir);
  return [join(absolute, 'node_modules'), absolute];
}

export interface CatalogOptions {
  /** Built-in actions (default: the engine's). */
  readonly builtins?: ActionTable;
  /** Folders named with `--plugin-dir`, searched after the installation. */
  readonly pluginDirs?: readonly string[];
  /** Search the server's own installation (default true; tests turn it off). */
  readonly searchInstallation?: boolean;
}

/** Every folder plugins are loaded from, in search order. */
export function pluginFolders(options: CatalogOptions = {}): string[] {
  const folders = options.searchInstallation === false ? [] : installationPluginFolders();
  for (const dir of options.pluginDirs ?? []) folders.push(...pluginDirFolders(dir));
  return [...new Set(folders)];
}

/**
 * Built-ins first, then plugins; plugin discovery happens on the first name
 * that is not built in. Its outcome (the registry, or the error of a broken
 * plugin) is kept for the resolver's life: discovery is synchronous filesystem
 * work on the server's event loop and must not run again on every `init`.
 */
export function createActionResolver(options: CatalogOptions = {}): ActionResolver {
  const builtins = options.builtins ?? engineBuiltinActions();
  let discovery: { readonly registry: PluginRegistry } | { readonly error: unknown } | undefined;
  const plugins = (): PluginRegistry => {
    if (discovery === undefined) {
      try {
        discovery = { registry: discoverPluginsIn(pluginFolders(options)) };
      } catch (error) {
        discovery = { error };
      }
    }
    if ('error' in discovery) throw discovery.error;
    return discovery.registry;
  };
  return async (pluginKey) => {
    const builtin = lookUp(builtins, pluginKey);
    if (builtin) return builtin;
    return plugins().getAction(pluginKey);
  };
}
