/**
 * Binding syntax-tree expressions to typed model expressions: names to their
 * declarations, literals to values (units converted to SI), operators checked
 * for types and physical dimensions.
 */
import type * as Ast from '../language/ast.js';
import { type Location, OscError } from '../language/diagnostics.js';
import type {
  EnumDecl,
  EventDecl,
  Expr,
  MethodDecl,
  OscType,
  ParameterDecl,
  PhysicalTypeDecl,
  StructDecl,
  UnitDecl,
  Value,
  VariableDecl,
} from './model.js';
import { didYouMean } from '../language/suggest.js';
import {
  type AssignMode,
  BOOL,
  describeType,
  FLOAT,
  INT,
  isAssignable,
  isComparable,
  isIntegral,
  isNumeric,
  isOrderable,
  STRING,
} from './types.js';
import { combineDimensions, formatDimension, NONE, sameDimension } from './values.js';

/** What a name in scope stands for. */
export type ScopeEntry =
  /**
   * `varPath`: the qualified name prefix for variables declared in the
   * parameter's struct/actor type (`/scenario/param`), set for scenario
   * parameters only.
   */
  | { readonly kind: 'parameter'; readonly decl: ParameterDecl; readonly varPath: string | undefined }
  | { readonly kind: 'variable'; readonly decl: VariableDecl; readonly qualifiedName: string }
  | { readonly kind: 'event'; readonly decl: EventDecl };

/** Names visible at a place, innermost first. */
export class Scope {
  private readonly entries = new Map<string, ScopeEntry>();

  constructor(readonly parent: Scope | undefined) {}

  add(name: string, entry: ScopeEntry): void {
    this.entries.set(name, entry);
  }

  lookup(name: string): ScopeEntry | undefined {
    return this.entries.get(name) ?? this.parent?.lookup(name);
  }

  *names(): Iterable<string> {
    yield* this.entries.keys();
    if (this.parent) yield* this.parent.names();
  }
}

/** What the binder needs from the resolver. */
export interface BindContext {
  unit(name: string): UnitDecl | undefined;
  unitNames(): Iterable<string>;
  enumDecl(name: string): EnumDecl | undefined;
  /** A struct/actor by name, resolved (undefined when no such type). */
  structDecl(name: string): StructDecl | undefined;
  /** Every declared name, for "did you mean" hints. */
  declaredNames(): Iterable<string>;
  /** What kind of declaration a name is (`action`, `type`, …), for messages. */
  describeName(name: string): string | undefined;
  physicalTypeWithDimension(exponents: PhysicalTypeDecl['exponents']): PhysicalTypeDecl | undefined;
  /** Make sure the parameter's value is bound (detects parameters that refer to themselves). */
  ensureParameter(decl: ParameterDecl, at: Location): void;
  /** The default value of a struct (its fields' values), as an expression. */
  structDefaults(decl: StructDecl, at: Location): Expr;
}

export function literal(value: Value, type: OscType, location: Location): Expr {
  return { kind: 'literal', value, type, location };
}

export function noneLiteral(type: OscType, location: Location): Expr {
  return literal(NONE, type, location);
}

/** The index of the parameter named `name`, or -1. */
export function parameterIndex(params: readonly ParameterDecl[], name: string): number {
  for (let i = 0; i < params.length; i++) if ((params[i] as ParameterDecl).name === name) return i;
  return -1;
}

/** A struct type's field, variable or method of the given name (searching the whole struct). */
function findMember(decl: StructDecl, name: string) {
  return {
    field: decl.fields.find((f) => f.name === name),
    variable: decl.variables.find((v) => v.name === name),
    method: decl.methods.find((m) => m.name === name),
  };
}

function memberNames(decl: StructDecl): string[] {
  return [...decl.fields.map((f) => f.name), ...decl.variables.map((v) => v.name), ...decl.methods.map((m) => m.name)];
}

