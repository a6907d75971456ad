import { Behaviour } from '../../src/runtime/behaviour.js';
import type { MaybePromise, SetupContext } from '../../src/runtime/behaviour.js';
import { Status } from '../../src/runtime/status.js';

/** Shared journal of lifecycle calls, e.g. `a.initialise`, `a.terminate(INVALID)`. */
export type Journal = string[];

/**
 * A leaf that returns the given statuses in turn (the last one repeats) and
 * records every lifecycle call in a journal.
 */
export class ScriptedLeaf extends Behaviour {
  private step = 0;
  updates = 0;

  constructor(
    name: string,
    private readonly script: readonly Status[],
    private readonly journal: Journal = [],
  ) {
    super(name);
  }

  override setup(_ctx: SetupContext): void {
    this.journal.push(`${this.name}.setup`);
  }

  override initialise(): void {
    this.journal.push(`${this.name}.initialise`);
  }

  override update(): Status {
    this.updates += 1;
    const status = this.script[Math.min(this.step, this.script.length - 1)] as Status;
    this.step += 1;
    this.journal.push(`${this.name}.update=${status}`);
    return status;
  }

  override terminate(newStatus: Status): void {
    this.journal.push(`${this.name}.terminate(${newStatus})`);
  }

  override shutdown(): void {
    this.journal.push(`${this.name}.shutdown`);
  }
}

/** A leaf whose update resolves only when the test says so. */
export class DeferredLeaf extends Behaviour {
  private resolvers: ((status: Status) => void)[] = [];
  started = 0;

  constructor(
    name: string,
    private readonly journal: Journal = [],
  ) {
    super(name);
  }

  override update(): Promise<Status> {
    this.started += 1;
    this.journal.push(`${this.name}.update-start`);
    return new Promise<Status>((resolve) => {
      this.resolvers.push((status) => {
        this.journal.push(`${this.name}.update-end=${status}`);
        resolve(status);
      });
    });
  }

  get pending(): number {
    return this.resolvers.length;
  }

  resolve(status: Status): void {
    const next = this.resolvers.shift();
    if (next === undefined) throw new Error(`${this.name}: no update pending`);
    next(status);
  }

  override terminate(newStatus: Status): void {
    this.journal.push(`${this.name}.terminate(${newStatus})`);
  }
}

/** Tick and assert the tick was synchronous (no promise created). */
export function tickSync(node: Behaviour): Status {
  const result: MaybePromise<Status> = node.tick();
  if (result instanceof Promise) throw new Error(`tick of '${node.name}' returned a promise`);
  return result;
}

export const S = Status.SUCCESS;
export const F = Status.FAILURE;
export const R = Status.RUNNING;
export const I = Status.INVALID;
