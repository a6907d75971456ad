/**
 * The plugin manifest: the `"scenario-execution"` field of a plugin package's
 * package.json. A plugin is any installed package named
 * `scenario-execution-plugin-<x>` or `@<scope>/scenario-execution-plugin-<x>`
 * whose package.json carries this field. Module paths are relative to the
 * package root; modules are imported only when a scenario uses what they export.
 *
 * ```json
 * "scenario-execution": {
 *   "actions":   { "hello": "./dist/hello.js" },
 *   "modifiers": { "remote": "./dist/remote-modifier.js" },
 *   "libraries": { "remote": "./osc/remote.osc" },
 *   "externalMethods": { "my_pkg.tools": "./dist/tools.js" }
 * }
 * ```
 *
 * - an action module's default export is an `ActionDefinition`;
 * - a modifier module's default export is a `ModifierDefinition`;
 * - a library is an `.osc` file, imported by scenarios as `import osc.<name>`;
 * - an external-methods module exports functions; `def f() is external
 *   my_pkg.tools.f()` calls the export `f` of the module registered for `my_pkg.tools`.
 */
export interface PluginManifest {
  readonly actions?: Readonly<Record<string, string>>;
  readonly modifiers?: Readonly<Record<string, string>>;
  readonly libraries?: Readonly<Record<string, string>>;
  readonly externalMethods?: Readonly<Record<string, string>>;
}

/** The package.json field that marks a plugin. */
export const MANIFEST_FIELD = 'scenario-execution';
