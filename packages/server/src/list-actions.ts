/**
 * `scenario_execution_server --list-actions`: the actions a server started
 * with the same `--plugin-dir` and `--allow-actions` would run, from the same
 * places (see action-catalog.ts): the engine's built-ins first, then the
 * plugins of the server's installation and of each `--plugin-dir`. Each with
 * the package it comes from and its OSC declaration, found in the OSC
 * libraries of that package (or of the engine, or of another plugin), where
 * one exists: a client needs only the declaration to run the action
 * remotely.
 *
 * Listing reads package manifests and `.osc` files only; no plugin code runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { discoverPluginsIn, type PluginRegistry } from 'scenario-execution';
import { engineBuiltinActions, pluginFolders } from './action-catalog.js';
import type { ListActionsRequest } from './cli-args.js';

/** One action a server would run. */
export interface ListedAction {
  readonly name: string;
  /** The npm package it comes from. */
  readonly package: string;
  readonly version: string;
  /** The OSC library declaring it (`osc.helpers`), when one does. */
  readonly library: string | null;
  /** Its declaration, as written there (without the comments above it). */
  readonly declaration: string | null;
}

export interface ActionListing {
  readonly actions: readonly ListedAction[];
  /** Names of `--allow-actions` that no package provides. */
  readonly unknownAllowed: readonly string[];
}

/** An OSC library: what `import osc.<name>` reads. */
interface OscLibrary {
  readonly name: string;
  readonly file: string;
}

export interface ListOptions {
  /** Search the server's own installation (default true; tests turn it off). */
  readonly searchInstallation?: boolean;
}

/** The engine package's name, version and OSC libraries. */
function enginePackage(): { name: string; version: string; libraries: OscLibrary[] } {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('scenario-execution/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; version: string };
  const oscDir = join(dirname(manifestPath), 'osc');
  let files: string[] = [];
  try {
    files = readdirSync(oscDir).filter((file) => file.endsWith('.osc'));
  } catch {
    // An engine without libraries: built-ins are listed without declarations.
  }
  const libraries = files.sort().map((file) => ({ name: basename(file, '.osc'), file: join(oscDir, file) }));
  return { name: manifest.name, version: manifest.version, libraries };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The declaration of action `name` in OSC `text`: the line `action [actor.]name…`
 * at the start of a line, and the indented lines after it (its members),
 * without trailing blank lines.
 */
export function findActionDeclaration(text: string, name: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const head = new RegExp(
    `^action\\s+(?:[A-Za-z_][A-Za-z0-9_]*\\.)?${escapeRegExp(name)}(?=\\s*(?:$|:|#|inherits\\b))`,
  );
  const start = lines.findIndex((line) => head.test(line));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^(?:[ \t]|$)/.test(lines[end] as string)) end++;
  while (end > start + 1 && (lines[end - 1] as string).trim() === '') end--;
  return lines
    .slice(start, end)
    .map((line) => line.trimEnd())
    .join('\n');
}

/** `line` without its `#` comment (a `#` inside a string literal stays). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#') {
      return line.slice(0, i);
    }
  }
  return line;
}

/**
 * A declaration on one line, for the text listing: comments dropped, the
 * members after the head separated by `; `:
 * `action run_process: command: string; wait_for_shutdown: bool = true`.
 */
export function oneLineDeclaration(declaration: string): string {
  const parts = declaration
    .split('\n')
    .map((line) => withoutComment(line).trim())
    .filter((line) => line !== '');
  const [head, ...members] = parts;
  if (head === undefined) return '';
  return members.length === 0 ? head : `${head} ${members.join('; ')}`;
}

/** The first library in `libraries` that declares `name`. */
function declarationIn(
  libraries: readonly OscLibrary[],
  name: string,
  read: (file: string) => string | undefined,
): { library: string; declaration: string } | undefined {
  for (const library of libraries) {
    const text = read(library.file);
    const declaration = text === undefined ? undefined : findActionDeclaration(text, name);
    if (declaration !== undefined) return { library: `osc.${library.name}`, declaration };
  }
  return undefined;
}

/** The OSC libraries of the plugins, those of `packageName` first. */
function pluginLibraries(registry: PluginRegistry, packageName: string): OscLibrary[] {
  const own: OscLibrary[] = [];
  const others: OscLibrary[] = [];
  for (const name of registry.libraryNames()) {
    const entry = registry.find('libraries', name);
    if (entry === undefined) continue;
    (entry.pkg.name === packageName ? own : others).push({ name, file: entry.file });
  }
  return [...own, ...others];
}

/**
 * The actions a server with these flags would run, in the order it looks
 * them up (built-ins, then plugins by name). Throws a PluginError when plugin
 * discovery fails, as the server would at its first plugin action.
 */
export function listActions(request: ListActionsRequest, options: ListOptions = {}): ActionListing {
  const engine = enginePackage();
  const registry = discoverPluginsIn(
    pluginFolders({ pluginDirs: request.pluginDirs, searchInstallation: options.searchInstallation }),
  );
  const texts = new Map<string, string | undefined>();
  const read = (file: string): string | undefined => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(file, 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const builtins = Object.keys(engineBuiltinActions());
  const listed: ListedAction[] = [];
  for (const name of builtins) {
    const found = declarationIn(engine.libraries, name, read);
    listed.push({
      name,
      package: engine.name,
      version: engine.version,
      library: found?.library ?? null,
      declaration: found?.declaration ?? null,
    });
  }
  for (const name of registry.actionNames()) {
    // A built-in of the same name wins, as in the server's lookup.
    if (builtins.includes(name)) continue;
    const entry = registry.find('actions', name);
    if (entry === undefined) continue;
    const found =
      declarationIn(pluginLibraries(registry, entry.pkg.name), name, read) ??
      declarationIn(engine.libraries, name, read);
    listed.push({
      name,
      package: entry.pkg.name,
      version: entry.pkg.version,
      library: found?.library ?? null,
      declaration: found?.declaration ?? null,
    });
  }
  const allowed = request.allowActions;
  if (allowed === undefined) return { actions: listed, unknownAllowed: [] };
  const names = new Set(listed.map((action) => action.name));
  return {
    actions: listed.filter((action) => allowed.includes(action.name)),
    unknownAllowed: allowed.filter((name) => !names.has(name)),
  };
}

/** The listing as text: one action a line, `NAME  PACKAGE@VERSION  DECLARATION`, in aligned columns. */
export function formatActionList(actions: readonly ListedAction[]): string {
  const nameWidth = Math.max(0, ...actions.map((action) => action.name.length));
  const packages = actions.map((action) => `${action.package}@${action.version}`);
  const packageWidth = Math.max(0, ...packages.map((text) => text.length));
  return actions
    .map((action, i) => {
      const declaration = action.declaration === null ? '' : oneLineDeclaration(action.declaration);
      const line = `${action.name.padEnd(nameWidth)}  ${(packages[i] as string).padEnd(packageWidth)}  ${declaration}`;
      return line.trimEnd();
    })
    .join('\n');
}
