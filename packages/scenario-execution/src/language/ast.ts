/**
 * Syntax tree of an OpenSCENARIO DSL 2 file, as produced by `parse()`.
 *
 * Every node has a `kind` (the discriminant), a `loc` (file/line/column of the
 * node's first token) and `start`/`end` (0-based offsets into the source text,
 * `end` exclusive) so the model can quote source text where it needs to.
 *
 * What the parser rejects itself (with `<construct> is not supported` at the
 * same token the Python engine points to) — these are exactly the constructs
 * the Python engine rejects unconditionally while building its model. `parse`
 * throws for them; `parseWithErrors` returns a tree where they are left out
 * or reduced (an unsupported expression keeps only its first operand):
 *   - statements: `call`, `until`, `cover`, `record`, `remove_default`,
 *     `sample(...)`, enum type extension (`extend e: [..]`)
 *   - event conditions: `rise(...)`, `fall(...)`, `every(...)`
 *   - expressions: ternary `a ? b : c`, implication `=>`, cast `x.as(T)`,
 *     type test `x.is(T)`, ranges `range(a, b)` / `[a..b]`
 *   (element access `a[i]` is supported, beyond the Python engine)
 *   - `inherits X(field == value)` (inherits condition)
 *   - several field names in one declaration (`a, b: int`)
 *   - `modifier actor.name` and `modifier name of behaviour`
 * Everything else the grammar accepts is kept, and the model decides (e.g.
 * `def f() is expression e`, `def f() is undefined`, `is only`, `emit e(args)`,
 * event declarations with arguments, `event e is @x if cond`, and `on @e:`
 * blocks, which the Python engine accepts and then ignores).
 *
 * Lexical choices (see lexer.ts): every word the grammar spells out is
 * reserved (`m`, `s`, `offset`, `factor`, … cannot be plain names; `|m|` can);
 * a sign before a number is folded into the literal (`-5` is Integer -5, `-x`
 * is Unary); `1e3` is a float (the grammar would read unit `e3`); a physical
 * literal's unit must be on the number's line.
 *
 * Names are `Identifier` nodes; a name written `|any text|` is stored without
 * the vertical bars. This file only adds things over time; shapes stay stable.
 */
import type { Location, SourceFile } from './diagnostics.js';

/** Fields every node carries. */
export interface NodeBase {
  readonly loc: Location;
  /** 0-based offset of the node's first character. */
  readonly start: number;
  /** 0-based offset just after the node's last character. */
  readonly end: number;
}

/** A name as written (without `|…|` bars). */
export interface Identifier extends NodeBase {
  readonly kind: 'Identifier';
  readonly name: string;
}

/** `actor.behavior` or just `behavior` (scenario/action names, invocations, types). */
export interface QualifiedName extends NodeBase {
  readonly kind: 'QualifiedName';
  readonly actor: Identifier | undefined;
  readonly name: Identifier;
  /** `actor.name` or `name`. */
  readonly text: string;
}

// ---------------------------------------------------------------------------
// File

export interface OscFile extends NodeBase {
  readonly kind: 'File';
  readonly file: SourceFile;
  readonly imports: readonly ImportStatement[];
  readonly declarations: readonly Declaration[];
}

/** `import osc.types` (library) or `import "path/file.osc"` (file). */
export interface ImportStatement extends NodeBase {
  readonly kind: 'Import';
  readonly source: 'library' | 'file';
  /**
   * For `library`: the dotted name as written, e.g. `osc.types` (the model
   * checks the `osc.` prefix). For `file`: the decoded string, e.g. `lib/a.osc`.
   */
  readonly name: string;
  /** For `library`: the name's parts, e.g. ['osc', 'types']; for `file`: [name]. */
  readonly parts: readonly string[];
}

// ---------------------------------------------------------------------------
// Declarations (top level)

