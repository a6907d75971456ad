import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinActions, clearPluginDiscoveryCache } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import {
  createActionResolver,
  engineBuiltinActions,
  installationPluginFolders,
  pluginFolders,
} from '../src/action-catalog.js';
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
      const resolve = createActionResolver({ searchInstallation: false });
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
      const resolve = createActionResolver({ pluginDirs: [dir.path], searchInstallation: false });
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
      const fresh = createActionResolver({ pluginDirs: [dir.path], searchInstallation: false });
      expect(await fresh('anything')).toBeUndefined();
    } finally {
      clearPluginDiscoveryCache();
      dir.remove();
    }
  });
});

describe('where plugins are loaded from', () => {
  it('is the node_modules tree the server is installed in, and no folder above it', () => {
    const dir = tempDir();
    try {
      const installed = join(dir.path, 'opt', 'se', 'node_modules', '@scenario-execution', 'server');
      mkdirSync(installed, { recursive: true });
      expect(installationPluginFolders(installed)).toEqual([
        join(installed, 'node_modules'),
        join(dir.path, 'opt', 'se', 'node_modules', '@scenario-execution', 'node_modules'),
        join(dir.path, 'opt', 'se', 'node_modules'),
      ]);
    } finally {
      dir.remove();
    }
  });

  it('in a workspace, stops at the node_modules folder that links the server package', () => {
    const dir = tempDir();
    try {
      const workspace = join(dir.path, 'repo');
      const pkg = join(workspace, 'packages', 'server');
      mkdirSync(pkg, { recursive: true });
      mkdirSync(join(workspace, 'node_modules', '@scenario-execution', 'server'), { recursive: true });
      expect(installationPluginFolders(pkg)).toEqual([
        join(pkg, 'node_modules'),
        join(workspace, 'packages', 'node_modules'),
        join(workspace, 'node_modules'),
      ]);
      // Without an installation tree above it, only its own dependencies.
      const stray = join(dir.path, 'stray', 'server');
      mkdirSync(stray, { recursive: true });
      expect(installationPluginFolders(stray)).toEqual([join(stray, 'node_modules')]);
    } finally {
      dir.remove();
    }
  });

  it('adds each --plugin-dir: its node_modules, then itself', () => {
    const folders = pluginFolders({ pluginDirs: ['/opt/plugins'] });
    expect(folders.slice(-2)).toEqual(['/opt/plugins/node_modules', '/opt/plugins']);
    expect(pluginFolders({ searchInstallation: false })).toEqual([]);
  });
});
