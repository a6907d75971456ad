#!/usr/bin/env node
/**
 * Bundles the engine compiled by tsc (`dist/`) into `dist/bundle/`, for `npm run build`
 * (after `tsc -b`): the command then loads a few files instead of some 60 modules, and
 * does not lex and parse the bundled OSC libraries on each run.
 *
 * - One file, `engine.cjs`, exports what every subpath of the package exports
 *   (ENTRIES). What the engine imports on demand (the runner, YAML parameters, dot
 *   output) is in it too, and runs only when imported. Packages (`yaml`) stay outside,
 *   required from node_modules when first used. It is CommonJS code wrapped in one
 *   function expression, compiled by src/entry/bundle-loader.ts with V8's code cache,
 *   `engine.cache`, made here by running the bundle once (see that file); its ES
 *   module face, `engine.js`, exports its names.
 * - The package's exports point at `dist/entry/*.js`. tsc writes them as re-exports of
 *   the modules of dist/; this script rewrites them to import the bundle's face while
 *   it is current (src/entry/bundle-freshness.ts: not older than the TypeScript build),
 *   else those modules, and to export the same names. Every importer, the command and
 *   plugins alike, so gets one copy of the engine (the same `Behaviour`, `Status`,
 *   `OscError`). Without this step (tsc only) the modules run, unbundled; a source
 *   compiled by `tsc -b` alone since is run from its module, never from an old bundle.
 * - `dist/entry/launcher.cjs` is src/entry/launcher.ts with the two modules it imports
 *   (the freshness check, the bundle's loader) as one CommonJS file: the command's
 *   launcher (bin/, CommonJS) requires it, and so do the face and the entries, so that
 *   there is one decision and one engine per process.
 * - Each module keeps its own `import.meta.url` (that of its file in dist/), so the
 *   paths it finds from there (osc/, package.json, dist/native/) stay right: the
 *   bundle is given its own URL as `__engineUrl`.
 * - The syntax trees of `osc/*.osc`, parsed here by the parser being bundled, are
 *   bundled as code, functions that make them (src/model/prebuilt-libraries.ts), from
 *   the module `prebuilt-libraries.mjs` written beside the bundle (its map names it).
 *
 * Files are written under a temporary name and renamed into place, the face last, so
 * that a command starting meanwhile reads either the previous bundle or this one (a
 * code cache not made for the bundle beside it is not used). Other files in
 * dist/bundle/ (of an earlier layout) are removed once they are ten minutes old.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(packageDir, 'dist');
const bundleDir = join(distDir, 'bundle');
const entryDir = join(distDir, 'entry');
const STALE_FILE_MS = 600_000;

/** Subpath entry name → its module in dist/ (the same as src/entry/<name>.ts re-exports). */
export const ENTRIES = {
  index: 'index.js',
  cli: 'cli/main.js',
  language: 'language/index.js',
  'run-command': 'cli/run-command.js',
  'arg-parser': 'cli/arg-parser.js',
  colour: 'runtime/colour.js',
  'process-supervisor': 'actions/process-supervisor/client.js',
};

const ENGINE_ENTRY = 'scenario-execution:engine';

/** esbuild plugin: the bundle's one entry, re-exporting every module of ENTRIES. */
const engineEntry = {
  name: 'engine-entry',
  setup(builder) {
    builder.onResolve({ filter: /^scenario-execution:engine$/ }, () => ({ path: ENGINE_ENTRY, namespace: 'engine' }));
    builder.onLoad({ filter: /.*/, namespace: 'engine' }, () => ({
      contents: Object.values(ENTRIES)
        .map((module) => `export * from ${JSON.stringify(`./${module}`)};`)
        .join('\n'),
      loader: 'js',
      resolveDir: distDir,
    }));
  },
};

/**
 * The run-time names each entry exports, read from the modules tsc wrote. A name two
 * entries export must be the same thing in both (the bundle exports it once).
 */
async function entryExports() {
  const exportsOf = {};
  const seen = new Map();
  for (const [name, module] of Object.entries(ENTRIES)) {
    const namespace = await import(pathToFileURL(join(distDir, module)).href);
    exportsOf[name] = Object.keys(namespace).sort();
    for (const key of exportsOf[name]) {
      if (seen.has(key) && seen.get(key).value !== namespace[key]) {
        throw new Error(`'${key}' of ${module} is not the '${key}' of ${seen.get(key).module}: rename one`);
      }
      seen.set(key, { module, value: namespace[key] });
    }
  }
  return exportsOf;
}

/**
 * esbuild plugin: a package the engine imports (`yaml`, for parameter files) is
 * required when the module importing it first runs, not when the bundle loads: in
 * one file, a static import of a package outside it would be loaded at start.
 * Its exports are those Node's `require` gives, listed here at build time.
 */
