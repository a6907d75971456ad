import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { builtinExternalMethods } from '../../src/external/index.js';
import { PythonRandom } from '../../src/external/mersenne-twister.js';
import { randomMethods, sharedRandom } from '../../src/external/random.js';

/** Draws made by CPython's `random` for the same seeds (the reference interpreter). */
function pythonDraws(seeds: readonly number[]): string[] {
  const script = [
    'import random, sys',
    'for s in map(int, sys.argv[1:]):',
    '    r = random.Random(s)',
    "    print(repr(r.random()), r.randint(0, 5), repr(r.uniform(1.5, 7.25)), r.choice(['a', 'b', 'c']), r.randint(-1000, 10**12), r.getrandbits(40))",
  ].join('\n');
  const run = spawnSync('/usr/bin/python3', ['-c', script, ...seeds.map(String)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout.trim().split('\n');
}

function ourDraws(seed: number): string {
  const r = new PythonRandom(seed);
  const repr = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));
  return [
    repr(r.random()),
    r.randint(0, 5),
    repr(r.uniform(1.5, 7.25)),
    r.choice(['a', 'b', 'c']),
    r.randint(-1000, 10 ** 12),
    r.getrandbits(40),
  ].join(' ');
}

describe('random external methods', () => {
  it('draw exactly the numbers CPython draws for the same seed', () => {
    const seeds = [0, 1, 42, 123456789012, 2 ** 40 + 5];
    expect(seeds.map(ourDraws)).toEqual(pythonDraws(seeds));
  });

  it('the same seed gives the same sequence through the scenario functions', () => {
    const draw = () => {
      randomMethods.seed?.({ seed_value: 7 });
      return [
        randomMethods.get_int?.({ min_val: 0, max_val: 100 }),
        randomMethods.get_float?.({ min_val: -1, max_val: 1 }),
        randomMethods.get_random_list_element?.({ elements_list: ['test', 'test-scenario', 'scenario-test'] }),
      ];
    };
    const first = draw();
    const second = draw();
    expect(second).toEqual(first);
    randomMethods.seed?.({ seed_value: 8 });
    const other = Array.from({ length: 5 }, () => randomMethods.get_int?.({ min_val: 0, max_val: 1000000 }));
    randomMethods.seed?.({ seed_value: 7 });
    const again = Array.from({ length: 5 }, () => randomMethods.get_int?.({ min_val: 0, max_val: 1000000 }));
    expect(other).not.toEqual(again);
  });

  it('get_int stays within bounds (inclusive), get_float within [min, max)', () => {
    sharedRandom.seed(3);
    const ints = new Set<unknown>();
    for (let i = 0; i < 500; i++) {
      const value = randomMethods.get_int?.({ min_val: 0, max_val: 5 }) as number;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(5);
      ints.add(value);
      const f = randomMethods.get_float?.({ min_val: 2, max_val: 3 }) as number;
      expect(f).toBeGreaterThanOrEqual(2);
      expect(f).toBeLessThan(3);
    }
    expect(ints.size).toBe(6);
  });

  it('get_random_string picks one of the list; an empty list gives None', () => {
    const choices = ['test', 'test-scenario', 'scenario-test'];
    for (let i = 0; i < 20; i++) {
      expect(choices).toContain(randomMethods.get_random_list_element?.({ elements_list: choices }));
    }
    expect(randomMethods.get_random_list_element?.({ elements_list: [] })).toBeNull();
  });

  it('seeds a generator made without a seed from the OS, at its first draw', () => {
    const first = new PythonRandom();
    const second = new PythonRandom();
    const draws = (r: PythonRandom) => [r.random(), r.random(), r.getrandbits(53)];
    const drawn = draws(first);
    for (const x of drawn.slice(0, 2)) expect(x >= 0 && x < 1).toBe(true);
    expect(draws(second)).not.toEqual(drawn);
    // A seed given before the first draw wins over the OS.
    const seeded = new PythonRandom();
    seeded.seed(7);
    expect(seeded.random()).toBe(new PythonRandom(7).random());
  });

  it('seed() defaults to 0; randint rejects an empty range', () => {
    randomMethods.seed?.({});
    const a = sharedRandom.random();
    expect(a).toBe(new PythonRandom(0).random());
    expect(() => randomMethods.get_int?.({ min_val: 5, max_val: 1 })).toThrow('empty range in randrange(5, 2)');
  });

  it('is registered under the Python module path used in helpers.osc', () => {
    const module = builtinExternalMethods['scenario_execution.external_methods.random'];
    expect(Object.keys(module ?? {}).sort()).toEqual(['get_float', 'get_int', 'get_random_list_element', 'seed']);
  });
});
