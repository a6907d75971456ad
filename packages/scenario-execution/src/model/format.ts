/** `formatModel`: the resolved model as a readable indented tree (for `-l/--log-model`). */
import type { Location } from '../language/diagnostics.js';
import type {
  ActionDecl,
  BehaviourNode,
  BoundArgument,
  Expr,
  ModifierApplication,
  OscModel,
  ParameterDecl,
  StructDecl,
  WaitCondition,
} from './model.js';
import { formatDimension, formatValue, typeName } from './values.js';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

/** An expression as OSC-like text; variables by qualified name. */
export function formatExpr(expr: Expr, parent = 0): string {
  switch (expr.kind) {
    case 'literal':
      return formatValue(expr.value);
    case 'parameter':
      return expr.decl.name;
    case 'variable':
      return `var ${expr.name}`;
    case 'field':
      return `${formatExpr(expr.object, 9)}.${expr.field}`;
    case 'element':
      return `${formatExpr(expr.list, 9)}[${formatExpr(expr.index)}]`;
    case 'struct':
      return `${expr.decl.name}(${expr.fields.map((f) => `${f.name}: ${formatExpr(f.value)}`).join(', ')})`;
    case 'list':
      return `[${expr.items.map((i) => formatExpr(i)).join(', ')}]`;
    case 'unary':
      return expr.operator === 'not' ? `not ${formatExpr(expr.operand, 3)}` : `-${formatExpr(expr.operand, 7)}`;
    case 'binary':
    case 'relation':
    case 'logical': {
      const p = PRECEDENCE[expr.operator] ?? 0;
      const text = `${formatExpr(expr.left, p)} ${expr.operator} ${formatExpr(expr.right, p + 1)}`;
      return p < parent ? `(${text})` : text;
    }
    case 'call':
      return `${expr.method.name}(${expr.args.map((a) => `${a.name}: ${formatExpr(a.value)}`).join(', ')})`;
  }
}

function at(loc: Location | undefined): string {
  return loc ? `  (${loc.file.path}:${loc.line}:${loc.column})` : '';
}

function param(p: ParameterDecl): string {
  return `${p.name}: ${typeName(p.type)}${p.value ? ` = ${formatExpr(p.value)}` : ''}`;
}

function args(list: readonly BoundArgument[]): string {
  return list.map((a) => `${a.name}: ${formatExpr(a.value)}${a.source === 'default' ? ' (default)' : ''}`).join(', ');
}

function modifierText(m: ModifierApplication): string {
  return `${m.modifier.name}(${args(m.args)})`;
}

function waitText(c: WaitCondition): string {
  switch (c.kind) {
    case 'elapsed':
      return `elapsed(${formatExpr(c.duration)})`;
    case 'event':
      return `@${c.event.name} [${c.event.qualifiedName}]`;
    case 'condition':
      return formatExpr(c.expression);
  }
}

function actionName(a: ActionDecl): string {
  return a.name;
}

function behaviour(node: BehaviourNode, indent: string, out: string[]): void {
  const label = node.label ? `${node.label}: ` : '';
  let line: string;
  switch (node.kind) {
    case 'composition':
      line = `${label}${node.operator}`;
      break;
    case 'action': {
      const actor = node.actor ? `${node.actor.name}.` : '';
      line = `${label}${actor}${node.action.behaviorName}(${args(node.args)})`;
      if (node.actor || actionName(node.action) !== node.action.behaviorName) line += `  [action ${node.action.name}]`;
      break;
    }
    case 'wait':
      line = `${label}wait ${waitText(node.condition)}`;
      break;
    case 'emit':
      line = `${label}emit ${node.event.name} [${node.event.qualifiedName}]`;
      break;
  }
  out.push(`${indent}${line}${at(node.location)}`);
  for (const m of node.modifiers) out.push(`${indent}    with ${modifierText(m)}`);
  if (node.kind === 'composition') for (const c of node.children) behaviour(c, `${indent}  `, out);
}

function struct(decl: StructDecl, out: string[]): void {
  const base = decl.base ? ` inherits ${decl.base.name}` : '';
  out.push(`  ${decl.kind} ${decl.name}${base}${at(decl.location)}`);
  for (const f of decl.fields) out.push(`    ${param(f)}`);
  for (const v of decl.variables)
    out.push(`    var ${v.name}: ${typeName(v.type)}${v.initial ? ` = ${formatExpr(v.initial)}` : ''}`);
  for (const e of decl.events) out.push(`    event ${e.name}`);
  for (const m of decl.methods) {
    const ps = m.parameters.map(param).join(', ');
    const ret = m.returnType ? ` -> ${typeName(m.returnType)}` : '';
    out.push(`    def ${m.name}(${ps})${ret} is external ${m.external.module}.${m.external.function}()`);
  }
}

/** The whole model: files, declarations, then the scenario with its behaviour. */
export function formatModel(model: OscModel): string {
  const out: string[] = [];
  const d = model.declarations;
  out.push('files:');
  for (const f of model.files) out.push(`  ${f.path}`);
  out.push('physical types:');
  for (const t of d.physicalTypes.values()) {
    const units = [...d.units.values()].filter((u) => u.physicalType === t);
    const unitText = units
      .map((u) => `${u.name}${u.factor !== 1 ? ` ×${u.factor}` : ''}${u.offset ? ` +${u.offset}` : ''}`)
      .join(', ');
    out.push(`  ${t.name} [${formatDimension(t.exponents)}]: ${unitText}`);
  }
  if (d.enums.size) out.push('enums:');
  for (const e of d.enums.values()) {
    out.push(`  ${e.name}: ${e.members.map((m) => `${m.name} = ${m.value}`).join(', ')}${at(e.location)}`);
  }
  if (d.structs.size) out.push('structs and actors:');
  for (const s of d.structs.values()) struct(s, out);
  if (d.actions.size) out.push('actions:');
  for (const a of d.actions.values()) {
    out.push(`  ${a.name}(${a.parameters.map(param).join(', ')})${at(a.location)}`);
  }
  if (d.modifiers.size) out.push('modifiers:');
  for (const m of d.modifiers.values()) {
    out.push(`  ${m.name}(${m.parameters.map(param).join(', ')})${at(m.location)}`);
  }
  if (d.globals.size) out.push('globals:');
  for (const g of d.globals.values()) out.push(`  ${param(g)}${at(g.location)}`);

  const s = model.scenario;
  out.push(`scenario ${s.name}${s.base ? ` inherits ${s.base.name}` : ''}${at(s.location)}`);
  if (s.parameters.length) out.push('  parameters:');
  for (const p of s.parameters) out.push(`    ${param(p)}`);
  if (model.variables.length) out.push('  variables:');
  for (const v of model.variables) {
    const init = v.decl.initial ? ` = ${formatExpr(v.decl.initial)}` : '';
    out.push(`    ${v.qualifiedName}: ${typeName(v.decl.type)}${init}`);
  }
  if (s.events.length) out.push('  events:');
  for (const e of s.events) out.push(`    ${e.name} [${e.qualifiedName}]`);
  for (const m of s.modifiers) out.push(`  with ${modifierText(m)}`);
  out.push('  do:');
  for (const b of s.behaviour) behaviour(b, '    ', out);
  return out.join('\n');
}