/** An intermediate result while walking `a.b.c`: an expression or a struct type name. */
type Walk =
  | { readonly kind: 'expr'; readonly expr: Expr; readonly varPath: string | undefined }
  | { readonly kind: 'type'; readonly decl: StructDecl };

export class ExpressionBinder {
  constructor(private readonly ctx: BindContext) {}

  /** Bind an expression and check it can be given where `target` is expected. */
  bindAs(node: Ast.Expression, scope: Scope, target: OscType, mode: AssignMode, what: string): Expr {
    return this.coerce(this.bind(node, scope), target, mode, what);
  }

  /**
   * Check `expr` against `target`; literals are converted (int → float,
   * number → physical), so the value has the target's form.
   */
  coerce(expr: Expr, target: OscType, mode: AssignMode, what: string): Expr {
    if (expr.kind === 'literal' && expr.value.kind === 'none') return { ...expr, type: target };
    if (!isAssignable(expr.type, target, mode)) {
      throw new OscError(`${what}: expected ${describeType(target)}, got ${describeType(expr.type)}`, expr.location);
    }
    if (expr.kind === 'list' && target.kind === 'list') {
      const items = expr.items.map((item) => this.coerce(item, target.element, 'declaration', what));
      return { ...expr, items, type: target };
    }
    if (expr.kind === 'literal') {
      const v = expr.value;
      if (target.kind === 'float' && v.kind === 'int')
        return literal({ kind: 'float', value: v.value }, target, expr.location);
      if (target.kind === 'physical' && (v.kind === 'int' || v.kind === 'float')) {
        const physical: Value = {
          kind: 'physical',
          si: v.value,
          type: target.decl,
          unit: undefined,
          integral: v.kind === 'int',
        };
        return literal(physical, target, expr.location);
      }
    }
    return expr;
  }

  bind(node: Ast.Expression, scope: Scope): Expr {
    switch (node.kind) {
      case 'Integer':
        return literal({ kind: 'int', value: node.value }, INT, node.loc);
      case 'Float':
        return literal({ kind: 'float', value: node.value }, FLOAT, node.loc);
      case 'Bool':
        return literal({ kind: 'bool', value: node.value }, BOOL, node.loc);
      case 'String':
        return literal({ kind: 'string', value: node.value }, STRING, node.loc);
      case 'Physical':
        return this.bindPhysical(node);
      case 'EnumValue':
        return this.bindEnumValue(node);
      case 'List':
        return this.bindList(node, scope);
      case 'Paren':
        return this.bind(node.expression, scope);
      case 'Unary':
        return this.bindUnary(node, scope);
      case 'Binary':
        return this.bindBinary(node, scope);
      case 'Reference':
        return this.finish(this.walkReference(node.parts, scope), node.loc);
      case 'Member': {
        const object = this.bind(node.object, scope);
        return this.finish(this.walkMember({ kind: 'expr', expr: object, varPath: undefined }, node.member), node.loc);
      }
      case 'Call':
        return this.bindCall(node, scope);
      case 'ElementAccess':
        return this.bindElementAccess(node, scope);
      case 'It':
        throw new OscError('`it` can only be used in keep(it.<field> == <value>)', node.loc);
    }
  }

  private bindElementAccess(node: Ast.ElementAccessExpression, scope: Scope): Expr {
    const list = this.bind(node.object, scope);
    if (list.type.kind !== 'list') {
      throw new OscError(`cannot index a value of type ${describeType(list.type)}: only lists have elements`, node.loc);
    }
    const index = this.bind(node.index, scope);
    if (index.type.kind !== 'int' && index.type.kind !== 'uint') {
      throw new OscError(`list index must be an int, not ${describeType(index.type)}`, node.index.loc);
    }
    return { kind: 'element', list, index, type: list.type.element, location: node.loc };
  }

