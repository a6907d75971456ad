/**
 * Finds installed plugin packages: folders named `scenario-execution-plugin-*`
 * (or `@scope/scenario-execution-plugin-*`) in `node_modules` folders, and
 * reads their package.json. No other file is read, no module is imported.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FIELD, type PluginManifest } from './manifest.js';
import { PluginError } from './errors.js';

/** The prefix every plugin package name starts with (after an optional scope). */
export const PLUGIN_NAME_PREFIX = 'scenario-execution-plugin-';

/** The four kinds of entries a manifest can declare. */
export const MANIFEST_SECTIONS = ['actions', 'modifiers', 'libraries', 'externalMethods'] as const;
export type ManifestSection = (typeof MANIFEST_SECTIONS)[number];

/** One installed plugin package. */
export interface PluginPackage {
  /** Package name, e.g. `scenario-execution-plugin-hello` or `@acme/scenario-execution-plugin-x`. */
  readonly name: string;
  readonly version: string;
  /** Absolute directory of the package (as found, not resolved through links). */
  readonly root: string;
  /** Absolute path of its package.json, for error messages. */
  readonly packageJsonPath: string;
  readonly manifest: PluginManifest;
}

/** True for `scenario-execution-plugin-x` and `@scope/scenario-execution-plugin-x`. */
export function isPluginPackageName(name: string): boolean {
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return bare.startsWith(PLUGIN_NAME_PREFIX) && bare.length > PLUGIN_NAME_PREFIX.length;
}

/** `dir/node_modules`, `parent/node_modules`, … up to the file system root. */
export function nodeModulesChain(startDirectory: string): string[] {
  const chain: string[] = [];
  let dir = resolve(startDirectory);
  for (;;) {
    // A node_modules folder itself is not searched for a nested node_modules/node_modules.
    if (!dir.endsWith(`${sep}node_modules`)) chain.push(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) return chain;
    dir = parent;
  }
}

function listDirectory(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Package folders in one node_modules folder whose names follow the plugin convention. */
export function pluginFoldersIn(nodeModules: string): { name: string; root: string }[] {
  const found: { name: string; root: string }[] = [];
  for (const entry of listDirectory(nodeModules)) {
    if (entry.startsWith('@')) {
      for (const scoped of listDirectory(join(nodeModules, entry))) {
        const name = `${entry}/${scoped}`;
        if (isPluginPackageName(name)) found.push({ name, root: join(nodeModules, entry, scoped) });
      }
    } else if (isPluginPackageName(entry)) {
      found.push({ name: entry, root: join(nodeModules, entry) });
    }
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return found;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check the manifest field of a package.json and return it; throws a
 * PluginError naming the package and the package.json otherwise.
 */
export function validateManifest(
  raw: unknown,
  packageName: string,
  packageJsonPath: string,
  root: string,
): PluginManifest {
  const where = `plugin '${packageName}' (${packageJsonPath})`;
  if (!isPlainObject(raw)) throw new PluginError(`${where}: field "${MANIFEST_FIELD}" must be an object`);
  const manifest: Record<string, Record<string, string>> = {};
  for (const [section, entries] of Object.entries(raw)) {
    if (!(MANIFEST_SECTIONS as readonly string[]).includes(section)) {
      throw new PluginError(
        `${where}: unknown key "${section}" in "${MANIFEST_FIELD}" (expected one of: ${MANIFEST_SECTIONS.join(', ')})`,
      );
    }
    if (!isPlainObject(entries)) {
      throw new PluginError(`${where}: "${MANIFEST_FIELD}.${section}" must be an object of name → path`);
    }
    const checked: Record<string, string> = {};
    for (const [name, path] of Object.entries(entries)) {
      // Actions of actors are keyed by their qualified name (`robot.move`), as in OSC.
      const namePattern = section === 'externalMethods' || section === 'actions' ? DOTTED_IDENTIFIER : IDENTIFIER;
      if (!namePattern.test(name)) {
        throw new PluginError(`${where}: invalid ${section} name "${name}"`);
      }
      if (typeof path !== 'string' || path === '') {
        throw new PluginError(`${where}: "${MANIFEST_FIELD}.${section}.${name}" must be a non-empty path string`);
      }
      const rel = relative(root, resolve(root, path));
      if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel)) {
        throw new PluginError(
          `${where}: "${MANIFEST_FIELD}.${section}.${name}" must be a path inside the package, got "${path}"`,
        );
      }
      checked[name] = path;
    }
    manifest[section] = checked;
  }
  return manifest as PluginManifest;
}

/**
 * Read one candidate package. Returns undefined for a package without the
 * manifest field (it is not a plugin), throws PluginError when its
 * package.json or manifest is broken.
 */
export function readPluginPackage(name: string, root: string): PluginPackage | undefined {
  const packageJsonPath = join(root, 'package.json');
  let text: string;
  try {
    text = readFileSync(packageJsonPath, 'utf8');
  } catch {
    // A folder without package.json (e.g. a half-removed install) is no package at all.
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PluginError(
      `plugin '${name}' (${packageJsonPath}): package.json is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!isPlainObject(json))
    throw new PluginError(`plugin '${name}' (${packageJsonPath}): package.json is not an object`);
  if (!(MANIFEST_FIELD in json)) return undefined;
  const manifest = validateManifest(json[MANIFEST_FIELD], name, packageJsonPath, root);
  const version = typeof json.version === 'string' ? json.version : '';
  return { name, version, root, packageJsonPath, manifest };
}

/** Real path of a directory, or the path itself when it cannot be resolved. */
export function realDirectory(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
