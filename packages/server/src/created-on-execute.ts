/**
 * An action whose plugin takes arguments at creation (`initArgs`) that the
 * client did not send with `init`. Our client sends every argument with
 * `execute` when the plugin is not installed on its side (it knows only the
 * action's OSC declaration); the real action is then created at the first
 * `execute`, set up with the context `setup` gave, and executed with the rest.
 */
import type { Action, ActionContext, ActionDefinition, ArgMap, ArgValue, VariableRef } from 'scenario-execution';
import type { Status } from 'scenario-execution';

export type ActionFactory = (initArgs: ArgMap) => Promise<Action>;

/** True when `definition` takes creation arguments that `initArgs` lacks. */
export function missesInitArgs(definition: ActionDefinition, initArgs: ArgMap): boolean {
  return (definition.initArgs ?? []).some((name) => !Object.hasOwn(initArgs, name));
}

export class CreatedOnExecute implements Action {
  private inner: Action | undefined;
  private ctx: ActionContext | undefined;

  constructor(
    private readonly initNames: readonly string[],
    /** What `init` did send; completed from the first `execute`. */
    private readonly givenInitArgs: ArgMap,
    private readonly create: ActionFactory,
  ) {}

  setup(ctx: ActionContext): void {
    this.ctx = ctx;
  }

  async execute(args: Record<string, ArgValue | VariableRef>): Promise<void> {
    const execArgs: Record<string, ArgValue | VariableRef> = {};
    const initArgs: ArgMap = { ...this.givenInitArgs };
    for (const [name, value] of Object.entries(args)) {
      if (this.initNames.includes(name)) initArgs[name] = value as ArgValue;
      else execArgs[name] = value;
    }
    if (!this.inner) {
      const inner = await this.create(initArgs);
      if (this.ctx) await inner.setup?.(this.ctx);
      this.inner = inner;
    }
    await this.inner.execute?.(execArgs);
  }

  update(): Status | Promise<Status> {
    if (!this.inner) throw new Error('update before the first execute');
    return this.inner.update();
  }

  async terminate(newStatus: Status): Promise<void> {
    await this.inner?.terminate?.(newStatus);
  }

  async shutdown(): Promise<void> {
    await this.inner?.shutdown?.();
  }
}