export type Declaration =
  | PhysicalTypeDeclaration
  | UnitDeclaration
  | EnumDeclaration
  | StructDeclaration
  | ActorDeclaration
  | ActionDeclaration
  | ScenarioDeclaration
  | ModifierDeclaration
  | TypeExtension
  | GlobalParameterDeclaration;

export type SIBaseUnitName = 'kg' | 'm' | 's' | 'A' | 'K' | 'mol' | 'cd' | 'rad';

/** `m: 1` inside `SI(...)`. */
export interface SIExponent extends NodeBase {
  readonly kind: 'SIExponent';
  readonly unit: SIBaseUnitName;
  readonly exponent: number;
}

/** A number in a declaration (`factor: 0.01`), remembering whether it was written as a float. */
export interface NumberValue extends NodeBase {
  readonly kind: 'NumberValue';
  readonly value: number;
  readonly isFloat: boolean;
  readonly text: string;
}

/** `type length is SI(m: 1)` */
export interface PhysicalTypeDeclaration extends NodeBase {
  readonly kind: 'PhysicalType';
  readonly name: Identifier;
  readonly exponents: readonly SIExponent[];
}

/** `unit cm of length is SI(m: 1, factor: 0.01, offset: 0)` */
export interface UnitDeclaration extends NodeBase {
  readonly kind: 'Unit';
  /** May be an SI base unit name (`unit m of length …`). */
  readonly name: Identifier;
  readonly physicalType: Identifier;
  readonly exponents: readonly SIExponent[];
  readonly factor: NumberValue | undefined;
  readonly offset: NumberValue | undefined;
}

/** `enum color: [red, green = 5, blue = 0x10]` */
export interface EnumDeclaration extends NodeBase {
  readonly kind: 'Enum';
  readonly name: Identifier;
  readonly members: readonly EnumMember[];
}

export interface EnumMember extends NodeBase {
  readonly kind: 'EnumMember';
  readonly name: Identifier;
  /** Explicit value (decimal or hex), if written. */
  readonly value: NumberValue | undefined;
}

/** `inherits base` */
export interface InheritsClause extends NodeBase {
  readonly kind: 'Inherits';
  /** For struct/actor just `name`; for scenario/action possibly `actor.name`. */
  readonly name: QualifiedName;
}

/** `struct name [inherits base][: members]` */
export interface StructDeclaration extends NodeBase {
  readonly kind: 'Struct';
  readonly name: Identifier;
  readonly inherits: InheritsClause | undefined;
  readonly members: readonly StructMember[];
}

/** `actor name [inherits base][: members]` */
export interface ActorDeclaration extends NodeBase {
  readonly kind: 'Actor';
  readonly name: Identifier;
  readonly inherits: InheritsClause | undefined;
  readonly members: readonly StructMember[];
}

/** `action [actor.]name [inherits base][: members]` */
export interface ActionDeclaration extends NodeBase {
  readonly kind: 'Action';
  readonly name: QualifiedName;
  readonly inherits: InheritsClause | undefined;
  readonly members: readonly ScenarioMember[];
}

/** `scenario [actor.]name [inherits base][: members]` */
export interface ScenarioDeclaration extends NodeBase {
  readonly kind: 'Scenario';
  readonly name: QualifiedName;
  readonly inherits: InheritsClause | undefined;
  readonly members: readonly ScenarioMember[];
}

/** `modifier name[: members]` */
export interface ModifierDeclaration extends NodeBase {
  readonly kind: 'Modifier';
  readonly name: Identifier;
  /** Members other than `do` (the grammar allows scenario members here). */
  readonly members: readonly ScenarioMember[];
}

/** `extend name: members` (structured type extension). */
export interface TypeExtension extends NodeBase {
  readonly kind: 'Extend';
  /** Type name, or `actor.behavior`. */
  readonly target: QualifiedName;
  readonly members: readonly ScenarioMember[];
}

/** `global name: type [= value]` */
export interface GlobalParameterDeclaration extends NodeBase {
  readonly kind: 'Global';
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly defaultValue: Expression | undefined;
  readonly constraints: readonly KeepConstraint[];
}

