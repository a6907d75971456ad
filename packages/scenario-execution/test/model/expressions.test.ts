import { describe, expect, it } from 'vitest';
import { OscError } from '../../src/language/diagnostics.js';
import type { Expr, OscModel } from '../../src/model/index.js';
import { evaluate, toWire } from '../../src/model/index.js';
import { expectError, globalValue, load, MapStore } from './helpers.js';

const TIME = `
type time is SI(s: 1)
unit s  of time is SI(s: 1, factor: 1)
unit ms of time is SI(s: 1, factor: 0.001)
type length is SI(m: 1)
unit m  of length is SI(m: 1, factor: 1)
unit cm of length is SI(m: 1, factor: 0.01)
type speed is SI(m: 1, s: -1)
unit mps of speed is SI(m: 1, s: -1, factor: 1)
type temperature is SI(K: 1)
unit C of temperature is SI(K: 1, factor: 1, offset: 273.15)
`;

async function globals(text: string): Promise<OscModel> {
  return load(`${TIME}${text}\nscenario test\n`);
}

async function wire(text: string, name = 'g'): Promise<unknown> {
  return toWire(globalValue(await globals(text), name));
}

describe('arithmetic (as test_expression.py)', () => {
  it('adds floats, times and mixed units in SI', async () => {
    const model = await globals(
      'global a: float = 2.0 + 1.1\nglobal b: time = 2.0s + 1.1s\nglobal c: time = 2.0s + 1ms',
    );
    expect(toWire(globalValue(model, 'a'))).toBeCloseTo(3.1);
    expect(toWire(globalValue(model, 'b'))).toBeCloseTo(3.1);
    expect(toWire(globalValue(model, 'c'))).toBeCloseTo(2.001);
  });

  it('subtracts', async () => {
    expect(await wire('global g: time = 2.0s - 1ms')).toBeCloseTo(1.999);
    expect(await wire('global g: float = 2.0 - 1.1')).toBeCloseTo(0.9);
  });

  it('multiplies and divides physical values by numbers', async () => {
    expect(await wire('global g: time = 2.0ms * 1.1')).toBeCloseTo(0.0022);
    expect(await wire('global g: time = 5.0ms / 2.0')).toBeCloseTo(0.0025);
    expect(await wire('global g: time = 3 * 2s')).toBe(6);
  });

  it('keeps int arithmetic int, divides to float, and takes Python remainders', async () => {
    const model = await globals(
      'global a: int = 7 + 3 * 2\nglobal b: float = 5 / 2\nglobal c: int = -7 % 3\nglobal d: int = 7 % -3',
    );
    expect(globalValue(model, 'a')).toEqual({ kind: 'int', value: 13 });
    expect(globalValue(model, 'b')).toEqual({ kind: 'float', value: 2.5 });
    expect(globalValue(model, 'c')).toEqual({ kind: 'int', value: 2 });
    expect(globalValue(model, 'd')).toEqual({ kind: 'int', value: -2 });
  });

  it('promotes int to float when mixed', async () => {
    const model = await globals('global a: float = 5 + 2.5\nglobal b: float = 3');
    expect(globalValue(model, 'a')).toEqual({ kind: 'float', value: 7.5 });
    expect(globalValue(model, 'b')).toEqual({ kind: 'float', value: 3 });
  });

  it('concatenates strings with + (as Python)', async () => {
    expect(await wire('global g: string = "ab" + "cd"')).toBe('abcd');
  });

  it('derives a physical type from a quotient of physical values', async () => {
    expect(await wire('global g: speed = 10m / 2s')).toBe(5);
    expect(await wire('global g: float = 10m / 20cm')).toBeCloseTo(50);
  });

  it('applies unit offsets when converting to SI', async () => {
    expect(await wire('global g: temperature = 20C')).toBeCloseTo(293.15);
  });

  it('negates numbers and physical values', async () => {
    expect(await wire('global g: time = -(2s + 1s)')).toBe(-3);
    expect(await wire('global g: int = -4')).toBe(-4);
  });
});

