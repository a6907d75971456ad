/**
 * Plugin discovery: which plugin packages are installed where a scenario runs.
 *
 * Searched, in this order (the first package of a name found wins, as Node's
 * own resolution prefers the nearest installation):
 * 1. every `node_modules` from the scenario's directory upward;
 * 2. every `node_modules` from each of `options.searchFrom` upward;
 * 3. every `node_modules` from the engine's install location upward;
 * 4. every `node_modules` from the running script's directory upward.
 *
 * Only package.json files of packages named `scenario-execution-plugin-*` are
 * read, so discovery is cheap; the result is memoized per set of folders.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  nodeModulesChain,
  type PluginPackage,
  pluginFoldersIn,
  readPluginPackage,
  realDirectory,
} from './package-scan.js';
import { PluginRegistry } from './registry.js';

export interface DiscoverPluginsOptions {
  /** Directory of the scenario file (searched first). */
  readonly scenarioDirectory?: string;
  /** More directories to search from, after the scenario's (e.g. a server's working directory). */
  readonly searchFrom?: readonly string[];
  /** Search from the engine's install location (default true). */
  readonly includeEngineLocation?: boolean;
  /** Search from the running script's directory (default true). */
  readonly includeScriptDirectory?: boolean;
}

/** Directory of this module inside the installed engine. */
function engineDirectory(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function scriptDirectory(): string | undefined {
  const script = process.argv[1];
  return script ? dirname(script) : undefined;
}

/** The node_modules folders to search, nearest first, each once. */
export function pluginSearchPath(options: DiscoverPluginsOptions = {}): string[] {
  const starts: string[] = [];
  if (options.scenarioDirectory) starts.push(options.scenarioDirectory);
  starts.push(...(options.searchFrom ?? []));
  if (options.includeEngineLocation !== false) starts.push(engineDirectory());
  if (options.includeScriptDirectory !== false) {
    const script = scriptDirectory();
    if (script) starts.push(script);
  }
  const seen = new Set<string>();
  const folders: string[] = [];
  for (const start of starts) {
    for (const folder of nodeModulesChain(start)) {
      if (seen.has(folder)) continue;
      seen.add(folder);
      folders.push(folder);
    }
  }
  return folders;
}

/** Read the plugin packages of the given node_modules folders (nearest first). */
export function scanPluginPackages(folders: readonly string[]): PluginPackage[] {
  const byName = new Map<string, PluginPackage>();
  const seenRoots = new Set<string>();
  for (const folder of folders) {
    for (const { name, root } of pluginFoldersIn(folder)) {
      // Shadowed by a nearer installation of the same package.
      if (byName.has(name)) continue;
      const real = realDirectory(root);
      if (seenRoots.has(real)) continue;
      seenRoots.add(real);
      const pkg = readPluginPackage(name, root);
      if (pkg) byName.set(name, pkg);
    }
  }
  return [...byName.values()];
}

const memo = new Map<string, PluginRegistry>();

/**
 * Find the installed plugins and return their registry.
 * @throws PluginError for a broken manifest or a name two plugins provide.
 */
export function discoverPlugins(options: DiscoverPluginsOptions = {}): PluginRegistry {
  return discoverPluginsIn(pluginSearchPath(options));
}

/**
 * The plugins of exactly these folders (each holding packages, as a
 * `node_modules` folder does; the first package of a name wins), with no
 * upward search. For programs that must not load code from wherever they run,
 * such as a server.
 * @throws PluginError for a broken manifest or a name two plugins provide.
 */
export function discoverPluginsIn(folders: readonly string[]): PluginRegistry {
  const key = folders.join('\n');
  const cached = memo.get(key);
  if (cached) return cached;
  const registry = new PluginRegistry(scanPluginPackages(folders));
  memo.set(key, registry);
  return registry;
}

/** Forget memoized discoveries (after installing packages, and in tests). */
export function clearPluginDiscoveryCache(): void {
  memo.clear();
}
