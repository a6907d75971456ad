/**
 * Expression evaluation. Variables are read from the store at the moment of
 * evaluation; parameters evaluate their current value expression.
 */
import type { ArgValue } from '../shared/values.js';
import { errorMessage, OscError } from '../language/diagnostics.js';
import type { Location } from '../language/diagnostics.js';
import type { Expr, OscModel, OscType, PhysicalTypeDecl, StructDecl, Value, VariableStore } from './model.js';
import { combineDimensions, formatDimension, formatValue, fromWire, NONE, toWire, zeroValue } from './values.js';

/** Evaluate `expr`; throws OscError (at the expression) when it cannot be computed. */
export function evaluate(expr: Expr, variables: VariableStore): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value.kind === 'none' ? fieldWithoutValue(expr.type, variables) : expr.value;
    case 'parameter': {
      const value = expr.decl.value;
      if (!value) {
        if (noValueIsEmptyDict(expr.decl.type)) return emptyDict(expr.location);
        throw new OscError(
          `parameter '${expr.decl.name}' is used but has no value; give it a default value or an override in the scenario parameter file`,
          expr.location,
        );
      }
      return evaluate(value, variables);
    }
    case 'variable': {
      const stored = variables.get(expr.name);
      if (stored === undefined) throw new OscError(`variable '${expr.name}' has no value`, expr.location);
      return fromWire(stored, expr.type);
    }
    case 'field': {
      const object = evaluate(expr.object, variables);
      if (object.kind !== 'struct') {
        throw new OscError(`cannot read field '${expr.field}' of ${formatValue(object)}`, expr.location);
      }
      return object.fields[expr.field] ?? NONE;
    }
    case 'element': {
      const list = evaluate(expr.list, variables);
      const index = evaluate(expr.index, variables);
      if (list.kind !== 'list') throw new OscError(`cannot index ${formatValue(list)}`, expr.location);
      if (index.kind !== 'int')
        throw new OscError(`list index must be an int, not ${formatValue(index)}`, expr.location);
      const i = index.value < 0 ? list.items.length + index.value : index.value;
      const item = list.items[i];
      if (item === undefined) {
        throw new OscError(
          `list index ${index.value} out of range (list has ${list.items.length} elements)`,
          expr.location,
        );
      }
      return item;
    }
    case 'struct': {
      const fields: Record<string, Value> = {};
      for (const f of expr.fields) fields[f.name] = evaluate(f.value, variables);
      return { kind: 'struct', decl: expr.decl, fields };
    }
    case 'list':
      return { kind: 'list', items: expr.items.map((item) => evaluate(item, variables)) };
    case 'unary': {
      const operand = evaluate(expr.operand, variables);
      if (expr.operator === 'not') return { kind: 'bool', value: !truthy(operand, expr.location) };
      if (operand.kind === 'int' || operand.kind === 'float') return { kind: operand.kind, value: -operand.value };
      if (operand.kind === 'physical') return { ...operand, si: -operand.si, unit: undefined };
      throw new OscError(`cannot negate ${formatValue(operand)}`, expr.location);
    }
    case 'binary':
      return arithmetic(
        expr.operator,
        evaluate(expr.left, variables),
        evaluate(expr.right, variables),
        expr.location,
        expr.type.kind === 'physical' ? expr.type.decl : undefined,
      );
    case 'relation':
      return {
        kind: 'bool',
        value: compare(expr.operator, evaluate(expr.left, variables), evaluate(expr.right, variables), expr.location),
      };
    case 'logical': {
      const left = truthy(evaluate(expr.left, variables), expr.location);
      if (expr.operator === 'and' ? !left : left) return { kind: 'bool', value: left };
      return { kind: 'bool', value: truthy(evaluate(expr.right, variables), expr.location) };
    }
    case 'call': {
      const args: Record<string, ArgValue> = {};
      for (const arg of expr.args) args[arg.name] = toWire(evaluate(arg.value, variables));
      let result: ArgValue | undefined;
      try {
        result = expr.method.external.fn(args);
      } catch (e) {
        const detail = errorMessage(e);
        throw new OscError(`error while calling external method '${expr.method.name}': ${detail}`, expr.location);
      }
      return fromWire(result ?? null, expr.type);
    }
  }
}

