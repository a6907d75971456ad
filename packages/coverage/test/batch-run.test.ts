/**
 * scenario_batch_execution running our scenario_execution (and small shell
 * commands) on tiny scenarios: --jobs, exit status, placeholders, log files,
 * --index, --merge-only, the report index and command-line mistakes.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  failingScenario,
  filesUnder,
  read,
  requireBuild,
  SPAWNING,
  runBatchCommand,
  SE_COMMAND,
  tempDir,
  waitingScenario,
  withoutTimes,
  writeScenarios,
} from './batch-support.js';

const cleanups: (() => void)[] = [];
beforeAll(requireBuild);
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A temporary folder with `scenarios/` holding the given files. */
function withScenarios(scenarios: Readonly<Record<string, string>>): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  mkdirSync(join(dir.path, 'scenarios'));
  writeScenarios(join(dir.path, 'scenarios'), scenarios);
  return dir.path;
}

const MIXED = {
  's1.osc': waitingScenario('s1', 0.2),
  's2.osc': waitingScenario('s2', 0.2),
  's3.osc': failingScenario('s3'),
  's4.osc': waitingScenario('s4', 0.2),
  's5.osc': 'scenario s5:\n    do serial\n',
  's6.osc': waitingScenario('s6', 0.2),
};

describe('--jobs', SPAWNING, () => {
  it('gives the same combined test.xml, folders and logs with --jobs 1 and --jobs 4 (up to times)', async () => {
    const dir = withScenarios(MIXED);
    const one = await runBatchCommand(['-i', 'scenarios', '-o', 'one', '-j', '1', '--', ...SE_COMMAND], dir);
    const four = await runBatchCommand(['-i', 'scenarios', '-o', 'four', '-j', '4', '--', ...SE_COMMAND], dir);
    expect(one.code).toBe(1);
    expect(four.code).toBe(1);
    const combined = withoutTimes(read(join(dir, 'one', 'test.xml')));
    expect(withoutTimes(read(join(dir, 'four', 'test.xml')))).toBe(combined);
    expect(combined).toContain('<testsuite errors="0" failures="2" time="…" tests="6">');
    expect([...combined.matchAll(/<testcase classname="tests.scenario" name="(\w+)"/g)].map((m) => m[1])).toEqual([
      's1',
      's2',
      's3',
      's4',
      's5',
      's6',
    ]);
    expect(filesUnder(join(dir, 'four'))).toEqual(filesUnder(join(dir, 'one')));
    for (const name of ['s1', 's2', 's3', 's4', 's5', 's6']) {
      const log = (out: string) => read(join(dir, out, name, `${name}.log`)).replace(/\bone\b|\bfour\b/g, 'OUT');
      expect(log('four'), name).toBe(log('one'));
    }
    // Each log holds its command's output, line by line.
    const log = read(join(dir, 'four', 's1', 's1.log'));
    expect(log).toMatch(/^\[scenario_execution\] \[INFO\] hello from s1$/m);
    expect(log).toMatch(/^\[scenario_execution\] \[INFO\] Scenario 's1' succeeded\.$/m);
    expect(log.endsWith('\n')).toBe(true);
  });

  it('with --jobs 1 prints each command output in order; with more, only a line per scenario', async () => {
    const dir = withScenarios({ 'a.osc': waitingScenario('a', 0.2), 'b.osc': waitingScenario('b', 0.2) });
    const one = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '-j', '1', '--', ...SE_COMMAND], dir);
    expect(one.code).toBe(0);
    const lines = one.stdout.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(at('For scenario scenarios/a.osc')).toBeLessThan(at('hello from a'));
    expect(at('hello from a')).toBeLessThan(at('For scenario scenarios/b.osc'));
    expect(at('For scenario scenarios/b.osc')).toBeLessThan(at('hello from b'));

    const two = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '-j', '2', '--', ...SE_COMMAND], dir);
    expect(two.code).toBe(0);
    expect(two.stdout).not.toContain('hello from');
    expect(two.stdout).toMatch(/^### \[1\/2\] [ab]: process finished successfully\.$/m);
    expect(two.stdout).toMatch(/^### \[2\/2\] [ab]: process finished successfully\.$/m);
    // Piped: no status line, no terminal control characters.
    expect(two.stdout).not.toContain('\x1b');
  });
});

