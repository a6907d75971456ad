export {
  clearPluginDiscoveryCache,
  type DiscoverPluginsOptions,
  discoverPlugins,
  discoverPluginsIn,
  pluginSearchPath,
} from './discovery.js';
export { PluginError } from './errors.js';
export { MANIFEST_FIELD, type PluginManifest } from './manifest.js';
export type { ModifierContext, ModifierDefinition, WrappedActionInfo } from './modifier-api.js';
export { isPluginPackageName, PLUGIN_NAME_PREFIX, type PluginPackage } from './package-scan.js';
export { type PluginEntry, PluginRegistry } from './registry.js';
