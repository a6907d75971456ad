/** Entry of the `scenario-execution/arg-parser` subpath (see index.ts here for why it is one). */
export * from '../cli/arg-parser.js';
