import { describe, expect, it } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import { OscError } from '../../src/language/diagnostics.js';
import { parseWithErrors } from '../../src/language/parser.js';
import { declaration, errorsOf, firstError, lines, source, thrownBy } from './helpers.js';

describe('parser: constructs that are not supported', () => {
  const cases: [string, string, number, number, string][] = [
    [
      'call directive',
      lines('scenario test:', '    do serial:', '        call log(true)'),
      3,
      9,
      "'call' directive is not supported",
    ],
    [
      'until in a with-block',
      lines('scenario test:', '    event ev', '    do serial:', '        a() with:', '            until @ev'),
      5,
      13,
      "'until' is not supported",
    ],
    ['cover', lines('scenario test:', '    cover(speed, unit: kph)'), 2, 5, 'cover declaration is not supported'],
    ['record', lines('scenario test:', '    record()'), 2, 5, 'record declaration is not supported'],
    [
      'remove_default',
      lines('scenario test:', '    p: base with:', '        remove_default(it.param_base)'),
      3,
      9,
      'remove_default is not supported',
    ],
    [
      'sample',
      lines('scenario test:', '    var t: time = sample(env.datetime, @root.start)'),
      2,
      19,
      'sample expression is not supported',
    ],
    [
      'every',
      lines('scenario test:', '    event e is every(1s, offset: 2s)'),
      2,
      16,
      'every expression is not supported',
    ],
    ['rise', lines('scenario test:', '    event e is rise(x > 1)'), 2, 16, 'rise expression is not supported'],
    ['fall', lines('scenario test:', '    do wait fall(x > 1)'), 2, 13, 'fall expression is not supported'],
    ['enum extension', lines('enum e: [a]', 'extend e: [c]'), 2, 1, 'enum type extension is not supported'],
    [
      'inherits condition',
      lines('actor ev inherits vehicle(is_electric == true)'),
      1,
      26,
      'inherits condition is not supported',
    ],
    [
      'inherits condition with enum value',
      lines('scenario a inherits b(kind == k!x)'),
      1,
      22,
      'inherits condition is not supported',
    ],
    [
      'several field names',
      lines('struct a:', '    x, y: int'),
      2,
      5,
      'declaring several fields at once (a, b: type) is not supported',
    ],
    [
      'several variable names',
      lines('struct a:', '    var x, y: int'),
      2,
      5,
      'declaring several fields at once (a, b: type) is not supported',
    ],
    [
      'several global names',
      lines('global x, y: int'),
      1,
      1,
      'declaring several fields at once (a, b: type) is not supported',
    ],
    [
      'modifier of an actor',
      lines('modifier robot.slow'),
      1,
      1,
      'modifier of an actor (modifier actor.name) is not supported',
    ],
    [
      'modifier of a behavior',
      lines('modifier slow of robot.move'),
      1,
      1,
      "modifier for a behavior ('of') is not supported",
    ],
    ['ternary', lines('global x: int = a > 1 ? 2 : 3'), 1, 17, "conditional expression '… ? … : …' is not supported"],
    ['implication', lines('global x: bool = a => b'), 1, 18, "implication '=>' is not supported"],
    ['cast', lines('global x: int = foo.as(int)'), 1, 17, "cast expression '.as()' is not supported"],
    ['type test', lines('global x: bool = a.b.is(float)'), 1, 18, "type test expression '.is()' is not supported"],
    ['range()', lines('global x: float = range(0, 1)'), 1, 19, 'range is not supported'],
    ['range [a..b]', lines('global x: float = [0..1]'), 1, 19, "range '[…..…]' is not supported"],
  ];

  for (const [name, text, line, column, message] of cases) {
    it(`reports ${name} at its position`, () => {
      expect(firstError(text)).toEqual([line, column, message]);
    });
  }

  it('leaves unsupported constructs out of the tree but keeps the rest', () => {
    const { ast, errors } = parseWithErrors(
      source(lines('scenario test:', '    cover()', '    x: int', '    do serial:', '        call f()', '        a()')),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'cover declaration is not supported',
      "'call' directive is not supported",
    ]);
    const scenario = declaration(ast, 'Scenario');
    expect(scenario.members.map((m) => m.kind)).toEqual(['Parameter', 'Do']);
    const composition = (scenario.members[1] as Ast.DoDirective).member as Ast.Composition;
    expect(composition.members.map((m) => m.kind)).toEqual(['BehaviorInvocation']);
  });

  it('leaves an enum extension out of the tree', () => {
    const { ast, errors } = parseWithErrors(source(lines('enum e: [a]', 'extend e: [b, c = 3]', 'global g: e')));
    expect(errors.map((e) => e.message)).toEqual(['enum type extension is not supported']);
    expect(ast.declarations.map((d) => d.kind)).toEqual(['Enum', 'Global']);
  });

  it('still checks the syntax inside unsupported constructs', () => {
    expect(firstError(lines('global x: float = range(0 1)'))).toEqual([
      1,
      27,
      "expected ',' between the bounds of range(...), found '1'",
    ]);
  });

  it('reports syntax errors before unsupported constructs', () => {
    const error = thrownBy(lines('global a: int = foo[1]', 'global b: int = = 2'));
    expect(error.message).toBe("expected an expression, found '='");
    expect(error.location?.line).toBe(2);
  });
});

