import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { OscError } from '../../src/language/diagnostics.js';
import {
  clearPluginDiscoveryCache,
  discoverPlugins,
  isPluginPackageName,
  PluginError,
  pluginSearchPath,
} from '../../src/plugins/index.js';

const roots: string[] = [];

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'se-plugins-'));
  roots.push(root);
  return root;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Write a package folder with a package.json (and more files). */
function writePackage(dir: string, packageJson: unknown, files: Record<string, string> = {}): void {
  writeFile(join(dir, 'package.json'), typeof packageJson === 'string' ? packageJson : JSON.stringify(packageJson));
  for (const [rel, text] of Object.entries(files)) writeFile(join(dir, rel), text);
}

const onlyFrom = (scenarioDirectory: string) => ({
  scenarioDirectory,
  includeEngineLocation: false,
  includeScriptDirectory: false,
});

const ACTION_MODULE = `
globalThis.__seLoads = (globalThis.__seLoads ?? 0) + 1;
export default {
  initArgs: ['a'],
  create(init) { return { update() { return 'SUCCESS'; }, init }; },
};
`;

beforeEach(() => clearPluginDiscoveryCache());
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('plugin package names', () => {
  it('accepts plain and scoped plugin names only', () => {
    expect(isPluginPackageName('scenario-execution-plugin-hello')).toBe(true);
    expect(isPluginPackageName('@acme/scenario-execution-plugin-x')).toBe(true);
    expect(isPluginPackageName('scenario-execution-plugin-')).toBe(false);
    expect(isPluginPackageName('scenario-execution')).toBe(false);
    expect(isPluginPackageName('@acme/other')).toBe(false);
    expect(isPluginPackageName('my-scenario-execution-plugin-x')).toBe(false);
  });
});

