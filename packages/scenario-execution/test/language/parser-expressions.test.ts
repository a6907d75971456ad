import { describe, expect, it } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import { at, expression, show } from './helpers.js';

/** Structure of an expression written after `global x: int = `. */
function structure(text: string): string {
  return show(expression(text));
}

describe('parser: expression precedence', () => {
  it('binds * / % tighter than + -', () => {
    expect(structure('1 + 2 * 3')).toBe('(1 + (2 * 3))');
    expect(structure('1 * 2 + 3')).toBe('((1 * 2) + 3)');
    expect(structure('a - b / c % d')).toBe('(a - ((b / c) % d))');
  });

  it('associates to the left', () => {
    expect(structure('1 - 2 - 3')).toBe('((1 - 2) - 3)');
    expect(structure('8 / 4 / 2')).toBe('((8 / 4) / 2)');
    expect(structure('a < b < c')).toBe('((a < b) < c)');
    expect(structure('a or b or c')).toBe('((a or b) or c)');
  });

  it('binds + - tighter than relational operators', () => {
    expect(structure('a + 1 == b * 2')).toBe('((a + 1) == (b * 2))');
    for (const op of ['==', '!=', '<', '<=', '>', '>=', 'in']) {
      expect(structure(`a ${op} b + c`)).toBe(`(a ${op} (b + c))`);
    }
  });

  it('orders not, and, or', () => {
    expect(structure('a or b and c')).toBe('(a or (b and c))');
    expect(structure('not a and b')).toBe('((not a) and b)');
    expect(structure('not a == b')).toBe('(not (a == b))');
    expect(structure('not not a')).toBe('(not (not a))');
    expect(structure('a == 1 and b != 2 or c')).toBe('(((a == 1) and (b != 2)) or c)');
  });

  it('keeps parentheses as nodes', () => {
    expect(structure('(1 + 2) * 3')).toBe('([(1 + 2)] * 3)');
    const paren = expression('(a)');
    expect(paren.kind).toBe('Paren');
  });

  it('parses unary minus on names and folds it into number literals', () => {
    expect(structure('-a')).toBe('(-a)');
    expect(structure('- (a + 1)')).toBe('(-[(a + 1)])');
    expect(structure('a - -b')).toBe('(a - (-b))');
    const negative = expression('-5') as Ast.IntegerLiteral;
    expect(negative).toMatchObject({ kind: 'Integer', value: -5, text: '-5' });
    expect(expression('- 2.5')).toMatchObject({ kind: 'Float', value: -2.5, text: '-2.5' });
    expect(expression('-3s')).toMatchObject({ kind: 'Physical', value: -3, unit: { name: 's' } });
    expect(structure('2 * -3')).toBe('(2 * -3)');
    expect(structure('a-1')).toBe('(a - 1)');
    expect(expression('+1.5')).toMatchObject({ kind: 'Float', value: 1.5, text: '+1.5' });
  });

  it('records the operator position of binary expressions', () => {
    const e = expression('a  +  b') as Ast.BinaryExpression;
    expect(at(e)).toBe('1:17');
    expect(at({ loc: e.operatorLoc })).toBe('1:20');
  });
});

