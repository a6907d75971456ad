/** Entry of the `scenario-execution/run-command` subpath (see index.ts here for why it is one). */
export * from '../cli/run-command.js';
