/**
 * Loading the scenario for the CLI (and the server): the model loader wired
 * to the installed plugins (libraries, external methods), then the scenario
 * parameter file applied, or its template written.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { builtinExternalMethods } from '../external/index.js';
import { OscError } from '../language/diagnostics.js';
import { fileErrorText, readTextFile } from '../language/text-file.js';
import { BUNDLED_LIBRARIES, loadScenario } from '../model/loader.js';
import type { ExternalFunction, OscModel } from '../model/model.js';
import { PluginError } from '../plugins/errors.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { Logger } from '../runtime/logger.js';

export interface LoadModelOptions {
  readonly plugins: PluginRegistry;
  readonly logger?: Logger;
  /** Log the resolved model (`-l`). */
  readonly logModel?: boolean;
  /** YAML file of parameter values overriding the defaults. */
  readonly parameterFile?: string;
  /** Write the parameter file template to `parameterFile` instead of reading it. */
  readonly createParameterFileTemplate?: boolean;
}

/**
 * The function behind `def f() is external <module>.f()`: a built-in module
 * of the engine, or a plugin's external-methods module (imported on first use).
 */
export function externalMethodLookup(plugins: PluginRegistry) {
  return async (module: string, functionName: string): Promise<ExternalFunction | undefined> => {
    const builtin = builtinExternalMethods[module];
    if (builtin) return Object.hasOwn(builtin, functionName) ? builtin[functionName] : undefined;
    const exports = await plugins.externalModule(module);
    const fn = exports?.[functionName];
    return typeof fn === 'function' ? (fn as ExternalFunction) : undefined;
  };
}

/**
 * Load and resolve a scenario file with the plugins' libraries and external methods.
 * @throws PluginError when a plugin registers a library under the name of a bundled one.
 */
export function loadModelWithPlugins(file: string, plugins: PluginRegistry): Promise<OscModel> {
  for (const name of plugins.libraryNames()) {
    if (!BUNDLED_LIBRARIES.includes(name)) continue;
    const entry = plugins.find('libraries', name);
    throw new PluginError(
      `plugin '${entry?.pkg.name}' (${entry?.pkg.packageJsonPath}) registers library '${name}', ` +
        `but osc.${name} is a library of the engine itself; rename it`,
    );
  }
  const options = {
    libraryResolver: (name: string) => plugins.libraryPath(name),
    libraryNames: () => plugins.libraryNames(),
    externalMethods: externalMethodLookup(plugins),
  };
  // A model the Python scenario_variation wrote (YAML); loaded on demand.
  if (file.endsWith('.sce')) {
    return import('../model/sce/load-sce.js').then(({ loadSceScenario }) => loadSceScenario(file, options));
  }
  return loadScenario(file, options);
}

/**
 * Load the scenario and apply the parameter file. In template mode, write the
 * template and return undefined. Throws OscError for every user error.
 */
export async function loadModel(file: string, options: LoadModelOptions): Promise<OscModel | undefined> {
  const model = await loadModelWithPlugins(file, options.plugins);
  if (options.logModel) {
    const { formatModel } = await import('../model/format.js');
    for (const line of formatModel(model).split('\n')) {
      options.logger?.info(line);
    }
  }
  const parameterFile = options.parameterFile;
  if (parameterFile === undefined) return model;
  // Loaded on demand: the YAML parser is a noticeable part of the start-up time.
  const { applyParameterOverrides, createParameterTemplate } = await import('../model/overrides.js');
  if (options.createParameterFileTemplate) {
    if (existsSync(parameterFile)) {
      throw new OscError(`Scenario parameter file template '${parameterFile}' already exists.`, undefined);
    }
    try {
      writeFileSync(parameterFile, createParameterTemplate(model));
    } catch (error) {
      if (error instanceof OscError) throw error;
      throw new OscError(
        `cannot write scenario parameter file template '${parameterFile}': ${String(error)}`,
        undefined,
      );
    }
    options.logger?.info(`Created scenario parameter file template: ${parameterFile}`);
    return undefined;
  }
  let text: string;
  try {
    text = readTextFile(parameterFile);
  } catch (error) {
    if (error instanceof OscError) throw error;
    throw new OscError(`cannot read scenario parameter file '${parameterFile}': ${fileErrorText(error)}`, undefined);
  }
  applyParameterOverrides(model, text, parameterFile);
  return model;
}
