/**
 * The parts of scenario_batch_execution on their own: the XML reader and
 * writer against Python's ElementTree (fixtures/batch/xml-cases.json, recorded
 * by fixtures/batch/record-xml-cases.py), the arguments, the paths, the
 * status line and the console on a terminal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBatchArgs, UsageError } from '../src/batch/args.js';
import { hasPlaceholders, launchCommandFor } from '../src/batch/launch-command.js';
import { pathJoin, scenarioName } from '../src/batch/paths.js';
import { BatchConsole, clockText, statusText } from '../src/batch/progress.js';
import { indentTree, parseXml, serializeXml, XmlSyntaxError } from '../src/batch/xml-tree.js';
import { FIXTURES } from './batch-support.js';

interface XmlCase {
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
}

describe('the XML reader and writer', () => {
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'xml-cases.json'), 'utf8')) as XmlCase[];

  it('has cases to check', () => {
    expect(cases.filter((c) => c.output !== undefined).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.error !== undefined).length).toBeGreaterThan(5);
  });

  for (const { input, output, error } of cases) {
    it(`${JSON.stringify(input)}: ${output === undefined ? 'refused, as by Python' : 'read, indented and written as by Python'}`, () => {
      if (error !== undefined) {
        expect(() => parseXml(input)).toThrow(XmlSyntaxError);
        return;
      }
      const root = parseXml(input);
      indentTree(root, '\t');
      expect(serializeXml(root)).toBe(output);
    });
  }

  it('names the line of a problem', () => {
    expect(() => parseXml('<a>\n<b>\n</a>')).toThrow(/<\/a> closes <b> \(line 3\)/);
  });
});

describe('arguments', () => {
  it('take options first, then the launch command after -- or from the first other word', () => {
    const withDashes = parseBatchArgs(['-i', 'd', '-o', 'o', '-r', '-j', '3', '--', 'cmd', '-o', '{OUTPUT_DIR}']);
    expect(withDashes).toMatchObject({
      scenarioDir: 'd',
      outputDir: 'o',
      ignoreProcessReturnValue: true,
      jobs: 3,
      launchCommand: ['cmd', '-o', '{OUTPUT_DIR}'],
    });
    const bare = parseBatchArgs(['--scenario-dir=d', '--jobs=1', 'cmd', '-r']);
    expect(bare).toMatchObject({ scenarioDir: 'd', outputDir: 'out', jobs: 1, ignoreProcessReturnValue: false });
    expect(bare.launchCommand).toEqual(['cmd', '-r']);
    expect(parseBatchArgs(['--merge-only', '-oresults'])).toMatchObject({ mergeOnly: true, outputDir: 'results' });
    expect(parseBatchArgs(['-i', 'd', '--index', '0', '--stop-timeout', '2.5', '--', 'c'])).toMatchObject({
      index: 0,
      stopTimeout: 2.5,
    });
  });

  it('leave the launch command alone: its options, -- and = are its own', () => {
    expect(parseBatchArgs(['-i', 'd', 'cmd', '--help', '-j', 'x', '--', '--bogus=1']).launchCommand).toEqual([
      'cmd',
      '--help',
      '-j',
      'x',
      '--',
      '--bogus=1',
    ]);
    expect(parseBatchArgs(['-i', 'd', '--', '--', '-o']).launchCommand).toEqual(['--', '-o']);
    expect(parseBatchArgs(['-ri', 'd', '-', 'x']).launchCommand).toEqual(['-', 'x']);
    expect(parseBatchArgs(['-ri', 'd', '-', 'x'])).toMatchObject({ scenarioDir: 'd', ignoreProcessReturnValue: true });
  });

  it('keep the last of a repeated option, as argparse does', () => {
    expect(parseBatchArgs(['-i', 'a', '-i', 'b', '-o', 'x', '--output-dir', 'y', 'c'])).toMatchObject({
      scenarioDir: 'b',
      outputDir: 'y',
    });
  });

  it.each([
    [['-i', 'd', '--index', '-1', '--', 'c'], "option '--index': expected a whole number >= 0, got '-1'"],
    [['-i', 'd', '--jobs', 'two', '--', 'c'], "option '--jobs': expected a whole number >= 1, got 'two'"],
    [['-i', 'd', '-j0', 'c'], "option '-j': expected a whole number >= 1, got '0'"],
    [
      ['-i', 'd', '--stop-timeout', '-1', '--', 'c'],
      "option '--stop-timeout': expected a number of seconds >= 0, got '-1'",
    ],
    [['-i', 'd', '--stop-timeout=soon', 'c'], "option '--stop-timeout': expected a number of seconds >= 0, got 'soon'"],
    [['--merge-only', '--index', '1'], "option '--index': not allowed with --merge-only"],
    [['--merge-only', 'c'], "option '--merge-only': not allowed with a launch command (it runs nothing)"],
    [['-i'], "option '-i': needs a value (DIR)"],
    [['-i', '--', 'c'], "option '-i': needs a value (DIR)"],
    [['-i', 'd', '--output-dir'], "option '--output-dir': needs a value (OUT)"],
    [['--bogus', '-i', 'd', 'c'], "unknown option '--bogus'"],
    [['-i', 'd', '-x', 'c'], "unknown option '-x'"],
    // A short flag with '=' reads as a group of short flags: '=' is the unknown one.
    [['-r=yes', '-i', 'd', 'c'], "unknown option '-='"],
    [['--merge-only=1'], "option '--merge-only': takes no value"],
    [['-o', 'o', '--', 'c'], 'no scenario folder given (-i DIR)'],
    [['-i', 'd'], 'no launch command given (after --)'],
    [['-i', 'd', '--'], 'no launch command given (after --)'],
  ])('refuse %j', (argv, message) => {
    expect(() => parseBatchArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('paths and placeholders', () => {
  it('join as os.path.join and name scenarios as os.path.splitext(basename)', () => {
    expect(pathJoin('out', 'a', 'test.xml')).toBe('out/a/test.xml');
    expect(pathJoin('out/', 'a')).toBe('out/a');
    expect(pathJoin('./out', 'a')).toBe('./out/a');
    expect(pathJoin('out', '/abs')).toBe('/abs');
    expect(scenarioName('dir/a.b.osc')).toBe('a.b');
    expect(scenarioName('dir/.osc')).toBe('.osc');
    expect(scenarioName('dir/..osc')).toBe('..osc');
  });

  it('replace every placeholder, in any argument', () => {
    const command = ['run', '{SCENARIO}', '--out={OUTPUT_DIR}', '{OUTPUT_DIR}/{SCENARIO}.log'];
    expect(hasPlaceholders(command)).toBe(true);
    expect(hasPlaceholders(['run', '{SCENARIO}'])).toBe(false);
    expect(launchCommandFor(command, 's/a.osc', 'out/a')).toEqual([
      'run',
      's/a.osc',
      '--out=out/a',
      'out/a/s/a.osc.log',
    ]);
  });
});

describe('progress', () => {
  it('shows done, running, failed, elapsed and the time left at the pace so far', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(75.4)).toBe('1:15');
    expect(clockText(3725)).toBe('1:02:05');
    expect(statusText({ total: 10, done: 0, running: 2, failed: 0 }, 3)).toBe(
      '[0/10 done, 2 running, 0 failed] 0:03 elapsed, ~? left',
    );
    // 4 done in 20 s: 6 more take 30 s.
    expect(statusText({ total: 10, done: 4, running: 2, failed: 1 }, 20)).toBe(
      '[4/10 done, 2 running, 1 failed] 0:20 elapsed, ~0:30 left',
    );
  });

  it('keeps the status line below the lines printed on a terminal, and prints plain lines when piped', () => {
    const written: string[] = [];
    const terminal = new BatchConsole({ write: (text: string) => written.push(text), isTTY: true, columns: 20 });
    terminal.setStatus('[1/2 done, 1 running, 0 failed] and more');
    terminal.line('a line');
    terminal.clearStatus();
    expect(written).toEqual(['\r\x1b[K[1/2 done, 1 runnin', '\r\x1b[Ka line\n[1/2 done, 1 runnin', '\r\x1b[K']);

    // A pseudo-terminal that reports 0 columns still gets the status line (cut at 80).
    const zero: string[] = [];
    new BatchConsole({ write: (text: string) => zero.push(text), isTTY: true, columns: 0 }).setStatus('x'.repeat(100));
    expect(zero).toEqual([`\r\x1b[K${'x'.repeat(79)}`]);

    const piped: string[] = [];
    const pipe = new BatchConsole({ write: (text: string) => piped.push(text) });
    pipe.setStatus('status');
    pipe.line('a line');
    pipe.clearStatus();
    expect(piped).toEqual(['a line\n']);
  });
});