  private bindPhysical(node: Ast.PhysicalLiteral): Expr {
    const unit = this.ctx.unit(node.unit.name);
    if (!unit) {
      throw new OscError(
        `unknown unit \`${node.unit.name}\`${didYouMean(node.unit.name, this.ctx.unitNames())}`,
        node.unit.loc,
      );
    }
    const si = node.value * unit.factor + unit.offset;
    const type: OscType = { kind: 'physical', decl: unit.physicalType };
    // Python multiplies the literal by the factor: int × int stays an int (`3m`, not `3.0m` or `250ms`).
    const integral = !node.isFloat && unit.integerFactor;
    return literal({ kind: 'physical', si, type: unit.physicalType, unit, integral }, type, node.loc);
  }

  private bindEnumValue(node: Ast.EnumValueLiteral): Expr {
    const decl = this.ctx.enumDecl(node.enumName.name);
    if (!decl) {
      const kind = this.ctx.describeName(node.enumName.name);
      const hint = kind ? ` (\`${node.enumName.name}\` is ${kind})` : didYouMean(node.enumName.name, this.enumNames());
      throw new OscError(`unknown enum type \`${node.enumName.name}\`${hint}`, node.enumName.loc);
    }
    const member = decl.members.find((m) => m.name === node.member.name);
    if (!member) {
      const names = decl.members.map((m) => m.name);
      throw new OscError(
        `enum \`${decl.name}\` has no member \`${node.member.name}\`${didYouMean(node.member.name, names)}`,
        node.member.loc,
      );
    }
    return literal({ kind: 'enum', decl, name: member.name, value: member.value }, { kind: 'enum', decl }, node.loc);
  }

  private *enumNames(): Iterable<string> {
    for (const name of this.ctx.declaredNames()) if (this.ctx.enumDecl(name)) yield name;
  }

  private bindList(node: Ast.ListLiteral, scope: Scope): Expr {
    const items = node.elements.map((e) => this.bind(e, scope));
    let element: OscType = items[0]?.type ?? STRING;
    // A list of ints and floats is a list of floats.
    if (isNumeric(element) && items.some((i) => i.type.kind === 'float')) element = FLOAT;
    const coerced = items.map((item) => {
      if (!isAssignable(item.type, element, 'declaration')) {
        throw new OscError(
          `list elements must have one type: expected ${describeType(element)}, got ${describeType(item.type)}`,
          item.location,
        );
      }
      return this.coerce(item, element, 'declaration', 'list element');
    });
    return { kind: 'list', items: coerced, type: { kind: 'list', element }, location: node.loc };
  }

  private bindUnary(node: Ast.UnaryExpression, scope: Scope): Expr {
    const operand = this.bind(node.operand, scope);
    if (node.operator === 'not') {
      if (operand.type.kind !== 'bool') {
        throw new OscError(`\`not\` needs a bool, got ${describeType(operand.type)}`, operand.location);
      }
      return { kind: 'unary', operator: 'not', operand, type: BOOL, location: node.loc };
    }
    if (!isNumeric(operand.type) && operand.type.kind !== 'physical') {
      throw new OscError(`cannot negate ${describeType(operand.type)}`, node.loc);
    }
    // Fold `-5`, `-2.5s` into literals so they stay literals (for conversions).
    if (operand.kind === 'literal') {
      const v = operand.value;
      if (v.kind === 'int' || v.kind === 'float') return literal({ ...v, value: -v.value }, operand.type, node.loc);
      if (v.kind === 'physical') return literal({ ...v, si: -v.si }, operand.type, node.loc);
    }
    return { kind: 'unary', operator: '-', operand, type: operand.type, location: node.loc };
  }