describe('parser: syntax errors', () => {
  it("reports a missing ':' after a composition operator at the line end", () => {
    expect(firstError(lines('scenario test:', '    do serial', '        a()'))).toEqual([
      2,
      14,
      "expected ':' after 'serial', found end of line",
    ]);
  });

  it('reports an unexpected indent', () => {
    expect(firstError(lines('scenario test:', '    x: int', '        y: int'))).toEqual([3, 9, 'unexpected indent']);
    expect(firstError(lines('  global x: int'))).toEqual([1, 3, 'unexpected indent']);
    expect(firstError(lines('global x: int', '    y: int'))).toEqual([2, 5, 'unexpected indent']);
  });

  it('reports an inconsistent dedent', () => {
    expect(firstError(lines('scenario test:', '    do serial:', '        a()', '      b()'))).toEqual([
      4,
      7,
      'unindent does not match any outer indentation level',
    ]);
  });

  it('reports a missing indented block', () => {
    expect(firstError(lines('scenario test:', 'global x: int'))).toEqual([
      2,
      1,
      "expected an indented block of members for scenario 'test', found keyword 'global'",
    ]);
    expect(firstError(lines('scenario test:', '    do serial:', '    x: int'))).toEqual([
      3,
      5,
      "expected an indented block of behaviors after 'serial:', found 'x'",
    ]);
  });

  it('reports a reserved word used as a name', () => {
    expect(firstError(lines('struct s:', '    x: int'))).toEqual([
      1,
      8,
      "expected struct name after 'struct' ('s' is a reserved word; write |s| to use it as a name), found keyword 's'",
    ]);
    expect(firstError(lines('global x: int = f(offset: 1)'))).toEqual([
      1,
      19,
      "expected argument name ('offset' is a reserved word; write |offset| to use it as a name), found keyword 'offset'",
    ]);
  });

  it('reports a positional argument after a named one', () => {
    expect(firstError(lines('global x: int = f(a: 1, 2)'))).toEqual([
      1,
      25,
      'positional argument follows a named argument',
    ]);
    expect(firstError(lines('scenario test:', '    do serial:', '        move(speed: 1, goal)'))).toEqual([
      3,
      24,
      'positional argument follows a named argument',
    ]);
  });

  it('reports an import after a declaration', () => {
    expect(firstError(lines('global x: int', 'import osc.types'))).toEqual([
      2,
      1,
      'import statements must come before all declarations',
    ]);
  });

  it('reports an unknown top-level statement', () => {
    expect(firstError(lines('invalid'))).toEqual([
      1,
      1,
      "expected a declaration (type, unit, enum, struct, actor, action, scenario, modifier, extend, global or import), found 'invalid'",
    ]);
  });

  it('reports a missing closing parenthesis', () => {
    expect(firstError(lines('global x: int = f(1, 2'))).toEqual([1, 18, "'(' is never closed"]);
    expect(
      errorsOf(lines('global x: int = f(1, 2', 'global y: int')).map((e) => [e.location?.line, e.message]),
    ).toEqual([
      [1, "'(' is never closed"],
      [2, "expected ')' or ',' in the argument list, found keyword 'global' (unclosed '(' at line 1)"],
    ]);
    expect(
      errorsOf(lines('scenario test:', '    keep(x == 1', '    y: int')).map((e) => [e.location?.line, e.message]),
    ).toEqual([
      [2, "'(' is never closed"],
      [3, "expected ')' to close keep(...), found 'y' (unclosed '(' at line 2)"],
    ]);
    expect(firstError(lines('global x: int = (1 + 2'))).toEqual([1, 17, "'(' is never closed"]);
    expect(firstError(lines('global x: list of int = [1, (2'))).toEqual([1, 25, "'[' is never closed"]);
  });

  it('reports members that do not belong to a body', () => {
    expect(firstError(lines('struct a:', '    do serial:', '        b()'))).toEqual([
      2,
      5,
      "'do' is only allowed in a scenario or an action",
    ]);
    expect(firstError(lines('actor a:', '    timeout(1s)'))).toEqual([
      2,
      5,
      'modifier invocations are only allowed in a scenario, action or modifier',
    ]);
    expect(firstError(lines('modifier mod:', '    do a()'))).toEqual([
      2,
      5,
      "'do' is only allowed in a scenario or an action",
    ]);
  });

  it('reports a non-value initial value of a var', () => {
    expect(firstError(lines('struct a:', '    var x: int = 1 + 2'))).toEqual([
      2,
      18,
      "the initial value of variable 'x' must be a literal, a name, an enum value or a list",
    ]);
  });

  it('reports bad wait and emit forms', () => {
    expect(firstError(lines('scenario test:', '    do wait'))).toEqual([
      2,
      12,
      'expected an expression, found end of line',
    ]);
    expect(firstError(lines('scenario test:', '    do emit e()'))).toEqual([2, 15, "expected an argument, found ')'"]);
  });

  it('reports a field without a type', () => {
    expect(firstError(lines('struct a:', '    x int'))).toEqual([
      2,
      7,
      "expected ':' after field name 'x', found keyword 'int'",
    ]);
    expect(firstError(lines('struct a:', '    x:'))).toEqual([2, 7, "expected a type of field 'x', found end of line"]);
  });

  it('reports bad SI specifications', () => {
    expect(firstError(lines('type t is SI(x: 1)'))).toEqual([
      1,
      14,
      "expected an SI base unit name (kg, m, s, A, K, mol, cd, rad), found 'x'",
    ]);
    expect(firstError(lines('type t is SI(m: 1, factor: 2)'))).toEqual([
      1,
      20,
      "expected an SI base unit name (kg, m, s, A, K, mol, cd, rad), found keyword 'factor'",
    ]);
    expect(firstError(lines('unit u of t is SI(m: 1.5)'))).toEqual([
      1,
      22,
      "expected an integer as SI exponent, found '1.5'",
    ]);
    expect(firstError(lines('unit u of t is SI(m: 1, offset: 1, factor: 2)'))).toEqual([
      1,
      36,
      "'factor' must come once, before 'offset', found keyword 'factor'",
    ]);
  });

  it('reports a bad enum value', () => {
    expect(firstError(lines('enum e: [a = -1]'))).toEqual([
      1,
      14,
      "expected an unsigned integer value for enum member 'a', found '-'",
    ]);
  });

  it('reports a bad event reference', () => {
    expect(firstError(lines('scenario test:', '    do wait @f()'))).toEqual([
      2,
      14,
      "expected an event name after '@'",
    ]);
  });

  it('reports lexical errors through parse', () => {
    expect(firstError(lines('global x: string = "abc'))).toEqual([
      1,
      20,
      'unterminated string literal (a line break ends it; use \'\'\' or """ for text over several lines)',
    ]);
  });
});

