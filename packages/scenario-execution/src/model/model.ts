/**
 * The resolved model of a scenario: what the builder (model → behaviour tree)
 * consumes. Produced by `loadScenario()`; every name is bound to its
 * declaration, every argument to its parameter, every expression is typed.
 *
 * Naming of runtime state (stable; the blackboard keys of the Python engine):
 * - a `var` of the scenario: `/<scenario>/<var>`, e.g. `/test/counter`;
 * - a `var` declared in the struct/actor type of a scenario parameter:
 *   `/<scenario>/<parameter>/<var>` (deeper for nested struct fields:
 *   `/<scenario>/<parameter>/<field>/<var>`);
 * - an event of the scenario: `/<scenario>/<event>`; the built-in events
 *   `start`, `end`, `fail` (usable with `emit`) are `/<scenario>/start` etc.
 *
 * Values at run time (variables in the store, arguments handed to actions) are
 * in wire form ({@link ArgValue}): physical values as numbers in SI base
 * units, enum values as `[name, numericValue]`, structs as plain objects.
 * Inside the model, values are tagged {@link Value}s so units and types stay
 * checkable.
 */
import type { ArgValue } from '../shared/values.js';
import type { Location, SourceFile } from '../language/diagnostics.js';

// ---------------------------------------------------------------------------
// Types and units

export type SiBaseUnit = 'kg' | 'm' | 's' | 'A' | 'K' | 'mol' | 'cd' | 'rad';

/** Exponent per SI base unit; missing units have exponent 0. */
export type SiExponents = Readonly<Partial<Record<SiBaseUnit, number>>>;

/** `type length is SI(m: 1)` */
export interface PhysicalTypeDecl {
  readonly kind: 'physicalType';
  readonly name: string;
  readonly exponents: SiExponents;
  readonly location: Location;
}

/** `unit cm of length is SI(m: 1, factor: 0.01)`: SI value = value × factor + offset. */
export interface UnitDecl {
  readonly kind: 'unit';
  readonly name: string;
  readonly physicalType: PhysicalTypeDecl;
  readonly factor: number;
  readonly offset: number;
  /**
   * Factor and offset are written as integers, so an integer literal in this
   * unit has an integral SI value (Python multiplies int × int; see
   * {@link Value} `physical`).
   */
  readonly integerFactor: boolean;
  readonly location: Location;
}

/** `enum signal: [sighup = 1, …]`; members without a value get previous + 1 (first: 0). */
export interface EnumDecl {
  readonly kind: 'enum';
  readonly name: string;
  readonly members: readonly EnumMemberDecl[];
  readonly location: Location;
}

export interface EnumMemberDecl {
  readonly name: string;
  readonly value: number;
  readonly location: Location;
}

export type PrimitiveTypeName = 'int' | 'uint' | 'float' | 'bool' | 'string';

/** The type of a field, argument, variable or expression. */
export type OscType =
  | { readonly kind: PrimitiveTypeName }
  | { readonly kind: 'physical'; readonly decl: PhysicalTypeDecl }
  | { readonly kind: 'enum'; readonly decl: EnumDecl }
  | { readonly kind: 'struct'; readonly decl: StructDecl }
  | { readonly kind: 'list'; readonly element: OscType };

// ---------------------------------------------------------------------------
// Declarations

/**
 * A parameter: a field of a struct/actor/action/modifier/scenario, a `global`,
 * or an argument of a `def`. Parameters are constants; an expression that
 * refers to one evaluates its `value`.
 */
export interface ParameterDecl {
  readonly kind: 'parameter';
  readonly name: string;
  readonly type: OscType;
  /**
   * The parameter's value: the written default with `keep(it… == …)`
   * constraints applied; for a struct type without a default, the struct's
   * own defaults. `undefined`: no value (an invocation must give one).
   * Parameter overrides (`--scenario-parameter-file`) replace it.
   */
  value: Expr | undefined;
  /** A default was written (`name: type = value`). */
  readonly hasDefault: boolean;
  readonly location: Location;
}

/** `var name: type [= initial]` */
export interface VariableDecl {
  readonly kind: 'variable';
  readonly name: string;
  readonly type: OscType;
  /** Initial value; undefined → the type's zero value (see `zeroValue`). */
  readonly initial: Expr | undefined;
  readonly location: Location;
}

/** `event name [is …]` */
export interface EventDecl {
  readonly kind: 'event';
  readonly name: string;
  /** Blackboard name, see the file comment; for events of structs/actors: `/<type>/<event>`. */
  readonly qualifiedName: string;
  /**
   * `event e is …` as written. The Python engine accepts and ignores it; the
   * builder may do the same.
   */
  readonly specification: WaitCondition | undefined;
  readonly location: Location;
}

/** A function an external-method module exports; arguments by parameter name, in wire form. */
export type ExternalFunction = (args: Readonly<Record<string, ArgValue>>) => ArgValue | undefined;