  private bindBinary(node: Ast.BinaryExpression, scope: Scope): Expr {
    const left = this.bind(node.left, scope);
    const right = this.bind(node.right, scope);
    const op = node.operator;
    const at = node.operatorLoc;
    const mismatch = (verb: string) =>
      new OscError(`cannot ${verb} ${describeType(left.type)} and ${describeType(right.type)}`, at);
    switch (op) {
      case 'and':
      case 'or':
        for (const side of [left, right]) {
          if (side.type.kind !== 'bool') {
            throw new OscError(`\`${op}\` needs bool operands, got ${describeType(side.type)}`, side.location);
          }
        }
        return { kind: 'logical', operator: op, left, right, type: BOOL, location: node.loc };
      case '==':
      case '!=':
        if (!isComparable(left.type, right.type)) throw mismatch(`compare (\`${op}\`)`);
        return { kind: 'relation', operator: op, left, right, type: BOOL, location: node.loc };
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (!isOrderable(left.type, right.type)) throw mismatch(`compare (\`${op}\`)`);
        return { kind: 'relation', operator: op, left, right, type: BOOL, location: node.loc };
      case 'in':
        if (right.type.kind !== 'list' || !isComparable(left.type, right.type.element)) throw mismatch('apply `in` to');
        return { kind: 'relation', operator: op, left, right, type: BOOL, location: node.loc };
      default: {
        const type = this.arithmeticType(op, left.type, right.type, at);
        if (!type) {
          const verbs: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide' };
          throw mismatch(verbs[op] ?? 'take the remainder of');
        }
        return { kind: 'binary', operator: op, left, right, type, location: node.loc };
      }
    }
  }

  /** Result type of an arithmetic operator, undefined when not allowed. */
  private arithmeticType(op: string, a: OscType, b: OscType, at: Location): OscType | undefined {
    if (isNumeric(a) && isNumeric(b)) return isIntegral(a) && isIntegral(b) && op !== '/' ? INT : FLOAT;
    if (op === '+' && a.kind === 'string' && b.kind === 'string') return STRING;
    if (op === '+' && a.kind === 'list' && b.kind === 'list' && isAssignable(b.element, a.element, 'declaration')) {
      return a;
    }
    if (a.kind === 'physical' && b.kind === 'physical') {
      if (op === '+' || op === '-' || op === '%') {
        return sameDimension(a.decl.exponents, b.decl.exponents) ? a : undefined;
      }
      if (op === '*' || op === '/')
        return this.dimensionType(combineDimensions(a.decl.exponents, b.decl.exponents, op === '*' ? 1 : -1), at);
      return undefined;
    }
    if (a.kind === 'physical' && isNumeric(b) && (op === '*' || op === '/')) return a;
    if (isNumeric(a) && b.kind === 'physical' && op === '*') return b;
    if (isNumeric(a) && b.kind === 'physical' && op === '/') {
      return this.dimensionType(combineDimensions({}, b.decl.exponents, -1), at);
    }
    return undefined;
  }

  /** The physical type of a product/quotient; float when dimensionless. */
  private dimensionType(exponents: PhysicalTypeDecl['exponents'], at: Location): OscType {
    if (Object.keys(exponents).length === 0) return FLOAT;
    const decl = this.ctx.physicalTypeWithDimension(exponents);
    if (!decl) throw new OscError(`no physical type with dimension ${formatDimension(exponents)} is declared`, at);
    return { kind: 'physical', decl };
  }

  // -------------------------------------------------------------------------
  // Names

  /** Resolve `a.b.c` step by step. */
  private walkReference(parts: readonly Ast.Identifier[], scope: Scope): Walk {
    const first = parts[0]!;
    let cur = this.walkFirst(first, scope);
    for (const part of parts.slice(1)) cur = this.walkMember(cur, part);
    return cur;
  }

