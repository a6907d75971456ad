/**
 * The bundled engine (scripts/bundle.mjs) in a copy of the package: what the
 * command loads, that plugins get the same single copy of the engine, the ways
 * back to the modules of dist/ (a newer TypeScript build, no bundle) and to
 * parsing (an edited library), and the code cache
 * (src/entry/bundle-loader.ts): used when made for the bundle, never when
 * missing, damaged, made for another bundle or turned down by V8.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, REPO_ROOT } from './cli/build.js';
import { cleanUpRuns, tempDir, writeFiles } from './cli/harness.js';

const ENGINE = join(REPO_ROOT, 'packages', 'scenario-execution');
const HELLO = 'import osc.helpers\n\nscenario hello:\n    do log("hello from the scenario")\n';

let root: string;
let pkg: string;

/** Copy of the built package under root/node_modules/scenario-execution, bundled there. */
beforeAll(() => {
  buildOnce();
  root = tempDir('se-startup-');
  const modules = join(root, 'node_modules');
  pkg = join(modules, 'scenario-execution');
  mkdirSync(pkg, { recursive: true });
  for (const part of ['bin', 'dist', 'osc', 'scripts', 'package.json']) {
    cpSync(join(ENGINE, part), join(pkg, part), { recursive: true });
  }
  rmSync(join(pkg, 'dist', 'bundle'), { recursive: true, force: true });
  for (const dependency of ['esbuild', 'yaml']) {
    symlinkSync(join(REPO_ROOT, 'node_modules', dependency), join(modules, dependency));
  }
  // A plugin whose action imports the engine as plugins do, by package name.
  writeFiles(join(modules, 'scenario-execution-plugin-probe'), {
    'package.json': JSON.stringify({
      name: 'scenario-execution-plugin-probe',
      version: '1.0.0',
      type: 'module',
      'scenario-execution': { actions: { probe: './probe.js' } },
    }),
    // Its `Logger` is the command's when both have the same copy of the engine.
    'probe.js':
      "import { Logger, Status } from 'scenario-execution';\n" +
      'export default { create() { let log; return { setup(ctx) { log = ctx.logger; }, ' +
      "update() { log.info('probe ran, same engine: ' + (log instanceof Logger)); return Status.SUCCESS; } }; } };\n",
  });
  bundle();
});
afterAll(cleanUpRuns);

function bundle(): void {
  const result = spawnSync(process.execPath, [join(pkg, 'scripts', 'bundle.mjs')], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

/**
 * Run the copy's command with a module hook that records every ES module loaded, and
 * the CommonJS modules loaded by the end (the hook sees the command's, too); returns the outcome and the loaded files of
 * the package copy (relative to it), ES modules first.
 */
function runCommand(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  loaded: string[];
  required: string[];
} {
  const dir = tempDir('se-startup-run-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(log, '');
  writeFiles(dir, {
    'hooks.mjs':
      "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) {\n' +
      '  const loaded = await next(url, context);\n' +
      `  if (loaded.format === 'module') appendFileSync(${JSON.stringify(log)}, url + '\\n');\n` +
      '  return loaded;\n' +
      '}\n',
    'register.mjs':
      "import { appendFileSync } from 'node:fs';\n" +
      "import { createRequire, register } from 'node:module';\n" +
      "import { pathToFileURL } from 'node:url';\n" +
      `register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n` +
      'const required = createRequire(import.meta.url).cache;\n' +
      "process.on('exit', () => {\n" +
      `  for (const file of Object.keys(required)) appendFileSync(${JSON.stringify(log)}, 'cjs:' + pathToFileURL(file).href + '\\n');\n` +
      '});\n',
  });
  const result = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(pkg, 'bin', 'scenario_execution.js'), ...args],
    { encoding: 'utf8', cwd: root, timeout: 60_000 },
  );
  const prefix = pathToFileURL(pkg).href;
  const lines = readFileSync(log, 'utf8').split('\n');
  const inPackage = (urls: string[]): string[] =>
    urls.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length + 1));
  const esModules = inPackage(lines.filter((line) => !line.startsWith('cjs:')));
  const required = inPackage(lines.filter((line) => line.startsWith('cjs:')).map((line) => line.slice(4)));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, loaded: esModules, required };
}