/** `def name(params) [-> type] is external module.path.function()` */
export interface MethodDecl {
  readonly kind: 'method';
  readonly name: string;
  readonly parameters: readonly ParameterDecl[];
  readonly returnType: OscType | undefined;
  /** Module path (`scenario_execution.external_methods.random`) and function (`get_int`). */
  readonly external: { readonly module: string; readonly function: string; readonly fn: ExternalFunction };
  readonly location: Location;
}

/** `struct` or `actor` (members of the base type come first). */
export interface StructDecl {
  readonly kind: 'struct' | 'actor';
  readonly name: string;
  readonly base: StructDecl | undefined;
  readonly fields: readonly ParameterDecl[];
  readonly variables: readonly VariableDecl[];
  readonly events: readonly EventDecl[];
  readonly methods: readonly MethodDecl[];
  readonly location: Location;
}

/** `action [actor.]name` (parameters of the base action first). */
export interface ActionDecl {
  readonly kind: 'action';
  /** As declared: `log`, `osc_object.spawn`. */
  readonly name: string;
  /** The part after the actor: `spawn` for `osc_object.spawn`. */
  readonly behaviorName: string;
  readonly actorType: StructDecl | undefined;
  readonly base: ActionDecl | undefined;
  readonly parameters: readonly ParameterDecl[];
  readonly location: Location;
}

/** `modifier name` (the ten built-ins come from `osc.helpers`; plugins add more). */
export interface ModifierDecl {
  readonly kind: 'modifier';
  readonly name: string;
  readonly parameters: readonly ParameterDecl[];
  readonly location: Location;
}

export interface ScenarioDecl {
  readonly kind: 'scenario';
  readonly name: string;
  readonly actorType: StructDecl | undefined;
  readonly base: ScenarioDecl | undefined;
  /** Parameters (inherited first). */
  readonly parameters: readonly ParameterDecl[];
  readonly variables: readonly VariableDecl[];
  readonly events: readonly EventDecl[];
  /**
   * Modifiers written as scenario members (`timeout(10s)` above `do`): they
   * wrap the whole scenario, the first-written outermost (as in Python).
   */
  readonly modifiers: readonly ModifierApplication[];
  /** The `do` directives in order (normally one); the scenario runs them in sequence. */
  readonly behaviour: readonly BehaviourNode[];
  readonly location: Location;
}

// ---------------------------------------------------------------------------
// Behaviour

/**
 * What every behaviour node carries. `modifiers` wrap the node in written
 * order, the first one outermost (as the Python engine nests them): for a composition, modifier lines written among
 * its members (`repeat()` as the first line of a `serial:`) come first, then
 * those of its `with:` block; for an invocation, those of its `with:` block.
 */
export interface BehaviourBase {
  /** `label: …` */
  readonly label: string | undefined;
  readonly modifiers: readonly ModifierApplication[];
  readonly location: Location;
}

export type CompositionOperator = 'serial' | 'parallel' | 'one_of';

/** `serial:` (sequence with memory), `parallel:` (success on all), `one_of:` (success on one). */
export interface CompositionNode extends BehaviourBase {
  readonly kind: 'composition';
  readonly operator: CompositionOperator;
  readonly children: readonly BehaviourNode[];
}

/** `[actor.]action(args)` */
export interface ActionInvocationNode extends BehaviourBase {
  readonly kind: 'action';
  readonly action: ActionDecl;
  /**
   * `actor.action()`: the actor parameter. The action gets it as
   * `associated_actor` = the actor's value plus `name` (the parameter's name).
   */
  readonly actor: { readonly name: string; readonly value: Expr } | undefined;
  /** One per declared parameter of the action, in declaration order. */
  readonly args: readonly BoundArgument[];
}

/** `wait …` */
export interface WaitNode extends BehaviourBase {
  readonly kind: 'wait';
  readonly condition: WaitCondition;
}

/** `emit event` */
export interface EmitNode extends BehaviourBase {
  readonly kind: 'emit';
  readonly event: EventRef;
}

export type BehaviourNode = CompositionNode | ActionInvocationNode | WaitNode | EmitNode;

export type WaitCondition =
  /**
   * `elapsed(duration)`: a `time` expression (SI seconds). The Python engine
   * evaluates it once when building the tree.
   */
  | { readonly kind: 'elapsed'; readonly duration: Expr; readonly location: Location }
  /** `@event`: until the event is emitted. */
  | { readonly kind: 'event'; readonly event: EventRef; readonly location: Location }
  /** A boolean expression: until it is true (checked every tick). */
  | { readonly kind: 'condition'; readonly expression: Expr; readonly location: Location };

export interface EventRef {
  readonly name: string;
  /** Blackboard name, e.g. `/test/ev`, `/test/end`. */
  readonly qualifiedName: string;
  /** undefined for the built-in events start / end / fail. */
  readonly decl: EventDecl | undefined;
}

/** A modifier applied to a behaviour (`with: timeout(3s)`, or a modifier line). */
export interface ModifierApplication {
  readonly modifier: ModifierDecl;
  /** One per declared parameter of the modifier, in declaration order. */
  readonly args: readonly BoundArgument[];
  readonly location: Location;
}

