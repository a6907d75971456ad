import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinActions, clearPluginDiscoveryCache } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { createActionResolver, engineBuiltinActions } from '../src/action-catalog.js';
import { tempDir } from './support/harness.js';

describe('the built-in actions the server runs', () => {
  it('are the engine’s own table, typed and non-empty', () => {
    expect(engineBuiltinActions()).toBe(builtinActions);
    expect(Object.keys(builtinActions)).toEqual(expect.arrayContaining(['run_process', 'increment', 'log']));
  });

  it.each(['run_process', 'increment', 'log'])(
    '%s resolves to the engine’s definition, without plugin discovery',
    async (name) => {
      // No search locations: only a built-in can answer.
      const resolve = createActionResolver({ pluginSearchFrom: [], searchInstallLocations: false });
      expect(await resolve(name)).toBe(builtinActions[name]);
    },
  );
});

describe('plugin discovery', () => {
  it('happens once per resolver: a broken plugin fails every init the same way, without rescanning', async () => {
    const dir = tempDir();
    try {
      const pkg = join(dir.path, 'node_modules', 'scenario-execution-plugin-broken');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), '{ not json');
      const resolve = createActionResolver({ pluginSearchFrom: [dir.path], searchInstallLocations: false });
      const first = await resolve('anything').catch((err: unknown) => err);
      expect(first).toBeInstanceOf(Error);
      // Repaired on disk: a rescan would now succeed, the memoized outcome does not change.
      writeFileSync(
        join(pkg, 'package.json'),
        JSON.stringify({ name: 'scenario-execution-plugin-broken', version: '1.0.0' }),
      );
      clearPluginDiscoveryCache();
      expect(await resolve('anything').catch((err: unknown) => err)).toBe(first);
      // A new resolver scans again and sees the repaired package.
      const fresh = createActionResolver({ pluginSearchFrom: [dir.path], searchInstallLocations: false });
      expect(await fresh('anything')).toBeUndefined();
    } finally {
      clearPluginDiscoveryCache();
      dir.remove();
    }
  });
});