describe('parser: error recovery and formatting', () => {
  it('collects errors from several lines and keeps the good declarations', () => {
    const { ast, errors } = parseWithErrors(
      source(
        lines(
          'struct a:',
          '    x int',
          '    y: float',
          'scenario test:',
          '    do serial:',
          '        b(1 2)',
          '        c()',
          '    z: string',
          'global ok: int = 1',
          'global bad: = 1',
          'global last: bool',
        ),
      ),
    );
    expect(errors.map((e) => `${e.location?.line}:${e.location?.column}`)).toEqual(['2:7', '6:13', '10:13']);
    expect(ast.declarations.map((d) => d.kind)).toEqual(['Struct', 'Scenario', 'Global', 'Global']);
    expect(declaration(ast, 'Struct').members.map((m) => (m as Ast.ParameterDeclaration).name.name)).toEqual(['y']);
    expect(declaration(ast, 'Global', 1).name.name).toBe('last');
  });

  it('skips the indented block under a broken line', () => {
    const { ast, errors } = parseWithErrors(
      source(lines('scenario test:', '    do serial', '        a()', '        b()', '    x: int', 'global g: int')),
    );
    expect(errors).toHaveLength(1);
    expect(declaration(ast, 'Scenario').members.map((m) => m.kind)).toEqual(['Parameter']);
    expect(ast.declarations.map((d) => d.kind)).toEqual(['Scenario', 'Global']);
  });

  it('reports one error per line', () => {
    const { errors } = parseWithErrors(source(lines('global x: string = "abc', 'global y: int')));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^unterminated string literal/);
  });

  it('throws an OscError from parse with a formatted caret', () => {
    const error = thrownBy(lines('scenario test:', '    do serial', '        a()'));
    expect(error).toBeInstanceOf(OscError);
    expect(error.format()).toBe(
      [
        "test.osc:2:14: error: expected ':' after 'serial', found end of line",
        '        do serial',
        '                 ^',
      ].join('\n'),
    );
  });

  it('formats unsupported errors with a caret under the construct', () => {
    const error = thrownBy(lines('scenario test:', '\tdo serial:', '\t\tcall log(1)'));
    expect(error.format()).toBe(
      ["test.osc:3:3: error: 'call' directive is not supported", '    \t\tcall log(1)', '    \t\t^'].join('\n'),
    );
  });

  it('returns all errors from parseWithErrors in order', () => {
    const errors = errorsOf(lines('global a: int = range(0, 1)', 'global b: bool = x.as(int)', 'global c: int = = 1'));
    expect(errors.map((e) => e.location?.line)).toEqual([3, 1, 2]);
  });
});