  private walkFirst(id: Ast.Identifier, scope: Scope): Walk {
    const entry = scope.lookup(id.name);
    if (entry) {
      switch (entry.kind) {
        case 'parameter':
          this.ctx.ensureParameter(entry.decl, id.loc);
          return {
            kind: 'expr',
            expr: { kind: 'parameter', decl: entry.decl, type: entry.decl.type, location: id.loc },
            varPath: entry.varPath,
          };
        case 'variable':
          return {
            kind: 'expr',
            expr: {
              kind: 'variable',
              name: entry.qualifiedName,
              decl: entry.decl,
              type: entry.decl.type,
              location: id.loc,
            },
            varPath: undefined,
          };
        case 'event':
          throw new OscError(`event \`${id.name}\` is not a value (use it with \`wait @${id.name}\`)`, id.loc);
      }
    }
    const struct = this.ctx.structDecl(id.name);
    if (struct) return { kind: 'type', decl: struct };
    const kind = this.ctx.describeName(id.name);
    if (kind) throw new OscError(`\`${id.name}\` is ${kind}, not a value`, id.loc);
    const candidates = [...scope.names(), ...this.ctx.declaredNames()];
    throw new OscError(`unknown name \`${id.name}\`${didYouMean(id.name, candidates)}`, id.loc);
  }

  /** `<cur>.member` (not a call). */
  private walkMember(cur: Walk, member: Ast.Identifier): Walk {
    const decl = cur.kind === 'type' ? cur.decl : cur.expr.type.kind === 'struct' ? cur.expr.type.decl : undefined;
    if (!decl) {
      const what = cur.kind === 'expr' ? describeType(cur.expr.type) : 'this';
      throw new OscError(`cannot access \`${member.name}\`: ${what} has no fields`, member.loc);
    }
    const found = findMember(decl, member.name);
    if (found.field) {
      const field = found.field;
      if (cur.kind === 'type') {
        // `struct_type.field`: the field's default value (as the Python engine allows).
        this.ctx.ensureParameter(field, member.loc);
        const expr: Expr = field.value
          ? { kind: 'parameter', decl: field, type: field.type, location: member.loc }
          : noneLiteral(field.type, member.loc);
        return { kind: 'expr', expr, varPath: undefined };
      }
      return {
        kind: 'expr',
        expr: { kind: 'field', object: cur.expr, field: field.name, type: field.type, location: member.loc },
        varPath: cur.varPath === undefined ? undefined : `${cur.varPath}/${field.name}`,
      };
    }
    if (found.variable) {
      if (cur.kind !== 'expr' || cur.varPath === undefined) {
        throw new OscError(
          `variable \`${member.name}\` of \`${decl.name}\` can only be used through a parameter of the scenario`,
          member.loc,
        );
      }
      const qualifiedName = `${cur.varPath}/${member.name}`;
      return {
        kind: 'expr',
        expr: {
          kind: 'variable',
          name: qualifiedName,
          decl: found.variable,
          type: found.variable.type,
          location: member.loc,
        },
        varPath: undefined,
      };
    }
    if (found.method) {
      throw new OscError(`method \`${member.name}\` must be called: \`${member.name}(…)\``, member.loc);
    }
    throw new OscError(
      `\`${decl.name}\` has no member \`${member.name}\`${didYouMean(member.name, memberNames(decl))}`,
      member.loc,
    );
  }

  /** A struct type name used as a value stands for its default instance (as in the Python engine). */
  private finish(walk: Walk, location: Location): Expr {
    if (walk.kind === 'type') return this.ctx.structDefaults(walk.decl, location);
    return walk.expr;
  }

  // -------------------------------------------------------------------------
  // Calls: struct constructors and external methods