const packagesOnFirstUse = {
  name: 'packages-on-first-use',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.namespace === 'on-first-use') return undefined;
      return { path: args.path, namespace: 'on-first-use', pluginData: { importer: args.importer } };
    });
    builder.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (args) => {
      const requireFrom = createRequire(args.pluginData.importer);
      const names = Object.keys(requireFrom(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      const fromBundle = relative(bundleDir, args.pluginData.importer).split(sep).join('/');
      return {
        contents:
          `import { createRequire } from 'node:module';\n` +
          `const required = createRequire(new URL(${JSON.stringify(fromBundle)}, __engineUrl))(${JSON.stringify(args.path)});\n` +
          `export const { ${names.join(', ')} } = required;\nexport default required;\n`,
        loader: 'js',
        resolveDir: dirname(args.pluginData.importer),
      };
    });
  },
};

/**
 * Modules whose functions are sent as text to another process (`node -e`): bundled,
 * their code would call the bundle's helpers, so they stay outside it (they hold
 * functions only, no classes or state). Each is written beside the bundle as CommonJS
 * (sentAsTextCommonJs), which the loader requires when the bundle first uses it: an ES
 * module would be loaded at every start, as it cannot be loaded on demand synchronously.
 */
const SENT_AS_TEXT = ['actions/process-supervisor/program.js', 'actions/process-supervisor/messages.js'];

/** The file beside the bundle of a SENT_AS_TEXT module (src/entry/bundle-loader.ts knows these names). */
export function sentAsTextFile(module) {
  return `${basename(module, '.js')}.cjs`;
}

/**
 * The CommonJS form of a SENT_AS_TEXT module as tsc wrote it: its text, each
 * `export function` without `export`, then the functions set on `exports`. The
 * functions' text stays the same byte for byte; any other import or export fails.
 */
export function sentAsTextCommonJs(text, module) {
  const names = [];
  const body = text.replace(/^\/\/# sourceMappingURL=.*$/m, '').replace(/^export function (\w+)/gm, (_, name) => {
    names.push(name);
    return `function ${name}`;
  });
  if (/^\s*(import|export)\b/m.test(body) || names.length === 0) {
    throw new Error(`${module}: only \`export function\` declarations can be written as CommonJS`);
  }
  return `'use strict';\n${body}\n${names.map((name) => `exports.${name} = ${name};`).join('\n')}\n`;
}

/** esbuild plugin: SENT_AS_TEXT stay outside the bundle. */
const keepSentAsText = {
  name: 'keep-sent-as-text',
  setup(builder) {
    builder.onResolve({ filter: /^\./ }, (args) => {
      const module = relative(distDir, join(args.resolveDir, args.path)).split(sep).join('/');
      if (!SENT_AS_TEXT.includes(module)) return undefined;
      return { path: `../${module}`, external: true };
    });
  },
};

