import { ActionBehaviour } from '../../src/actions/action-behaviour.js';
import type { ActionDefinition, ArgValue, VariableRef } from '../../src/actions/api.js';
import { Blackboard } from '../../src/runtime/blackboard.js';
import { Logger } from '../../src/runtime/logger.js';

export interface Harness {
  readonly lines: string[];
  readonly logger: Logger;
  readonly blackboard: Blackboard;
  /** Lines without the logger prefix and colour codes, e.g. `INFO hello`. */
  messages(): string[];
  action(
    name: string,
    definition: ActionDefinition,
    args: Record<string, ArgValue | VariableRef> | (() => Record<string, ArgValue | VariableRef>),
  ): ActionBehaviour;
}

export function harness(): Harness {
  const lines: string[] = [];
  const logger = new Logger('scenario_execution', { sink: (line) => lines.push(line) });
  const blackboard = new Blackboard();
  return {
    lines,
    logger,
    blackboard,
    messages: () =>
      lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\[scenario_execution\] \[(\w+)\] /, '$1 ')),
    action: (name, definition, args) =>
      new ActionBehaviour(name, {
        definition,
        logger,
        variables: blackboard,
        resolveArgs: () => (typeof args === 'function' ? args() : args),
      }),
  };
}

export const setupContext = { tickPeriod: 0.1, scenarioFileDirectory: '/tmp', outputDir: undefined };
