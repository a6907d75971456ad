/**
 * Scenario parameter files (`--scenario-parameter-file`), in the format of
 * the Python engine:
 *
 * ```yaml
 * my_scenario:
 *   speed: 2.5          # physical values: see below
 *   name: robot1
 *   pose:               # struct: only the fields given change
 *     position: {x: 1.0}
 *   points: [1, 2, 3]
 * ```
 *
 * A physical value replacing a literal (`distance: length = 3km`, or a struct
 * field whose argument or default is `250ms`) is read in that literal's unit,
 * as the Python engine does: `distance: 2` is 2 km. Any other physical value
 * (no default, an expression, a list item) is read in SI base units.
 *
 * `createParameterTemplate` writes every parameter of the scenario with its
 * current value (or 0 / 0.0 / '' / false / [] when it has none), physical
 * values in the unit the parameter file is read in, so the template reads
 * back unchanged.
 */
import { Document, parse as parseYaml, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { errorMessage, OscError } from '../language/diagnostics.js';
import { pyFloat } from '../shared/py-format.js';
import type { Location } from '../language/diagnostics.js';
import { evaluate } from './evaluate.js';
import { literal } from './expressions.js';
import type { Expr, OscModel, OscType, ParameterDecl, StructDecl, UnitDecl, Value, VariableStore } from './model.js';
import { didYouMean } from '../language/suggest.js';
import { describeType } from './types.js';
import { NONE } from './values.js';

/** Thrown for problems in a parameter file; the caller names the file. */
function fail(message: string): never {
  throw new OscError(message, undefined);
}

type Yaml = unknown;

function yamlKind(v: Yaml): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return 'mapping';
}

function show(v: Yaml): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return '';
  return String(v);
}

function isMapping(v: Yaml): v is Record<string, Yaml> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's str() of a YAML scalar, for a string parameter given a number or bool. */
function yamlScalarText(v: Yaml): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyFloat(v);
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/**
 * Apply a parameter file to the model's scenario (replacing parameter
 * values). Throws OscError naming the file and the offending parameter.
 */
export function applyParameterOverrides(model: OscModel, yamlText: string, fileName: string): void {
  let data: Yaml;
  try {
    data = parseYaml(yamlText, { intAsBigInt: true });
  } catch (e) {
    fail(`unable to parse scenario parameter file '${fileName}': ${errorMessage(e)}`);
  }
  if (data === null || data === undefined) return;
  try {
    if (!isMapping(data)) fail(`expected a mapping of scenario names, got ${yamlKind(data)}`);
    const scenario = model.scenario;
    const unknown = Object.keys(data).filter((k) => k !== scenario.name);
    if (unknown.length) {
      fail(`unknown scenario(s): ${unknown.join(', ')}${didYouMean(unknown[0]!, [scenario.name])}`);
    }
    const overrides = data[scenario.name];
    if (overrides === null || overrides === undefined) return;
    if (!isMapping(overrides))
      fail(`scenario \`${scenario.name}\`: expected a mapping of parameters, got ${yamlKind(overrides)}`);
    const names = scenario.parameters.map((p) => p.name);
    const unknownParams = Object.keys(overrides).filter((k) => !names.includes(k));
    if (unknownParams.length) {
      fail(
        `unknown parameter(s) of scenario \`${scenario.name}\`: ${unknownParams.join(', ')}${didYouMean(unknownParams[0]!, names)}`,
      );
    }
    for (const p of scenario.parameters) {
      if (!(p.name in overrides)) continue;
      p.value = convert(overrides[p.name], p.type, p.value, p.name, p.location);
    }
  } catch (e) {
    if (e instanceof OscError && !e.location) fail(`scenario parameter file '${fileName}': ${e.message}`);
    throw e;
  }
}

