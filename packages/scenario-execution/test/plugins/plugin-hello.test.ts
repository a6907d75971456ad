import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext, ArgValue } from '../../src/actions/api.js';
import { clearPluginDiscoveryCache, discoverPlugins } from '../../src/plugins/index.js';
import { Status } from '../../src/runtime/status.js';
import { buildOnce, REPO_ROOT } from '../cli/build.js';

beforeAll(() => {
  buildOnce();
  clearPluginDiscoveryCache();
});

function fakeContext(lines: string[]): ActionContext {
  const values = new Map<string, ArgValue>();
  return {
    logger: {
      debug: (m) => lines.push(`DEBUG ${m}`),
      info: (m) => lines.push(`INFO ${m}`),
      warn: (m) => lines.push(`WARN ${m}`),
      error: (m) => lines.push(`ERROR ${m}`),
    },
    variables: { get: (n) => values.get(n), set: (n, v) => values.set(n, v) },
    tickPeriod: 0.1,
    scenarioFileDirectory: REPO_ROOT,
    outputDir: undefined,
    setFeedback: () => {},
  };
}

describe('the workspace plugins', () => {
  it('are found from the engine install location', () => {
    const registry = discoverPlugins({ includeScriptDirectory: false });
    const names = registry.packages.map((p) => p.name);
    expect(names).toContain('scenario-execution-plugin-hello');
    expect(names).toContain('scenario-execution-plugin-remote');
    expect(registry.hasAction('hello')).toBe(true);
    expect(registry.hasModifier('remote')).toBe(true);
    expect(realpathSync(registry.libraryPath('hello') ?? '')).toBe(
      join(REPO_ROOT, 'examples', 'plugin-hello', 'osc', 'hello.osc'),
    );
    expect(registry.libraryPath('remote')).toBeDefined();
  });

  it('load the example hello action and run it', async () => {
    const registry = discoverPlugins({ includeScriptDirectory: false });
    const definition = await registry.getAction('hello');
    expect(definition).toBeDefined();
    const lines: string[] = [];
    const action = definition!.create({});
    await action.setup?.(fakeContext(lines));
    await action.execute?.({ person: 'robot' });
    expect(await action.update()).toBe(Status.SUCCESS);
    await action.execute?.({ person: 'world' });
    expect(await action.update()).toBe(Status.SUCCESS);
    expect(lines).toEqual(['INFO Hello, robot!', 'INFO Hello, world!']);
  });
});
