/**
 * What the command's launcher (bin/scenario_execution.js) and the faces of the bundle
 * share: whether the bundle is current (bundle-freshness.ts) and the one bundled engine
 * of the process (bundle-loader.ts).
 *
 * scripts/bundle.mjs writes this module, with the two it imports, as one CommonJS file,
 * `dist/entry/launcher.cjs`. The launcher is CommonJS and requires it: Node then runs
 * the command without starting its ES module loader (some 20 M instructions and the
 * libuv thread pool, for its asynchronous reads). The bundle's ES module face
 * (dist/bundle/engine.js) and the package's entries require the same file, so the
 * command and the plugins that import the package share one decision and one engine.
 */
import { bundledEngine } from './bundle-loader.js';

export { bundleIsCurrent } from './bundle-freshness.js';
export { bundleCacheOutcome, bundledEngine, codeCacheFile, loadBundle } from './bundle-loader.js';

/** What the command needs of the bundled engine. */
interface CommandEngine {
  main(argv: string[]): Promise<number>;
  runCommand(main: (argv: string[]) => Promise<number>): Promise<void>;
}

/** Run `scenario_execution` with the process's arguments from the bundle (check `bundleIsCurrent` first). */
export function runBundledCommand(): Promise<void> {
  const engine = bundledEngine() as unknown as CommandEngine;
  return engine.runCommand(engine.main);
}