// ---------------------------------------------------------------------------
// Types

export type PrimitiveTypeName = 'int' | 'uint' | 'float' | 'bool' | 'string';

/** `int`, `speed`, `robot.move` (qualified), `list of T`. */
export interface TypeRef extends NodeBase {
  readonly kind: 'TypeRef';
  /** Element type name (for lists, the element's), e.g. `float`, `position_3d`. */
  readonly name: Identifier;
  /** Set for a qualified behaviour name `actor.name`. */
  readonly actor: Identifier | undefined;
  readonly primitive: PrimitiveTypeName | undefined;
  readonly isList: boolean;
  /** As written without spaces: `float`, `a.b`, `list of float`. */
  readonly text: string;
}

// ---------------------------------------------------------------------------
// Members

/** Members of struct / actor bodies. */
export type StructMember =
  | ParameterDeclaration
  | VariableDeclaration
  | EventDeclaration
  | MethodDeclaration
  | KeepConstraint;

/** Members of scenario / action / modifier / extend bodies, in source order. */
export type ScenarioMember = StructMember | ModifierInvocation | DoDirective | OnDirective;

/** `name: type [= default] [with: keep(...)...]` */
export interface ParameterDeclaration extends NodeBase {
  readonly kind: 'Parameter';
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly defaultValue: Expression | undefined;
  /** From an attached `with:` block. */
  readonly constraints: readonly KeepConstraint[];
}

/** `var name: type [= value]` */
export interface VariableDeclaration extends NodeBase {
  readonly kind: 'Variable';
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly defaultValue: Expression | undefined;
}

/** `event name [(args)] [is spec]` */
export interface EventDeclaration extends NodeBase {
  readonly kind: 'Event';
  readonly name: Identifier;
  readonly parameters: readonly ParameterSpecification[];
  readonly specification: EventSpecification | undefined;
}

/** `name: type [= default]` in `def f(...)` / `event e(...)`. */
export interface ParameterSpecification extends NodeBase {
  readonly kind: 'ParameterSpecification';
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly defaultValue: Expression | undefined;
}

/** `def name(params) [-> type] is [only] (external a.b(args) | expression e | undefined)` */
export interface MethodDeclaration extends NodeBase {
  readonly kind: 'Method';
  readonly name: Identifier;
  readonly parameters: readonly ParameterSpecification[];
  readonly returnType: TypeRef | undefined;
  readonly body: MethodBody;
}

export type MethodBody = ExternalMethodBody | ExpressionMethodBody | UndefinedMethodBody;

export interface ExternalMethodBody extends NodeBase {
  readonly kind: 'ExternalMethod';
  readonly only: boolean;
  /** Dotted name as written, e.g. `scenario_execution.external_methods.random.get_float`. */
  readonly target: string;
  readonly targetParts: readonly Identifier[];
  readonly arguments: readonly Argument[];
}

export interface ExpressionMethodBody extends NodeBase {
  readonly kind: 'ExpressionMethod';
  readonly only: boolean;
  readonly expression: Expression;
}

export interface UndefinedMethodBody extends NodeBase {
  readonly kind: 'UndefinedMethod';
  readonly only: boolean;
}

/** `keep([default|hard] expr)` */
export interface KeepConstraint extends NodeBase {
  readonly kind: 'Keep';
  readonly qualifier: 'default' | 'hard' | undefined;
  readonly expression: Expression;
}

/**
 * `[actor.]name(args)` as a scenario member or inside a `with:` block.
 * The grammar also allows `actor.behavior.name(args)`: then `actor` holds
 * `actor` and `behavior` holds `behavior`.
 */
export interface ModifierInvocation extends NodeBase {
  readonly kind: 'ModifierInvocation';
  readonly actor: Identifier | undefined;
  readonly behavior: Identifier | undefined;
  readonly name: Identifier;
  readonly arguments: readonly Argument[];
}

