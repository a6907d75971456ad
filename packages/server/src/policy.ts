/**
 * What clients may ask of this server: `--allow-actions` (which actions an
 * `init` may name) and `--allow-programs` (which programs `run_process` may
 * start). A refusal is an ordinary error reply, so every client, the Python
 * one included, fails its action with the reason.
 */
import type { Action, ActionDefinition, ArgMap } from 'scenario-execution';
import { ActionHostError, type ActionResolver } from './action-host.js';

export interface ServerPolicy {
  /** Action names an `init` may name; undefined = all. */
  readonly allowActions?: readonly string[];
  /** Programs `run_process` may start (exact first argument); undefined = any. */
  readonly allowPrograms?: readonly string[];
}

/** The action whose programs `--allow-programs` restricts. */
export const PROCESS_ACTION = 'run_process';

/** The reply text for an action outside `--allow-actions`. */
export function actionNotAllowed(name: string): string {
  return `action '${name}' is not allowed on this server`;
}

/** The reply text for a program outside `--allow-programs`. */
export function programNotAllowed(program: string): string {
  return `program '${program}' is not allowed on this server`;
}

/**
 * The program a `run_process` command starts: its first argument, as the
 * action splits it (a text command at single spaces, or a list).
 */
export function programOf(command: unknown): string | undefined {
  if (typeof command === 'string') return command.split(' ')[0];
  if (Array.isArray(command) && command.length > 0) return String(command[0]);
  return undefined;
}

/**
 * `definition` whose actions check the program of every `execute` first; a
 * program not listed fails the call and nothing is started. A program is
 * listed when its first argument is, to the letter: `sleep` allows `sleep`
 * (found on the server's PATH), `/usr/bin/sleep` allows that path only.
 */
export function restrictPrograms(definition: ActionDefinition, allowed: ReadonlySet<string>): ActionDefinition {
  const check = (args: Readonly<Record<string, unknown>>) => {
    const program = programOf(args.command);
    if (program === undefined || !allowed.has(program)) throw new ActionHostError(programNotAllowed(program ?? ''));
  };
  return {
    ...definition,
    create(initArgs: ArgMap): Action {
      // A command given at creation is checked there, before the action exists.
      if (initArgs.command !== undefined) check(initArgs);
      const action = definition.create(initArgs);
      const execute = action.execute?.bind(action);
      // Wrapped in place: the object keeps its class, fields and other methods.
      action.execute = (args) => {
        if (args.command !== undefined || initArgs.command === undefined) check(args);
        return execute?.(args);
      };
      return action;
    },
  };
}

/** `resolve` with the policy applied: refused actions throw, `run_process` checks its programs. */
export function applyPolicy(resolve: ActionResolver, policy: ServerPolicy): ActionResolver {
  const actions = policy.allowActions === undefined ? undefined : new Set(policy.allowActions);
  const programs = policy.allowPrograms === undefined ? undefined : new Set(policy.allowPrograms);
  if (actions === undefined && programs === undefined) return resolve;
  return async (pluginKey) => {
    if (actions !== undefined && !actions.has(pluginKey)) throw new ActionHostError(actionNotAllowed(pluginKey));
    const definition = await resolve(pluginKey);
    if (definition === undefined || programs === undefined || pluginKey !== PROCESS_ACTION) return definition;
    return restrictPrograms(definition, programs);
  };
}