describe('arithmetic errors', () => {
  it('reports adding a float to a time at the operator', async () => {
    await expectError(`${TIME}\nglobal g: time = 2.0s + 1.1`, 'cannot add time and float', 13, 23);
  });

  it('reports adding a length to a time', async () => {
    await expectError(`${TIME}\nglobal g: time = 1s + 2m`, 'cannot add time and length', 13, 21);
  });

  it('reports subtracting different physical types', async () => {
    await expectError(`${TIME}\nglobal g: time = 1s - 2m`, 'cannot subtract time and length', 13, 21);
  });

  it('reports products without a declared physical type', async () => {
    await expectError(`${TIME}\nglobal g: float = 1m * 2m`, 'no physical type with dimension m^2 is declared', 13, 22);
  });

  it('reports a value of the wrong type for a global', async () => {
    await expectError(`${TIME}\nglobal g: time = 5m`, '`g`: expected time, got length', 13, 18);
  });

  it('reports an unknown unit with a hint', async () => {
    await expectError(`${TIME}\nglobal g: time = 5sx`, 'unknown unit `sx`; did you mean `s`?', 13, 19);
  });

  it('reports division by zero when evaluated', async () => {
    const model = await globals('global g: float = 1 / 0');
    expect(() => globalValue(model, 'g')).toThrowError(OscError);
    expect(() => globalValue(model, 'g')).toThrowError('division by zero');
  });
});

describe('relations and logic (as test_expression.py)', () => {
  it('compares numbers', async () => {
    const model = await globals(
      [
        'global t1: bool = 5.0 > 2.0',
        'global t2: bool = 5 > 2',
        'global t3: bool = 5 < 2',
        'global t4: bool = 5 == 2',
        'global t5: bool = 5 != 2',
        'global t6: bool = 5 >= 2',
        'global t7: bool = 5 <= 2',
      ].join('\n'),
    );
    const results = ['t1', 't2', 't3', 't4', 't5', 't6', 't7'].map((n) => toWire(globalValue(model, n)));
    expect(results).toEqual([true, true, false, false, true, true, false]);
  });

  it('negates and combines', async () => {
    const model = await globals(
      'global a: bool = not true\nglobal b: bool = not 5 > 2\nglobal c: bool = 2 > 1 and 3 >= 2\nglobal d: bool = 2 > 1 or 3 < 2',
    );
    expect(['a', 'b', 'c', 'd'].map((n) => toWire(globalValue(model, n)))).toEqual([false, false, true, true]);
  });

  it('compares physical values across units, strings, enums and lists', async () => {
    const model = await globals(
      [
        'enum color: [red, green]',
        'global a: bool = 1500ms > 1s',
        'global b: bool = "abc" < "abd"',
        'global c: bool = color!red != color!green',
        'global d: bool = 2 in [1, 2, 3]',
        'global e: bool = 1s == 1000ms',
      ].join('\n'),
    );
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => toWire(globalValue(model, n)))).toEqual([true, true, true, true, true]);
  });

  it('reports comparing a time with a length', async () => {
    await expectError(`${TIME}\nglobal g: bool = 1s < 2m`, 'cannot compare (`<`) time and length', 13, 21);
  });

  it('reports `and` on non-bools at the operand', async () => {
    await expectError(`${TIME}\nglobal g: bool = true and 5`, '`and` needs bool operands, got int', 13, 27);
  });
});

describe('names', () => {
  it('follows globals that refer to globals (as test_osc2_parser_parameter.py)', async () => {
    const model = await globals('global l1: string = "hey!"\nglobal l2: string = l1\nglobal l3: string = l2');
    expect(toWire(globalValue(model, 'l3'))).toBe('hey!');
  });

  it('reports a global of the wrong type', async () => {
    await expectError(
      `${TIME}\nglobal l1: string = "hey!"\nglobal l2: int = l1`,
      '`l2`: expected int, got string',
      14,
      18,
    );
  });

  it('reports an unknown name with a hint', async () => {
    await expectError(
      `${TIME}\nglobal level1: int = 1\nglobal l2: int = levl1`,
      'unknown name `levl1`; did you mean `level1`?',
      14,
      18,
    );
  });

  it('reports a global that refers to itself', async () => {
    await expectError(`${TIME}\nglobal a: int = b\nglobal b: int = a`, 'the value of `a` refers to `a` itself', 14, 17);
  });

  it('reads struct fields through a struct type name (as Python)', async () => {
    const model = await globals(
      'struct inner:\n    mem: string = "INNER"\nstruct outer:\n    i: inner\nglobal g: string = outer.i.mem',
    );
    expect(toWire(globalValue(model, 'g'))).toBe('INNER');
  });

  it('reports an unknown field with a hint', async () => {
    await expectError(
      `${TIME}\nstruct p:\n    xx: int = 1\nglobal g: int = p.xy`,
      '`p` has no member `xy`; did you mean `xx`?',
      15,
      19,
    );
  });

  it('takes a struct type name as its default instance (as test_all_struct_def)', async () => {
    const model = await globals('struct p:\n    xx: int = 1\nstruct q:\n    inner: p = p\nglobal g: q = q(inner: p)');
    expect(toWire(globalValue(model, 'g'))).toEqual({ inner: { xx: 1 } });
  });
});

