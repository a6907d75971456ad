/**
 * The package's main entry (`scenario-execution`); the other files here are
 * those of its subpaths. As compiled by tsc, each re-exports its modules of
 * dist/. `npm run build` rewrites them (scripts/bundle.mjs) to import the one
 * bundled file of the engine while it is current, else these modules, and to
 * export the same names: so every importer of the package, the command and its
 * plugins alike, gets one copy of the engine (the same `Behaviour`, `Status`,
 * `OscError`). A name added to an entry is exported by the rewritten entry
 * from the next `npm run build` on.
 */
export * from '../index.js';