  private bindCall(node: Ast.CallExpression, scope: Scope): Expr {
    const callee = node.callee;
    if (callee.kind === 'Reference' && callee.parts.length === 1) {
      const name = callee.parts[0]!;
      if (!scope.lookup(name.name)) {
        const struct = this.ctx.structDecl(name.name);
        if (struct) return this.bindConstructor(struct, node, scope);
      }
    }
    let target: Walk;
    let methodName: Ast.Identifier;
    if (callee.kind === 'Reference' && callee.parts.length > 1) {
      target = this.walkReference(callee.parts.slice(0, -1), scope);
      methodName = callee.parts[callee.parts.length - 1]!;
    } else if (callee.kind === 'Member') {
      target = { kind: 'expr', expr: this.bind(callee.object, scope), varPath: undefined };
      methodName = callee.member;
    } else {
      const name = callee.kind === 'Reference' ? callee.name : 'this expression';
      if (callee.kind === 'Reference') {
        const kind = this.ctx.describeName(name);
        if (kind) throw new OscError(`\`${name}\` is ${kind} and cannot be called in an expression`, callee.loc);
        const candidates = [...scope.names(), ...this.ctx.declaredNames()];
        throw new OscError(`unknown function \`${name}\`${didYouMean(name, candidates)}`, callee.loc);
      }
      throw new OscError(`${name} cannot be called`, callee.loc);
    }
    const decl =
      target.kind === 'type' ? target.decl : target.expr.type.kind === 'struct' ? target.expr.type.decl : undefined;
    const method = decl?.methods.find((m) => m.name === methodName.name);
    if (!decl || !method) {
      const hint = decl
        ? didYouMean(
            methodName.name,
            decl.methods.map((m) => m.name),
          )
        : '';
      const owner = decl ? `\`${decl.name}\`` : 'this value';
      throw new OscError(`${owner} has no method \`${methodName.name}\`${hint}`, methodName.loc);
    }
    return this.bindMethodCall(method, node, scope);
  }

  private bindConstructor(struct: StructDecl, node: Ast.CallExpression, scope: Scope): Expr {
    const given = this.bindArgumentList(struct.fields, node.arguments, scope, `\`${struct.name}\``, 'declaration');
    const fields = struct.fields.map((f, index) => {
      const arg = given[index];
      if (arg) return { name: f.name, value: arg };
      this.ctx.ensureParameter(f, node.loc);
      return { name: f.name, value: f.value ?? noneLiteral(f.type, node.loc) };
    });
    return { kind: 'struct', decl: struct, fields, type: { kind: 'struct', decl: struct }, location: node.loc };
  }

  private bindMethodCall(method: MethodDecl, node: Ast.CallExpression, scope: Scope): Expr {
    const given = this.bindArgumentList(method.parameters, node.arguments, scope, `\`${method.name}\``, 'declaration');
    const args = method.parameters.map((p, index) => {
      const arg = given[index];
      if (arg) return { name: p.name, value: arg };
      this.ctx.ensureParameter(p, node.loc);
      if (p.value) return { name: p.name, value: p.value };
      throw new OscError(`missing argument \`${p.name}\` of \`${method.name}\``, node.loc);
    });
    const type = method.returnType ?? STRING;
    return { kind: 'call', method, args, type, location: node.loc };
  }

  /**
   * Bind positional then named arguments to `params`; reports unknown names,
   * too many arguments, an argument given twice and wrong types.
   */
  bindArgumentList(
    params: readonly ParameterDecl[],
    args: readonly Ast.Argument[],
    scope: Scope,
    owner: string,
    mode: AssignMode,
  ): (Expr | undefined)[] {
    // By the parameter's index: a list, not a map by name, for the one or two arguments of most invocations.
    const bound: (Expr | undefined)[] = new Array(params.length).fill(undefined);
    let position = 0;
    for (const arg of args) {
      let index: number;
      if (arg.name) {
        const name = arg.name.name;
        index = parameterIndex(params, name);
        if (index < 0) {
          throw new OscError(
            `${owner} has no parameter \`${name}\`${didYouMean(
              name,
              params.map((p) => p.name),
            )}`,
            arg.name.loc,
          );
        }
      } else {
        index = position++;
        if (index >= params.length) {
          const n = params.length;
          throw new OscError(
            `too many arguments: ${owner} takes ${n} argument${n === 1 ? '' : 's'}, ${args.filter((a) => !a.name).length} given`,
            arg.loc,
          );
        }
      }
      const param = params[index] as ParameterDecl;
      if (bound[index] !== undefined) throw new OscError(`argument \`${param.name}\` of ${owner} given twice`, arg.loc);
      bound[index] = this.bindAs(arg.value, scope, param.type, mode, `argument \`${param.name}\` of ${owner}`);
    }
    return bound;
  }