describe('exit status', SPAWNING, () => {
  it('is 0 when every scenario passed', async () => {
    const dir = withScenarios({ 'a.osc': waitingScenario('a', 0.2), 'b.osc': waitingScenario('b', 0.2) });
    const result = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '-j', '2', '--', ...SE_COMMAND], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Error during batch executing!');
  });

  it('is 1 when a scenario failed, even with -r (its test.xml records the failure)', async () => {
    const dir = withScenarios({ 'a.osc': waitingScenario('a', 0.2), 'b.osc': failingScenario('b') });
    for (const flags of [[], ['-r']]) {
      const result = await runBatchCommand(
        ['-i', 'scenarios', '-o', 'out', ...flags, '-j', '2', '--', ...SE_COMMAND],
        dir,
      );
      expect(result.code, flags.join(' ')).toBe(1);
      expect(result.stdout).toMatch(/^### \[\d\/2\] b: process failed \(exit status 1\), log: out\/b\/b\.log$/m);
      expect(result.stdout).toContain('Error during batch executing!');
    }
  });

  it('is 1 when a command that writes no test.xml fails or is not found; -r does not hide the missing result', async () => {
    const dir = withScenarios({ 'a.osc': '' });
    const missing = await runBatchCommand(
      ['-i', 'scenarios', '-o', 'out', '-r', '--', 'no-such-program-here', '{SCENARIO}', '{OUTPUT_DIR}'],
      dir,
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('not started: no-such-program-here: command not found');
    expect(read(join(dir, 'out', 'a', 'a.log'))).toBe('no-such-program-here: command not found\n');
    expect(read(join(dir, 'out', 'test.xml'))).toContain(
      '<failure message="expected file out/a/test.xml not found" />',
    );
  });
});

describe('the launch command', SPAWNING, () => {
  it('gets {SCENARIO} and {OUTPUT_DIR} wherever they occur, also inside an argument', async () => {
    const dir = withScenarios({ 'x.osc': '', 'y.sce': '' });
    const script = 'printf "%s|%s|%s\\n" "$0" "$1" "$2" > "$3/args.txt"';
    const result = await runBatchCommand(
      [
        ...['-i', 'scenarios', '-o', 'out', '-r', '--', 'sh', '-c', script],
        ...['{SCENARIO}', '--out={OUTPUT_DIR}', '{OUTPUT_DIR}/{SCENARIO}', '{OUTPUT_DIR}'],
      ],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(read(join(dir, 'out', 'x', 'args.txt'))).toBe('scenarios/x.osc|--out=out/x|out/x/scenarios/x.osc\n');
    expect(read(join(dir, 'out', 'y', 'args.txt'))).toBe('scenarios/y.sce|--out=out/y|out/y/scenarios/y.sce\n');
  });

  it('must name both placeholders: else one line, exit status 1, nothing run', async () => {
    const dir = withScenarios({ 'x.osc': '' });
    const result = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '--', 'touch', '{SCENARIO}.ran'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error while initializing batch execution: Launch command does not contain {SCENARIO} and {OUTPUT_DIR}: touch {SCENARIO}.ran\n',
    );
    expect(readdirSync(join(dir, 'scenarios'))).toEqual(['x.osc']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });
});

describe('--index', SPAWNING, () => {
  it('runs only the I-th scenario of the sorted list, and writes no combined file', async () => {
    const dir = withScenarios({
      'c.osc': waitingScenario('c', 0.2),
      'a.osc': failingScenario('a'),
      'b.osc': waitingScenario('b', 0.2),
    });
    const second = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '--index', '1', '--', ...SE_COMMAND], dir);
    expect(second.code).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toEqual(['b']);
    expect(read(join(dir, 'out', 'b', 'b.log'))).toContain('hello from b');
    const first = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '--index=0', '--', ...SE_COMMAND], dir);
    expect(first.code).toBe(1);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a', 'b']);
    expect(existsSync(join(dir, 'out', 'test.xml'))).toBe(false);

    const outOfRange = await runBatchCommand(
      ['-i', 'scenarios', '-o', 'out', '--index', '3', '--', ...SE_COMMAND],
      dir,
    );
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.stderr).toBe(
      'Error while initializing batch execution: --index 3 is out of range: scenarios holds 3 scenarios (0 to 2).\n',
    );
  });
});

describe('--merge-only', SPAWNING, () => {
  it('merges the subfolders of OUT into OUT/test.xml and OUT/report.html; a folder without test.xml is an error', async () => {
    const dir = withScenarios({ 'a.osc': waitingScenario('a', 0.2), 'b.osc': waitingScenario('b', 0.2) });
    for (const index of ['0', '1']) {
      const run = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '--index', index, '--', ...SE_COMMAND], dir);
      expect(run.code).toBe(0);
    }
    const merged = await runBatchCommand(['--merge-only', '-o', 'out'], dir);
    expect(merged.code).toBe(0);
    const xml = read(join(dir, 'out', 'test.xml'));
    expect(withoutTimes(xml)).toMatch(
      /^<\?xml version='1.0' encoding='utf-8'\?>\n<testsuite errors="0" failures="0" time="…" tests="2">\n\t<testcase classname="tests.scenario" name="a" time="…">/,
    );
    expect(xml).toContain('name="b"');
    expect(read(join(dir, 'out', 'report.html'))).toContain('2 passed');

    // A pod that never wrote its result: its folder counts, with no test result.
    mkdirSync(join(dir, 'out', 'c'));
    const withMissing = await runBatchCommand(['--merge-only', '-o', 'out'], dir);
    expect(withMissing.code).toBe(1);
    expect(read(join(dir, 'out', 'test.xml'))).toContain(
      '\t<testcase classname="tests.scenario" name="no_test_result" time="0.0">\n\t\t<failure message="expected file out/c/test.xml not found" />',
    );
    // With -i, the scenarios of the folder decide: c is not one of them.
    expect((await runBatchCommand(['--merge-only', '-o', 'out', '-i', 'scenarios'], dir)).code).toBe(0);
  });
});

