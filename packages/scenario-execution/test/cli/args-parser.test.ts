import { describe, expect, it } from 'vitest';
import { type OptionSpecs, parseCommandLine, UsageError } from '../../src/cli/arg-parser.js';

const SPECS: OptionSpecs = {
  dir: { type: 'string', short: 'i', metavar: 'DIR' },
  output: { type: 'string', short: 'o', metavar: 'OUT' },
  quiet: { type: 'boolean', short: 'q' },
};

describe('parseCommandLine with optionsFirst', () => {
  it('ends the options at the first positional and keeps the rest as written', () => {
    const line = parseCommandLine(['-i', 'd', '-q', 'cmd', '-o', '{OUT}', '--', '-x'], SPECS, { optionsFirst: true });
    expect(line.given.map((option) => option.name)).toEqual(['dir', 'quiet']);
    expect(line.has('output')).toBe(false);
    expect(line.positionals).toEqual(['cmd', '-o', '{OUT}', '--', '-x']);
  });

  it('ends the options at --, which is not kept', () => {
    const line = parseCommandLine(['-o', 'out', '--', '-q', 'x'], SPECS, { optionsFirst: true });
    expect(line.value('output')).toBe('out');
    expect(line.has('quiet')).toBe(false);
    expect(line.positionals).toEqual(['-q', 'x']);
    expect(parseCommandLine(['-q', '--'], SPECS, { optionsFirst: true }).positionals).toEqual([]);
  });

  it('takes an option value as a value, not as the first positional', () => {
    const line = parseCommandLine(['-o', 'out', '-iDIR', 'cmd'], SPECS, { optionsFirst: true });
    expect(line.value('output')).toBe('out');
    expect(line.value('dir')).toBe('DIR');
    expect(line.positionals).toEqual(['cmd']);
  });

  it('still refuses unknown options and missing values before the first positional', () => {
    expect(() => parseCommandLine(['--nope', 'cmd'], SPECS, { optionsFirst: true })).toThrow(
      new UsageError("unknown option '--nope'"),
    );
    expect(() => parseCommandLine(['-i', '--', 'cmd'], SPECS, { optionsFirst: true })).toThrow(
      new UsageError("option '-i': needs a value (DIR)"),
    );
  });

  it('is off by default: options after a positional are parsed, unknown ones refused', () => {
    const line = parseCommandLine(['cmd', '-o', 'out', '--', '-q'], SPECS);
    expect(line.value('output')).toBe('out');
    expect(line.positionals).toEqual(['cmd', '-q']);
    expect(() => parseCommandLine(['cmd', '-x'], SPECS)).toThrow(new UsageError("unknown option '-x'"));
  });
});