/** Engine modules of dist/ other than the entries and the two modules kept outside the bundle. */
function engineModules(loaded: readonly string[]): string[] {
  return loaded.filter(
    (file) =>
      file.startsWith('dist/') &&
      !file.startsWith('dist/entry/') &&
      !file.startsWith('dist/bundle/') &&
      !file.startsWith('dist/actions/process-supervisor/'),
  );
}

/**
 * What became of the code cache in a Node process (with `nodeOptions`) that imports
 * the copy's engine as a plugin does (and got its `Status`).
 */
function cacheOutcome(nodeOptions: string[] = []): string {
  const entry = pathToFileURL(join(pkg, 'dist', 'entry', 'index.js')).href;
  const launcher = join(pkg, 'dist', 'entry', 'launcher.cjs');
  const result = spawnSync(
    process.execPath,
    [
      ...nodeOptions,
      '--input-type=module',
      '-e',
      `const { Status } = await import(${JSON.stringify(entry)});\n` +
        "const { createRequire } = await import('node:module');\n" +
        `const { bundleCacheOutcome } = createRequire(import.meta.url)(${JSON.stringify(launcher)});\n` +
        'console.log(bundleCacheOutcome(), Status.SUCCESS);\n',
    ],
    { encoding: 'utf8', cwd: root, timeout: 60_000 },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const [outcome, success] = result.stdout.trim().split(' ');
  expect(success).toBeTruthy();
  return outcome ?? '';
}

/** Run `body` with the file at `path` replaced by `contents` (or removed), then restore it. */
function withFile(path: string, contents: Buffer | string | undefined, body: () => void): void {
  const saved = readFileSync(path);
  if (contents === undefined) rmSync(path);
  else writeFileSync(path, contents);
  try {
    body();
  } finally {
    writeFileSync(path, saved);
  }
}

/** The command runs the hello scenario. */
function expectHelloRuns(name: string): void {
  const run = runCommand([scenario(name, HELLO)]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('[INFO] hello from the scenario');
  expect(engineModules([...run.loaded, ...run.required])).toEqual([]);
}

function scenario(name: string, text: string): string {
  const file = join(root, name);
  writeFileSync(file, text);
  return file;
}

describe('the bundled engine', () => {
  it('runs a scenario from the one bundled file, without an ES module of the package', () => {
    const run = runCommand([scenario('hello.osc', HELLO)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[INFO] hello from the scenario');
    expect(run.required).toEqual(['bin/scenario_execution.js', 'dist/entry/launcher.cjs']);
    expect(run.loaded).toEqual([]);
  });

  it('gives a plugin the same copy of the engine as the command', () => {
    const file = scenario(
      'probe.osc',
      'import osc.helpers\n\naction probe:\n    x: int = 0\n\nscenario with_plugin:\n    do probe()\n',
    );
    const run = runCommand([file]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[INFO] probe ran, same engine: true');
    expect(run.loaded).toContain('dist/entry/index.js');
    expect(engineModules([...run.loaded, ...run.required])).toEqual([]);
    expect(run.loaded.filter((file) => file === 'dist/bundle/engine.js')).toHaveLength(1);
    expect(run.required.filter((file) => file === 'dist/entry/launcher.cjs')).toHaveLength(1);
  });

  it('runs a process through the Node process supervisor (its code is sent as text)', () => {
    const file = scenario(
      'process.osc',
      'import osc.helpers\n\nscenario proc:\n    do run_process("echo from-the-process")\n',
    );
    const previous = process.env.SCENARIO_EXECUTION_SUPERVISOR;
    process.env.SCENARIO_EXECUTION_SUPERVISOR = 'node';
    try {
      const run = runCommand([file]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('from-the-process');
    } finally {
      if (previous === undefined) delete process.env.SCENARIO_EXECUTION_SUPERVISOR;
      else process.env.SCENARIO_EXECUTION_SUPERVISOR = previous;
    }
  });

  it('parses a bundled library edited since the build, instead of using its prebuilt tree', () => {
    const helpers = join(pkg, 'osc', 'helpers.osc');
    const original = readFileSync(helpers, 'utf8');
    writeFileSync(helpers, `${original}\nstruct startup_marker:\n    value: int = 7\n`);
    try {
      const file = scenario(
        'marker.osc',
        'import osc.helpers\n\nscenario marked:\n    var marker: startup_marker\n    do log(marker.value)\n',
      );
      const run = runCommand([file]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('[INFO] 7');
    } finally {
      writeFileSync(helpers, original);
    }
  });

  it('runs the modules of dist/ when the TypeScript build is newer than the bundle', () => {
    const buildInfo = join(pkg, 'tsconfig.tsbuildinfo');
    writeFileSync(buildInfo, '{}');
    const later = new Date(Date.now() + 60_000);
    utimesSync(buildInfo, later, later);
    try {
      const run = runCommand([scenario('hello-modules.osc', HELLO)]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('[INFO] hello from the scenario');
      expect(run.loaded).not.toContain('dist/bundle/engine.js');
      expect(run.loaded).toContain('dist/cli/main.js');
    } finally {
      rmSync(buildInfo);
    }
  });

  it('runs the modules of dist/ as tsc wrote them, before any bundle step (no launcher file)', () => {
    const entry = (name: string): string => join(pkg, 'dist', 'entry', name);
    withFile(entry('launcher.cjs'), undefined, () => {
      withFile(entry('cli.js'), "export * from '../cli/main.js';\n", () => {
        withFile(entry('run-command.js'), "export * from '../cli/run-command.js';\n", () => {
          const run = runCommand([scenario('hello-tsc-only.osc', HELLO)]);
          expect(run.stderr).toBe('');
          expect(run.status).toBe(0);
          expect(run.stdout).toContain('[INFO] hello from the scenario');
          expect(run.loaded).toContain('dist/cli/main.js');
          expect(run.loaded).not.toContain('dist/bundle/engine.js');
        });
      });
    });
  });

  it('loads the bundle with the code cache made at build time', () => {
    expect(cacheOutcome()).toBe('accepted');
  });

  describe('without a usable code cache, compiles the bundle from its source', () => {
    const cacheFile = (): string => join(pkg, 'dist', 'bundle', 'engine.cache');

    it('when the cache is missing', () => {
      withFile(cacheFile(), undefined, () => {
        expect(cacheOutcome()).toBe('missing');
        expectHelloRuns('hello-no-cache.osc');
      });
    });

    it('when its data is damaged (which V8 would not notice, and crash on)', () => {
      const damaged = readFileSync(cacheFile());
      const start = damaged.indexOf(10) + 1;
      for (let i = start + 64; i < damaged.length; i += 97) damaged[i] = (damaged[i] ?? 0) ^ 0x55;
      withFile(cacheFile(), damaged, () => {
        expect(cacheOutcome()).toBe('invalid');
        expectHelloRuns('hello-damaged-cache.osc');
      });
    });

    it('when it is cut short or not a cache file at all', () => {
      withFile(cacheFile(), readFileSync(cacheFile()).subarray(0, 1000), () => {
        expect(cacheOutcome()).toBe('invalid');
      });
      withFile(cacheFile(), 'not a cache\n', () => {
        expect(cacheOutcome()).toBe('invalid');
        expectHelloRuns('hello-not-a-cache.osc');
      });
    });

    it('when it was made by another Node', () => {
      const cache = readFileSync(cacheFile());
      const end = cache.indexOf(10);
      const header = cache
        .subarray(0, end)
        .toString('latin1')
        .replace(/"node":"[^"]*"/, '"node":"v0.0.0"');
      withFile(cacheFile(), Buffer.concat([Buffer.from(header, 'latin1'), cache.subarray(end)]), () => {
        expect(cacheOutcome()).toBe('invalid');
      });
    });

    it('when it was made for another bundle (the bundle changed since)', () => {
      const bundleFile = join(pkg, 'dist', 'bundle', 'engine.cjs');
      withFile(bundleFile, `${readFileSync(bundleFile, 'utf8')}// changed\n`, () => {
        expect(cacheOutcome()).toBe('stale');
        expectHelloRuns('hello-stale-cache.osc');
      });
    });

    it('when the bundle changed but kept its length (V8 checks only the length)', () => {
      const bundleFile = join(pkg, 'dist', 'bundle', 'engine.cjs');
      const source = readFileSync(bundleFile, 'utf8');
      // The default logger's name, one letter changed: same length, still runs.
      const changed = source.replace('"scenario_execution"', '"scenario_executioN"');
      expect(changed).not.toBe(source);
      expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(source));
      withFile(bundleFile, changed, () => {
        expect(cacheOutcome()).toBe('stale');
      });
    });

    it('when one bit of its data flipped', () => {
      const damaged = readFileSync(cacheFile());
      const middle = Math.floor((damaged.indexOf(10) + damaged.length) / 2);
      damaged[middle] = (damaged[middle] ?? 0) ^ 0x01;
      withFile(cacheFile(), damaged, () => {
        expect(cacheOutcome()).toBe('invalid');
      });
    });

    it('when V8 turns it down (other V8 flags)', () => {
      expect(cacheOutcome(['--max-old-space-size=300'])).toBe('rejected');
    });
  });

  it('keeps the functions sent to another process byte for byte in their CommonJS form beside it', async () => {
    const requireHere = createRequire(import.meta.url);
    for (const name of ['messages', 'program']) {
      const esm = (await import(
        pathToFileURL(join(pkg, 'dist', 'actions', 'process-supervisor', `${name}.js`)).href
      )) as Record<string, unknown>;
      const cjs = requireHere(join(pkg, 'dist', 'bundle', `${name}.cjs`)) as Record<string, unknown>;
      expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
      for (const key of Object.keys(esm)) expect(String(cjs[key]), key).toBe(String(esm[key]));
    }
  });

  it('keeps the name of every class and function it exports (built without keepNames)', () => {
    const face = pathToFileURL(join(pkg, 'dist', 'bundle', 'engine.js')).href;
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const engine = await import(${JSON.stringify(face)});\n` +
          "const named = Object.entries(engine).filter(([, value]) => typeof value === 'function');\n" +
          'console.log(JSON.stringify(named.map(([key, value]) => [key, value.name])));\n',
      ],
      { encoding: 'utf8', cwd: root, timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const names = JSON.parse(result.stdout) as [string, string][];
    expect(names.map(([key]) => key)).toEqual(expect.arrayContaining(['Behaviour', 'Logger', 'OscError', 'main']));
    for (const [key, name] of names) expect(name, key).toBe(key);
  });

  it('lists every subpath the package exports among the bundle entries (dist/entry/<name>.js)', () => {
    const manifest = JSON.parse(readFileSync(join(ENGINE, 'package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    const bundler = readFileSync(join(ENGINE, 'scripts', 'bundle.mjs'), 'utf8');
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      const name = subpath === '.' ? 'index' : subpath.slice(2);
      expect(target, `exports["${subpath}"]`).toBe(`./dist/entry/${name}.js`);
      expect(bundler, `ENTRIES of scripts/bundle.mjs lacks '${name}'`).toMatch(new RegExp(`^  '?${name}'?: '`, 'm'));
      expect(readFileSync(join(ENGINE, 'src', 'entry', `${name}.ts`), 'utf8')).toContain('export * from');
    }
  });
});