/** A YAML value as an expression of `type`; `current` is the value it replaces (structs merge into it). */
function convert(v: Yaml, type: OscType, current: Expr | undefined, path: string, at: Location): Expr {
  const wrong = (): never =>
    fail(`parameter \`${path}\`: expected ${describeType(type)}, got ${`${yamlKind(v)} ${show(v)}`.trim()}`);
  const lit = (value: Value) => literal(value, type, at);
  switch (type.kind) {
    case 'string':
      if (v === null || typeof v === 'object') return wrong();
      return lit({ kind: 'string', value: yamlScalarText(v) });
    case 'int':
    case 'uint':
      if (typeof v !== 'bigint') return wrong();
      return lit({ kind: 'int', value: Number(v) });
    case 'float':
      if (typeof v !== 'bigint' && typeof v !== 'number') return wrong();
      return lit({ kind: staysInt(v, current) ? 'int' : 'float', value: Number(v) });
    case 'bool':
      if (typeof v !== 'boolean') return wrong();
      return lit({ kind: 'bool', value: v });
    case 'physical': {
      if (typeof v !== 'bigint' && typeof v !== 'number') return wrong();
      const unit = overrideUnit(current);
      const si = unit ? Number(v) * unit.factor + unit.offset : Number(v);
      // A default that is no literal (Python cannot override it) keeps a YAML int as an int,
      // so that a template (which writes `3km * 2` as 6000, as Python does) reads back unchanged.
      const integral = current && current.kind !== 'literal' ? typeof v === 'bigint' : staysInt(v, current);
      return lit({ kind: 'physical', si, type: type.decl, unit, integral });
    }
    case 'enum': {
      const name = Array.isArray(v) ? v[0] : v;
      if (typeof name !== 'string') return wrong();
      const member = type.decl.members.find((m) => m.name === name);
      if (!member) {
        const names = type.decl.members.map((m) => m.name);
        fail(`parameter \`${path}\`: enum \`${type.decl.name}\` has no member \`${name}\`${didYouMean(name, names)}`);
      }
      return lit({ kind: 'enum', decl: type.decl, name: member.name, value: member.value });
    }
    case 'list': {
      if (!Array.isArray(v)) return wrong();
      const items = v.map((item, i) => convert(item, type.element, undefined, `${path}[${i}]`, at));
      return { kind: 'list', items, type, location: at };
    }
    case 'struct':
      if (!isMapping(v)) return wrong();
      return convertStruct(v, type.decl, current, path, at);
  }
}

/**
 * Whether a YAML int given for a float or physical value stays an int, as in
 * Python, which keeps the kind of the literal it replaces (an int for `3m`, a
 * float for `3.0m` or `3.0`) and, for a struct field without value, takes the
 * YAML value as it is. Parameters without value and list items become floats.
 */
function staysInt(v: Yaml, current: Expr | undefined): boolean {
  if (typeof v !== 'bigint' || current?.kind !== 'literal') return false;
  const old = current.value;
  return old.kind === 'none' || old.kind === 'int' || (old.kind === 'physical' && old.integral);
}

/**
 * The unit a physical override is read in: that of the literal it replaces
 * (Python keeps the literal's unit and replaces its number), else none (SI).
 */
function overrideUnit(current: Expr | undefined): UnitDecl | undefined {
  if (current?.kind !== 'literal' || current.value.kind !== 'physical') return undefined;
  return current.value.unit;
}

function convertStruct(
  v: Record<string, Yaml>,
  decl: StructDecl,
  current: Expr | undefined,
  path: string,
  at: Location,
): Expr {
  const names = decl.fields.map((f) => f.name);
  const unknown = Object.keys(v).filter((k) => !names.includes(k));
  if (unknown.length) {
    fail(
      `parameter \`${path}\`: \`${decl.name}\` has no field(s) ${unknown.join(', ')}${didYouMean(unknown[0]!, names)}`,
    );
  }
  const fields = decl.fields.map((f) => {
    const old = fieldExpr(current, f);
    const value = f.name in v ? convert(v[f.name], f.type, old, `${path}.${f.name}`, at) : old;
    return { name: f.name, value };
  });
  return { kind: 'struct', decl, fields, type: { kind: 'struct', decl }, location: at };
}

/** The current expression of one field (of a struct value expression, or the field's default). */
function fieldExpr(current: Expr | undefined, field: ParameterDecl): Expr {
  if (current?.kind === 'struct') {
    const found = current.fields.find((f) => f.name === field.name);
    if (found) return found.value;
  }
  if (current)
    return { kind: 'field', object: current, field: field.name, type: field.type, location: current.location };
  return field.value ?? literal(NONE, field.type, field.location);
}

const NO_VARIABLES: VariableStore = {
  get: () => undefined,
  set: () => {},
};

