/**
 * Which actions a server can run: the engine's built-in actions first, then
 * those of installed plugins (found as the `scenario_execution` CLI finds them).
 */
import { type ActionDefinition, builtinActions, discoverPlugins, type PluginRegistry } from 'scenario-execution';
import type { ActionResolver } from './action-host.js';

/** A table of action definitions by name, as a Map or a plain object. */
type ActionTable = ReadonlyMap<string, ActionDefinition> | Readonly<Record<string, ActionDefinition>>;

function lookUp(table: ActionTable, name: string): ActionDefinition | undefined {
  if (table instanceof Map) return table.get(name);
  const record = table as Readonly<Record<string, ActionDefinition>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The engine's built-in action table (`builtinActions` of the package's public index). */
export function engineBuiltinActions(): Readonly<Record<string, ActionDefinition>> {
  return builtinActions;
}

export interface CatalogOptions {
  /** Built-in actions (default: the engine's). */
  readonly builtins?: ActionTable;
  /** Directories to look for plugin packages from (their node_modules and upward). */
  readonly pluginSearchFrom?: readonly string[];
  /** Also search where the engine and the running script are installed (default true). */
  readonly searchInstallLocations?: boolean;
}

/**
 * Built-ins first, then plugins; plugin discovery happens on the first name
 * that is not built in. Its outcome (the registry, or the error of a broken
 * plugin) is kept for the resolver's life: discovery is synchronous filesystem
 * work on the server's event loop and must not run again on every `init`.
 */
export function createActionResolver(options: CatalogOptions = {}): ActionResolver {
  const builtins = options.builtins ?? engineBuiltinActions();
  const searchInstallLocations = options.searchInstallLocations ?? true;
  let discovery: { readonly registry: PluginRegistry } | { readonly error: unknown } | undefined;
  const plugins = (): PluginRegistry => {
    if (discovery === undefined) {
      try {
        discovery = {
          registry: discoverPlugins({
            searchFrom: options.pluginSearchFrom ?? [process.cwd()],
            includeEngineLocation: searchInstallLocations,
            includeScriptDirectory: searchInstallLocations,
          }),
        };
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
