import { describe, expect, it } from 'vitest';
import { pyFloat, pyRepr, pyStr, pyStrOf } from '../../src/runtime/py-format.js';
import { Logger } from '../../src/runtime/logger.js';

describe('Python formatting', () => {
  it('formats floats like repr(float)', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [3, '3.0'],
      [0.25, '0.25'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1.2345678901234568e17, '1.2345678901234568e+17'],
      [1234567890123456.8, '1234567890123456.8'],
      [-2.5, '-2.5'],
      [0, '0.0'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NaN, 'nan'],
      [0.30000000000000004, '0.30000000000000004'],
      [1.5e-7, '1.5e-07'],
    ];
    for (const [value, text] of cases) expect(pyFloat(value)).toBe(text);
  });

  it('formats values like repr and str', () => {
    expect(pyStr("it's")).toBe('"it\'s"');
    expect(pyStr('a\nb')).toBe("'a\\nb'");
    expect(pyRepr(['sleep', '30'])).toBe("['sleep', '30']");
    expect(pyRepr({ a: true, b: null, c: [1, 2.5] })).toBe("{'a': True, 'b': None, 'c': [1, 2.5]}");
    expect(pyStrOf('plain')).toBe('plain');
    expect(pyStrOf(false)).toBe('False');
  });
});

describe('Logger', () => {
  it('prints the engine line formats; debug only when enabled', () => {
    const lines: string[] = [];
    const quiet = new Logger('scenario_execution', { sink: (l) => lines.push(l) });
    quiet.info('hello');
    quiet.debug('hidden');
    quiet.warn('careful');
    quiet.error('broken');
    const loud = new Logger('scenario_execution', { debug: true, sink: (l) => lines.push(l) });
    loud.debug('shown');
    loud.withName('other').warning('w');
    expect(lines).toEqual([
      '[scenario_execution] [INFO] hello',
      '\x1b[33m[scenario_execution] [WARN] careful\x1b[0m',
      '\x1b[31m[scenario_execution] [ERROR] broken\x1b[0m',
      '[scenario_execution] [DEBUG] shown',
      '\x1b[33m[other] [WARN] w\x1b[0m',
    ]);
  });
});
