/**
 * Loads the bundled engine (scripts/bundle.mjs) with V8's compiled code cached at
 * build time, for the command's launcher and the bundle's face `dist/bundle/engine.js`,
 * which every entry of dist/entry/ imports while the bundle is current (see index.ts and
 * launcher.ts here: both reach this module in its CommonJS form, dist/entry/launcher.cjs).
 *
 * The bundle, `dist/bundle/engine.cjs`, is one function expression in CommonJS form:
 * `(function (exports, require, module, __engineUrl, __engineImport) { … })`, where
 * `__engineImport` is `import()` (one in the bundle would fail when its code comes from
 * the cache: Node 20 gives such code no module loader). It is compiled with
 * `vm.Script` (ES modules offer no code cache on Node 20) and `cachedData` read from
 * `dist/bundle/engine.cache`, which the build step made by running the bundle once
 * (`-n` and a run of a trivial scenario) and asking V8 for the code it compiled: a run
 * then deserializes that code instead of parsing and compiling the bundle's source.
 *
 * The cache file is a header line of JSON (CacheHeader) and V8's data. It is used only
 * when it was made for this very bundle (length and checksum of the source), by this
 * Node and V8 on this architecture, and its data is intact (length and checksum of the
 * data: V8 on Node 20 does not check it, and damaged data would crash the process). Otherwise, or when V8 turns
 * it down itself (other V8 flags), the bundle is compiled from source, silently.
 * The cache is only ever written by the build step, never at run time (the package's
 * folder may be read-only).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Node's modules by `require`: an ES module import of a built-in reads all its exports
// (`node:fs` would load its streams, `node:crypto` WebCrypto), a cost at every start.
const require = createRequire(import.meta.url);
const { closeSync, fstatSync, openSync, readSync, statSync } = require('node:fs') as typeof import('node:fs');
const vm = require('node:vm') as typeof import('node:vm');

const BUNDLE_URL = new URL('../bundle/engine.cjs', import.meta.url);
const CACHE_URL = new URL('../bundle/engine.cache', import.meta.url);
/**
 * The two modules the bundle leaves outside (their functions are sent as text to
 * another process), by the paths the bundle requires them by: their CommonJS forms
 * written beside it (scripts/bundle.mjs), required on first use (processes only).
 */
const OUTSIDE_BUNDLE: Readonly<Record<string, string>> = {
  '../actions/process-supervisor/messages.js': './messages.cjs',
  '../actions/process-supervisor/program.js': './program.cjs',
};
const CACHE_MAGIC = 'scenario-execution code cache';

/**
 * Node modules the bundle requires at load but uses only on some paths: required when
 * first used, not at every start. `node:child_process` (running a process) loads the
 * network and stream modules, a few ms; `node:crypto` (seeding `random` from the OS)
 * some 15 modules. The bundle only reads their properties.
 */
const ON_FIRST_USE = new Set(['node:child_process', 'node:crypto']);

function onFirstUse(load: () => object): object {
  let module: object | undefined;
  const target = (): object => {
    module ??= load();
    return module;
  };
  return new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(target(), key),
      has: (_, key) => Reflect.has(target(), key),
    },
  );
}

/** The first line of the cache file, after CACHE_MAGIC and a space. */
export interface CacheHeader {
  readonly node: string;
  readonly v8: string;
  readonly arch: string;
  /** Checksum (see `checksum`) of the bundle's source (its UTF-8 bytes) the data was made from. */
  readonly source: string;
  /** Checksum of the data. */
  readonly data: string;
}

/**
 * What became of the code cache: `accepted` by V8; `missing` (no file); `invalid`
 * (not a cache file, damaged, or made by another Node or V8); `stale` (made for
 * another bundle); `rejected` by V8 (e.g. other V8 flags); `not-used` (asked not to).
 */
export type CacheOutcome = 'accepted' | 'missing' | 'invalid' | 'stale' | 'rejected' | 'not-used';

export interface LoadedBundle {
  readonly engine: Record<string, unknown>;
  readonly script: import('node:vm').Script;
  readonly cache: CacheOutcome;
}

/**
 * A checksum to tell files apart and find damage (not against forgery): the length and
 * CRC-32 of the bytes, `<length>:crc32:<hex>`. CRC-32 finds every burst of damage up to
 * 32 bits and misses other damage once in 2³²; `node:zlib` costs a sixth of loading
 * `node:crypto` (its streams are loaded anyway, for the output) and a tenth of its time
 * for SHA-1. A Node without `zlib.crc32` (before 20.15) uses SHA-1: a cache is only
 * read by the Node that made it, so both sides compute the same.
 */
function checksum(data: Uint8Array): string {
  const { crc32 } = require('node:zlib') as { crc32?: (data: Uint8Array) => number };
  if (crc32 !== undefined) return `${data.length}:crc32:${crc32(data).toString(16)}`;
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return `${data.length}:sha1:${createHash('sha1').update(data).digest('hex')}`;
}

function currentRuntime(): Pick<CacheHeader, 'node' | 'v8' | 'arch'> {
  return { node: process.version, v8: process.versions.v8, arch: process.arch };
}

