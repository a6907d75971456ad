import { describe, expect, it } from 'vitest';
import { ActionBehaviour } from '../../src/actions/action-behaviour.js';
import type { Action, ActionContext, ActionDefinition, ArgValue, VariableRef } from '../../src/actions/api.js';
import { OscError, SourceFile } from '../../src/language/diagnostics.js';
import { Blackboard, isVariableRef } from '../../src/runtime/blackboard.js';
import { Logger } from '../../src/runtime/logger.js';
import { Status } from '../../src/runtime/status.js';
import { setupContext } from './helpers.js';

function recordingDefinition(journal: string[], statuses: Status[], passVariableReferences = false): ActionDefinition {
  return {
    initArgs: ['name'],
    passVariableReferences,
    create(initArgs) {
      journal.push(`create(${JSON.stringify(initArgs)})`);
      let step = 0;
      let ctx: ActionContext | undefined;
      const action: Action = {
        setup(c) {
          ctx = c;
          journal.push(`setup(${c.tickPeriod},${c.scenarioFileDirectory})`);
        },
        execute(args) {
          const shown = Object.fromEntries(
            Object.entries(args).map(([k, v]) => [k, isVariableRef(v) ? `ref:${v.name}` : v]),
          );
          journal.push(`execute(${JSON.stringify(shown)})`);
        },
        update() {
          const status = statuses[Math.min(step++, statuses.length - 1)] as Status;
          ctx?.setFeedback(`step ${step}`);
          journal.push(`update=${status}`);
          return status;
        },
        terminate(newStatus) {
          journal.push(`terminate(${newStatus})`);
        },
        shutdown() {
          journal.push('shutdown');
        },
      };
      return action;
    },
  };
}

describe('ActionBehaviour', () => {
  it('forwards the lifecycle: create, setup, execute on start, update, terminate, shutdown', () => {
    const journal: string[] = [];
    let counter = 1;
    const node = new ActionBehaviour('my_action', {
      definition: recordingDefinition(journal, [Status.RUNNING, Status.SUCCESS]),
      initArgs: { name: 'x' },
      resolveArgs: () => ({ count: counter }),
      logger: new Logger('t', { sink: () => {} }),
      variables: new Blackboard(),
    });
    expect(node.pluginName).toBe('my_action');
    node.setup(setupContext);
    expect(node.tick()).toBe(Status.RUNNING);
    expect(node.feedbackMessage).toBe('step 1');
    counter = 2;
    expect(node.tick()).toBe(Status.SUCCESS);
    counter = 3;
    node.tick();
    node.shutdown();
    expect(journal).toEqual([
      'create({"name":"x"})',
      'setup(0.1,/tmp)',
      'execute({"count":1})',
      'update=RUNNING',
      'update=SUCCESS',
      'terminate(SUCCESS)',
      // arguments are resolved again when the invocation starts again
      'execute({"count":3})',
      'update=SUCCESS',
      'terminate(SUCCESS)',
      'shutdown',
    ]);
  });

  it('tells the resolver whether to pass variable references', () => {
    const seen: boolean[] = [];
    const bb = new Blackboard();
    bb.set('/s/v', 4);
    const journal: string[] = [];
    for (const pass of [false, true]) {
      const node = new ActionBehaviour('a', {
        definition: recordingDefinition(journal, [Status.SUCCESS], pass),
        resolveArgs: (passRefs): Record<string, ArgValue | VariableRef> => {
          seen.push(passRefs);
          return { target: passRefs ? bb.reference('/s/v') : (bb.get('/s/v') as ArgValue) };
        },
        logger: new Logger('t', { sink: () => {} }),
        variables: bb,
      });
      node.tick();
    }
    expect(seen).toEqual([false, true]);
    expect(journal.filter((e) => e.startsWith('execute'))).toEqual([
      'execute({"target":4})',
      'execute({"target":"ref:/s/v"})',
    ]);
  });

  it('reports errors of the action at the invocation in the scenario', () => {
    const file = new SourceFile('test.osc', 'scenario test:\n    do serial:\n        log()\n');
    const definition: ActionDefinition = {
      create: () => ({
        update() {
          throw new Error('log(): Empty message.');
        },
      }),
    };
    const node = new ActionBehaviour('log', {
      definition,
      logger: new Logger('t', { sink: () => {} }),
      variables: new Blackboard(),
      location: { file, line: 3, column: 9 },
    });
    let caught: unknown;
    try {
      node.tick();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OscError);
    expect((caught as OscError).format()).toBe(
      'test.osc:3:9: error: log(): Empty message.\n            log()\n            ^',
    );
  });

  it('rejected promises of asynchronous actions are located too; create errors surface in the constructor', async () => {
    const file = new SourceFile('a.osc', 'x\n');
    const node = new ActionBehaviour('remote', {
      definition: { create: () => ({ update: () => Promise.reject(new Error('server gone')) }) },
      logger: new Logger('t', { sink: () => {} }),
      variables: new Blackboard(),
      location: { file, line: 1, column: 1 },
    });
    await expect(node.tick()).rejects.toBeInstanceOf(OscError);
    expect(
      () =>
        new ActionBehaviour('bad', {
          definition: {
            create: () => {
              throw new Error('bad init');
            },
          },
          logger: new Logger('t', { sink: () => {} }),
          variables: new Blackboard(),
        }),
    ).toThrow('bad init');
  });

  it('an action without optional methods works with only update', () => {
    const node = new ActionBehaviour('min', {
      definition: { create: () => ({ update: () => Status.FAILURE }) },
      logger: new Logger('t', { sink: () => {} }),
      variables: new Blackboard(),
    });
    expect(node.setup(setupContext)).toBeUndefined();
    expect(node.tick()).toBe(Status.FAILURE);
    expect(node.shutdown()).toBeUndefined();
  });
});
