import { describe, expect, it } from 'vitest';
import { HELP_TEXT, parseCliArgs, UsageError } from '../../src/cli/args.js';

describe('command-line options', () => {
  it('has the Python engine defaults', () => {
    expect(parseCliArgs(['x.osc'])).toEqual({
      debug: false,
      logModel: false,
      liveTree: false,
      outputDir: undefined,
      dryRun: false,
      dot: false,
      stepDuration: 0.1,
      scenarioParameterFile: undefined,
      createScenarioParameterFileTemplate: false,
      postRun: undefined,
      scenario: 'x.osc',
      help: false,
      version: false,
    });
  });

  it('reads every short and long flag', () => {
    const short = parseCliArgs(['-d', '-l', '-t', '-o', 'out', '-n', '-s', '0.05', 'a.osc']);
    expect(short).toMatchObject({
      debug: true,
      logModel: true,
      liveTree: true,
      outputDir: 'out',
      dryRun: true,
      stepDuration: 0.05,
      scenario: 'a.osc',
    });
    const long = parseCliArgs([
      '--debug',
      '--log-model',
      '--live-tree',
      '--output-dir=o2',
      '--dry-run',
      '--dot',
      '--step-duration',
      '0',
      '--scenario-parameter-file',
      'p.yaml',
      '--create-scenario-parameter-file-template',
      '--post-run',
      './post.sh',
      'b.osc',
    ]);
    expect(long).toMatchObject({
      debug: true,
      logModel: true,
      liveTree: true,
      outputDir: 'o2',
      dryRun: true,
      dot: true,
      stepDuration: 0,
      scenarioParameterFile: 'p.yaml',
      createScenarioParameterFileTemplate: true,
      postRun: './post.sh',
      scenario: 'b.osc',
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--version']).version).toBe(true);
    expect(parseCliArgs(['-h']).scenario).toBeUndefined();
    expect(parseCliArgs(['--version']).scenario).toBeUndefined();
    // The last of a repeated option wins, as with Python's argparse.
    expect(parseCliArgs(['-o', 'a', '-o', 'b', 'x.osc']).outputDir).toBe('b');
    expect(parseCliArgs(['-dn', 'x.osc'])).toMatchObject({ debug: true, dryRun: true });
    expect(parseCliArgs(['--', '-x.osc']).scenario).toBe('-x.osc');
  });

  it.each([
    [['--nope', 'a.osc'], "unknown option '--nope'"],
    [['-x', 'a.osc'], "unknown option '-x'"],
    [['-s', 'fast', 'a.osc'], "option '-s': expected a number of seconds >= 0, got 'fast'"],
    [['-s', '-1', 'a.osc'], "option '-s': expected a number of seconds >= 0, got '-1'"],
    [['--step-duration=-1', 'a.osc'], "option '--step-duration': expected a number of seconds >= 0, got '-1'"],
    [['--step-duration', '', 'a.osc'], "option '--step-duration': expected a number of seconds >= 0, got ''"],
    [['a.osc', 'b.osc'], 'only one scenario file can be given, got 2: a.osc, b.osc'],
    [[], 'no scenario file given'],
    [['-d', '-n'], 'no scenario file given'],
    [['-o'], "option '-o': needs a value (DIR)"],
    [['a.osc', '-o', '-n'], "option '-o': needs a value (DIR)"],
    [['--dot=yes', 'a.osc'], "option '--dot': takes no value"],
    [
      ['--create-scenario-parameter-file-template', 'a.osc'],
      "option '--create-scenario-parameter-file-template': needs --scenario-parameter-file F",
    ],
    [['--post-run', './post.sh', 'a.osc'], "option '--post-run': needs -o, --output-dir DIR"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(new UsageError(message));
  });

  it('documents every option in --help', () => {
    for (const flag of [
      '-d, --debug',
      '-l, --log-model',
      '-t, --live-tree',
      '-o, --output-dir DIR',
      '-n, --dry-run',
      '--dot',
      '-s, --step-duration S',
      '--scenario-parameter-file F',
      '--create-scenario-parameter-file-template',
      '--post-run CMD',
      '-h, --help',
      '--version',
    ]) {
      expect(HELP_TEXT).toContain(flag);
    }
  });
});
