/** Entry of the `scenario-execution/cli` subpath (see index.ts here for why it is one). */
export * from '../cli/main.js';
