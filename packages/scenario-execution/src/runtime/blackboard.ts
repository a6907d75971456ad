/**
 * The blackboard: scenario variables and events by qualified name
 * (`/scenario/var`, `/scenario/actor/var`, `/scenario/my_event`), as the
 * Python engine keeps them in the py_trees blackboard.
 *
 * Events follow the engine: `emit e` sets the key to `true` and nothing ever
 * clears it, so `wait @e` succeeds from then on.
 */
import type { ArgValue, VariableAccess, VariableRef } from '../shared/values.js';

/** Events every scenario has; the runner ends the scenario when one is set. */
export type ScenarioEvent = 'start' | 'end' | 'fail';

/** Blackboard key of a scenario's built-in event (`/<scenario>/end`). */
export function scenarioEventKey(scenarioName: string, event: ScenarioEvent): string {
  return `/${scenarioName}/${event}`;
}

export class Blackboard implements VariableAccess {
  private readonly values = new Map<string, ArgValue | undefined>();

  get(name: string): ArgValue | undefined {
    return this.values.get(name);
  }

  set(name: string, value: ArgValue | undefined): void {
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  delete(name: string): boolean {
    return this.values.delete(name);
  }

  /** Keys in insertion order. */
  keys(): string[] {
    return [...this.values.keys()];
  }

  /** Mark an event as emitted. */
  emit(key: string): void {
    this.values.set(key, true);
  }

  /** Whether an event was emitted (its key holds `true`). */
  isEmitted(key: string): boolean {
    return this.values.get(key) === true;
  }

  /** A handle on one variable, as actions with `passVariableReferences` receive it. */
  reference(name: string): VariableRef {
    return createVariableRef(this, name);
  }
}

/** A {@link VariableRef} on any variable store. */
export function createVariableRef(store: VariableAccess, name: string): VariableRef {
  // Methods, not arrow functions: one shared shape, whatever the bundler does to arrow
  // functions' names. They do not use `this`, so they also work when taken off the reference.
  return {
    kind: 'variable',
    name,
    get() {
      return store.get(name);
    },
    set(value: ArgValue) {
      store.set(name, value);
    },
  };
}

/** Type guard for values handed to `execute`. */
export function isVariableRef(value: unknown): value is VariableRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { kind?: unknown }).kind === 'variable' &&
    typeof (value as { get?: unknown }).get === 'function' &&
    typeof (value as { set?: unknown }).set === 'function'
  );
}
