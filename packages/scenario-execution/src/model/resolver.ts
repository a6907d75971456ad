/**
 * Resolution: syntax trees of all loaded files → the resolved model.
 *
 * All top-level declarations share one namespace (units have their own).
 * Declarations are resolved on first use, so their order does not matter;
 * parameter values are bound lazily too, which finds parameters that refer to
 * themselves. Every declaration is resolved (also unused ones), as in the
 * Python engine, so an error anywhere in a loaded file is reported.
 */
import type * as Ast from '../language/ast.js';
import { type Location, OscError, type SourceFile } from '../language/diagnostics.js';
import { type BindContext, ExpressionBinder, noneLiteral, parameterIndex, Scope } from './expressions.js';
import type {
  ActionDecl,
  ActionInvocationNode,
  BehaviourNode,
  BoundArgument,
  EnumDecl,
  EnumMemberDecl,
  EventDecl,
  EventRef,
  Expr,
  ExternalFunction,
  MethodDecl,
  ModifierApplication,
  ModifierDecl,
  OscModel,
  OscType,
  ParameterDecl,
  PhysicalTypeDecl,
  ScenarioDecl,
  ScenarioVariable,
  SiExponents,
  StructDecl,
  UnitDecl,
  VariableDecl,
  WaitCondition,
} from './model.js';
import { didYouMean } from '../language/suggest.js';
import { describeType, isNumeric, isTimeType } from './types.js';
import { sameDimension } from './values.js';

export interface LoadedFile {
  readonly source: SourceFile;
  readonly ast: Ast.OscFile;
}

/**
 * Looks up an external function. `undefined` as the whole lookup: no external
 * methods available (calls fail when evaluated); a lookup returning
 * undefined: the method does not exist (an error at its declaration).
 */
export type ExternalLookup = ((module: string, fn: string) => ExternalFunction | undefined) | undefined;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BUILTIN_EVENTS = ['start', 'end', 'fail'];

/**
 * The one empty list of every behaviour node without modifiers (most of them): the
 * model is never modified once resolved, and a large scenario has thousands of nodes.
 */
const NO_ITEMS: readonly never[] = [];

/**
 * `items` as an exact-size list (the shared empty one when empty): one that grew by
 * `push` keeps room for at least 16 more, and the model keeps thousands of short lists.
 */
function exactList<T>(items: T[]): readonly T[] {
  return items.length === 0 ? NO_ITEMS : items.slice();
}
const RESERVED_ACTION_PARAMETERS = ['name', 'associated_actor'];

function where(loc: Location): string {
  return `${loc.file.path}:${loc.line}:${loc.column}`;
}

function declName(decl: Ast.Declaration): { name: string; loc: Location } | undefined {
  switch (decl.kind) {
    case 'Action':
    case 'Scenario':
      return { name: decl.name.text, loc: decl.name.loc };
    case 'Extend':
    case 'Unit':
      return undefined;
    default:
      return { name: decl.name.name, loc: decl.name.loc };
  }
}

const KIND_TEXT: Record<string, string> = {
  PhysicalType: 'a physical type',
  Enum: 'an enum type',
  Struct: 'a struct',
  Actor: 'an actor',
  Action: 'an action',
  Scenario: 'a scenario',
  Modifier: 'a modifier',
  Global: 'a global parameter',
};

/**
 * Where the members of a declaration body go: its parameters, and the lists
 * of variables, events and methods it keeps. Where a list is missing, those
 * members are left out (after the check of their names; methods are resolved).
 */
interface Body {
  readonly parameters: ParameterDecl[];
  readonly variables?: VariableDecl[];
  readonly events?: EventDecl[];
  readonly methods?: MethodDecl[];
}

/** The composition (or scenario) a modifier line applies to. */
interface ModifierTarget {
  readonly modifiers: ModifierApplication[];
}

export class Resolver implements BindContext {
  private readonly declared = new Map<string, Ast.Declaration>();
  private readonly declaredUnits = new Map<string, Ast.UnitDeclaration>();
  private readonly extensions = new Map<string, Ast.ScenarioMember[]>();

  private readonly physicalTypes = new Map<string, PhysicalTypeDecl>();
  private readonly units = new Map<string, UnitDecl>();
  private readonly enums = new Map<string, EnumDecl>();
  private readonly structs = new Map<string, StructDecl>();
  private readonly actions = new Map<string, ActionDecl>();
  private readonly modifiers = new Map<string, ModifierDecl>();
  private readonly scenarios = new Map<string, ScenarioDecl>();
  private readonly globals = new Map<string, ParameterDecl>();

  /** Declarations being resolved (to report inheritance cycles). */
  private readonly inProgress = new Set<string>();
  private readonly pendingValues = new Map<ParameterDecl, () => Expr | undefined>();
  private readonly bindingValues = new Set<ParameterDecl>();
  private readonly structDefaultCache = new Map<StructDecl, Expr>();
  private readonly structDefaultsInProgress = new Set<StructDecl>();
  /** Work that needs every declaration's shape (variable initial values, behaviour). */
  private readonly deferred: (() => void)[] = [];

  private readonly globalScope = new Scope(undefined);
  private readonly binder = new ExpressionBinder(this);
  /** `/<scenario>` while binding a scenario's behaviour (for `emit end`). */
  private scenarioPrefix = '';