/** `do <member>` */
export interface DoDirective extends NodeBase {
  readonly kind: 'Do';
  readonly member: DoMember;
}

/** `on <event specification>:` followed by indented `emit` lines (`call` is rejected). */
export interface OnDirective extends NodeBase {
  readonly kind: 'On';
  readonly specification: EventSpecification;
  readonly members: readonly EmitDirective[];
}

// ---------------------------------------------------------------------------
// Behaviour (inside `do`)

export type DoMember = Composition | BehaviorInvocation | WaitDirective | EmitDirective;

export type CompositionOperator = 'serial' | 'parallel' | 'one_of';

/** `[label:] serial[(args)]: members [with: ...]` */
export interface Composition extends NodeBase {
  readonly kind: 'Composition';
  readonly label: Identifier | undefined;
  readonly operator: CompositionOperator;
  /** Token of the operator keyword. */
  readonly operatorLoc: Location;
  readonly arguments: readonly Argument[];
  readonly members: readonly DoMember[];
  readonly withMembers: readonly WithMember[];
}

/**
 * `[label:] [actor.]name(args) [with: ...]`. A modifier written as a line in a
 * composition (e.g. `repeat()`) also parses as this node; the model decides.
 */
export interface BehaviorInvocation extends NodeBase {
  readonly kind: 'BehaviorInvocation';
  readonly label: Identifier | undefined;
  readonly actor: Identifier | undefined;
  readonly name: Identifier;
  readonly arguments: readonly Argument[];
  readonly withMembers: readonly WithMember[];
}

/** Members of a behaviour's `with:` block. */
export type WithMember = KeepConstraint | ModifierInvocation;

/** `[label:] wait <event specification>` */
export interface WaitDirective extends NodeBase {
  readonly kind: 'Wait';
  readonly label: Identifier | undefined;
  readonly specification: EventSpecification;
}

/** `[label:] emit name[(args)]` */
export interface EmitDirective extends NodeBase {
  readonly kind: 'Emit';
  readonly label: Identifier | undefined;
  readonly event: Identifier;
  readonly arguments: readonly Argument[];
}

/** What `wait` / `event … is` waits for. */
export type EventSpecification = EventReference | ElapsedCondition | BoolCondition;

/** `@[path.]event [as field] [if condition]` */
export interface EventReference extends NodeBase {
  readonly kind: 'EventReference';
  /** Everything before the last `.`: e.g. `a.b` in `@a.b.e`; undefined for `@e`. */
  readonly scope: Expression | undefined;
  readonly event: Identifier;
  /** `@a.e` → `a.e`: the path as written without spaces. */
  readonly path: string;
  readonly fieldName: Identifier | undefined;
  readonly condition: EventCondition | undefined;
}

export type EventCondition = ElapsedCondition | BoolCondition;

/** `elapsed(duration)` */
export interface ElapsedCondition extends NodeBase {
  readonly kind: 'Elapsed';
  readonly duration: Expression;
}

/** A boolean expression used as an event condition (`wait x > 3`). */
export interface BoolCondition extends NodeBase {
  readonly kind: 'BoolCondition';
  readonly expression: Expression;
}

// ---------------------------------------------------------------------------
// Arguments

/** Positional (`name` undefined) or named (`name: value`) argument. */
export interface Argument extends NodeBase {
  readonly kind: 'Argument';
  readonly name: Identifier | undefined;
  readonly value: Expression;
}

// ---------------------------------------------------------------------------
// Expressions

export type Expression =
  | BinaryExpression
  | UnaryExpression
  | ReferenceExpression
  | MemberExpression
  | CallExpression
  | ElementAccessExpression
  | ItExpression
  | ParenthesizedExpression
  | IntegerLiteral
  | FloatLiteral
  | BoolLiteral
  | StringLiteral
  | PhysicalLiteral
  | EnumValueLiteral
  | ListLiteral;

