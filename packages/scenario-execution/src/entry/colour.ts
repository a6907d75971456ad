/** Entry of the `scenario-execution/colour` subpath (see index.ts here for why it is one). */
export * from '../runtime/colour.js';
