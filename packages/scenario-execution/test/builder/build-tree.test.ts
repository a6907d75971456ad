import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArgValue } from '../../src/actions/api.js';
import { builtinActions } from '../../src/actions/builtin.js';
import { buildTree } from '../../src/builder/build-tree.js';
import { OscError } from '../../src/language/diagnostics.js';
import { type LoadOptions, loadScenarioFromText } from '../../src/model/loader.js';
import type { PluginPackage } from '../../src/plugins/package-scan.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { Blackboard } from '../../src/runtime/blackboard.js';
import { asciiTree } from '../../src/runtime/display.js';
import { Logger } from '../../src/runtime/logger.js';
import { TreeRunner } from '../../src/runtime/runner.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A plugin package in a temporary folder, with the given module files. */
function fixturePlugin(
  manifest: PluginPackage['manifest'],
  files: Record<string, string>,
  name = 'scenario-execution-plugin-fixture',
): PluginPackage {
  const root = mkdtempSync(join(tmpdir(), 'se-builder-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { name, version: '1.0.0', root, packageJsonPath: join(root, 'package.json'), manifest };
}

interface Built {
  text: string;
  lines: string[];
  blackboard: Blackboard;
  root: Awaited<ReturnType<typeof buildTree>>['root'];
  scenarioName: string;
}

async function build(source: string, plugins?: PluginRegistry, options: LoadOptions = {}): Promise<Built> {
  const model = await loadScenarioFromText(source, join(tmpdir(), 'builder-test.osc'), options);
  const blackboard = new Blackboard();
  const lines: string[] = [];
  const logger = new Logger('scenario_execution', { debug: true, sink: (l) => lines.push(l) });
  const built = await buildTree({ model, blackboard, logger, plugins, builtinActions });
  return { text: asciiTree(built.root), lines, blackboard, root: built.root, scenarioName: built.scenarioName };
}

async function run(built: Built): Promise<{ result: boolean; lines: string[] }> {
  const lines: string[] = [];
  const runner = new TreeRunner({
    root: built.root,
    scenarioName: built.scenarioName,
    blackboard: built.blackboard,
    logger: new Logger('scenario_execution', { sink: (l) => lines.push(l) }),
    tickPeriod: 0.001,
  });
  const result = await runner.run();
  return { result: result.result, lines };
}

async function buildError(source: string, plugins?: PluginRegistry): Promise<OscError> {
  try {
    await build(source, plugins);
  } catch (error) {
    expect(error).toBeInstanceOf(OscError);
    return error as OscError;
  }
  throw new Error('expected the build to fail');
}

describe('tree shape', () => {
  it('matches the engine: compositions, labels, modifiers, directives', async () => {
    const { text } = await build(`import osc.helpers

scenario test:
    timeout(10s)
    event ev
    var counter: int = 0
    do serial:
        repeat(2)
        lbl: log("a") with:
            timeout(3s)
            retry(2)
        emit ev
        wait @ev
        p: parallel:
            log("b")
        one_of:
            wait counter > 2   # a comment
            wait elapsed(1s)
        emit end
`);
    expect(text).toBe(`-^- test
    {-} test
        -^- repeat
            {-} serial
                -^- timeout
                    -^- retry
                        --> lbl
                --> emit ev
                --> TopicEquals
                /_/ p
                    --> log
                /_/ one_of
                    --> counter>2
                    --> wait 1s
                --> emit end
`);
  });

  it('nests several scenario modifiers with the outermost named after the scenario', async () => {
    const { text } = await build(
      'import osc.helpers\n\nscenario test:\n    timeout(10s)\n    repeat(2)\n    do serial:\n        log("x")\n',
    );
    expect(text).toBe('-^- test\n    -^- repeat\n        {-} test\n            {-} serial\n                --> log\n');
  });

  it.each([
    ['1s', 'wait 1s'],
    ['0.3s', 'wait 0.3s'],
    ['1.0s', 'wait 1.0s'],
    ['1min', 'wait 60s'],
    ['1.5min', 'wait 90.0s'],
    ['300ms', 'wait 0.3s'],
  ])('names wait elapsed(%s) as the engine does', async (duration, name) => {
    const { root } = await build(`import osc.helpers\n\nscenario test:\n    do wait elapsed(${duration})\n`);
    expect(root.children[0]?.name).toBe(name);
  });

  it.each([
    ['get_int', 2, 'wait 2s'],
    ['get_float', 0.5, 'wait 0.5s'],
    ['get_float', 0, 'wait 0.0s'],
  ])(
    'names wait elapsed(random.%s(…)) giving %s after the seconds as Python prints them',
    async (fn, seconds, name) => {
      const options: LoadOptions = { externalMethods: () => () => seconds };
      const { root } = await build(
        `import osc.helpers\n\nscenario test:\n    do wait elapsed(random.${fn}(0, 1))\n`,
        undefined,
        options,
      );
      expect(root.children[0]?.name).toBe(name);
    },
  );

  it('creates variables and declared events before the first tick', async () => {
    const { blackboard } = await build(
      'import osc.helpers\n\nscenario test:\n    var a: int = 3\n    var b: int = a\n    event go\n    do log("x")\n',
    );
    expect(blackboard.get('/test/a')).toBe(3);
    expect(blackboard.get('/test/b')).toBe(3);
    expect(blackboard.has('/test/go')).toBe(true);
    expect(blackboard.isEmitted('/test/go')).toBe(false);
  });

  it('logs which implementation each action gets (debug)', async () => {
    const { lines } = await build('import osc.helpers\n\nscenario test:\n    do named: log("x")\n');
    expect(lines).toContain("[scenario_execution] [DEBUG] Instantiate action 'named', plugin 'log'.");
  });
});

describe('plugin actions', () => {
  const recordingAction = `
export const calls = [];
export default {
  initArgs: ['fixed'],
  passVariableReferences: true,
  create(init) {
    calls.push(['create', init]);
    return {
      execute(args) {
        const counter = args.counter;
        calls.push(['execute', args.fixed === undefined, typeof counter.get, counter.name, counter.get(), args.label.name, args.label.get()]);
        counter.set(counter.get() + 10);
      },
      update() { return 'SUCCESS'; },
    };
  },
};
`;

  it('resolves init arguments once and execute arguments at each start, variables by reference', async () => {
    const pkg = fixturePlugin({ actions: { recorder: './record.mjs' } }, { 'record.mjs': recordingAction });
    const registry = new PluginRegistry([pkg]);
    const built = await build(
      `import osc.helpers

action recorder:
    fixed: string
    counter: int
    label: string

scenario test:
    var n: int = 1
    var word: string = "one"
    do serial:
        repeat(2)
        recorder(fixed: "F", counter: n, label: word)
        increment(n)
`,
      registry,
    );
    const { calls } = (await import(join(pkg.root, 'record.mjs'))) as { calls: unknown[][] };
    expect(calls).toEqual([['create', { fixed: 'F' }]]);
    const outcome = await run(built);
    expect(outcome.result).toBe(true);
    expect(calls.slice(1)).toEqual([
      ['execute', true, 'function', '/test/n', 1, '/test/word', 'one'],
      ['execute', true, 'function', '/test/n', 12, '/test/word', 'one'],
    ]);
    expect(built.blackboard.get('/test/n')).toBe(23);
  });

  it('passes the actor of an actor action as associated_actor with its name', async () => {
    const pkg = fixturePlugin(
      { actions: { 'robot.move': './move.mjs' } },
      {
        'move.mjs': `export const seen = [];
export default { create() { return { execute(args) { seen.push(args); }, update() { return 'SUCCESS'; } }; } };
`,
      },
    );
    const registry = new PluginRegistry([pkg]);
    const built = await build(
      `actor robot:
    speed: float = 2.5

action robot.move:
    distance: float

scenario test:
    my_robot: robot
    do my_robot.move(distance: 3.0)
`,
      registry,
    );
    expect(built.root.children[0]?.name).toBe('robot.move');
    await run(built);
    const seen = ((await import(join(pkg.root, 'move.mjs'))) as { seen: Record<string, ArgValue>[] }).seen;
    expect(seen).toEqual([{ associated_actor: { speed: 2.5, name: 'my_robot' }, distance: 3 }]);
  });

  it('names a missing implementation at the invocation, and the plugin when it declares the action', async () => {
    const plain = await buildError('action teleport:\n    where: string\n\nscenario test:\n    do teleport("moon")\n');
    expect(plain.format()).toMatch(
      /^.*builder-test\.osc:5:8: error: no implementation found for action 'teleport': neither the engine nor an installed plugin/,
    );
    const pkg = fixturePlugin(
      { libraries: { tele: './tele.osc' } },
      { 'tele.osc': 'action teleport:\n    where: string\n' },
    );
    const registry = new PluginRegistry([pkg]);
    const model = await loadScenarioFromText(
      'import osc.tele\n\nscenario test:\n    do teleport("moon")\n',
      join(tmpdir(), 'builder-test.osc'),
      { libraryResolver: (n) => registry.libraryPath(n) },
    );
    const error = await buildTree({
      model,
      blackboard: new Blackboard(),
      logger: new Logger('x', { sink: () => {} }),
      plugins: registry,
      builtinActions,
    }).catch((e: unknown) => e as OscError);
    expect((error as OscError).message).toBe(
      "no implementation found for action 'teleport': it is declared in osc.tele of plugin " +
        "'scenario-execution-plugin-fixture', whose manifest lists no action module for it",
    );
  });

  it('rejects a plugin action that shadows a built-in one', async () => {
    const pkg = fixturePlugin({ actions: { log: './log.mjs' } }, { 'log.mjs': 'export default { create() {} };' });
    const error = await buildError(
      'import osc.helpers\n\nscenario test:\n    do log("x")\n',
      new PluginRegistry([pkg]),
    );
    expect(error.message).toBe(
      `action 'log' is provided both by the engine and by plugin 'scenario-execution-plugin-fixture' (${pkg.packageJsonPath})`,
    );
  });

  it('reports a broken plugin module at the invocation, naming package and file', async () => {
    const pkg = fixturePlugin({ actions: { broken: './broken.mjs' } }, { 'broken.mjs': 'throw new Error("nope");' });
    const error = await buildError(
      'action broken:\n    x: int = 1\n\nscenario test:\n    do broken()\n',
      new PluginRegistry([pkg]),
    );
    expect(error.location?.line).toBe(5);
    expect(error.message).toBe(
      `action 'broken' of plugin 'scenario-execution-plugin-fixture' (${join(pkg.root, 'broken.mjs')}): the module failed to load: nope`,
    );
  });
});

describe('plugin modifiers', () => {
  const wrapper = `
import { Behaviour } from ${JSON.stringify(new URL('../../src/runtime/behaviour.ts', import.meta.url).href)};
export const contexts = [];
class Replacement extends Behaviour {
  constructor(name, ctx) { super(name); this.ctx = ctx; }
  update() { this.ctx.logger.info('replaced ' + JSON.stringify(this.ctx.action?.resolveArgs())); return 'SUCCESS'; }
}
export default {
  wrap(ctx) {
    contexts.push(ctx);
    return new Replacement('far', ctx);
  },
};
`;

  function registryWithWrapper(): { registry: PluginRegistry; pkg: PluginPackage } {
    const pkg = fixturePlugin(
      { modifiers: { far: './far.mjs' }, libraries: { far: './far.osc' } },
      { 'far.mjs': wrapper, 'far.osc': 'modifier far:\n    where: string\n' },
    );
    return { registry: new PluginRegistry([pkg]), pkg };
  }

  it('hands the wrapped action, its resolved arguments and the location to the modifier', async () => {
    const { registry, pkg } = registryWithWrapper();
    const model = await loadScenarioFromText(
      `import osc.far

action faraway:
    command: string
    count: int = 2

scenario test:
    var n: int = 5
    do serial:
        faraway(command: "ls", count: n) with:
            far(where: "tcp://host:1")
`,
      join(tmpdir(), 'builder-test.osc'),
      { libraryResolver: (n) => registry.libraryPath(n) },
    );
    const blackboard = new Blackboard();
    const lines: string[] = [];
    const built = await buildTree({
      model,
      blackboard,
      logger: new Logger('scenario_execution', { sink: (l) => lines.push(l) }),
      plugins: registry,
      builtinActions,
    });
    const { contexts } = (await import(join(pkg.root, 'far.mjs'))) as {
      contexts: {
        action: { name: string; parameterNames: string[]; definition: unknown };
        args: unknown;
        location: string;
      }[];
    };
    const ctx = contexts[0]!;
    expect(ctx.action.name).toBe('faraway');
    expect(ctx.action.parameterNames).toEqual(['command', 'count']);
    expect(ctx.action.definition).toBeUndefined();
    expect(ctx.args).toEqual({ where: 'tcp://host:1' });
    expect(ctx.location).toMatch(/builder-test\.osc:11:13$/);
    // The modifier's behaviour took the place of the action.
    expect(asciiTree(built.root)).toBe('{-} test\n    {-} serial\n        --> far\n');
    blackboard.set('/test/n', 7);
    const outcome = await run({ ...built, text: '', lines: [], blackboard, scenarioName: 'test' });
    expect(outcome.result).toBe(true);
    expect(outcome.lines).toEqual([
      "[scenario_execution] [INFO] Executing scenario 'test'",
      "[scenario_execution] [INFO] Scenario 'test' succeeded.",
    ]);
    // The action's arguments were resolved when the replacement ran (n changed after building).
    expect(lines).toEqual(['[scenario_execution] [INFO] replaced {"command":"ls","count":7}']);
  });

  it('gives no action to a modifier wrapping a composition, and rejects unknown modifiers', async () => {
    const { registry, pkg } = registryWithWrapper();
    const model = await loadScenarioFromText(
      'import osc.helpers\nimport osc.far\n\nscenario test:\n    do serial:\n        far(where: "x")\n        log("a")\n',
      join(tmpdir(), 'builder-test.osc'),
      { libraryResolver: (n) => registry.libraryPath(n) },
    );
    await buildTree({
      model,
      blackboard: new Blackboard(),
      logger: new Logger('x', { sink: () => {} }),
      plugins: registry,
      builtinActions,
    });
    const { contexts } = (await import(join(pkg.root, 'far.mjs'))) as {
      contexts: { action: unknown; child: { name: string } }[];
    };
    const last = contexts[contexts.length - 1]!;
    expect(last.action).toBeUndefined();
    expect(last.child.name).toBe('serial');

    const unknown = await buildError(
      'import osc.helpers\n\nmodifier nowhere\n\nscenario test:\n    do log("x") with:\n        nowhere()\n',
    );
    expect(unknown.message).toMatch(
      /^Unknown modifier "nowhere"\. Available built-in modifiers: repeat, inverter, timeout/,
    );
    expect(unknown.location?.line).toBe(7);
  });
});
