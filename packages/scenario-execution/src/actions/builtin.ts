/** The actions every scenario can use (declared in `osc.helpers`). */
import type { ActionDefinition } from './api.js';
import { compareAction } from './compare.js';
import { decrementAction } from './decrement.js';
import { incrementAction } from './increment.js';
import { logAction } from './log.js';
import { runProcessAction } from './run-process.js';

export const builtinActions: Readonly<Record<string, ActionDefinition>> = {
  compare: compareAction,
  increment: incrementAction,
  decrement: decrementAction,
  log: logAction,
  run_process: runProcessAction,
};