  constructor(
    private readonly files: readonly LoadedFile[],
    private readonly externals: ExternalLookup,
  ) {}

  resolve(mainFile: SourceFile): OscModel {
    for (const { ast } of this.files) this.register(ast);
    for (const decl of this.declared.values()) if (decl.kind === 'Global') this.declareGlobal(decl);
    for (const { ast } of this.files) {
      for (const decl of ast.declarations) this.resolveDeclaration(decl);
    }
    for (const decl of this.globals.values()) this.ensureParameter(decl, decl.location);
    while (this.deferred.length) this.deferred.shift()!();
    for (const decl of [...this.pendingValues.keys()]) this.ensureParameter(decl, decl.location);
    const scenario = this.selectScenario(mainFile);
    return {
      mainFile,
      files: [mainFile, ...this.files.map((f) => f.source).filter((f) => f !== mainFile)],
      scenario,
      declarations: {
        physicalTypes: this.physicalTypes,
        units: this.units,
        enums: this.enums,
        structs: this.structs,
        actions: this.actions,
        modifiers: this.modifiers,
        scenarios: this.scenarios,
        globals: this.globals,
      },
      variables: this.scenarioVariables(scenario),
      events: scenario.events,
    };
  }

  // -------------------------------------------------------------------------
  // Registration

  private register(file: Ast.OscFile): void {
    for (const decl of file.declarations) {
      if (decl.kind === 'Unit') {
        const prev = this.declaredUnits.get(decl.name.name);
        if (prev) {
          throw new OscError(
            `unit \`${decl.name.name}\` is already declared at ${where(prev.name.loc)}`,
            decl.name.loc,
          );
        }
        this.declaredUnits.set(decl.name.name, decl);
        continue;
      }
      if (decl.kind === 'Extend') {
        const list = this.extensions.get(decl.target.text) ?? [];
        list.push(...decl.members);
        this.extensions.set(decl.target.text, list);
        continue;
      }
      const named = declName(decl)!;
      const prev = this.declared.get(named.name);
      if (prev) {
        const prevLoc = declName(prev)!.loc;
        throw new OscError(`\`${named.name}\` is already declared at ${where(prevLoc)}`, named.loc);
      }
      this.declared.set(named.name, decl);
    }
  }

  private selectScenario(mainFile: SourceFile): ScenarioDecl {
    const all = [...this.scenarios.values()];
    if (all.length === 0) throw new OscError('No scenario defined.', { file: mainFile, line: 1, column: 1 });
    if (all.length > 1) {
      const second = all[1]!;
      throw new OscError(
        `More than one scenario defined: \`${second.name}\` (the first is \`${all[0]!.name}\` at ${where(all[0]!.location)})`,
        second.location,
      );
    }
    return all[0]!;
  }

  private resolveDeclaration(decl: Ast.Declaration): void {
    switch (decl.kind) {
      case 'PhysicalType':
        this.physicalType(decl.name.name);
        break;
      case 'Unit':
        this.unit(decl.name.name);
        break;
      case 'Enum':
        this.enumDecl(decl.name.name);
        break;
      case 'Struct':
      case 'Actor':
        this.structDecl(decl.name.name);
        break;
      case 'Action':
        this.action(decl.name.text);
        break;
      case 'Modifier':
        this.modifier(decl.name.name);
        break;
      case 'Scenario':
        this.scenario(decl.name.text);
        break;
      case 'Extend':
        if (!this.declared.has(decl.target.text)) {
          throw new OscError(
            `\`extend\` of unknown type \`${decl.target.text}\`${didYouMean(decl.target.text, this.declared.keys())}`,
            decl.target.loc,
          );
        }
        break;
      case 'Global':
        break;
    }
  }

  // -------------------------------------------------------------------------
  // BindContext

  declaredNames(): Iterable<string> {
    return this.declared.keys();
  }

  unitNames(): Iterable<string> {
    return this.declaredUnits.keys();
  }

  describeName(name: string): string | undefined {
    const decl = this.declared.get(name);
    return decl ? KIND_TEXT[decl.kind] : undefined;
  }

  physicalTypeWithDimension(exponents: SiExponents): PhysicalTypeDecl | undefined {
    for (const decl of this.declared.values()) {
      if (decl.kind !== 'PhysicalType') continue;
      const t = this.physicalType(decl.name.name)!;
      if (sameDimension(t.exponents, exponents)) return t;
    }
    return undefined;
  }

  ensureParameter(decl: ParameterDecl, at: Location): void {
    if (this.bindingValues.has(decl)) {
      throw new OscError(`the value of \`${decl.name}\` refers to \`${decl.name}\` itself`, at);
    }
    const bind = this.pendingValues.get(decl);
    if (!bind) return;
    this.pendingValues.delete(decl);
    this.bindingValues.add(decl);
    try {
      decl.value = bind();
    } finally {
      this.bindingValues.delete(decl);
    }
  }