/** The contents of a cache file holding `data`, made by compiling `source` (its bytes). */
export function codeCacheFile(source: Uint8Array, data: Uint8Array): Buffer {
  const header: CacheHeader = { ...currentRuntime(), source: checksum(source), data: checksum(data) };
  return Buffer.concat([Buffer.from(`${CACHE_MAGIC} ${JSON.stringify(header)}\n`), data]);
}

/**
 * The bytes of `file`, read into `into` when it is large enough (else into a new
 * buffer); undefined when it cannot be read. Memory first touched is dear (a page
 * fault per 4 kB): the bundle's source and its cache are read into one buffer in turn.
 */
function readBytes(file: URL, into?: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = into !== undefined && into.length >= size ? into : Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const read = readSync(fd, buffer, done, size - done, done);
      if (read === 0) break;
      done += read;
    }
    return buffer.subarray(0, done);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * V8's data of cache file `file` when it was made for the source whose checksum
 * (`checksum`) is `sourceChecksum`, here; else why not. `scratch` may be overwritten
 * (see readBytes).
 */
export function readCodeCache(
  sourceChecksum: string,
  file: URL = CACHE_URL,
  scratch?: Buffer,
): { data: Buffer; outcome?: undefined } | { data?: undefined; outcome: CacheOutcome } {
  const contents = readBytes(file, scratch);
  if (contents === undefined) return { outcome: 'missing' };
  const end = contents.indexOf(10); // '\n'
  const line = end < 0 ? '' : contents.subarray(0, end).toString('latin1');
  if (!line.startsWith(`${CACHE_MAGIC} `)) return { outcome: 'invalid' };
  let header: Partial<CacheHeader>;
  try {
    header = JSON.parse(line.slice(CACHE_MAGIC.length + 1)) as Partial<CacheHeader>;
  } catch {
    return { outcome: 'invalid' };
  }
  const runtime = currentRuntime();
  if (header.node !== runtime.node || header.v8 !== runtime.v8 || header.arch !== runtime.arch) {
    return { outcome: 'invalid' };
  }
  if (header.source !== sourceChecksum) return { outcome: 'stale' };
  const data = contents.subarray(end + 1);
  if (header.data !== checksum(data)) return { outcome: 'invalid' };
  return { data };
}

export interface LoadBundleOptions {
  /** The bundle's source file (default dist/bundle/engine.cjs). */
  readonly sourceFile?: URL;
  /** The location the bundle runs as (its paths are relative to it; default dist/bundle/engine.cjs). */
  readonly runAs?: URL;
  /** Use the code cache (default true). */
  readonly useCache?: boolean;
}

/** Compile and run the bundle; its exports, its script and what became of the cache. */
export function loadBundle(options: LoadBundleOptions = {}): LoadedBundle {
  const runAs = options.runAs ?? BUNDLE_URL;
  const sourceFile = options.sourceFile ?? BUNDLE_URL;
  const useCache = options.useCache !== false;
  // One buffer for the source, then the cache (its bytes are in `source` by then).
  const cacheSize = useCache ? (statSync(CACHE_URL, { throwIfNoEntry: false })?.size ?? 0) : 0;
  const scratch = Buffer.allocUnsafeSlow(Math.max(statSync(sourceFile).size, cacheSize));
  const bytes = readBytes(sourceFile, scratch);
  if (bytes === undefined) throw new Error(`cannot read the bundled engine ${fileURLToPath(sourceFile)}`);
  const source = bytes.toString('utf8');
  const cached = useCache ? readCodeCache(checksum(bytes), CACHE_URL, scratch) : undefined;
  const script = new vm.Script(source, { filename: fileURLToPath(runAs), cachedData: cached?.data });
  const cache: CacheOutcome =
    cached === undefined ? 'not-used' : (cached.outcome ?? (script.cachedDataRejected ? 'rejected' : 'accepted'));
  const requireFromBundle = createRequire(runAs);
  const requireInBundle = (id: string): unknown => {
    if (Object.hasOwn(OUTSIDE_BUNDLE, id)) {
      const file = OUTSIDE_BUNDLE[id] as string;
      return onFirstUse(() => requireFromBundle(file) as object);
    }
    if (ON_FIRST_USE.has(id)) return onFirstUse(() => requireFromBundle(id) as object);
    return requireFromBundle(id);
  };
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (
    exports: object,
    require: (id: string) => unknown,
    module: { exports: object },
    engineUrl: string,
    engineImport: (specifier: string) => Promise<unknown>,
  ) => void;
  run(module.exports, requireInBundle, module, runAs.href, (specifier) => import(specifier));
  return { engine: module.exports, script, cache };
}

let loaded: LoadedBundle | undefined;

/** The bundled engine, loaded once per process (one copy for the command and its plugins). */
export function bundledEngine(): Record<string, unknown> {
  loaded ??= loadBundle();
  return loaded.engine;
}

/** What became of the code cache when this process loaded the bundle; undefined before. */
export function bundleCacheOutcome(): CacheOutcome | undefined {
  return loaded?.cache;
}