/** Evaluate and convert to wire form (what actions and modifiers get). */
export function evaluateToWire(expr: Expr, variables: VariableStore): ArgValue {
  return toWire(evaluate(expr, variables));
}

/**
 * Create every variable of the model in the store with its initial value, in
 * declaration order (an initial value may refer to earlier variables).
 */
export function initializeVariables(model: OscModel, variables: VariableStore): void {
  for (const v of model.variables) {
    const value = v.decl.initial
      ? evaluate(v.decl.initial, variables)
      : zeroValue(v.decl.type, (decl) => structDefaultValue(decl, variables));
    variables.set(v.qualifiedName, toWire(value));
  }
}

/** A struct's value from its fields' values (fields without value: see {@link fieldWithoutValue}). */
export function structDefaultValue(decl: StructDecl, variables: VariableStore): Value {
  const fields: Record<string, Value> = {};
  for (const f of decl.fields)
    fields[f.name] = f.value ? evaluate(f.value, variables) : fieldWithoutValue(f.type, variables);
  return { kind: 'struct', decl, fields };
}

/** Structs whose defaults are being computed, so that `struct node: children: list of node` ends. */
const defaultsInProgress = new Set<StructDecl>();

/**
 * The value of a struct field that has none: none, except for a `list of`
 * struct, which gets the defaults of one element struct (not a list), as the
 * Python engine resolves such a field from its element type.
 */
function fieldWithoutValue(type: OscType, variables: VariableStore): Value {
  if (type.kind !== 'list' || type.element.kind !== 'struct') return NONE;
  const element = type.element.decl;
  if (defaultsInProgress.has(element)) return NONE;
  defaultsInProgress.add(element);
  try {
    return structDefaultValue(element, variables);
  } finally {
    defaultsInProgress.delete(element);
  }
}

/**
 * Whether a parameter without value reads as Python's empty dict, as in the
 * Python engine: a `list of` struct and an enum (or list of enums). Other
 * types (numbers, strings, bools, physical values, and lists of them) are an
 * error there and here.
 */
function noValueIsEmptyDict(type: OscType): boolean {
  const element = type.kind === 'list' ? type.element : type;
  return element.kind === 'struct' || element.kind === 'enum';
}

/** Python's `{}`: a struct value without fields (of no declared struct), logged as `{}`. */
function emptyDict(location: Location): Value {
  const decl: StructDecl = {
    kind: 'struct',
    name: '',
    base: undefined,
    fields: [],
    variables: [],
    events: [],
    methods: [],
    location,
  };
  return { kind: 'struct', decl, fields: {} };
}

function truthy(value: Value, location: Location): boolean {
  if (value.kind === 'bool') return value.value;
  throw new OscError(`expected a bool, got ${formatValue(value)}`, location);
}

function isNumber(v: Value): v is { kind: 'int' | 'float'; value: number } {
  return v.kind === 'int' || v.kind === 'float';
}

/** What Python holds as an int: an int, or a physical value computed from ints. */
function isIntegral(v: Value): boolean {
  return v.kind === 'int' || (v.kind === 'physical' && v.integral);
}

/** Python's `%`: the result takes the sign of the divisor. */
function pythonMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function applyNumeric(op: string, a: number, b: number, location: Location): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new OscError('division by zero', location);
      return a / b;
    default:
      if (b === 0) throw new OscError('modulo by zero', location);
      return pythonMod(a, b);
  }
}

/**
 * `resultType`: the physical type the resolver determined for a product or
 * quotient of physical values (undefined when dimensionless).
 */