  structDefaults(decl: StructDecl, at: Location): Expr {
    const cached = this.structDefaultCache.get(decl);
    if (cached) return cached;
    if (this.structDefaultsInProgress.has(decl)) {
      throw new OscError(`struct \`${decl.name}\` contains itself; give the field a default value`, at);
    }
    this.structDefaultsInProgress.add(decl);
    try {
      const fields = decl.fields.map((f) => {
        if (this.bindingValues.has(f) && f.type.kind === 'struct' && !f.hasDefault) {
          throw new OscError(`struct \`${decl.name}\` contains itself; give the field a default value`, f.location);
        }
        this.ensureParameter(f, at);
        return { name: f.name, value: f.value ?? noneLiteral(f.type, f.location) };
      });
      const expr: Expr = { kind: 'struct', decl, fields, type: { kind: 'struct', decl }, location: decl.location };
      this.structDefaultCache.set(decl, expr);
      return expr;
    } finally {
      this.structDefaultsInProgress.delete(decl);
    }
  }

  // -------------------------------------------------------------------------
  // Types and units

  physicalType(name: string): PhysicalTypeDecl | undefined {
    const done = this.physicalTypes.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'PhysicalType') return undefined;
    const decl: PhysicalTypeDecl = {
      kind: 'physicalType',
      name,
      exponents: exponentsOf(node.exponents),
      location: node.name.loc,
    };
    this.physicalTypes.set(name, decl);
    return decl;
  }

  unit(name: string): UnitDecl | undefined {
    const done = this.units.get(name);
    if (done) return done;
    const node = this.declaredUnits.get(name);
    if (!node) return undefined;
    const type = this.physicalType(node.physicalType.name);
    if (!type) {
      const other = this.describeName(node.physicalType.name);
      const hint = other
        ? ` (\`${node.physicalType.name}\` is ${other})`
        : didYouMean(
            node.physicalType.name,
            [...this.declared.values()].filter((d) => d.kind === 'PhysicalType').map((d) => declName(d)!.name),
          );
      throw new OscError(
        `unit \`${name}\` is of unknown physical type \`${node.physicalType.name}\`${hint}`,
        node.physicalType.loc,
      );
    }
    const exponents = exponentsOf(node.exponents);
    if (!sameDimension(exponents, type.exponents)) {
      throw new OscError(`the SI exponents of unit \`${name}\` differ from those of \`${type.name}\``, node.loc);
    }
    const decl: UnitDecl = {
      kind: 'unit',
      name,
      physicalType: type,
      factor: node.factor?.value ?? 1,
      offset: node.offset?.value ?? 0,
      integerFactor: node.factor?.isFloat !== true && node.offset?.isFloat !== true,
      location: node.name.loc,
    };
    this.units.set(name, decl);
    return decl;
  }

  enumDecl(name: string): EnumDecl | undefined {
    const done = this.enums.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'Enum') return undefined;
    const members: EnumMemberDecl[] = [];
    let next = 0;
    for (const m of node.members) {
      const prev = members.find((x) => x.name === m.name.name);
      if (prev)
        throw new OscError(`enum member \`${m.name.name}\` is already declared at ${where(prev.location)}`, m.name.loc);
      const value = m.value ? m.value.value : next;
      next = value + 1;
      members.push({ name: m.name.name, value, location: m.name.loc });
    }
    const decl: EnumDecl = { kind: 'enum', name, members, location: node.name.loc };
    this.enums.set(name, decl);
    return decl;
  }

  private typeNames(): string[] {
    const names: string[] = ['int', 'uint', 'float', 'bool', 'string'];
    for (const [name, decl] of this.declared) {
      if (['PhysicalType', 'Enum', 'Struct', 'Actor'].includes(decl.kind)) names.push(name);
    }
    return names;
  }

  resolveType(ref: Ast.TypeRef): OscType {
    const element = this.resolveElementType(ref);
    return ref.isList ? { kind: 'list', element } : element;
  }

  private resolveElementType(ref: Ast.TypeRef): OscType {
    if (ref.primitive) return { kind: ref.primitive };
    if (ref.actor)
      throw new OscError(`behaviour types (\`${ref.actor.name}.${ref.name.name}\`) are not supported`, ref.loc);
    const name = ref.name.name;
    const physical = this.physicalType(name);
    if (physical) return { kind: 'physical', decl: physical };
    const enumType = this.enumDecl(name);
    if (enumType) return { kind: 'enum', decl: enumType };
    const struct = this.structDecl(name);
    if (struct) return { kind: 'struct', decl: struct };
    const other = this.describeName(name);
    if (other) throw new OscError(`\`${name}\` is ${other}, not a type`, ref.name.loc);
    throw new OscError(`unknown type \`${name}\`${didYouMean(name, this.typeNames())}`, ref.name.loc);
  }

  // -------------------------------------------------------------------------
  // Parameters, variables, events, methods

  /** A parameter whose value is bound on first use (see ensureParameter). */
  private parameter(
    node: {
      readonly name: Ast.Identifier;
      readonly type: Ast.TypeRef;
      readonly defaultValue: Ast.Expression | undefined;
      readonly constraints?: readonly Ast.KeepConstraint[];
    },
    scope: () => Scope,
  ): ParameterDecl {
    const type = this.resolveType(node.type);
    const decl: ParameterDecl = {
      kind: 'parameter',
      name: node.name.name,
      type,
      value: undefined,
      hasDefault: node.defaultValue !== undefined,
      location: node.name.loc,
    };
    this.pendingValues.set(decl, () => {
      const what = `\`${decl.name}\``;
      let value: Expr | undefined;
      if (node.defaultValue) value = this.binder.bindAs(node.defaultValue, scope(), type, 'declaration', what);
      else if (type.kind === 'struct') value = this.structDefaults(type.decl, node.name.loc);
      for (const keep of node.constraints ?? []) {
        const { path, value: kept } = this.binder.keepTarget(keep);
        value = this.binder.applyKeep(path, kept, type, value, scope(), what);
      }
      return value;
    });
    return decl;
  }

  /** A copy of `field` whose value is `field`'s with `keep(it.<path> == value)` applied. */
  private keptField(field: ParameterDecl, keep: Ast.KeepConstraint, scope: () => Scope): ParameterDecl {
    const { path, value } = this.binder.keepTarget(keep);
    const copy: ParameterDecl = { ...field, value: undefined };
    this.pendingValues.set(copy, () => {
      this.ensureParameter(field, keep.loc);
      return this.binder.applyKeep(path.slice(1), value, field.type, field.value, scope(), `\`${field.name}\``);
    });
    return copy;
  }

  /** Apply a keep constraint written in a declaration body to one of its own fields. */
  private keepOwnField(fields: ParameterDecl[], keep: Ast.KeepConstraint, owner: string, scope: () => Scope): void {
    const { path } = this.binder.keepTarget(keep);
    const name = path[0]!;
    const index = fields.findIndex((f) => f.name === name.name);
    if (index < 0) {
      throw new OscError(
        `${owner} has no field \`${name.name}\`${didYouMean(
          name.name,
          fields.map((f) => f.name),
        )}`,
        name.loc,
      );
    }
    fields[index] = this.keptField(fields[index]!, keep, scope);
  }

  private variable(node: Ast.VariableDeclaration, scope: () => Scope): VariableDecl {
    const type = this.resolveType(node.type);
    const decl: Mutable<VariableDecl> = {
      kind: 'variable',
      name: node.name.name,
      type,
      initial: undefined,
      location: node.name.loc,
    };
    const initial = node.defaultValue;
    if (initial) {
      this.deferred.push(() => {
        decl.initial = this.binder.bindAs(initial, scope(), type, 'declaration', `\`${decl.name}\``);
      });
    }
    return decl;
  }

  private event(node: Ast.EventDeclaration, prefix: string, scope: () => Scope): EventDecl {
    if (BUILTIN_EVENTS.includes(node.name.name)) {
      throw new OscError(`\`${node.name.name}\` is a reserved event name`, node.name.loc);
    }
    if (node.parameters.length) throw new OscError('event parameters are not supported', node.parameters[0]!.loc);
    const decl: Mutable<EventDecl> = {
      kind: 'event',
      name: node.name.name,
      qualifiedName: `${prefix}/${node.name.name}`,
      specification: undefined,
      location: node.name.loc,
    };
    const spec = node.specification;
    if (spec) this.deferred.push(() => (decl.specification = this.condition(spec, scope())));
    return decl;
  }

  private method(node: Ast.MethodDeclaration, scope: () => Scope): MethodDecl {
    const body = node.body;
    if (body.kind !== 'ExternalMethod') {
      const form = body.kind === 'ExpressionMethod' ? 'is expression' : 'is undefined';
      throw new OscError(`\`def … ${form}\` is not supported (only \`is external\`)`, body.loc);
    }
    if (body.targetParts.length < 2) {
      throw new OscError(
        `external method \`${body.target}\` needs a module: \`is external module.function()\``,
        body.targetParts[0]?.loc ?? body.loc,
      );
    }
    if (body.arguments.length) {
      throw new OscError('arguments after an external function name are not supported', body.arguments[0]!.loc);
    }
    const module = body.targetParts
      .slice(0, -1)
      .map((p) => p.name)
      .join('.');
    const fnName = body.targetParts[body.targetParts.length - 1]!.name;
    let fn: ExternalFunction | undefined;
    if (this.externals) {
      fn = this.externals(module, fnName);
      if (!fn) throw new OscError(`external method \`${body.target}\` not found`, body.targetParts[0]!.loc);
    } else {
      fn = unavailableExternal(body.target);
    }
    const parameters = node.parameters.map((p) => this.parameter(p, scope));
    return {
      kind: 'method',
      name: node.name.name,
      parameters,
      returnType: node.returnType ? this.resolveType(node.returnType) : undefined,
      external: { module, function: fnName, fn },
      location: node.name.loc,
    };
  }

  private checkUnique(seen: Map<string, Location>, name: Ast.Identifier): void {
    const prev = seen.get(name.name);
    if (prev) throw new OscError(`\`${name.name}\` is already declared at ${where(prev)}`, name.loc);
    seen.set(name.name, name.loc);
  }

  // -------------------------------------------------------------------------
  // Structs and actors

  structDecl(name: string): StructDecl | undefined {
    const done = this.structs.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'Struct' && node?.kind !== 'Actor') return undefined;
    const kindText = node.kind === 'Struct' ? 'struct' : 'actor';
    let base: StructDecl | undefined;
    if (node.inherits) base = this.base(name, node.inherits, kindText, (n) => this.structDecl(n));
    const decl: Mutable<StructDecl> = {
      kind: kindText,
      name,
      base,
      fields: [...(base?.fields ?? [])],
      variables: [...(base?.variables ?? [])],
      events: [...(base?.events ?? [])],
      methods: [...(base?.methods ?? [])],
      location: node.name.loc,
    };
    this.structs.set(name, decl);
    const fields = decl.fields as ParameterDecl[];
    const owner = `${kindText} \`${name}\``;
    const body: Body = {
      parameters: fields,
      variables: decl.variables as VariableDecl[],
      events: decl.events as EventDecl[],
      methods: decl.methods as MethodDecl[],
    };
    this.resolveMembers(node.members, name, owner, body, this.parameterScope(fields), (member) => {
      throw new OscError(`${memberText(member)} is not allowed in ${owner}`, member.loc);
    });
    return decl;
  }

  /** Resolve `inherits X` of declaration `name`; reports unknown bases and cycles. */
  private base<T>(
    name: string,
    inherits: Ast.InheritsClause,
    kindText: string,
    lookup: (name: string) => T | undefined,
  ): T {
    const baseName = inherits.name.text;
    const key = `${kindText}:${name}`;
    if (this.inProgress.has(key)) throw new OscError(`${kindText} \`${name}\` inherits from itself`, inherits.name.loc);
    this.inProgress.add(key);
    try {
      const base = lookup(baseName);
      if (base === undefined) {
        const other = this.describeName(baseName);
        const hint = other ? ` (\`${baseName}\` is ${other})` : didYouMean(baseName, this.declared.keys());
        throw new OscError(`${kindText} \`${name}\` inherits from unknown \`${baseName}\`${hint}`, inherits.name.loc);
      }
      return base;
    } finally {
      this.inProgress.delete(key);
    }
  }

  // -------------------------------------------------------------------------
  // Actions and modifiers

  action(name: string): ActionDecl | undefined {
    const done = this.actions.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'Action') return undefined;
    const actorType = this.actorTypeOf(node, 'action');
    let base: ActionDecl | undefined;
    if (node.inherits) base = this.base(name, node.inherits, 'action', (n) => this.action(n));
    const parameters = [...(base?.parameters ?? [])];
    const decl: ActionDecl = {
      kind: 'action',
      name,
      behaviorName: node.name.name.name,
      actorType,
      base,
      parameters,
      location: node.name.loc,
    };
    this.actions.set(name, decl);
    this.parametersOf(node.members, parameters, `action \`${name}\``, name);
    for (const p of parameters) {
      if (RESERVED_ACTION_PARAMETERS.includes(p.name)) {
        throw new OscError(`action \`${name}\` uses the reserved parameter name \`${p.name}\``, p.location);
      }
    }
    return decl;
  }

  /** The actor type of `action actor.name` / `scenario actor.name`; undefined without an actor. */
  private actorTypeOf(
    node: Ast.ActionDeclaration | Ast.ScenarioDeclaration,
    kindText: 'action' | 'scenario',
  ): StructDecl | undefined {
    const actor = node.name.actor;
    if (!actor) return undefined;
    const actorType = this.structDecl(actor.name);
    if (!actorType) {
      throw new OscError(
        `${kindText} \`${node.name.text}\` refers to unknown actor \`${actor.name}\`${didYouMean(actor.name, this.actorNames())}`,
        actor.loc,
      );
    }
    return actorType;
  }

  private *actorNames(): Iterable<string> {
    for (const [name, decl] of this.declared) if (decl.kind === 'Actor') yield name;
  }

  modifier(name: string): ModifierDecl | undefined {
    const done = this.modifiers.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'Modifier') return undefined;
    const parameters: ParameterDecl[] = [];
    const decl: ModifierDecl = { kind: 'modifier', name, parameters, location: node.name.loc };
    this.modifiers.set(name, decl);
    this.parametersOf(node.members, parameters, `modifier \`${name}\``, name);
    return decl;
  }

  /**
   * Parameters (and keep constraints on them) of an action or modifier body;
   * its variables, events and methods are checked, then left out.
   */
  private parametersOf(
    members: readonly Ast.ScenarioMember[],
    parameters: ParameterDecl[],
    owner: string,
    name: string,
  ): void {
    this.resolveMembers(members, name, owner, { parameters }, this.parameterScope(parameters), (member) => {
      if (member.kind === 'Do') throw new OscError('`do` is only supported in a scenario', member.loc);
      throw new OscError(`${memberText(member)} is not supported in ${owner}`, member.loc);
    });
  }

  /**
   * The members of declaration `name` (its body, then its extensions), whose
   * names must be unique: parameters (one named as an inherited one replaces
   * it), variables, events and methods go to `body`; then the body's keep
   * constraints apply to its parameters. `other` gets every other member.
   * Returns the members, extensions included.
   */
  private resolveMembers(
    members: readonly Ast.ScenarioMember[],
    name: string,
    owner: string,
    body: Body,
    scope: () => Scope,
    other: (member: Ast.ScenarioMember) => void,
  ): readonly Ast.ScenarioMember[] {
    const all = [...members, ...(this.extensions.get(name) ?? [])];
    const parameters = body.parameters;
    const seen = new Map<string, Location>();
    const keeps: Ast.KeepConstraint[] = [];
    for (const member of all) {
      switch (member.kind) {
        case 'Parameter': {
          this.checkUnique(seen, member.name);
          const p = this.parameter(member, scope);
          const inherited = parameters.findIndex((x) => x.name === p.name);
          if (inherited >= 0) parameters[inherited] = p;
          else parameters.push(p);
          break;
        }
        case 'Variable':
          this.checkUnique(seen, member.name);
          if (body.variables) body.variables.push(this.variable(member, scope));
          break;
        case 'Event':
          this.checkUnique(seen, member.name);
          if (body.events) body.events.push(this.event(member, `/${name}`, scope));
          break;
        case 'Method': {
          this.checkUnique(seen, member.name);
          // Resolved (and so checked) also where it is left out.
          const method = this.method(member, scope);
          if (body.methods) body.methods.push(method);
          break;
        }
        case 'Keep':
          keeps.push(member);
          break;
        default:
          other(member);
      }
    }
    for (const keep of keeps) this.keepOwnField(parameters, keep, owner, scope);
    return all;
  }

  /** A scope of `parameters` (no blackboard path), made on first use: after the body's members are known. */
  private parameterScope(parameters: readonly ParameterDecl[]): () => Scope {
    let scope: Scope | undefined;
    return () => {
      if (!scope) {
        scope = new Scope(this.globalScope);
        for (const p of parameters) scope.add(p.name, { kind: 'parameter', decl: p, varPath: undefined });
      }
      return scope;
    };
  }

  // -------------------------------------------------------------------------
  // Globals

  private declareGlobal(node: Ast.GlobalParameterDeclaration): void {
    const decl = this.parameter(node, () => this.globalScope);
    this.globals.set(decl.name, decl);
    this.globalScope.add(decl.name, { kind: 'parameter', decl, varPath: undefined });
  }

  // -------------------------------------------------------------------------
  // Scenarios

  scenario(name: string): ScenarioDecl | undefined {
    const done = this.scenarios.get(name);
    if (done) return done;
    const node = this.declared.get(name);
    if (node?.kind !== 'Scenario') return undefined;
    const actorType = this.actorTypeOf(node, 'scenario');
    let base: ScenarioDecl | undefined;
    if (node.inherits) base = this.base(name, node.inherits, 'scenario', (n) => this.scenario(n));
    const prefix = `/${name}`;
    const parameters = [...(base?.parameters ?? [])];
    const variables = [...(base?.variables ?? [])];
    const events = (base?.events ?? []).map((e) => ({ ...e, qualifiedName: `${prefix}/${e.name}` }));
    const modifiers: ModifierApplication[] = [];
    const behaviour: BehaviourNode[] = [];
    const decl: ScenarioDecl = {
      kind: 'scenario',
      name,
      actorType,
      base,
      parameters,
      variables,
      events,
      modifiers,
      behaviour,
      location: node.name.loc,
    };
    this.scenarios.set(name, decl);

    const scope = new Scope(this.globalScope);
    const body: Body = { parameters, variables, events };
    const members = this.resolveMembers(
      node.members,
      name,
      `scenario \`${name}\``,
      body,
      () => scope,
      (member) => {
        if (member.kind === 'On') throw new OscError('`on` directives are not supported', member.loc);
      },
    );
    for (const p of parameters) scope.add(p.name, { kind: 'parameter', decl: p, varPath: `${prefix}/${p.name}` });
    for (const v of variables) scope.add(v.name, { kind: 'variable', decl: v, qualifiedName: `${prefix}/${v.name}` });
    for (const e of events) scope.add(e.name, { kind: 'event', decl: e });

    // Behaviour needs every declaration's shape: bind it after registration.
    this.deferred.push(() => {
      this.scenarioPrefix = prefix;
      const target: ModifierTarget = { modifiers };
      for (const member of members) {
        if (member.kind === 'ModifierInvocation') modifiers.push(this.modifierApplication(member, scope));
        else if (member.kind === 'Do') {
          const node = this.doMember(member.member, scope, target);
          if (node) behaviour.push(node);
        }
      }
    });
    return decl;
  }

  /** Variables needing a blackboard entry: the scenario's and those in the types of its parameters. */
  private scenarioVariables(scenario: ScenarioDecl): ScenarioVariable[] {
    const out: ScenarioVariable[] = [];
    const prefix = `/${scenario.name}`;
    for (const v of scenario.variables) out.push({ qualifiedName: `${prefix}/${v.name}`, decl: v });
    const visit = (path: string, decl: StructDecl, seen: Set<StructDecl>) => {
      if (seen.has(decl)) return;
      seen.add(decl);
      for (const v of decl.variables) out.push({ qualifiedName: `${path}/${v.name}`, decl: v });
      for (const f of decl.fields) if (f.type.kind === 'struct') visit(`${path}/${f.name}`, f.type.decl, seen);
      seen.delete(decl);
    };
    for (const p of scenario.parameters) {
      if (p.type.kind === 'struct') visit(`${prefix}/${p.name}`, p.type.decl, new Set());
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // Behaviour

  private doMember(member: Ast.DoMember, scope: Scope, target: ModifierTarget): BehaviourNode | undefined {
    switch (member.kind) {
      case 'Composition': {
        if (member.arguments.length) {
          throw new OscError(`arguments of \`${member.operator}\` are not supported`, member.arguments[0]!.loc);
        }
        const modifiers: ModifierApplication[] = [];
        const children: BehaviourNode[] = [];
        for (const m of member.members) {
          const child = this.doMember(m, scope, { modifiers });
          if (child) children.push(child);
        }
        for (const w of member.withMembers) {
          if (w.kind === 'Keep') throw new OscError('keep(…) is not supported on a composition', w.loc);
          modifiers.push(this.modifierApplication(w, scope));
        }
        return {
          kind: 'composition',
          operator: member.operator,
          label: member.label?.name,
          children: exactList(children),
          modifiers: exactList(modifiers),
          location: member.loc,
        };
      }
      case 'BehaviorInvocation':
        return this.invocation(member, scope, target);
      case 'Wait':
        return {
          kind: 'wait',
          condition: this.condition(member.specification, scope),
          label: member.label?.name,
          modifiers: NO_ITEMS,
          location: member.loc,
        };
      case 'Emit': {
        if (member.arguments.length) throw new OscError('event arguments are not supported', member.arguments[0]!.loc);
        return {
          kind: 'emit',
          event: this.eventRef(member.event, scope, true),
          label: member.label?.name,
          modifiers: NO_ITEMS,
          location: member.loc,
        };
      }
    }
  }

  private eventRef(id: Ast.Identifier, scope: Scope, allowBuiltin: boolean): EventRef {
    const entry = scope.lookup(id.name);
    if (entry?.kind === 'event') return { name: id.name, qualifiedName: entry.decl.qualifiedName, decl: entry.decl };
    if (allowBuiltin && BUILTIN_EVENTS.includes(id.name)) {
      return { name: id.name, qualifiedName: `${this.scenarioPrefix}/${id.name}`, decl: undefined };
    }
    const events: string[] = [];
    for (const n of scope.names()) if (scope.lookup(n)?.kind === 'event') events.push(n);
    if (allowBuiltin) events.push(...BUILTIN_EVENTS);
    throw new OscError(`unknown event \`${id.name}\`${didYouMean(id.name, events)}`, id.loc);
  }

  private condition(spec: Ast.EventSpecification, scope: Scope): WaitCondition {
    switch (spec.kind) {
      case 'EventReference':
        if (spec.scope) throw new OscError('events of other objects (`@a.e`) are not supported', spec.loc);
        if (spec.fieldName) throw new OscError('`@event as name` is not supported', spec.fieldName.loc);
        if (spec.condition) throw new OscError('`@event if condition` is not supported', spec.condition.loc);
        return { kind: 'event', event: this.eventRef(spec.event, scope, false), location: spec.loc };
      case 'Elapsed': {
        const duration = this.binder.bind(spec.duration, scope);
        // As in Python, an external method call may give plain seconds (`elapsed(random.get_int(0, 1))`).
        const secondsCall = duration.kind === 'call' && isNumeric(duration.type);
        if (!isTimeType(duration.type) && !secondsCall) {
          throw new OscError(
            `elapsed(…) needs a time such as \`1s\`, got ${describeType(duration.type)}`,
            duration.location,
          );
        }
        return { kind: 'elapsed', duration, location: spec.loc };
      }
      case 'BoolCondition': {
        const expression = this.binder.bind(spec.expression, scope);
        if (expression.type.kind !== 'bool') {
          throw new OscError(
            `a wait condition must be a bool, got ${describeType(expression.type)}`,
            expression.location,
          );
        }
        return { kind: 'condition', expression, location: spec.loc };
      }
    }
  }

  private invocation(
    node: Ast.BehaviorInvocation,
    scope: Scope,
    target: ModifierTarget,
  ): ActionInvocationNode | undefined {
    const name = node.name.name;
    let action: ActionDecl | undefined;
    let actor: ActionInvocationNode['actor'];
    if (node.actor) {
      const entry = scope.lookup(node.actor.name);
      if (entry?.kind !== 'parameter' || entry.decl.type.kind !== 'struct') {
        const candidates: string[] = [];
        for (const n of scope.names()) {
          const e = scope.lookup(n);
          if (e?.kind === 'parameter' && e.decl.type.kind === 'struct') candidates.push(n);
        }
        const what = entry ? `\`${node.actor.name}\` is not an actor` : `unknown actor \`${node.actor.name}\``;
        throw new OscError(`${what}${didYouMean(node.actor.name, candidates)}`, node.actor.loc);
      }
      this.ensureParameter(entry.decl, node.actor.loc);
      const actorType = entry.decl.type.decl;
      for (let t: StructDecl | undefined = actorType; t && !action; t = t.base)
        action = this.action(`${t.name}.${name}`);
      if (!action) {
        const known: string[] = [];
        for (const a of this.declared.values()) {
          if (a.kind === 'Action' && a.name.actor) known.push(a.name.name.name);
        }
        throw new OscError(
          `actor \`${actorType.name}\` has no action \`${name}\`${didYouMean(name, known)}`,
          node.name.loc,
        );
      }
      actor = {
        name: entry.decl.name,
        value: { kind: 'parameter', decl: entry.decl, type: entry.decl.type, location: node.actor.loc },
      };
    } else {
      action = this.action(name);
      if (!action) {
        const modifier = this.modifier(name);
        if (modifier) {
          if (node.label) throw new OscError('a modifier line cannot have a label', node.label.loc);
          if (node.withMembers.length)
            throw new OscError('a modifier line cannot have a `with:` block', node.withMembers[0]!.loc);
          target.modifiers.push({
            modifier,
            args: this.bindArguments(modifier.parameters, node.arguments, [], scope, `modifier \`${name}\``, node.loc),
            location: node.loc,
          });
          return undefined;
        }
        if (this.declared.get(name)?.kind === 'Scenario') {
          throw new OscError(`invoking a scenario (\`${name}\`) as a behaviour is not supported`, node.name.loc);
        }
        const candidates: string[] = [];
        for (const [n, d] of this.declared) if (d.kind === 'Action' || d.kind === 'Modifier') candidates.push(n);
        throw new OscError(`unknown action \`${name}\`${didYouMean(name, candidates)}`, node.name.loc);
      }
    }
    const keeps: Ast.KeepConstraint[] = [];
    const modifiers: ModifierApplication[] = [];
    for (const w of node.withMembers) {
      if (w.kind === 'Keep') keeps.push(w);
      else modifiers.push(this.modifierApplication(w, scope));
    }
    return {
      kind: 'action',
      action,
      actor,
      args: this.bindArguments(action.parameters, node.arguments, keeps, scope, `action \`${action.name}\``, node.loc),
      label: node.label?.name,
      modifiers: exactList(modifiers),
      location: node.loc,
    };
  }

  private modifierApplication(node: Ast.ModifierInvocation, scope: Scope): ModifierApplication {
    if (node.actor || node.behavior) {
      throw new OscError('modifiers applied through an actor are not supported', node.loc);
    }
    const name = node.name.name;
    const modifier = this.modifier(name);
    if (!modifier) {
      const other = this.describeName(name);
      const candidates: string[] = [];
      for (const [n, d] of this.declared) if (d.kind === 'Modifier') candidates.push(n);
      const hint = other ? ` (\`${name}\` is ${other})` : didYouMean(name, candidates);
      throw new OscError(`unknown modifier \`${name}\`${hint}`, node.name.loc);
    }
    return {
      modifier,
      args: this.bindArguments(modifier.parameters, node.arguments, [], scope, `modifier \`${name}\``, node.loc),
      location: node.loc,
    };
  }

  /**
   * One bound argument per parameter: given (positional, named), then
   * `keep(it.… == …)` constraints from the `with:` block, then defaults.
   */
  private bindArguments(
    params: readonly ParameterDecl[],
    args: readonly Ast.Argument[],
    keeps: readonly Ast.KeepConstraint[],
    scope: Scope,
    owner: string,
    at: Location,
  ): BoundArgument[] {
    const given = this.binder.bindArgumentList(params, args, scope, owner, 'argument');
    // Positional arguments come first (the parser rejects one after a named one): they
    // bind the first parameters; the other given ones are named or from constraints.
    let positional = 0;
    while (positional < args.length && !args[positional]!.name) positional++;
    const constrained: boolean[] = [];
    for (const keep of keeps) {
      const { path, value } = this.binder.keepTarget(keep);
      const first = path[0]!;
      const index = parameterIndex(params, first.name);
      if (index < 0) {
        throw new OscError(
          `${owner} has no parameter \`${first.name}\`${didYouMean(
            first.name,
            params.map((p) => p.name),
          )}`,
          first.loc,
        );
      }
      const param = params[index]!;
      this.ensureParameter(param, keep.loc);
      const base = given[index] ?? param.value;
      given[index] = this.binder.applyKeep(path.slice(1), value, param.type, base, scope, `\`${param.name}\``);
      constrained[index] = true;
    }
    return params.map((p, index) => {
      const value = given[index];
      if (value) {
        const source = constrained[index] ? 'constraint' : index < positional ? 'positional' : 'named';
        return { name: p.name, type: p.type, value, source };
      }
      this.ensureParameter(p, at);
      if (!p.value) throw new OscError(`missing argument \`${p.name}\` of ${owner}`, at);
      return { name: p.name, type: p.type, value: p.value, source: 'default' };
    });
  }
}

/**
 * The function of an external method no module provides: fails when called. Made out of
 * the resolver's methods so that it holds only the name: a closure made in one would keep
 * the resolver, and with it every syntax tree, alive as long as the model.
 */
function unavailableExternal(target: string): ExternalFunction {
  return () => {
    throw new Error(`external method \`${target}\` is not available`);
  };
}

function exponentsOf(list: readonly Ast.SIExponent[]): SiExponents {
  const out: Record<string, number> = {};
  for (const e of list) if (e.exponent !== 0) out[e.unit] = e.exponent;
  return out;
}

function memberText(member: Ast.ScenarioMember): string {
  switch (member.kind) {
    case 'ModifierInvocation':
      return 'a modifier invocation';
    case 'Do':
      return '`do`';
    case 'On':
      return '`on`';
    default:
      return member.kind.toLowerCase();
  }
}
