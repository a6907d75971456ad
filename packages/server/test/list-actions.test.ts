/**
 * `scenario_execution_server --list-actions`: the actions a server would run
 * (built-ins, then plugins of its installation and of `--plugin-dir`), with
 * their package and OSC declaration, narrowed by `--allow-actions`; `--json`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseServerArgs } from '../src/cli-args.js';
import {
  findActionDeclaration,
  formatActionList,
  type ListedAction,
  listActions,
  oneLineDeclaration,
} from '../src/list-actions.js';
import { tempDir } from './support/harness.js';
import { BIN, requireBuild } from './support/spawned.js';

const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * A folder of plugin packages: `acme` (actions `weld`, declared in its
 * library, and `paint`, declared nowhere; its module would leave a mark if it
 * were ever imported) and `shadow` (an action named `log`, a built-in's name).
 */
function pluginDir(): { dir: string; mark: string } {
  const { path: dir, remove } = tempDir('se-list-');
  cleanups.push(remove);
  const mark = join(dir, 'imported');
  const acme = join(dir, 'scenario-execution-plugin-acme');
  mkdirSync(join(acme, 'osc'), { recursive: true });
  writeFileSync(
    join(acme, 'package.json'),
    JSON.stringify({
      name: 'scenario-execution-plugin-acme',
      version: '2.1.0',
      type: 'module',
      'scenario-execution': {
        actions: { weld: './weld.js', paint: './weld.js' },
        libraries: { acme: './osc/acme.osc' },
      },
    }),
  );
  writeFileSync(
    join(acme, 'weld.js'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'x');\nexport default { create() { return { update() { return 'SUCCESS'; } }; } };\n`,
  );
  writeFileSync(
    join(acme, 'osc', 'acme.osc'),
    [
      'import osc.helpers',
      '',
      '# Welds two parts.',
      'action weld_all:',
      '    parts: int',
      '',
      'action weld inherits osc_action:',
      '    seam: string = "a#b"   # where',
      '',
      '    current: float = 1.5',
      '',
      '',
      'scenario other:',
      '    do serial:',
      '        weld()',
      '',
    ].join('\n'),
  );
  const shadow = join(dir, 'scenario-execution-plugin-shadow');
  mkdirSync(shadow);
  writeFileSync(
    join(shadow, 'package.json'),
    JSON.stringify({
      name: 'scenario-execution-plugin-shadow',
      version: '0.0.1',
      'scenario-execution': { actions: { log: './log.js' } },
    }),
  );
  return { dir, mark };
}

describe('findActionDeclaration', () => {
  const text = [
    'action log_more:',
    '    a: int',
    'action log:',
    '    msg: string',
    '',
    '# next',
    'action robot.move:',
    '    speed: float',
    'action bare',
  ].join('\n');

  it('finds the head line and its indented members, and nothing of a longer name', () => {
    expect(findActionDeclaration(text, 'log')).toBe('action log:\n    msg: string');
    expect(findActionDeclaration(text, 'move')).toBe('action robot.move:\n    speed: float');
    expect(findActionDeclaration(text, 'bare')).toBe('action bare');
    expect(findActionDeclaration(text, 'lo')).toBeUndefined();
    expect(findActionDeclaration(text, 'l.g')).toBeUndefined();
  });

  it('writes a declaration on one line, without comments', () => {
    expect(oneLineDeclaration('action weld inherits x:\n    seam: string = "a#b"   # where\n\n    n: int')).toBe(
      'action weld inherits x: seam: string = "a#b"; n: int',
    );
    expect(oneLineDeclaration('action bare')).toBe('action bare');
  });
});

describe('listActions', () => {
  it('lists the built-ins, then the plugins of --plugin-dir, without running plugin code', () => {
    const { dir, mark } = pluginDir();
    const { actions, unknownAllowed } = listActions({ pluginDirs: [dir], json: false }, { searchInstallation: false });
    expect(actions.map((action) => action.name)).toEqual([
      'compare',
      'increment',
      'decrement',
      'log',
      'run_process',
      'paint',
      'weld',
    ]);
    expect(unknownAllowed).toEqual([]);
    expect(actions.find((action) => action.name === 'run_process')).toMatchObject({
      package: 'scenario-execution',
      library: 'osc.helpers',
      declaration: expect.stringMatching(/^action run_process:\n {4}command: string\n/) as string,
    });
    expect(actions.find((action) => action.name === 'log')?.package).toBe('scenario-execution');
    expect(actions.find((action) => action.name === 'weld')).toEqual({
      name: 'weld',
      package: 'scenario-execution-plugin-acme',
      version: '2.1.0',
      library: 'osc.acme',
      declaration: 'action weld inherits osc_action:\n    seam: string = "a#b"   # where\n\n    current: float = 1.5',
    });
    expect(actions.find((action) => action.name === 'paint')).toMatchObject({ library: null, declaration: null });
    expect(existsSync(mark)).toBe(false);
  });

  it('keeps only --allow-actions, and names those no package provides', () => {
    const { dir } = pluginDir();
    const listing = listActions(
      { pluginDirs: [dir], allowActions: ['weld', 'log', 'teleport'], json: false },
      { searchInstallation: false },
    );
    expect(listing.actions.map((action) => action.name)).toEqual(['log', 'weld']);
    expect(listing.unknownAllowed).toEqual(['teleport']);
  });

  it('formats one action a line in aligned columns', () => {
    const actions: ListedAction[] = [
      { name: 'log', package: 'p', version: '1', library: 'osc.x', declaration: 'action log:\n    msg: string' },
      { name: 'paint', package: 'longer-name', version: '2', library: null, declaration: null },
    ];
    expect(formatActionList(actions)).toBe('log    p@1            action log: msg: string\npaint  longer-name@2');
  });
});

describe('scenario_execution_server --list-actions', () => {
  function run(argv: readonly string[]) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, ...argv], (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('prints one action a line, or JSON, and exits 0', async () => {
    const { dir } = pluginDir();
    const text = await run(['--list-actions', '--plugin-dir', dir]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^compare +scenario-execution@\S+ +action compare: left_value: string; operator: string/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^weld +scenario-execution-plugin-acme@2\.1\.0 +action weld inherits/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^paint +scenario-execution-plugin-acme@2\.1\.0$/));

    const json = await run([
      '--list-actions',
      '--json',
      '--allow-actions',
      'run_process,weld,nope',
      '--plugin-dir',
      dir,
    ]);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as ListedAction[];
    expect(listed.map((action) => action.name)).toEqual(['run_process', 'weld']);
    expect(json.stderr).toContain("--allow-actions names 'nope', which no package provides");
  });

  it('fails with one line for a missing --plugin-dir, and rejects flags of the server', async () => {
    const missing = await run(['--list-actions', '--plugin-dir', '/does/not/exist']);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: plugin directory /does/not/exist does not exist\n',
    });
    expect(parseServerArgs(['--list-actions', '--port', '1'])).toEqual({
      kind: 'error',
      message: "option '--port': not allowed with --list-actions",
    });
    expect(parseServerArgs(['--json'])).toEqual({
      kind: 'error',
      message: "option '--json': only with --list-actions",
    });
  });
});