describe('enums', () => {
  it('numbers members like Python: previous + 1, explicit values, hex', async () => {
    const model = await globals('enum e: [a, b = 5, c, d = 0x10, f]\nglobal g: e = e!f');
    const decl = model.declarations.enums.get('e')!;
    expect(decl.members.map((m) => [m.name, m.value])).toEqual([
      ['a', 0],
      ['b', 5],
      ['c', 6],
      ['d', 16],
      ['f', 17],
    ]);
    expect(toWire(globalValue(model, 'g'))).toEqual(['f', 17]);
  });

  it('reports an unknown member with a hint', async () => {
    await expectError(
      `${TIME}\nenum e: [alpha, beta]\nglobal g: e = e!alhpa`,
      'enum `e` has no member `alhpa`; did you mean `alpha`?',
      14,
      17,
    );
  });

  it('reports an unknown enum type', async () => {
    await expectError(
      `${TIME}\nenum color: [a]\nglobal g: int = colr!a`,
      'unknown enum type `colr`; did you mean `color`?',
      14,
      17,
    );
  });

  it('reports a duplicate member', async () => {
    await expectError(`${TIME}\nenum e: [a, a]`, /^enum member `a` is already declared at .*test\.osc:13:10$/, 13, 13);
  });
});

describe('lists and structs', () => {
  it('builds struct values from constructor calls with positional and named arguments', async () => {
    const model = await globals(
      'struct ts:\n    p1: string = "v1"\n    p2: string = "v2"\n    p3: string = "v3"\nglobal g: ts = ts("O1", p3: "O3")',
    );
    expect(toWire(globalValue(model, 'g'))).toEqual({ p1: 'O1', p2: 'v2', p3: 'O3' });
  });

  it('accepts plain numbers for physical struct fields (as Python)', async () => {
    const model = await globals('struct p:\n    x: length = 0m\n    y: length = 0m\nglobal g: p = p(1.0, 2)');
    expect(toWire(globalValue(model, 'g'))).toEqual({ x: 1, y: 2 });
  });

  it('reports a constructor of another struct type', async () => {
    await expectError(
      `${TIME}\nstruct a:\n    x: int = 1\nstruct b:\n    x: int = 1\nglobal g: a = b(x: 2)`,
      '`g`: expected a, got b',
      17,
      15,
    );
  });

  it('reports too many constructor arguments and unknown names', async () => {
    await expectError(
      `${TIME}\nstruct a:\n    x: int = 1\nglobal g: a = a(1, 2)`,
      'too many arguments: `a` takes 1 argument, 2 given',
      15,
      20,
    );
    await expectError(
      `${TIME}\nstruct a:\n    xval: int = 1\nglobal g: a = a(xvl: 2)`,
      '`a` has no parameter `xvl`; did you mean `xval`?',
      15,
      17,
    );
  });

  it('evaluates lists and converts int elements for float lists', async () => {
    const model = await globals('global g: list of float = [1, 2.5]\nglobal h: list of time = [1s, 20ms]');
    expect(globalValue(model, 'g')).toEqual({
      kind: 'list',
      items: [
        { kind: 'float', value: 1 },
        { kind: 'float', value: 2.5 },
      ],
    });
    expect(toWire(globalValue(model, 'h'))).toEqual([1, 0.02]);
  });

  it('reports list elements of different types', async () => {
    await expectError(
      `${TIME}\nglobal g: list of int = [1, "a"]`,
      'list elements must have one type: expected int, got string',
      13,
      29,
    );
  });

  it('evaluates element access (list[i]) and reports an index out of range', async () => {
    const model = await globals('global g: list of int = [10, 20, 30]');
    const decl = model.declarations.globals.get('g')!;
    const loc = decl.location;
    const index = (i: number): Expr => ({
      kind: 'element',
      list: { kind: 'parameter', decl, type: decl.type, location: loc },
      index: { kind: 'literal', value: { kind: 'int', value: i }, type: { kind: 'int' }, location: loc },
      type: { kind: 'int' },
      location: loc,
    });
    expect(evaluate(index(1), new MapStore())).toEqual({ kind: 'int', value: 20 });
    expect(evaluate(index(-1), new MapStore())).toEqual({ kind: 'int', value: 30 });
    expect(() => evaluate(index(3), new MapStore())).toThrowError('list index 3 out of range (list has 3 elements)');
  });
});

