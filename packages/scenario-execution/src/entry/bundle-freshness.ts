/**
 * Whether the bundle (dist/bundle/engine.js, written by scripts/bundle.mjs) is
 * current: made after the last TypeScript build of this package. The entries the
 * bundle step writes import the bundle when it is, and the modules of dist/ when
 * it is not (a source edited and compiled by `tsc -b` alone since, or a build in
 * progress): never code older than the sources compiled.
 * Only a working copy has the build-info file; an installed package has none.
 */
import { createRequire } from 'node:module';

// By `require`: an ES module import of `node:fs` reads all its exports, loading its streams.
const { statSync } = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

const packageDirectory = new URL('../../', import.meta.url);

function modifiedMs(url: URL): number | undefined {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

let current: boolean | undefined;

/**
 * True when dist/bundle/engine.js exists and is not older than the TypeScript
 * build. Decided once per process, so that every entry imports the same engine.
 */
export function bundleIsCurrent(): boolean {
  if (current === undefined) {
    const bundled = modifiedMs(new URL('dist/bundle/engine.js', packageDirectory));
    const compiled = modifiedMs(new URL('tsconfig.tsbuildinfo', packageDirectory));
    current = bundled !== undefined && (compiled === undefined || compiled <= bundled);
  }
  return current;
}
