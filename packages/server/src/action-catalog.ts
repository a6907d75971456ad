/**
 * Which actions a server can run: the engine's built-in actions first, then
 * those of installed plugins (found as the `scenario_execution` CLI finds them).
 */
import { type ActionDefinition, builtinActions, discoverPlugins } from 'scenario-execution';
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

/** Built-ins first, then plugins; plugin discovery happens on the first name that is not built in. */
export function createActionResolver(options: CatalogOptions = {}): ActionResolver {
  const builtins = options.builtins ?? engineBuiltinActions();
  const searchInstallLocations = options.searchInstallLocations ?? true;
  return async (pluginKey) => {
    const builtin = lookUp(builtins, pluginKey);
    if (builtin) return builtin;
    const plugins = discoverPlugins({
      searchFrom: options.pluginSearchFrom ?? [process.cwd()],
      includeEngineLocation: searchInstallLocations,
      includeScriptDirectory: searchInstallLocations,
    });
    return plugins.getAction(pluginKey);
  };
}
