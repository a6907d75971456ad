/** Entry of the `scenario-execution/process-supervisor` subpath (see index.ts here for why it is one). */
export * from '../actions/process-supervisor/client.js';
export type { SupervisorOptions } from '../actions/process-supervisor/messages.js';
