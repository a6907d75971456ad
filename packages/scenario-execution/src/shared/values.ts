/**
 * The values that flow between the model, the runtime and actions: argument
 * values in their action/wire form, variable access and the action logger.
 * Kept apart from the action API so that the runtime and the model need not
 * import the actions folder (which builds on the runtime).
 */

/**
 * An argument value as an action receives it. Physical values arrive as numbers
 * in SI base units (seconds, metres, …), enum values as `[name, numericValue]`,
 * structs and actors as plain objects of their fields.
 */
export type ArgValue =
  | string
  | number
  | boolean
  | null
  | readonly [string, number]
  | readonly ArgValue[]
  | { readonly [key: string]: ArgValue };

export type ArgMap = Record<string, ArgValue>;

/** Logger scoped to one action; lines go to the console (or back to a remote client). */
export interface ActionLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /**
   * Whether debug lines are printed, when the logger knows: a caller may then skip
   * making them. Absent: they may be, so make them.
   */
  readonly debugEnabled?: boolean;
}

/**
 * Read/write access to scenario variables (`var` declarations). Names are the
 * qualified blackboard names the engine gives variables.
 */
export interface VariableAccess {
  get(name: string): ArgValue | undefined;
  set(name: string, value: ArgValue): void;
}

/**
 * A reference to a scenario variable, handed to an action instead of its value
 * when the action's definition sets `passVariableReferences`
 * (as `increment(counter)` needs the variable itself, not its value).
 */
export interface VariableRef {
  readonly kind: 'variable';
  /** Qualified name, as used with {@link VariableAccess}. */
  readonly name: string;
  get(): ArgValue | undefined;
  set(value: ArgValue): void;
}
