/** The CLI in-process: options, errors, output files, parameter files, plugins. */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildOnce } from './build.js';
import { cleanUpRuns, runScenario, tempDir, writeFiles } from './harness.js';

const FAST = ['-s', '0.01'];
const SIMPLE = 'import osc.helpers\n\nscenario test:\n    do serial:\n        log("hello")\n';

beforeAll(() => buildOnce());
afterAll(cleanUpRuns);

async function runArgs(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    handleSignals: false,
  });
  return { code, stdout, stderr };
}

describe('command line', () => {
  it('prints help and version', async () => {
    const help = await runArgs(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: scenario_execution \[options\] scenario\n/);
    const version = await runArgs(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.stdout).toBe(`scenario_execution ${pkg.version}\n`);
  });

  it('rejects a wrong command line with exit status 2', async () => {
    const run = await runArgs(['--frobnicate', 'x.osc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: unknown option '--frobnicate'\nusage: scenario_execution [options] scenario  (see --help)\n",
    );
  });

  it('needs a scenario file', async () => {
    const run = await runArgs([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: no scenario file given\nusage: scenario_execution [options] scenario  (see --help)\n',
    );
  });

  it('reports a missing file, a wrong extension and a directory without a stack trace', async () => {
    const dir = tempDir();
    const missing = await runArgs([join(dir, 'nope.osc')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: ${join(dir, 'nope.osc')}: file does not exist\n`);
    writeFiles(dir, { 'x.txt': SIMPLE });
    const extension = await runArgs([join(dir, 'x.txt')]);
    expect(extension.code).toBe(1);
    expect(extension.stderr).toBe(
      `error: ${join(dir, 'x.txt')}: file has unknown extension '.txt'; allowed: .osc, .sce\n`,
    );
    writeFiles(dir, { 'folder.osc/inner.osc': SIMPLE });
    const folder = await runArgs([join(dir, 'folder.osc')]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`error: ${join(dir, 'folder.osc')}: not a file\n`);
    expect(missing.stderr + extension.stderr + folder.stderr).not.toContain('    at ');
  });

  it('prints scenario errors with location, source line and caret', async () => {
    const run = await runScenario('import osc.helpers\n\nscenario test:\n    do serial:\n        log(\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\/.*test\.osc:\d+:\d+: error: /);
    expect(run.stderr).toContain('^');
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toBe('');
  });

  it('prints an unexpected error as one line, with the stack only under --debug', async () => {
    const boom = () => {
      throw new Error('boom inside');
    };
    const plain = await runScenario(SIMPLE, FAST, { onRunner: boom });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('error: boom inside\n');
    const debug = await runScenario(SIMPLE, ['-d', ...FAST], { onRunner: boom });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^error: boom inside\nError: boom inside\n {4}at /);
  });

  it('prints debug lines with -d only', async () => {
    const quiet = await runScenario(SIMPLE, FAST);
    expect(quiet.stdout).not.toContain('[DEBUG]');
    const debug = await runScenario(SIMPLE, ['-d', ...FAST]);
    expect(debug.stdout).toContain("[scenario_execution] [DEBUG] Instantiate action 'log', plugin 'log'.");
  });

  it('shows the tree after each tick with -t', async () => {
    const run = await runScenario(SIMPLE, ['-t', ...FAST]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('{-} test [✓]\n    {-} serial [✓]\n        --> log [✓]\n');
    expect(run.stdout).toContain('Blackboard Data\n');
  });

  it('logs the model and the tree with -l', async () => {
    const run = await runScenario(SIMPLE, ['-l', '-n']);
    expect(run.code).toBe(0);
    expect(run.info.some((l) => l.startsWith('scenario test'))).toBe(true);
    expect(run.stdout).toContain('{-} test\n    {-} serial\n        --> log\n');
    expect(run.stdout).not.toContain('Executing scenario');
  });

  it('builds but does not run in a dry run', async () => {
    const run = await runScenario(SIMPLE, ['-n']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const failing = await runScenario(
      'import osc.helpers\n\nscenario test:\n    do serial:\n        nothing_here()\n',
      ['-n'],
    );
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/test\.osc:5:9: error: .*nothing_here/);
  });
});

describe('output directory', () => {
  it('writes test.xml for a success in the engine format', async () => {
    const run = await runScenario(SIMPLE, ['-o', '{dir}/out/nested', ...FAST]);
    expect(run.code).toBe(0);
    const xml = readFileSync(join(run.dir, 'out', 'nested', 'test.xml'), 'utf8');
    expect(xml).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="utf-8"\\?>\n' +
          '<testsuite errors="0" failures="0" name="scenario_execution" tests="1" time="[0-9.e-]+">\n' +
          '  <testcase classname="tests.scenario" name="test" time="[0-9.e-]+">\n' +
          '    <properties>\n' +
          '      <property name="start_time" value="\\d+\\.\\d{6}"/>\n' +
          '    </properties>\n' +
          '  </testcase>\n' +
          '</testsuite>\n$',
      ),
    );
  });

  it('records a failure with the snapshot, and replaces an old test.xml', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'out/test.xml': 'old' });
    const run = await runScenario(
      'import osc.helpers\n\nscenario test:\n    do serial:\n        run_process("false")\n',
      ['-o', join(dir, 'out'), ...FAST],
    );
    expect(run.code).toBe(1);
    const xml = readFileSync(join(dir, 'out', 'test.xml'), 'utf8');
    expect(xml).toContain('<testsuite errors="0" failures="1" name="scenario_execution" tests="1"');
    expect(xml).toContain('    <failure message="execution failed.">{-} test [✕]\n    {-} serial [✕]\n');
    expect(xml).toContain("        --&gt; run_process [✕] -- Execution of '['false']' failed with 1\n</failure>\n");
  });

  it('records a file that cannot be loaded as "Parsing of <file>"', async () => {
    const dir = tempDir();
    const file = join(dir, 'missing.osc');
    const run = await runArgs(['-o', join(dir, 'out'), file]);
    expect(run.code).toBe(1);
    const xml = readFileSync(join(dir, 'out', 'test.xml'), 'utf8');
    expect(xml).toContain(`  <testcase classname="tests.scenario" name="Parsing of ${file}" time="`);
    expect(xml).toContain(`    <failure message="parsing failed">error: ${file}: file does not exist</failure>\n`);
  });

  it('fails clearly when the output directory cannot be created', async () => {
    const dir = tempDir();
    writeFiles(dir, { blocker: 'a file' });
    const run = await runScenario(SIMPLE, ['-o', join(dir, 'blocker', 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: could not create output directory '.*blocker\/out': /);
    expect(run.stdout).toBe('');
  });

  it('writes no output in a dry run', async () => {
    const run = await runScenario(SIMPLE, ['-n', '-o', '{dir}/out']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Dry_run is enabled, no output files will be generated!\n');
    expect(existsSync(join(run.dir, 'out', 'test.xml'))).toBe(false);
  });

  it('writes the tree as DOT with --dot', async () => {
    const run = await runScenario(SIMPLE, ['-n', '--dot', '-o', '{dir}/out']);
    expect(run.code).toBe(0);
    expect(run.info[0]).toBe('Writing py-trees dot files to test.[dot|svg|png] ...');
    const dot = readFileSync(join(run.dir, 'out', 'test.dot'), 'utf8');
    expect(dot).toContain(
      'test [fillcolor=orange, fontcolor=black, fontsize=9, label="Ⓜ test", shape=box, style=filled];',
    );
    expect(dot).toContain('serial -> log;');
  });

  it('runs the post-run command with the output directory', async () => {
    const dir = tempDir();
    const script = join(dir, 'post.sh');
    writeFileSync(script, `#!/bin/sh\necho "$1" > "${join(dir, 'marker')}"\nexit "\${POST_EXIT:-0}"\n`);
    chmodSync(script, 0o755);
    const run = await runScenario(SIMPLE, ['-o', join(dir, 'out'), '--post-run', script, ...FAST]);
    expect(run.code).toBe(0);
    expect(run.info).toContain(`Running post-run: ${script} ${join(dir, 'out')}`);
    expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe(`${join(dir, 'out')}\n`);

    const failing = join(dir, 'fail.sh');
    writeFileSync(failing, '#!/bin/sh\nexit 3\n');
    chmodSync(failing, 0o755);
    const failed = await runScenario(SIMPLE, ['-o', join(dir, 'out2'), '--post-run', failing, ...FAST]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      `post-run failed: Command '['${failing}', '${join(dir, 'out2')}']' returned non-zero exit status 3.\n`,
    );
  });

  it('rejects a post-run command that does not exist or is not executable', async () => {
    const dir = tempDir();
    const missing = await runScenario(SIMPLE, ['-o', join(dir, 'out'), '--post-run', join(dir, 'nope.sh')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: post-run command '${join(dir, 'nope.sh')}' does not exist\n`);
    writeFiles(dir, { 'plain.sh': 'echo' });
    const plain = await runScenario(SIMPLE, ['-o', join(dir, 'out'), '--post-run', join(dir, 'plain.sh')]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(`error: post-run command '${join(dir, 'plain.sh')}' is not executable\n`);
  });

  it('records an abort as "Aborted"', async () => {
    const run = await runScenario(
      'import osc.helpers\n\nscenario test:\n    do serial:\n        log("start")\n        wait elapsed(30s)\n',
      ['-o', '{dir}/out', ...FAST],
      { onRunner: (runner) => setTimeout(() => runner.abort(), 100) },
    );
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/^test: Aborted \{-\} test \[\*\]\n/);
    expect(run.errors[0]).toContain('--> wait 30s [*] -- still running');
    const xml = readFileSync(join(run.dir, 'out', 'test.xml'), 'utf8');
    expect(xml).toContain('<failure message="Aborted">{-} test [*]\n');
  });

  it('records "Aborted" without running when stopped while loading', async () => {
    const run = await runScenario(SIMPLE, ['-o', '{dir}/out', ...FAST], { onExecution: (e) => e.abort() });
    expect(run.code).toBe(1);
    expect(run.info).toEqual([]);
    expect(run.errors).toEqual(['test: Aborted ']);
    const xml = readFileSync(join(run.dir, 'out', 'test.xml'), 'utf8');
    expect(xml).toContain('  <testcase classname="tests.scenario" name="test" time="0.0">\n');
    expect(xml).toContain('<failure message="Aborted"></failure>');
  });
});

describe('scenario parameter files', () => {
  const PARAMS = `import osc.helpers

struct pose:
    x: float = 1.0
    y: float = 2.0

scenario test:
    speed: float = 1.5
    name: string = "robot"
    start: pose
    do serial:
        log(name)
        log(speed)
`;

  it('overrides parameter defaults', async () => {
    const run = await runScenario(PARAMS, ['--scenario-parameter-file', '{dir}/p.yaml', ...FAST], {
      files: { 'p.yaml': 'test:\n  speed: 3.5\n  name: other\n' },
    });
    expect(run.code).toBe(0);
    expect(run.info).toEqual(["Executing scenario 'test'", 'other', '3.5', "Scenario 'test' succeeded."]);
  });

  it('overrides strings, bools, ints and struct fields as the engine does', async () => {
    const scenario = `action log:
    msg: string

struct base_struct:
    test_string: string = "test"
    test_int: int = 1

scenario test:
    test_string: string = "Test"
    test_bool: bool = true
    test_integer: int = 1
    other_string: string = "x"
    my_struct: base_struct = base_struct(test_string: "override", test_int: 5)
    do serial:
        log(test_string)
        log(test_bool)
        log(test_integer)
        log(other_string)
        log(my_struct)
`;
    const run = await runScenario(scenario, ['--scenario-parameter-file', '{dir}/p.yaml', ...FAST], {
      files: {
        'p.yaml':
          'test:\n  test_string: override\n  test_bool: false\n  test_integer: 42\n  other_string: 42.0\n' +
          '  my_struct:\n    test_string: hello\n',
      },
    });
    expect(run.code).toBe(0);
    expect(run.info).toEqual([
      "Executing scenario 'test'",
      'override',
      'False',
      '42',
      '42.0',
      "{'test_string': 'hello', 'test_int': 5}",
      "Scenario 'test' succeeded.",
    ]);
    const wrongType = await runScenario(scenario, ['--scenario-parameter-file', '{dir}/p.yaml'], {
      files: { 'p.yaml': 'test:\n  test_bool: test\n' },
    });
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toMatch(/^error: .*p\.yaml.*test_bool.*bool/);
    expect(wrongType.stdout).toBe('');
  });

  it('reports a missing parameter file and an unknown parameter', async () => {
    const missing = await runScenario(PARAMS, ['--scenario-parameter-file', '{dir}/none.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read scenario parameter file '.*none\.yaml': no such file\n/);
    const unknown = await runScenario(PARAMS, ['--scenario-parameter-file', '{dir}/p.yaml'], {
      files: { 'p.yaml': 'test:\n  sped: 3.5\n' },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('sped');
  });

  it('writes a template with the current values, once', async () => {
    const run = await runScenario(PARAMS, [
      '--scenario-parameter-file',
      '{dir}/template.yaml',
      '--create-scenario-parameter-file-template',
    ]);
    expect(run.code).toBe(0);
    expect(run.info).toEqual([`Created scenario parameter file template: ${join(run.dir, 'template.yaml')}`]);
    const template = readFileSync(join(run.dir, 'template.yaml'), 'utf8');
    expect(template).toContain('test:\n');
    expect(template).toContain('  speed: 1.5\n');
    expect(template).toContain('  name: robot\n');
    const again = await runScenario(
      PARAMS,
      ['--scenario-parameter-file', '{dir}/t.yaml', '--create-scenario-parameter-file-template'],
      { files: { 't.yaml': 'exists' } },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Scenario parameter file template '.*t\.yaml' already exists\./);
  });
});

describe('plugins from the command line', () => {
  it('runs the example plugin action through import osc.hello', async () => {
    const run = await runScenario(
      'import osc.hello\n\nscenario greet:\n    do serial:\n        hello()\n        hello(person: "robot")\n',
      FAST,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.info).toEqual([
      "Executing scenario 'greet'",
      'Hello, world!',
      'Hello, robot!',
      "Scenario 'greet' succeeded.",
    ]);
  });

  it('rejects a plugin library that would shadow a bundled one', async () => {
    const run = await runScenario(SIMPLE, [], {
      files: {
        'node_modules/scenario-execution-plugin-shadow/package.json': JSON.stringify({
          name: 'scenario-execution-plugin-shadow',
          'scenario-execution': { libraries: { helpers: './helpers.osc' } },
        }),
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: plugin 'scenario-execution-plugin-shadow' \(.*package\.json\) registers library 'helpers', but osc\.helpers is a library of the engine itself/,
    );
  });

  it('names the missing implementation of a declared action at the invocation', async () => {
    const run = await runScenario(
      'action teleport:\n    where: string\n\nscenario test:\n    do serial:\n        teleport("moon")\n',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/test\.osc:6:9: error: no implementation found for action 'teleport'/);
  });

  it('finds plugins installed next to the scenario', async () => {
    const run = await runScenario(
      'import osc.local_lib\n\nscenario test:\n    do serial:\n        shout(text: "hey")\n',
      FAST,
      {
        files: {
          'node_modules/scenario-execution-plugin-local/package.json': JSON.stringify({
            name: 'scenario-execution-plugin-local',
            'scenario-execution': { actions: { shout: './shout.mjs' }, libraries: { local_lib: './lib.osc' } },
          }),
          'node_modules/scenario-execution-plugin-local/lib.osc': 'action shout:\n    text: string\n',
          'node_modules/scenario-execution-plugin-local/shout.mjs': `export default {
  initArgs: ['text'],
  create(init) {
    let log;
    return {
      setup(ctx) { log = ctx.logger; },
      update() { log.info(init.text.toUpperCase() + '!'); return 'SUCCESS'; },
    };
  },
};
`,
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.info).toContain('HEY!');
    expect(run.code).toBe(0);
  });
});
