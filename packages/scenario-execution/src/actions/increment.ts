/** `increment(target_variable)`: add 1 to a scenario variable. */
import { Status } from '../runtime/status.js';
import type { Action, ActionDefinition, ArgValue, VariableRef } from './api.js';
import { pythonTypeName, requireVariableRef } from './variables.js';

/** Adds `step` to the referenced variable each time the invocation runs. */
export class StepVariableAction implements Action {
  private target: VariableRef | undefined;

  constructor(private readonly step: number) {}

  execute(args: Record<string, ArgValue | VariableRef>): void {
    this.target = requireVariableRef('target_variable', args.target_variable);
  }

  update(): Status {
    const target = this.target;
    if (target === undefined) throw new Error("'target_variable' was not given.");
    const current = target.get();
    if (typeof current !== 'number') {
      throw new Error(`cannot change variable '${target.name}' of type ${pythonTypeName(current)} by ${this.step}`);
    }
    target.set(current + this.step);
    return Status.SUCCESS;
  }
}

export const incrementAction: ActionDefinition = {
  passVariableReferences: true,
  create: () => new StepVariableAction(1),
};

export default incrementAction;
