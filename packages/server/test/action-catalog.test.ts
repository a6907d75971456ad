import { builtinActions } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
import { createActionResolver, engineBuiltinActions } from '../src/action-catalog.js';

describe('the built-in actions the server runs', () => {
  it('are the engine’s own table, typed and non-empty', () => {
    expect(engineBuiltinActions()).toBe(builtinActions);
    expect(Object.keys(builtinActions)).toEqual(expect.arrayContaining(['run_process', 'increment', 'log']));
  });

  it.each(['run_process', 'increment', 'log'])(
    '%s resolves to the engine’s definition, without plugin discovery',
    async (name) => {
      // No search locations: only a built-in can answer.
      const resolve = createActionResolver({ pluginSearchFrom: [], searchInstallLocations: false });
      expect(await resolve(name)).toBe(builtinActions[name]);
    },
  );
});