describe('parser: literals', () => {
  it('parses integers, hex integers and floats', () => {
    expect(expression('42')).toMatchObject({ kind: 'Integer', value: 42, hex: false, text: '42' });
    expect(expression('0x1F')).toMatchObject({ kind: 'Integer', value: 31, hex: true, text: '0x1F' });
    expect(expression('1.5e-3')).toMatchObject({ kind: 'Float', value: 0.0015 });
    expect(expression('1e3')).toMatchObject({ kind: 'Float', value: 1000 });
    expect(expression('.5')).toMatchObject({ kind: 'Float', value: 0.5 });
  });

  it('parses booleans and strings', () => {
    expect(expression('true')).toMatchObject({ kind: 'Bool', value: true });
    expect(expression('false')).toMatchObject({ kind: 'Bool', value: false });
    expect(expression('"a\\nb"')).toMatchObject({ kind: 'String', value: 'a\nb', raw: '"a\\nb"' });
    expect(expression("'''long\ntext'''")).toMatchObject({ kind: 'String', value: 'long\ntext' });
  });

  it('parses physical literals with and without a space', () => {
    expect(expression('250ms')).toMatchObject({ kind: 'Physical', value: 250, isFloat: false, unit: { name: 'ms' } });
    expect(expression('0.1m')).toMatchObject({ kind: 'Physical', value: 0.1, isFloat: true, unit: { name: 'm' } });
    expect(expression('2 s')).toMatchObject({ kind: 'Physical', value: 2, text: '2', unit: { name: 's' } });
    expect(expression('1.5 |km per h|')).toMatchObject({ kind: 'Physical', unit: { name: 'km per h' } });
    expect(structure('2s + 500ms')).toBe('(2<s> + 500<ms>)');
    const literal = expression('3 kph') as Ast.PhysicalLiteral;
    expect(at(literal.unit)).toBe('1:19');
  });

  it('parses enum values', () => {
    const e = expression('color!green') as Ast.EnumValueLiteral;
    expect(e).toMatchObject({ kind: 'EnumValue', enumName: { name: 'color' }, member: { name: 'green' } });
    expect(at(e.member)).toBe('1:23');
  });

  it('parses lists', () => {
    expect(structure('[1, 2, 3]')).toBe('list(1, 2, 3)');
    expect(structure('[a.b, [1], "s"]')).toBe('list(a.b, list(1), "s")');
    const list = expression('[\n  1,\n  2\n]') as Ast.ListLiteral;
    expect(list.elements.map(at)).toEqual(['2:3', '3:3']);
  });
});

describe('parser: a lone operand', () => {
  it('is the same node as one read through the operator levels', () => {
    // `x` then `,` or `)` is read at once; `x + 0` descends through every level. Both give `x` the same way.
    for (const operand of ['"text"', "'t'", 'name', '42', '2.5', '0x1F']) {
      const alone = expression(`[${operand}, ${operand}]`) as Ast.ListLiteral;
      const inSum = expression(`[${operand} + 0]`) as Ast.ListLiteral;
      const [first, second] = alone.elements;
      // The files differ (their text), so compare the nodes without them: places stay.
      const shape = (node: Ast.Expression | undefined) =>
        JSON.parse(JSON.stringify(node, (key, value) => (key === 'file' ? undefined : value)));
      expect(shape(first)).toEqual(shape((inSum.elements[0] as Ast.BinaryExpression).left));
      expect(second?.kind).toBe(first?.kind);
      expect(second?.start).toBe((first?.end ?? 0) + 2);
    }
  });
});

describe('parser: references, members, calls', () => {
  it('joins plain dotted names into one reference', () => {
    const e = expression('a.b.c') as Ast.ReferenceExpression;
    expect(e).toMatchObject({ kind: 'Reference', name: 'a.b.c' });
    expect(e.parts.map((p) => [p.name, at(p)])).toEqual([
      ['a', '1:17'],
      ['b', '1:19'],
      ['c', '1:21'],
    ]);
  });

  it('uses member nodes after it, calls and parentheses', () => {
    const it1 = expression('it.position.x') as Ast.MemberExpression;
    expect(it1.kind).toBe('Member');
    expect(it1.member.name).toBe('x');
    expect(show(it1)).toBe('it.position.x');
    expect((it1.object as Ast.MemberExpression).object.kind).toBe('It');
    expect(expression('f().y').kind).toBe('Member');
    expect(expression('(a).b').kind).toBe('Member');
  });

  it('parses calls with positional and named arguments', () => {
    const call = expression('lib.f(1, x + 1, name: "n", other: 2s)') as Ast.CallExpression;
    expect(call.kind).toBe('Call');
    expect(show(call.callee)).toBe('lib.f');
    expect(call.arguments.map((a) => [a.name?.name, show(a.value)])).toEqual([
      [undefined, '1'],
      [undefined, '(x + 1)'],
      ['name', '"n"'],
      ['other', '2<s>'],
    ]);
    expect(call.arguments.map(at)).toEqual(['1:23', '1:26', '1:33', '1:44']);
  });

  it('parses chained calls and calls in operators', () => {
    expect(structure('f(1)(2)')).toBe('f(1)(2)');
    expect(structure('a.f() + b.g(x: 1) * 2')).toBe('(a.f() + (b.g(x: 1) * 2))');
    expect(structure('it')).toBe('it');
  });

  it('records start and end offsets', () => {
    const text = 'global x: int = (a + b) * foo(1, 2)\n';
    const { start, end } = expression('(a + b) * foo(1, 2)');
    expect(text.slice(start, end)).toBe('(a + b) * foo(1, 2)');
  });
});