describe('discoverPlugins', () => {
  it('finds plain and scoped plugins, ignoring other packages and packages without a manifest', async () => {
    const root = tempRoot();
    const nm = join(root, 'project', 'node_modules');
    writePackage(
      join(nm, 'scenario-execution-plugin-a'),
      {
        name: 'scenario-execution-plugin-a',
        version: '1.2.3',
        'scenario-execution': { actions: { act_a: './a.mjs' }, libraries: { lib_a: './osc/a.osc' } },
      },
      { 'a.mjs': ACTION_MODULE, 'osc/a.osc': 'action act_a:\n    x: int\n' },
    );
    writePackage(
      join(nm, '@acme', 'scenario-execution-plugin-b'),
      {
        name: '@acme/scenario-execution-plugin-b',
        'scenario-execution': { modifiers: { mod_b: './m.mjs' }, externalMethods: { 'acme.tools': './t.mjs' } },
      },
      {
        'm.mjs': 'export default { wrap(ctx) { return ctx.child; } };',
        't.mjs': 'export function twice(x) { return 2 * x; }',
      },
    );
    // Not plugins: wrong name, or no manifest field.
    writePackage(join(nm, 'other-package'), {
      name: 'other-package',
      'scenario-execution': { actions: { x: './x.mjs' } },
    });
    writePackage(join(nm, 'scenario-execution-plugin-plain'), { name: 'scenario-execution-plugin-plain' });

    const registry = discoverPlugins(onlyFrom(join(root, 'project', 'scenarios')));
    expect(registry.packages.map((p) => p.name).sort()).toEqual([
      '@acme/scenario-execution-plugin-b',
      'scenario-execution-plugin-a',
    ]);
    expect(registry.packages.find((p) => p.name === 'scenario-execution-plugin-a')?.version).toBe('1.2.3');
    expect(registry.actionNames()).toEqual(['act_a']);
    expect(registry.modifierNames()).toEqual(['mod_b']);
    expect(registry.libraryNames()).toEqual(['lib_a']);
    expect(registry.libraryPath('lib_a')).toBe(join(nm, 'scenario-execution-plugin-a', 'osc', 'a.osc'));
    expect(registry.libraryPath('nope')).toBeUndefined();
    expect(registry.hasAction('act_a')).toBe(true);
    expect(registry.hasAction('x')).toBe(false);

    const action = await registry.getAction('act_a');
    expect(action?.initArgs).toEqual(['a']);
    expect(await registry.getAction('missing')).toBeUndefined();
    const modifier = await registry.getModifier('mod_b');
    expect(typeof modifier?.wrap).toBe('function');
    const tools = await registry.externalModule('acme.tools');
    expect((tools!.twice as (x: number) => number)(21)).toBe(42);
    expect(await registry.externalModule('acme.other')).toBeUndefined();
  });

  it('imports a module only when asked, and only once', async () => {
    const root = tempRoot();
    const marker = `__seLoads_${Date.now()}`;
    writePackage(
      join(root, 'node_modules', 'scenario-execution-plugin-lazy'),
      {
        name: 'scenario-execution-plugin-lazy',
        'scenario-execution': { actions: { lazy: './lazy.mjs' } },
      },
      {
        'lazy.mjs': `globalThis.${marker} = (globalThis.${marker} ?? 0) + 1;\nexport default { create() { return { update() { return 'SUCCESS'; } }; } };`,
      },
    );
    const registry = discoverPlugins(onlyFrom(root));
    const counter = () => (globalThis as Record<string, unknown>)[marker];
    expect(counter()).toBeUndefined();
    await registry.getAction('lazy');
    await registry.getAction('lazy');
    expect(counter()).toBe(1);
  });

  it('prefers the installation nearest to the scenario', () => {
    const root = tempRoot();
    const pkg = (version: string) => ({
      name: 'scenario-execution-plugin-n',
      version,
      'scenario-execution': { actions: { near: './n.mjs' } },
    });
    writePackage(join(root, 'node_modules', 'scenario-execution-plugin-n'), pkg('1.0.0'));
    writePackage(join(root, 'sub', 'node_modules', 'scenario-execution-plugin-n'), pkg('2.0.0'));
    const registry = discoverPlugins(onlyFrom(join(root, 'sub', 'deeper')));
    expect(registry.packages).toHaveLength(1);
    expect(registry.packages[0]?.version).toBe('2.0.0');
    expect(registry.find('actions', 'near')?.file).toBe(
      join(root, 'sub', 'node_modules', 'scenario-execution-plugin-n', 'n.mjs'),
    );
  });

  it('counts a package linked into two node_modules folders once', () => {
    const root = tempRoot();
    const real = join(root, 'packages', 'plug');
    writePackage(real, {
      name: 'scenario-execution-plugin-link',
      'scenario-execution': { actions: { linked: './l.mjs' } },
    });
    mkdirSync(join(root, 'a', 'node_modules'), { recursive: true });
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    symlinkSync(real, join(root, 'a', 'node_modules', 'scenario-execution-plugin-link'));
    symlinkSync(real, join(root, 'node_modules', 'scenario-execution-plugin-link'));
    const registry = discoverPlugins(onlyFrom(join(root, 'a')));
    expect(registry.actionNames()).toEqual(['linked']);
  });

  it('searches extra start directories after the scenario directory', () => {
    const root = tempRoot();
    writePackage(join(root, 'server', 'node_modules', 'scenario-execution-plugin-s'), {
      name: 'scenario-execution-plugin-s',
      'scenario-execution': { actions: { served: './s.mjs' } },
    });
    const options = { ...onlyFrom(join(root, 'elsewhere')), searchFrom: [join(root, 'server')] };
    expect(pluginSearchPath(options).slice(0, 2)).toEqual([
      join(root, 'elsewhere', 'node_modules'),
      join(root, 'node_modules'),
    ]);
    expect(discoverPlugins(options).actionNames()).toEqual(['served']);
  });

  it('memoizes discovery per search path', () => {
    const root = tempRoot();
    const first = discoverPlugins(onlyFrom(root));
    expect(discoverPlugins(onlyFrom(root))).toBe(first);
    clearPluginDiscoveryCache();
    expect(discoverPlugins(onlyFrom(root))).not.toBe(first);
  });
});