/** An argument bound to its parameter. */
export interface BoundArgument {
  readonly name: string;
  readonly type: OscType;
  readonly value: Expr;
  /** Where the value comes from. */
  readonly source: 'positional' | 'named' | 'constraint' | 'default';
}

// ---------------------------------------------------------------------------
// Expressions

interface ExprBase {
  readonly type: OscType;
  readonly location: Location;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '%';
export type RelationalOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

/** A typed, bound expression. Evaluate with `evaluate(expr, variables)`. */
export type Expr =
  | (ExprBase & { readonly kind: 'literal'; readonly value: Value })
  /** A parameter or global: evaluates the parameter's current `value`. */
  | (ExprBase & { readonly kind: 'parameter'; readonly decl: ParameterDecl })
  /** A variable: read from the store (by qualified name) at the moment of evaluation. */
  | (ExprBase & { readonly kind: 'variable'; readonly name: string; readonly decl: VariableDecl })
  | (ExprBase & { readonly kind: 'field'; readonly object: Expr; readonly field: string })
  | (ExprBase & { readonly kind: 'element'; readonly list: Expr; readonly index: Expr })
  /** Builds a struct value; one entry per field of the struct, in declaration order. */
  | (ExprBase & {
      readonly kind: 'struct';
      readonly decl: StructDecl;
      readonly fields: readonly { readonly name: string; readonly value: Expr }[];
    })
  | (ExprBase & { readonly kind: 'list'; readonly items: readonly Expr[] })
  | (ExprBase & { readonly kind: 'unary'; readonly operator: 'not' | '-'; readonly operand: Expr })
  | (ExprBase & {
      readonly kind: 'binary';
      readonly operator: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
    })
  | (ExprBase & {
      readonly kind: 'relation';
      readonly operator: RelationalOperator;
      readonly left: Expr;
      readonly right: Expr;
    })
  | (ExprBase & {
      readonly kind: 'logical';
      readonly operator: 'and' | 'or';
      readonly left: Expr;
      readonly right: Expr;
    })
  /** A call of an external method; one argument per method parameter, in order. */
  | (ExprBase & {
      readonly kind: 'call';
      readonly method: MethodDecl;
      readonly args: readonly { readonly name: string; readonly value: Expr }[];
    });

// ---------------------------------------------------------------------------
// Values

/** A value inside the model (see `toWire` for the form actions get). */
export type Value =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  /**
   * `si`: the value in SI base units; `unit`: the unit it was written in, if any;
   * `integral`: the value is what Python holds as an int (`3m` and `3m * 2`,
   * not `3.0m`, `250ms` or `3m / 1`), so Python's `str()` of it has no `.0`.
   */
  | {
      readonly kind: 'physical';
      readonly si: number;
      readonly type: PhysicalTypeDecl;
      readonly unit: UnitDecl | undefined;
      readonly integral: boolean;
    }
  | { readonly kind: 'enum'; readonly decl: EnumDecl; readonly name: string; readonly value: number }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | { readonly kind: 'struct'; readonly decl: StructDecl; readonly fields: Readonly<Record<string, Value>> }
  /** No value (a struct field without default). On the wire: null. */
  | { readonly kind: 'none' };

/**
 * Where variables live at run time: values in wire form, keyed by qualified
 * name. Structurally the same as the action API's `VariableAccess`.
 */
export interface VariableStore {
  get(qualifiedName: string): ArgValue | undefined;
  set(qualifiedName: string, value: ArgValue): void;
}

// ---------------------------------------------------------------------------
// The model

/** A variable that needs a blackboard entry, in declaration order. */
export interface ScenarioVariable {
  readonly qualifiedName: string;
  readonly decl: VariableDecl;
}

/** Every declaration, by name (actions by qualified name `actor.name`). */
export interface DeclarationTable {
  readonly physicalTypes: ReadonlyMap<string, PhysicalTypeDecl>;
  readonly units: ReadonlyMap<string, UnitDecl>;
  readonly enums: ReadonlyMap<string, EnumDecl>;
  readonly structs: ReadonlyMap<string, StructDecl>;
  readonly actions: ReadonlyMap<string, ActionDecl>;
  readonly modifiers: ReadonlyMap<string, ModifierDecl>;
  readonly scenarios: ReadonlyMap<string, ScenarioDecl>;
  readonly globals: ReadonlyMap<string, ParameterDecl>;
}

export interface OscModel {
  /** The scenario file given on the command line. */
  readonly mainFile: SourceFile;
  /** Every file loaded, the main file first, then imports in load order. */
  readonly files: readonly SourceFile[];
  /** The scenario to run (the only one). */
  readonly scenario: ScenarioDecl;
  readonly declarations: DeclarationTable;
  /** Variables to create before the first tick, in this order (initial values may refer to earlier ones). */
  readonly variables: readonly ScenarioVariable[];
  /** Events of the scenario (declared ones; `start`/`end`/`fail` are implicit). */
  readonly events: readonly EventDecl[];
}