/** A dynamic `import(` in code (not `.import(` nor `someimport(`). */
const DYNAMIC_IMPORT = /(?<![\w$.])import\(/;
/** One of a module that is not in the bundle: not of a relative path. */
const DYNAMIC_IMPORT_FROM_OUTSIDE = /(?<![\w$.])import\((?!\s*['"`]\.)/g;

/**
 * esbuild plugin, for each module:
 * - its `import.meta.url` is the URL of its file in dist/ (from the bundle's, `__engineUrl`);
 * - its `import()` of a module outside the bundle (a plugin, `node:child_process`) calls
 *   `__engineImport`, the loader's `import()` (src/entry/bundle-loader.ts): an `import()`
 *   in the bundle's code, run from V8's code cache, fails on Node 20 ("A dynamic import
 *   callback was not specified"). Relative ones stay, for esbuild to bundle.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/, namespace: 'file' }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      const importsFromOutside = contents.replaceAll(DYNAMIC_IMPORT_FROM_OUTSIDE, '__engineImport(');
      if (!contents.includes('import.meta.url') && importsFromOutside === contents) return undefined;
      const fromBundle = relative(bundleDir, args.path).split(sep).join('/');
      const own = `new URL(${JSON.stringify(fromBundle)}, __engineUrl).href`;
      return {
        contents: importsFromOutside.replaceAll('import.meta.url', own),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/** The name by which src/model/prebuilt-libraries.ts reads the prebuilt libraries. */
const PREBUILT_LIBRARIES = '__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__';

/**
 * The module of the prebuilt libraries (src/model/prebuilt-libraries.ts): the trees of
 * osc/*.osc as code, each checked to make the tree the parser made. A library whose
 * tree cannot be code is left out (it is parsed at run time).
 */
async function prebuiltLibrariesModule() {
  const { parse } = await import(pathToFileURL(join(distDir, 'language/parser.js')).href);
  const { SourceFile } = await import(pathToFileURL(join(distDir, 'language/diagnostics.js')).href);
  const { libraryTreeCode } = await import(pathToFileURL(join(distDir, 'model/prebuilt-libraries.js')).href);
  const { isDeepStrictEqual } = await import('node:util');
  const entries = [];
  const oscDir = join(packageDir, 'osc');
  for (const file of readdirSync(oscDir).filter((f) => f.endsWith('.osc'))) {
    const name = basename(file, '.osc');
    const text = readFileSync(join(oscDir, file), 'utf8');
    const source = new SourceFile(`osc.${name}`, text);
    const ast = parse(source);
    const code = libraryTreeCode(ast, source);
    if (code === undefined) {
      console.warn(`scenario-execution bundle: osc/${file} is parsed at run time (its tree cannot be written as code)`);
      continue;
    }
    if (!isDeepStrictEqual(new Function(`return ${code}`)()(source), ast)) {
      throw new Error(`the code of the syntax tree of osc/${file} does not make that tree`);
    }
    entries.push(`[${JSON.stringify(name)}]:{text:${JSON.stringify(text)},tree:${code}}`);
  }
  return `export const ${PREBUILT_LIBRARIES}={${entries.join(',')}};\n`;
}

function temporaryName(path) {
  return `${path}.${process.pid}.tmp`;
}

function writeAtomically(path, contents) {
  const temporary = temporaryName(path);
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** The bundle's code around esbuild's CommonJS output (src/entry/bundle-loader.ts runs it). */
const WRAPPER_START = '(function (exports, require, module, __engineUrl, __engineImport) {\n';
const WRAPPER_END = '\n})\n';

/**
 * Run the bundle `source` (written, not yet in place) as dist/bundle/engine.cjs once,
 * loaded by `launcher` (dist/entry/launcher.cjs), with `-n` and then a run of a trivial
 * scenario, in a Node process of its own, and write the code V8 compiled meanwhile to
 * `cacheFile` (src/entry/bundle-loader.ts).
 * Returns an error message, or undefined.
 */
function makeCodeCache(launcher, source, cacheFile) {
  const scratch = mkdtempSync(join(tmpdir(), 'se-bundle-cache-'));
  try {
    const scenario = join(scratch, 'trivial.osc');
    writeFileSync(scenario, 'import osc.helpers\n\nscenario trivial:\n    do log("cache")\n');
    // As the command runs (bin/scenario_execution.js): the second run goes through
    // runCommand, to the process's own output, and ends the process.
    const program = `
      const { readFileSync, writeFileSync } = require('node:fs');
      const { pathToFileURL } = require('node:url');
      const [launcher, source, scenario, cacheFile] = process.argv.slice(1);
      const { codeCacheFile, loadBundle } = require(launcher);
      const { engine, script } = loadBundle({ sourceFile: pathToFileURL(source), useCache: false });
      process.on('exit', (code) => {
        if (code === 0) writeFileSync(cacheFile, codeCacheFile(readFileSync(source), script.createCachedData()));
      });
      const io = { stdout() {}, stderr() {} };
      engine.main(['-n', scenario], { io, handleSignals: false }).then((status) => {
        if (status !== 0) throw new Error('scenario_execution -n exited ' + status);
        process.argv = [process.argv[0], 'scenario_execution', scenario];
        return engine.runCommand(engine.main);
      });
    `;
    const run = spawnSync(process.execPath, ['-e', program, launcher, source, scenario, cacheFile], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0) return (run.stderr || run.error?.message || `exit ${run.status}`).trim();
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The launcher's CommonJS file (see the header), written in place; returns its path. */
async function writeLauncher() {
  const file = join(entryDir, 'launcher.cjs');
  const result = await build({
    entryPoints: [join(entryDir, 'launcher.js')],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Its modules find the bundle from their own URL, that of the file in dist/entry/.
    define: { 'import.meta.url': '__launcherUrl' },
    banner: { js: "'use strict';\nconst __launcherUrl = require('node:url').pathToFileURL(__filename).href;" },
    minifySyntax: true,
    write: false,
    logLevel: 'warning',
  });
  writeAtomically(file, result.outputFiles[0].text);
  return file;
}

/** Bundle dist/ into dist/bundle/ and point dist/entry/ at it. */
export async function bundleEngine() {
  for (const module of Object.values(ENTRIES)) {
    statSync(join(distDir, module)); // throws a clear ENOENT when tsc has not run
  }
  // Kept beside the bundle, under a fixed name: the bundle and its source map name it
  // (and so stay the same from build to build while nothing changed).
  mkdirSync(bundleDir, { recursive: true });
  const librariesModule = join(bundleDir, 'prebuilt-libraries.mjs');
  writeAtomically(librariesModule, await prebuiltLibrariesModule());
  const exportsOf = await entryExports();
  const result = await build({
    entryPoints: { engine: ENGINE_ENTRY },
    outdir: bundleDir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // No keepNames: it adds a `__name` call (a property definition, a new shape) for
    // every function and class at load, and for every arrow function each time one is
    // made (per node at build, per tick). Names it would fix: those esbuild renames to
    // avoid a clash (helpers of two modules: `truthy2`, shown in stack traces only) and
    // a class naming itself in its body (`class _Logger`: logger.ts avoids that). The
    // test of the bundle checks that every exported class and function keeps its name.
    sourcemap: 'linked',
    inject: [librariesModule],
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [engineEntry, keepSentAsText, packagesOnFirstUse, ownImportMetaUrl],
    write: false,
    logLevel: 'warning',
  });
  const written = new Set(['prebuilt-libraries.mjs', 'engine.js.map', 'engine.cjs', 'engine.cache', 'engine.js']);
  for (const module of SENT_AS_TEXT) {
    const text = readFileSync(join(distDir, module), 'utf8');
    writeAtomically(join(bundleDir, sentAsTextFile(module)), sentAsTextCommonJs(text, module));
    written.add(sentAsTextFile(module));
  }
  const code = result.outputFiles.find((file) => file.path.endsWith('engine.js'));
  if (DYNAMIC_IMPORT.test(code.text)) throw new Error('the bundle has an import() left (see ownImportMetaUrl)');
  const map = result.outputFiles.find((file) => file.path.endsWith('engine.js.map'));
  // The wrapper's first line: the map's lines start one later.
  const sourceMap = JSON.parse(map.text);
  sourceMap.mappings = `;${sourceMap.mappings}`;
  writeAtomically(join(bundleDir, 'engine.js.map'), JSON.stringify(sourceMap));
  const source = `${WRAPPER_START}${code.text}${WRAPPER_END}`;
  const bundleFile = join(bundleDir, 'engine.cjs');
  writeFileSync(temporaryName(bundleFile), source);
  const cacheFile = join(bundleDir, 'engine.cache');
  const launcher = await writeLauncher();
  const failure = makeCodeCache(launcher, temporaryName(bundleFile), temporaryName(cacheFile));
  renameSync(temporaryName(bundleFile), bundleFile);
  if (failure === undefined) {
    renameSync(temporaryName(cacheFile), cacheFile);
  } else {
    rmSync(temporaryName(cacheFile), { force: true });
    rmSync(cacheFile, { force: true });
    console.warn(`scenario-execution bundle: no code cache (the bundle runs without): ${failure}`);
  }
  // The face last: its time is the bundle's (src/entry/bundle-freshness.ts).
  const allNames = [...new Set(Object.values(exportsOf).flat())].sort();
  writeAtomically(
    join(bundleDir, 'engine.js'),
    '// Written by scripts/bundle.mjs: the bundled engine, engine.cjs, loaded with its code cache\n' +
      '// (src/entry/bundle-loader.ts), once per process (the launcher, src/entry/launcher.ts, keeps it).\n' +
      "import { createRequire } from 'node:module';\n\n" +
      "const engine = createRequire(import.meta.url)('../entry/launcher.cjs').bundledEngine();\n" +
      `export const { ${allNames.join(', ')} } = engine;\n`,
  );
  for (const [name, names] of Object.entries(exportsOf)) {
    writeAtomically(
      join(entryDir, `${name}.js`),
      '// Written by scripts/bundle.mjs (see src/entry/index.ts): the bundle while it is current,\n' +
        '// else the modules of dist/ (decided once per process, by the launcher: src/entry/launcher.ts).\n' +
        "import { createRequire } from 'node:module';\n\n" +
        "const { bundleIsCurrent } = createRequire(import.meta.url)('./launcher.cjs');\n" +
        `const engine = bundleIsCurrent() ? await import('../bundle/engine.js') : await import('../${ENTRIES[name]}');\n` +
        `export const { ${names.join(', ')} } = engine;\n`,
    );
  }
  const now = Date.now();
  for (const file of readdirSync(bundleDir)) {
    if (written.has(file)) continue;
    const path = join(bundleDir, file);
    if (now - statSync(path).mtimeMs > STALE_FILE_MS) rmSync(path, { force: true });
  }
  return { files: [...written] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleEngine();
  const size = (file) => `${Math.round(statSync(join(bundleDir, file), { throwIfNoEntry: false })?.size / 1024)} kB`;
  console.log(
    `scenario-execution bundled: dist/bundle/engine.cjs, ${size('engine.cjs')}, code cache ${size('engine.cache')}`,
  );
}