/** The parameter-file template of the model's scenario, as YAML text. */
export function createParameterTemplate(model: OscModel): string {
  const scenario = model.scenario;
  const params = new YAMLMap();
  // Keys sorted at every level, as Python's yaml.dump writes them.
  const sorted = [...scenario.parameters].sort((a, b) => compareKeys(a.name, b.name));
  for (const p of sorted) {
    let node: YamlNode;
    try {
      node = p.value ? toYaml(evaluate(p.value, NO_VARIABLES), p.value) : zeroYaml(p.type);
    } catch (e) {
      throw new OscError(`parameter \`${p.name}\`: ${errorMessage(e)}`, p.location);
    }
    params.add({ key: new Scalar(p.name), value: node });
  }
  const root = new YAMLMap();
  root.add({ key: new Scalar(scenario.name), value: params });
  const doc = new Document();
  doc.contents = root;
  // Block sequences not indented and single quotes, as Python's yaml.dump writes them.
  return doc.toString({ indentSeq: false, singleQuote: true });
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function floatScalar(value: number): Scalar {
  const s = new Scalar(value);
  s.minFractionDigits = 1;
  return s;
}

function numberScalar(value: number, isInt: boolean): Scalar {
  return isInt && Number.isInteger(value) ? new Scalar(value) : floatScalar(value);
}

function zeroYaml(type: OscType): YamlNode {
  switch (type.kind) {
    case 'int':
    case 'uint':
      return new Scalar(0);
    case 'float':
    case 'physical':
      return floatScalar(0);
    case 'bool':
      return new Scalar(false);
    case 'string':
      return new Scalar('');
    case 'enum':
      return new Scalar(type.decl.members[0]?.name ?? '');
    case 'list':
      return new YAMLSeq();
    case 'struct': {
      const map = new YAMLMap();
      const fields = [...type.decl.fields].sort((a, b) => compareKeys(a.name, b.name));
      for (const f of fields) map.add({ key: new Scalar(f.name), value: zeroYaml(f.type) });
      return map;
    }
  }
}

/**
 * `value` as YAML; `replaced` is the expression a parameter file entry for it
 * would replace (as in {@link convert}), which decides the unit of a physical value.
 */
function toYaml(value: Value, replaced: Expr | undefined): YamlNode {
  switch (value.kind) {
    case 'int':
      return new Scalar(value.value);
    case 'float':
      return floatScalar(value.value);
    case 'physical':
      return physicalYaml(value, replaced);
    case 'bool':
    case 'string':
      return new Scalar(value.value);
    case 'enum':
      return new Scalar(value.name);
    case 'list': {
      const seq = new YAMLSeq();
      // List items are read without a replaced expression (in SI; struct fields by their defaults).
      for (const item of value.items) seq.add(toYaml(item, undefined));
      return seq;
    }
    case 'struct': {
      const map = new YAMLMap();
      const fields = Object.entries(value.fields).sort(([a], [b]) => compareKeys(a, b));
      for (const [name, field] of fields) {
        const decl = value.decl.fields.find((f) => f.name === name);
        map.add({ key: new Scalar(name), value: toYaml(field, decl ? fieldExpr(replaced, decl) : undefined) });
      }
      return map;
    }
    case 'none':
      return new Scalar(null);
  }
}

/**
 * A physical value in the unit a parameter file gives it in: the unit of the
 * literal it would replace, else SI. An int when Python holds it as one (`3km`
 * → `3`, `3.0km` → `3.0`, `1m` → `1`); in a unit with a non-integral factor
 * (`500ms`) the written form is unknown, so a whole number is written as an
 * int, which Python accepts for an int and a float literal alike.
 */
function physicalYaml(value: Extract<Value, { kind: 'physical' }>, replaced: Expr | undefined): Scalar {
  const unit = overrideUnit(replaced);
  if (!unit) return numberScalar(value.si, value.integral);
  const replacedIntegral =
    replaced?.kind === 'literal' && replaced.value.kind === 'physical' && replaced.value.integral;
  const isInt = value.integral || replacedIntegral || !unit.integerFactor;
  return numberScalar(inUnit(value.si, unit), isInt);
}

/**
 * The number that, written in `unit`, gives `si` exactly (the shortest such
 * decimal), so that reading it back gives the same value: `0.042` s in ms is
 * `42`, not `41.99999999999999`.
 */
function inUnit(si: number, unit: UnitDecl): number {
  const exact = (si - unit.offset) / unit.factor;
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(exact.toPrecision(digits));
    if (candidate * unit.factor + unit.offset === si) return candidate;
  }
  return exact;
}
