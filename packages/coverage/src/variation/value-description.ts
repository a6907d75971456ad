/**
 * How the Python `scenario_variation` writes the value a variation point took
 * (`#<qualified name>==<value>`): a string literal as its text, anything else
 * as the Python model element it parses to, `Class(attr=value, …,
 * children=[…])`, where attributes that are empty, zero or false are left out.
 */
import type * as Ast from 'scenario-execution/language';

/** The Python tool's text of a value expression. */
export function describeValue(expression: Ast.Expression): string {
  return modelText(expression);
}

type Attribute = readonly [name: string, value: string | number | undefined];

/** `Class(a=1, b=x, children=[…])` with falsy attributes left out, as Python's `to_string` does. */
function element(className: string, attributes: readonly Attribute[], children: readonly string[] = []): string {
  const parts = attributes
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0)
    .map(([name, value]) => `${name}=${value}`);
  if (children.length > 0) parts.push(`children=[${children.join(', ')}]`);
  return `${className}(${parts.join(', ')})`;
}

function integerElement(value: number, negative: boolean): string {
  return element('IntegerLiteral', [
    ['type_def', negative ? 'int' : 'uint'],
    ['value', value],
  ]);
}

function modelText(expression: Ast.Expression): string {
  switch (expression.kind) {
    case 'String':
      return expression.value;
    case 'Integer':
      return integerElement(expression.value, !expression.hex && expression.text.startsWith('-'));
    case 'Float':
      return element('FloatLiteral', [['value', expression.text]]);
    case 'Bool':
      return element('BoolLiteral', [['value', String(expression.value)]]);
    case 'Physical': {
      const number = expression.isFloat
        ? element('FloatLiteral', [['value', expression.text]])
        : integerElement(expression.value, expression.text.startsWith('-'));
      return element(
        'PhysicalLiteral',
        [
          ['value', expression.text],
          ['unit', expression.unit.name],
        ],
        [number],
      );
    }
    case 'EnumValue':
      return element('EnumValueReference', [
        ['enum_name', expression.enumName.name],
        ['enum_member_name', expression.member.name],
      ]);
    case 'Reference':
      return element('IdentifierReference', [['ref', expression.name]]);
    case 'It':
      return element('IdentifierReference', [['ref', 'it']]);
    case 'Member':
      return element('FieldAccessExpression', [['field_name', compactText(expression)]]);
    case 'Call':
      return element(
        'FunctionApplicationExpression',
        [['func_name', compactText(expression.callee)]],
        [modelText(expression.callee), ...expression.arguments.map(argumentText)],
      );
    case 'List':
      return element('ListExpression', [], expression.elements.map(modelText));
    case 'Paren':
      return modelText(expression.expression);
    case 'Unary':
      return expression.operator === 'not'
        ? element('LogicalExpression', [['operator', 'not']], [modelText(expression.operand)])
        : element('UnaryExpression', [['operator', '-']], [modelText(expression.operand)]);
    case 'Binary':
      return binaryText(expression);
    case 'ElementAccess':
      return element('ElementAccessExpression', [], [modelText(expression.object), modelText(expression.index)]);
  }
}

function argumentText(argument: Ast.Argument): string {
  if (!argument.name) return element('PositionalArgument', [], [modelText(argument.value)]);
  const name = argument.name.name;
  return element(
    'NamedArgument',
    [
      ['name', name],
      ['argument_name', name],
    ],
    [modelText(argument.value)],
  );
}

function binaryText(expression: Ast.BinaryExpression): string {
  const op = expression.operator;
  if (op === 'and' || op === 'or') {
    // The Python model holds `a and b and c` as one element with three children.
    const operands: Ast.Expression[] = [];
    const collect = (e: Ast.Expression): void => {
      if (e.kind === 'Binary' && e.operator === op) {
        collect(e.left);
        collect(e.right);
      } else operands.push(e);
    };
    collect(expression);
    return element('LogicalExpression', [['operator', op]], operands.map(modelText));
  }
  const className = ['==', '!=', '<', '<=', '>', '>=', 'in'].includes(op) ? 'RelationExpression' : 'BinaryExpression';
  return element(className, [['operator', op]], [modelText(expression.left), modelText(expression.right)]);
}

/** Source text without white space, as the Python model builder takes names (`getText()`). */
function compactText(expression: Ast.Expression): string {
  const source = expression.loc.file.text.slice(expression.start, expression.end);
  return source.replace(/\s+/g, '');
}
