/** `log(msg)`: print the message at INFO once per run of the invocation. */
import { pyStrOf } from '../runtime/py-format.js';
import { Status } from '../runtime/status.js';
import type { Action, ActionContext, ActionDefinition, ArgValue, VariableRef } from './api.js';

class LogAction implements Action {
  private ctx: ActionContext | undefined;
  private message: ArgValue | undefined;
  private published = false;

  setup(ctx: ActionContext): void {
    this.ctx = ctx;
  }

  execute(args: Record<string, ArgValue | VariableRef>): void {
    this.message = args.msg as ArgValue | undefined;
    this.published = false;
  }

  update(): Status {
    if (!this.published) {
      this.published = true;
      if (this.message === undefined || this.message === null) throw new Error('log(): Empty message.');
      this.ctx?.logger.info(pyStrOf(this.message));
    }
    return Status.SUCCESS;
  }
}

export const logAction: ActionDefinition = {
  textArgs: ['msg'],
  create: () => new LogAction(),
};

export default logAction;
