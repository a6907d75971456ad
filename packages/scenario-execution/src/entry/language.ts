/** Entry of the `scenario-execution/language` subpath (see index.ts here for why it is one). */
export * from '../language/index.js';