describe('plugin errors', () => {
  it('rejects two plugins providing the same action, naming both packages', () => {
    const root = tempRoot();
    const nm = join(root, 'node_modules');
    for (const name of ['scenario-execution-plugin-one', 'scenario-execution-plugin-two']) {
      writePackage(join(nm, name), { name, 'scenario-execution': { actions: { same: './s.mjs' } } });
    }
    let error: unknown;
    try {
      discoverPlugins(onlyFrom(root));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toBeInstanceOf(OscError);
    const text = (error as PluginError).format();
    expect(text).toMatch(/^error: action 'same' is provided by two plugins/);
    expect(text).toContain(
      `'scenario-execution-plugin-one' (${join(nm, 'scenario-execution-plugin-one', 'package.json')})`,
    );
    expect(text).toContain(
      `'scenario-execution-plugin-two' (${join(nm, 'scenario-execution-plugin-two', 'package.json')})`,
    );
  });

  it('rejects two plugins providing the same library', () => {
    const root = tempRoot();
    for (const name of ['scenario-execution-plugin-l1', 'scenario-execution-plugin-l2']) {
      writePackage(join(root, 'node_modules', name), {
        name,
        'scenario-execution': { libraries: { shared: './x.osc' } },
      });
    }
    expect(() => discoverPlugins(onlyFrom(root))).toThrow(/library 'shared' is provided by two plugins/);
  });

  it('reports a package.json that is not JSON, naming the file', () => {
    const root = tempRoot();
    const dir = join(root, 'node_modules', 'scenario-execution-plugin-broken');
    writePackage(dir, '{ "name": "scenario-execution-plugin-broken", ');
    expect(() => discoverPlugins(onlyFrom(root))).toThrow(
      `plugin 'scenario-execution-plugin-broken' (${join(dir, 'package.json')}): package.json is not valid JSON`,
    );
  });

  it.each([
    [{ actions: { a: './a.mjs' }, action: {} }, /unknown key "action"/],
    [{ actions: ['./a.mjs'] }, /"scenario-execution.actions" must be an object/],
    [{ actions: { a: 42 } }, /"scenario-execution.actions.a" must be a non-empty path string/],
    [{ actions: { 'bad-name': './a.mjs' } }, /invalid actions name "bad-name"/],
    [{ libraries: { up: '../outside.osc' } }, /must be a path inside the package, got "..\/outside.osc"/],
    ['not an object', /field "scenario-execution" must be an object/],
  ])('reports a broken manifest %j', (manifest, message) => {
    const root = tempRoot();
    const dir = join(root, 'node_modules', 'scenario-execution-plugin-bad');
    writePackage(dir, { name: 'scenario-execution-plugin-bad', 'scenario-execution': manifest });
    expect(() => discoverPlugins(onlyFrom(root))).toThrow(message);
    expect(() => discoverPlugins(onlyFrom(root))).toThrow(
      `plugin 'scenario-execution-plugin-bad' (${join(dir, 'package.json')})`,
    );
  });

  it('reports modules that are missing, fail to load or export the wrong thing', async () => {
    const root = tempRoot();
    const dir = join(root, 'node_modules', 'scenario-execution-plugin-mods');
    writePackage(
      dir,
      {
        name: 'scenario-execution-plugin-mods',
        'scenario-execution': {
          actions: {
            missing: './dist/missing.js',
            throws: './throws.mjs',
            syntax: './syntax.mjs',
            shape: './shape.mjs',
          },
          modifiers: { notmod: './shape.mjs' },
          libraries: { gone: './osc/gone.osc' },
        },
      },
      {
        'throws.mjs': 'throw new Error("boom at load");',
        'syntax.mjs': 'export default {',
        'shape.mjs': 'export default { hello: 1 };',
      },
    );
    const registry = discoverPlugins(onlyFrom(root));
    await expect(registry.getAction('missing')).rejects.toThrow(
      `action 'missing' of plugin 'scenario-execution-plugin-mods' (${join(dir, 'dist', 'missing.js')}): the module does not exist`,
    );
    await expect(registry.getAction('throws')).rejects.toThrow(/the module failed to load: boom at load/);
    await expect(registry.getAction('syntax')).rejects.toThrow(
      new RegExp(
        `'scenario-execution-plugin-mods' \\(${join(dir, 'syntax.mjs').replace(/[.]/g, '\\.')}\\): the module failed to load`,
      ),
    );
    await expect(registry.getAction('shape')).rejects.toThrow(/the default export is not an action definition/);
    await expect(registry.getModifier('notmod')).rejects.toThrow(
      /modifier 'notmod' of plugin 'scenario-execution-plugin-mods' .*not a modifier definition/,
    );
    expect(() => registry.libraryPath('gone')).toThrow(
      `library 'gone' of plugin 'scenario-execution-plugin-mods' (${join(dir, 'osc', 'gone.osc')}): the file does not exist`,
    );
    await expect(registry.getAction('throws')).rejects.toBeInstanceOf(PluginError);
  });
});