  // -------------------------------------------------------------------------
  // keep(it.a.b == value)

  /**
   * Apply `keep(it.<path> == value)` to a value of type `type`: returns the
   * new value expression. `path` is relative to that value; `base` is its
   * current expression (undefined: the struct's defaults).
   */
  applyKeep(
    path: readonly Ast.Identifier[],
    value: Ast.Expression,
    type: OscType,
    base: Expr | undefined,
    scope: Scope,
    what: string,
  ): Expr {
    if (path.length === 0) return this.bindAs(value, scope, type, 'declaration', what);
    if (type.kind !== 'struct') {
      throw new OscError(`keep(it.… == …) needs a struct or actor, but ${what} is ${describeType(type)}`, path[0]!.loc);
    }
    const start = base ?? this.ctx.structDefaults(type.decl, path[0]!.loc);
    return this.override(start, type.decl, path, 0, value, scope, what);
  }

  /** The `it.a.b` path and value of a keep constraint; reports unsupported forms. */
  keepTarget(keep: Ast.KeepConstraint): { path: Ast.Identifier[]; value: Ast.Expression } {
    let expr = keep.expression;
    while (expr.kind === 'Paren') expr = expr.expression;
    if (expr.kind !== 'Binary' || expr.operator !== '==') {
      const at = expr.kind === 'Binary' ? expr.operatorLoc : expr.loc;
      throw new OscError('only `==` is supported in keep(…): keep(it.<field> == <value>)', at);
    }
    const path = itPath(expr.left);
    if (!path) {
      throw new OscError('keep(…) must constrain a field of `it`: keep(it.<field> == <value>)', expr.left.loc);
    }
    return { path, value: expr.right };
  }

  private override(
    base: Expr,
    decl: StructDecl,
    path: readonly Ast.Identifier[],
    index: number,
    value: Ast.Expression,
    scope: Scope,
    what: string,
  ): Expr {
    const name = path[index]!;
    const field = decl.fields.find((f) => f.name === name.name);
    if (!field) {
      throw new OscError(
        `\`${decl.name}\` has no field \`${name.name}\`${didYouMean(
          name.name,
          decl.fields.map((f) => f.name),
        )}`,
        name.loc,
      );
    }
    let replacement: Expr;
    if (index === path.length - 1) {
      replacement = this.bindAs(value, scope, field.type, 'declaration', what);
    } else {
      if (field.type.kind !== 'struct') {
        throw new OscError(
          `field \`${field.name}\` of \`${decl.name}\` is ${describeType(field.type)}, not a struct`,
          name.loc,
        );
      }
      const inner = fieldOf(base, field);
      replacement = this.override(inner, field.type.decl, path, index + 1, value, scope, what);
    }
    const fields = decl.fields.map((f) => ({
      name: f.name,
      value: f.name === field.name ? replacement : fieldOf(base, f),
    }));
    return { kind: 'struct', decl, fields, type: { kind: 'struct', decl }, location: base.location };
  }
}

/** `it.a.b` → [a, b]; undefined for anything else. */
function itPath(expr: Ast.Expression): Ast.Identifier[] | undefined {
  const parts: Ast.Identifier[] = [];
  let cur = expr;
  while (cur.kind === 'Member') {
    parts.unshift(cur.member);
    cur = cur.object;
  }
  if (cur.kind !== 'It' || parts.length === 0) return undefined;
  return parts;
}

/** The expression of one field of a struct-valued expression. */
function fieldOf(base: Expr, field: ParameterDecl): Expr {
  if (base.kind === 'struct') {
    const found = base.fields.find((f) => f.name === field.name);
    if (found) return found.value;
  }
  return { kind: 'field', object: base, field: field.name, type: field.type, location: base.location };
}
