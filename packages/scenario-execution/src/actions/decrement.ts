/** `decrement(target_variable)`: subtract 1 from a scenario variable. */
import type { ActionDefinition } from './api.js';
import { StepVariableAction } from './increment.js';

export const decrementAction: ActionDefinition = {
  passVariableReferences: true,
  create: () => new StepVariableAction(-1),
};

export default decrementAction;