describe('external methods', () => {
  const RANDOM = `${TIME}
struct random:
    def get_int(min_val: int, max_val: int = 10) -> int is external my.rand.get_int()
global g: int = random.get_int(3)
`;

  it('calls the function the resolver hook returns, with arguments by name', async () => {
    const calls: unknown[] = [];
    const model = await load(`${RANDOM}\nscenario test\n`, {
      externalMethods: (module, fn) => {
        expect([module, fn]).toEqual(['my.rand', 'get_int']);
        return (args) => {
          calls.push(args);
          return 7;
        };
      },
    });
    expect(globalValue(model, 'g')).toEqual({ kind: 'int', value: 7 });
    expect(calls).toEqual([{ min_val: 3, max_val: 10 }]);
  });

  it('reports an external method the hook does not know, at its declaration', async () => {
    await expectError(`${RANDOM}\nscenario test\n`, 'external method `my.rand.get_int` not found', 14, 69, {
      externalMethods: () => undefined,
    });
  });

  it('reports a method whose module fails to load as not found', async () => {
    await expectError(`${RANDOM}\nscenario test\n`, 'external method `my.rand.get_int` not found', 14, 69, {
      externalMethods: async () => {
        throw new Error('cannot import my.rand');
      },
    });
  });

  it('fails when evaluated without a resolver hook', async () => {
    const model = await load(`${RANDOM}\nscenario test\n`);
    expect(() => globalValue(model, 'g')).toThrowError(/external method `my.rand.get_int` is not available/);
  });

  it('reports an error thrown by the function at the call', async () => {
    const model = await load(`${RANDOM}\nscenario test\n`, {
      externalMethods: () => () => {
        throw new Error('boom');
      },
    });
    expect(() => globalValue(model, 'g')).toThrowError("error while calling external method 'get_int': boom");
  });

  it('reports a method that is not external (as Python)', async () => {
    await expectError(
      `${TIME}\nstruct s1:\n    def f() -> int is expression 1 + 1\nscenario test\n`,
      '`def … is expression` is not supported (only `is external`)',
      14,
      20,
    );
  });

  it('reports an external method without module (test_osc2_parser_not_supported)', async () => {
    await expectError(
      'actor test:\n    def get_value() -> float is external TEST()\nscenario sc\n',
      'external method `TEST` needs a module: `is external module.function()`',
      2,
      42,
    );
  });
});

describe('element access (beyond the Python engine)', () => {
  it('reads a list element by index, negative indexes from the end', async () => {
    const model = await globals(
      'global names: list of string = ["a", "b", "c"]\nglobal first: string = names[0]\nglobal last: string = names[-1]',
    );
    expect(toWire(globalValue(model, 'first'))).toBe('a');
    expect(toWire(globalValue(model, 'last'))).toBe('c');
  });

  it('types the element as the list element type', async () => {
    await expectError(
      'scenario test\nglobal xs: list of int = [1, 2]\nglobal y: string = xs[1]',
      '`y`: expected string, got int',
      3,
      20,
    );
  });

  it('rejects indexing a value that is not a list', async () => {
    await expectError(
      'scenario test\nglobal x: int = 3\nglobal y: int = x[0]',
      'cannot index a value of type int: only lists have elements',
      3,
      17,
    );
  });

  it('rejects an index that is not an int', async () => {
    await expectError(
      'scenario test\nglobal xs: list of int = [1, 2]\nglobal y: int = xs["a"]',
      'list index must be an int, not string',
      3,
      20,
    );
  });

  it('reports an index out of range at evaluation', async () => {
    const model = await globals('global xs: list of int = [1, 2]\nglobal y: int = xs[5]');
    expect(() => globalValue(model, 'y')).toThrow('list index 5 out of range (list has 2 elements)');
  });
});