describe('OUT/report.html', SPAWNING, () => {
  it('lists every scenario with its result, HTML-escaped, linking to the files that exist, self-contained', async () => {
    const dir = withScenarios({ 'odd&<name>.osc': waitingScenario('odd', 0.2), 'plain.osc': failingScenario('plain') });
    // After scenario_execution, only `odd` keeps a report.html (as when the command writes none).
    const script = `"$0" "$1" "$2" -o "$3"; status=$?; case "$3" in *odd*) echo '<p>odd</p>' > "$3/report.html";; *) rm -f "$3/report.html";; esac; exit $status`;
    const result = await runBatchCommand(
      [
        '-i',
        'scenarios',
        '-o',
        'out',
        '-j',
        '2',
        '--',
        'sh',
        '-c',
        script,
        ...SE_COMMAND.slice(0, 2),
        '{SCENARIO}',
        '{OUTPUT_DIR}',
      ],
      dir,
    );
    expect(result.code).toBe(1);
    const html = read(join(dir, 'out', 'report.html'));
    expect(html).toContain('<a href="odd%26%3Cname%3E/report.html">odd&amp;&lt;name&gt;</a>');
    expect(html).toContain('<a href="odd%26%3Cname%3E/odd%26%3Cname%3E.log">odd&amp;&lt;name&gt;.log</a>');
    expect(html).not.toContain('odd&<name>');
    // No report.html for `plain`: its name is not a link; its failure is shown.
    expect(html).toMatch(/<tr><td>plain<\/td><td class="failed">failed<\/td>/);
    expect(html).toContain('exit status 1');
    expect(html).toContain('1 passed');
    expect(html).toContain('1 failed');
    // One page: no script, no stylesheet or image fetched, no absolute link.
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:/i);
  });
});

describe('command-line mistakes and bad folders', SPAWNING, () => {
  it('are one line each, without a stack trace', async () => {
    const dir = withScenarios({ 'a.osc': '' });
    const cases: [string[], number, string][] = [
      [['--bogus'], 2, "error: unknown option '--bogus'"],
      [['-o', 'out', '--', 'x', '{SCENARIO}', '{OUTPUT_DIR}'], 2, 'error: no scenario folder given (-i DIR)'],
      [['-i', 'scenarios'], 2, 'error: no launch command given (after --)'],
      [['-i'], 2, "error: option '-i': needs a value (DIR)"],
      [['-i', 'scenarios', '-j', '0', '--', 'x'], 2, "error: option '-j': expected a whole number >= 1, got '0'"],
      [
        ['--merge-only', '-o', 'out', '--', 'x'],
        2,
        "error: option '--merge-only': not allowed with a launch command (it runs nothing)",
      ],
      [
        ['-i', 'nope', '--', 'x', '{SCENARIO}', '{OUTPUT_DIR}'],
        1,
        "Error while initializing batch execution: Scenario directory 'nope' does not exist.",
      ],
      [['--merge-only', '-o', 'nothing-here'], 1, "error: Output directory 'nothing-here' does not exist."],
    ];
    writeFileSync(join(dir, 'scenarios', 'notes.txt'), '');
    for (const [args, code, line] of cases) {
      const result = await runBatchCommand(args, dir);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr.split('\n')[0], args.join(' ')).toBe(line);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
    // A usage error: the message, then the usage line; nothing from Node's parseArgs.
    const badNumber = await runBatchCommand(['-i', 'scenarios', '--jobs', 'x', '--', 'c'], dir);
    expect(badNumber.stderr).toBe(
      "error: option '--jobs': expected a whole number >= 1, got 'x'\n" +
        'usage: scenario_batch_execution [options] -- COMMAND...  (see --help)\n',
    );
    const empty = withScenarios({ 'notes.txt': '' });
    const none = await runBatchCommand(['-i', 'scenarios', '--', 'x', '{SCENARIO}', '{OUTPUT_DIR}'], empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'Error while initializing batch execution: Directory scenarios does not contain any scenarios.\n',
    );
  });

  it('--help names every option', async () => {
    const result = await runBatchCommand(['--help'], tempDirPath());
    expect(result.code).toBe(0);
    for (const flag of [
      '-i',
      '-o',
      '-r',
      '-j',
      '--jobs',
      '--index',
      '--merge-only',
      '--stop-timeout',
      '{SCENARIO}',
      '{OUTPUT_DIR}',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});

function tempDirPath(): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}
