/**
 * Actions for server tests, independent of the engine's built-ins.
 */
import type { Action, ActionContext, ActionDefinition, ArgMap, ArgValue } from 'scenario-execution';
import { Status } from 'scenario-execution';
import type { ActionResolver } from '../../src/action-host.js';

/** Every lifecycle call made on `recorder` actions, in order. */
export const calls: string[] = [];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Logs each step; `update` succeeds after `ticks` updates (exec arg, default 1). */
const recorder: ActionDefinition = {
  initArgs: ['name'],
  create(initArgs: ArgMap): Action {
    const name = String(initArgs.name ?? 'recorder');
    let ctx: ActionContext | undefined;
    let ticks = 1;
    let updates = 0;
    return {
      setup(c) {
        ctx = c;
        calls.push(`${name}.setup tick=${c.tickPeriod} dir=${c.scenarioFileDirectory} out=${c.outputDir ?? '-'}`);
        c.logger.info(`setup ${name}`);
      },
      execute(args) {
        calls.push(`${name}.execute ${JSON.stringify(args)}`);
        ticks = typeof args.ticks === 'number' ? args.ticks : 1;
        updates = 0;
        ctx?.logger.info(`execute ${name}`);
      },
      update() {
        updates++;
        calls.push(`${name}.update`);
        ctx?.logger.debug(`update ${updates}`);
        ctx?.setFeedback(`update ${updates} of ${ticks}`);
        return updates >= ticks ? Status.SUCCESS : Status.RUNNING;
      },
      terminate(status) {
        calls.push(`${name}.terminate ${status}`);
      },
      shutdown() {
        calls.push(`${name}.shutdown`);
      },
    };
  },
};

/** Setup and execute take `ms` milliseconds (init arg). */
const slow: ActionDefinition = {
  create(initArgs: ArgMap): Action {
    const ms = Number(initArgs.ms ?? 500);
    return {
      async setup() {
        await sleep(ms);
      },
      async execute() {
        await sleep(ms);
      },
      update: () => Status.SUCCESS,
    };
  },
};

/** Throws in the step named by init arg `in` ('create', 'setup', 'execute', 'update', 'terminate', 'shutdown'). */
const failing: ActionDefinition = {
  create(initArgs: ArgMap): Action {
    const where = initArgs.in as ArgValue;
    const fail = (step: string) => {
      if (where === step) throw new Error(`${step} failed on purpose`);
    };
    fail('create');
    return {
      setup: () => fail('setup'),
      execute: () => fail('execute'),
      update: () => {
        fail('update');
        return (where === 'bad-status' ? 'sideways' : Status.RUNNING) as Status;
      },
      terminate: () => fail('terminate'),
      shutdown: () => fail('shutdown'),
    };
  },
};

/** Logs `count` lines (exec arg) on execute. */
const chatty: ActionDefinition = {
  create(): Action {
    let ctx: ActionContext | undefined;
    return {
      setup(c) {
        ctx = c;
      },
      execute(args) {
        for (let i = 0; i < Number(args.count ?? 0); i++) ctx?.logger.info(`line ${i}`);
      },
      update: () => Status.SUCCESS,
    };
  },
};

/** `update` never settles: a plugin call that hangs forever. */
const hanging: ActionDefinition = {
  create(): Action {
    return { update: () => new Promise<Status>(() => {}) };
  },
};

/** Each update adds 1 to variable `counter` and reports the new value as feedback. */
const counter: ActionDefinition = {
  create(): Action {
    let ctx: ActionContext | undefined;
    return {
      setup(c) {
        ctx = c;
      },
      update() {
        const next = Number(ctx?.variables.get('counter') ?? 0) + 1;
        ctx?.variables.set('counter', next);
        ctx?.setFeedback(`counter=${next}`);
        return Status.SUCCESS;
      },
    };
  },
};

export const testActions: Readonly<Record<string, ActionDefinition>> = {
  recorder,
  slow,
  failing,
  chatty,
  hanging,
  counter,
};

export const testResolver: ActionResolver = async (key) =>
  Object.hasOwn(testActions, key) ? testActions[key] : undefined;