export type LogicalOperator = 'or' | 'and';
export type RelationalOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
export type AdditiveOperator = '+' | '-';
export type MultiplicativeOperator = '*' | '/' | '%';
export type BinaryOperator = LogicalOperator | RelationalOperator | AdditiveOperator | MultiplicativeOperator;

/**
 * Precedence, loosest first: `or`, `and`, (`not`), relational (left-assoc,
 * `a < b < c` is `(a < b) < c`), `+ -`, `* / %`, unary `-`, postfix.
 */
export interface BinaryExpression extends NodeBase {
  readonly kind: 'Binary';
  readonly operator: BinaryOperator;
  readonly operatorLoc: Location;
  readonly left: Expression;
  readonly right: Expression;
}

export interface UnaryExpression extends NodeBase {
  readonly kind: 'Unary';
  readonly operator: 'not' | '-';
  readonly operand: Expression;
}

/**
 * A plain name or dotted chain of plain names: `x`, `a.b.c` (the grammar's
 * identifierReference). `name` is the joined text `a.b.c`.
 */
export interface ReferenceExpression extends NodeBase {
  readonly kind: 'Reference';
  readonly parts: readonly Identifier[];
  readonly name: string;
}

/** `object.member` where object is not a plain name chain (e.g. `it.x`, `f().y`, `(a).b`). */
export interface MemberExpression extends NodeBase {
  readonly kind: 'Member';
  readonly object: Expression;
  readonly member: Identifier;
}

/** `callee(args)`, e.g. `get_float(1)` or `a.b.f(x, y: 2)`. */
export interface CallExpression extends NodeBase {
  readonly kind: 'Call';
  readonly callee: Expression;
  readonly arguments: readonly Argument[];
}

/** `list[index]` (beyond the Python engine, which rejects it). */
export interface ElementAccessExpression extends NodeBase {
  readonly kind: 'ElementAccess';
  readonly object: Expression;
  readonly index: Expression;
}

/** `it` */
export interface ItExpression extends NodeBase {
  readonly kind: 'It';
}

/** `(expression)` — kept so source text and precedence can be reproduced. */
export interface ParenthesizedExpression extends NodeBase {
  readonly kind: 'Paren';
  readonly expression: Expression;
}

/** `12`, `0x1F` */
export interface IntegerLiteral extends NodeBase {
  readonly kind: 'Integer';
  readonly value: number;
  readonly text: string;
  readonly hex: boolean;
}

/** `1.5`, `.5`, `1.5e-3`, `1e3` */
export interface FloatLiteral extends NodeBase {
  readonly kind: 'Float';
  readonly value: number;
  readonly text: string;
}

/** `true`, `false` */
export interface BoolLiteral extends NodeBase {
  readonly kind: 'Bool';
  readonly value: boolean;
}

/** `"text"`, `'text'`, `"""long"""`, `'''long'''`; `value` has escapes decoded. */
export interface StringLiteral extends NodeBase {
  readonly kind: 'String';
  readonly value: string;
  /** Source text including quotes. */
  readonly raw: string;
}

/** `250ms`, `0.1m`, `2 s`, `3kph` */
export interface PhysicalLiteral extends NodeBase {
  readonly kind: 'Physical';
  readonly value: number;
  readonly isFloat: boolean;
  /** Number as written. */
  readonly text: string;
  readonly unit: Identifier;
}

/** `color!green` */
export interface EnumValueLiteral extends NodeBase {
  readonly kind: 'EnumValue';
  readonly enumName: Identifier;
  readonly member: Identifier;
}

/** `[a, b, c]` */
export interface ListLiteral extends NodeBase {
  readonly kind: 'List';
  readonly elements: readonly Expression[];
}

/** Any node of the tree. */
export type Node =
  | OscFile
  | ImportStatement
  | Identifier
  | QualifiedName
  | Declaration
  | SIExponent
  | NumberValue
  | EnumMember
  | InheritsClause
  | TypeRef
  | ScenarioMember
  | ParameterSpecification
  | MethodBody
  | DoMember
  | EventSpecification
  | Argument
  | Expression;
