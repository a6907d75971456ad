/**
 * The registry of what installed plugins provide: actions, modifiers, OSC
 * libraries and external-method modules. Built from package.json manifests
 * only; a module is imported the first time something asks for it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionDefinition } from '../actions/api.js';
import { errorMessage } from '../language/diagnostics.js';
import { PluginError } from './errors.js';
import type { ModifierDefinition } from './modifier-api.js';
import { MANIFEST_SECTIONS, type ManifestSection, type PluginPackage } from './package-scan.js';

/** One named thing a plugin provides, and where it lives. */
export interface PluginEntry {
  readonly kind: ManifestSection;
  /** Action/modifier/library name, or the dotted module path of external methods. */
  readonly name: string;
  readonly pkg: PluginPackage;
  /** Path as written in the manifest. */
  readonly relativePath: string;
  /** Absolute path of the module or library file. */
  readonly file: string;
}

const KIND_LABEL: Record<ManifestSection, string> = {
  actions: 'action',
  modifiers: 'modifier',
  libraries: 'library',
  externalMethods: 'external-method module',
};

function describeEntry(entry: PluginEntry): string {
  return `${KIND_LABEL[entry.kind]} '${entry.name}' of plugin '${entry.pkg.name}' (${entry.file})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** Check the shape of an action module's default export. */
function checkActionDefinition(value: unknown, entry: PluginEntry): ActionDefinition {
  if (!isObject(value) || typeof value.create !== 'function') {
    throw new PluginError(`${describeEntry(entry)}: the default export is not an action definition (needs create())`);
  }
  const initArgs = value.initArgs;
  if (initArgs !== undefined && !(Array.isArray(initArgs) && initArgs.every((a) => typeof a === 'string'))) {
    throw new PluginError(`${describeEntry(entry)}: initArgs must be an array of argument names`);
  }
  const passRefs = value.passVariableReferences;
  if (passRefs !== undefined && typeof passRefs !== 'boolean') {
    throw new PluginError(`${describeEntry(entry)}: passVariableReferences must be a boolean`);
  }
  return value as unknown as ActionDefinition;
}

/** Check the shape of a modifier module's default export. */
function checkModifierDefinition(value: unknown, entry: PluginEntry): ModifierDefinition {
  if (!isObject(value) || typeof value.wrap !== 'function') {
    throw new PluginError(`${describeEntry(entry)}: the default export is not a modifier definition (needs wrap())`);
  }
  return value as unknown as ModifierDefinition;
}

export class PluginRegistry {
  private readonly entries: Record<ManifestSection, Map<string, PluginEntry>> = {
    actions: new Map(),
    modifiers: new Map(),
    libraries: new Map(),
    externalMethods: new Map(),
  };
  private readonly loaded = new Map<string, Promise<unknown>>();

  /**
   * @param packages plugin packages, one per package name (the nearest
   *   installation wins; discovery removes shadowed copies).
   * @throws PluginError when two packages provide the same name.
   */
  constructor(readonly packages: readonly PluginPackage[]) {
    for (const pkg of packages) {
      for (const section of MANIFEST_SECTIONS) {
        for (const [name, relativePath] of Object.entries(pkg.manifest[section] ?? {})) {
          const entry: PluginEntry = { kind: section, name, pkg, relativePath, file: resolve(pkg.root, relativePath) };
          const previous = this.entries[section].get(name);
          if (previous) {
            throw new PluginError(
              `${KIND_LABEL[section]} '${name}' is provided by two plugins: ` +
                `'${previous.pkg.name}' (${previous.pkg.packageJsonPath}) and '${pkg.name}' (${pkg.packageJsonPath}); uninstall one of them`,
            );
          }
          this.entries[section].set(name, entry);
        }
      }
    }
  }

  /** Names of all plugin actions, sorted. */
  actionNames(): string[] {
    return [...this.entries.actions.keys()].sort();
  }

  /** Names of all plugin modifiers, sorted. */
  modifierNames(): string[] {
    return [...this.entries.modifiers.keys()].sort();
  }

  /** Names of all plugin OSC libraries, sorted. */
  libraryNames(): string[] {
    return [...this.entries.libraries.keys()].sort();
  }

  /** Where an action/modifier/library/external module comes from, without loading it. */
  find(kind: ManifestSection, name: string): PluginEntry | undefined {
    return this.entries[kind].get(name);
  }

  hasAction(name: string): boolean {
    return this.entries.actions.has(name);
  }

  hasModifier(name: string): boolean {
    return this.entries.modifiers.has(name);
  }

  /** The action definition a plugin provides for `name` (imported on first use). */
  async getAction(name: string): Promise<ActionDefinition | undefined> {
    const entry = this.entries.actions.get(name);
    if (!entry) return undefined;
    const mod = await this.importEntry(entry);
    return checkActionDefinition(mod.default, entry);
  }

  /** The modifier definition a plugin provides for `name` (imported on first use). */
  async getModifier(name: string): Promise<ModifierDefinition | undefined> {
    const entry = this.entries.modifiers.get(name);
    if (!entry) return undefined;
    const mod = await this.importEntry(entry);
    return checkModifierDefinition(mod.default, entry);
  }

  /**
   * Absolute path of the `.osc` file a plugin registers for `import osc.<name>`.
   * @throws PluginError when the manifest names a file that does not exist.
   */
  libraryPath(name: string): string | undefined {
    const entry = this.entries.libraries.get(name);
    if (!entry) return undefined;
    if (!existsSync(entry.file)) throw new PluginError(`${describeEntry(entry)}: the file does not exist`);
    return entry.file;
  }

  /**
   * The module registered for external methods under a dotted path
   * (`my_pkg.tools`), imported on first use; its exports are the methods.
   */
  async externalModule(modulePath: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const entry = this.entries.externalMethods.get(modulePath);
    if (!entry) return undefined;
    return this.importEntry(entry);
  }

  private async importEntry(entry: PluginEntry): Promise<Readonly<Record<string, unknown>>> {
    let pending = this.loaded.get(entry.file);
    if (!pending) {
      pending = this.importFile(entry);
      this.loaded.set(entry.file, pending);
    }
    return (await pending) as Readonly<Record<string, unknown>>;
  }

  private async importFile(entry: PluginEntry): Promise<unknown> {
    if (!existsSync(entry.file)) {
      throw new PluginError(
        `${describeEntry(entry)}: the module does not exist (is the plugin built? manifest path "${entry.relativePath}")`,
      );
    }
    try {
      return await import(pathToFileURL(entry.file).href);
    } catch (e) {
      throw new PluginError(`${describeEntry(entry)}: the module failed to load: ${errorMessage(e)}`);
    }
  }
}