function arithmetic(
  op: string,
  left: Value,
  right: Value,
  location: Location,
  resultType: PhysicalTypeDecl | undefined,
): Value {
  // As in Python: ints stay ints except through `/` (physical values included).
  const integral = isIntegral(left) && isIntegral(right) && op !== '/';
  if (isNumber(left) && isNumber(right)) {
    const value = applyNumeric(op, left.value, right.value, location);
    return { kind: integral ? 'int' : 'float', value };
  }
  if (op === '+' && left.kind === 'string' && right.kind === 'string') {
    return { kind: 'string', value: left.value + right.value };
  }
  if (op === '+' && left.kind === 'list' && right.kind === 'list') {
    return { kind: 'list', items: [...left.items, ...right.items] };
  }
  if (left.kind === 'physical' && right.kind === 'physical') {
    if (op === '+' || op === '-' || op === '%') {
      const unit = left.unit && right.unit === left.unit ? left.unit : undefined;
      const si = applyNumeric(op, left.si, right.si, location);
      return { kind: 'physical', si, type: left.type, unit, integral };
    }
    const si = applyNumeric(op, left.si, right.si, location);
    if (resultType) return { kind: 'physical', si, type: resultType, unit: undefined, integral };
    const dims = combineDimensions(left.type.exponents, right.type.exponents, op === '*' ? 1 : -1);
    if (Object.keys(dims).length === 0) return { kind: integral ? 'int' : 'float', value: si };
    throw new OscError(`no physical type with dimension ${formatDimension(dims)}`, location);
  }
  if (left.kind === 'physical' && isNumber(right) && (op === '*' || op === '/')) {
    const si = applyNumeric(op, left.si, right.value, location);
    return { kind: 'physical', si, type: left.type, unit: undefined, integral };
  }
  if (isNumber(left) && right.kind === 'physical' && op === '*') {
    return { kind: 'physical', si: left.value * right.si, type: right.type, unit: undefined, integral };
  }
  if (isNumber(left) && right.kind === 'physical' && op === '/' && resultType) {
    return {
      kind: 'physical',
      si: applyNumeric(op, left.value, right.si, location),
      type: resultType,
      unit: undefined,
      integral,
    };
  }
  throw new OscError(`cannot apply '${op}' to ${formatValue(left)} and ${formatValue(right)}`, location);
}

/** Deep equality of two values (numbers compare across int/float, as in Python). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return a.value === b.value;
  switch (a.kind) {
    case 'bool':
    case 'string':
      return b.kind === a.kind && b.value === a.value;
    case 'physical':
      return b.kind === 'physical' && b.si === a.si;
    case 'enum':
      return b.kind === 'enum' && b.decl === a.decl && b.value === a.value && b.name === a.name;
    case 'list':
      return (
        b.kind === 'list' && b.items.length === a.items.length && a.items.every((x, i) => valuesEqual(x, b.items[i]!))
      );
    case 'struct': {
      if (b.kind !== 'struct') return false;
      const keys = Object.keys(a.fields);
      if (keys.length !== Object.keys(b.fields).length) return false;
      return keys.every((k) => b.fields[k] !== undefined && valuesEqual(a.fields[k]!, b.fields[k]!));
    }
    case 'none':
      return b.kind === 'none';
    default:
      return false;
  }
}

function orderKey(v: Value): number | string | undefined {
  if (isNumber(v)) return v.value;
  if (v.kind === 'physical') return v.si;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'enum') return v.value;
  return undefined;
}

function compare(op: string, left: Value, right: Value, location: Location): boolean {
  switch (op) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    case 'in':
      if (right.kind !== 'list')
        throw new OscError(`'in' needs a list on its right, got ${formatValue(right)}`, location);
      return right.items.some((item) => valuesEqual(left, item));
    default: {
      const a = orderKey(left);
      const b = orderKey(right);
      if (a === undefined || b === undefined || typeof a !== typeof b) {
        throw new OscError(`cannot compare ${formatValue(left)} and ${formatValue(right)} with '${op}'`, location);
      }
      if (op === '<') return a < b;
      if (op === '<=') return a <= b;
      if (op === '>') return a > b;
      return a >= b;
    }
  }
}
