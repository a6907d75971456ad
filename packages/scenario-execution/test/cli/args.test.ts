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
    expect(parseCliArgs([]).scenario).toBeUndefined();
  });

  it.each([
    [['--nope', 'a.osc'], /Unknown option '--nope'/],
    [['-s', 'fast', 'a.osc'], /needs a number of seconds >= 0, got 'fast'/],
    [['--step-duration=-1', 'a.osc'], /needs a number of seconds >= 0, got '-1'/],
    [['a.osc', 'b.osc'], /only one scenario file can be given, got 2/],
    [['-o'], /argument missing/],
    [['--create-scenario-parameter-file-template', 'a.osc'], /needs --scenario-parameter-file/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
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
