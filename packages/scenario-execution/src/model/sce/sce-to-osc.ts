/**
 * A `.sce` model written back as OpenSCENARIO DSL 2 text, which the engine
 * then loads like any scenario. Declarations that one of the libraries
 * declares (the dump holds every imported library inline) become
 * `import osc.<library>` lines; the rest is written out element by element.
 * Every line of the text remembers the element of the `.sce` file it came
 * from, so an error in the scenario points into the `.sce` file.
 *
 * What the dump does not keep cannot be written back: the SI base units of a
 * physical type (only the exponents are kept), and units, physical types and
 * events declared in the scenario itself are refused with a clear error.
 */
import type { SceElement, SceScalar } from './sce-document.js';

/** A generated line and the `.sce` offset of the element it came from. */
export interface GeneratedLine {
  readonly text: string;
  readonly sceOffset: number;
}

/** Why an element cannot be written back, and where it is. */
export class SceConversionError extends Error {
  constructor(
    message: string,
    readonly sceOffset: number,
  ) {
    super(message);
    this.name = 'SceConversionError';
  }
}

/** The library declaring a top-level declaration, by the declaration's kind and name (`Action:log`). */
export type LibraryLookup = (key: string) => string | undefined;

/** The key a library lookup uses for a `.sce` top-level element, e.g. `Action:log`. */
export function declarationKey(element: SceElement): string | undefined {
  const a = (name: string) => text(element, name);
  switch (element.className) {
    case 'PhysicalTypeDeclaration':
      return `PhysicalType:${a('type_name')}`;
    case 'UnitDeclaration':
      return `Unit:${a('unit_name')}`;
    case 'EnumDeclaration':
      return `Enum:${a('enum_name')}`;
    case 'StructDeclaration':
      return `Struct:${a('struct_name')}`;
    case 'ActorDeclaration':
      return `Actor:${a('actor')}`;
    case 'ActionDeclaration':
      return `Action:${a('qualified_behavior_name')}`;
    case 'ScenarioDeclaration':
      return `Scenario:${a('qualified_behavior_name')}`;
    case 'ModifierDeclaration': {
      const actor = element.attributes.get('actor');
      return `Modifier:${actor ? `${actor}.` : ''}${a('name')}`;
    }
    case 'GlobalParameterDeclaration':
      return `Global:${a('field_name')}`;
    default:
      return undefined;
  }
}

/** Write the model as OSC lines. Throws SceConversionError. */
export function sceToOsc(elements: readonly SceElement[], libraryOf: LibraryLookup): GeneratedLine[] {
  const out = new LineWriter();
  const imported = new Set<string>();
  const own: SceElement[] = [];
  for (const element of elements) {
    const key = declarationKey(element);
    const library = key === undefined ? undefined : libraryOf(key);
    if (library !== undefined) {
      if (!imported.has(library)) {
        imported.add(library);
        out.line(0, `import osc.${library}`, element);
      }
    } else own.push(element);
  }
  for (const element of own) writeDeclaration(out, element);
  return out.lines;
}

class LineWriter {
  readonly lines: GeneratedLine[] = [];
  line(indent: number, content: string, from: SceElement): void {
    this.lines.push({ text: '    '.repeat(indent) + content, sceOffset: from.offset });
  }
}

function text(element: SceElement, name: string): string {
  const value = element.attributes.get(name);
  if (value === undefined || value === null) {
    throw new SceConversionError(`${element.className} has no ${name}`, element.offset);
  }
  return String(value);
}

function optional(element: SceElement, name: string): SceScalar | undefined {
  const value = element.attributes.get(name);
  return value === null ? undefined : value;
}

function unsupported(element: SceElement, what: string): never {
  throw new SceConversionError(`${what} cannot be read from a .sce file`, element.offset);
}

function writeDeclaration(out: LineWriter, element: SceElement): void {
  switch (element.className) {
    case 'EnumDeclaration': {
      const members = element.children.map((m) => {
        if (m.className !== 'EnumMemberDeclaration') unsupported(m, `${m.className} in an enum`);
        const value = optional(m, 'numeric_value');
        return value === undefined ? text(m, 'member_name') : `${text(m, 'member_name')} = ${value}`;
      });
      out.line(0, `enum ${text(element, 'enum_name')}: [${members.join(', ')}]`, element);
      return;
    }
    case 'StructDeclaration':
      writeStructured(out, element, 'struct', text(element, 'struct_name'));
      return;
    case 'ActorDeclaration':
      writeStructured(out, element, 'actor', text(element, 'actor'));
      return;
    case 'ActionDeclaration':
      writeStructured(out, element, 'action', text(element, 'qualified_behavior_name'));
      return;
    case 'ScenarioDeclaration':
      writeStructured(out, element, 'scenario', text(element, 'qualified_behavior_name'));
      return;
    case 'ModifierDeclaration': {
      const actor = optional(element, 'actor');
      writeStructured(out, element, 'modifier', `${actor ? `${actor}.` : ''}${text(element, 'name')}`);
      return;
    }
    case 'StructuredTypeExtension': {
      const target = optional(element, 'qualified_behavior_name') ?? text(element, 'type_name');
      writeStructured(out, element, 'extend', String(target));
      return;
    }
    case 'GlobalParameterDeclaration': {
      const [type, value] = typeAndValue(element);
      out.line(0, `global ${text(element, 'field_name')}: ${type}${value === undefined ? '' : ` = ${value}`}`, element);
      return;
    }
    case 'PhysicalTypeDeclaration':
      unsupported(element, `physical type '${text(element, 'type_name')}' (the file does not keep its SI units)`);
      return;
    case 'UnitDeclaration':
      unsupported(element, `unit '${text(element, 'unit_name')}' (the file does not keep its SI units)`);
      return;
    default:
      unsupported(element, `a top-level ${element.className}`);
      return;
  }
}

const INHERITS = new Set(['StructInherits', 'ActorInherits', 'ScenarioInherits', 'ActionInherits']);

function writeStructured(out: LineWriter, element: SceElement, keyword: string, name: string): void {
  const inherits = element.children.find((c) => INHERITS.has(c.className));
  const members = element.children.filter((c) => !INHERITS.has(c.className));
  let head = `${keyword} ${name}`;
  if (inherits) {
    const base = optional(inherits, 'qualified_behavior_name') ?? optional(inherits, 'struct_name');
    head += ` inherits ${String(base ?? text(inherits, 'actor'))}`;
  }
  if (members.length === 0) {
    out.line(0, head, element);
    return;
  }
  out.line(0, `${head}:`, element);
  for (const member of members) writeMember(out, member, 1);
}

/** The type and the default value expression of a parameter, variable or argument. */
function typeAndValue(element: SceElement): [string, string | undefined] {
  const type = element.children.find((c) => c.className === 'Type');
  if (!type) throw new SceConversionError(`${element.className} has no Type`, element.offset);
  const valueElement = element.children.find((c) => c !== type && c.className !== 'KeepConstraintDeclaration');
  return [typeText(type), valueElement ? expression(valueElement) : undefined];
}

function typeText(type: SceElement): string {
  const name = text(type, 'type_def');
  if (type.attributes.get('is_list') !== true) return name;
  // The Python model keeps `list of string` as written without spaces.
  return `list of ${name.startsWith('listof') ? name.slice('listof'.length) : name}`;
}

function writeMember(out: LineWriter, element: SceElement, indent: number): void {
  switch (element.className) {
    case 'ParameterDeclaration':
    case 'VariableDeclaration': {
      const [type, value] = typeAndValue(element);
      const prefix = element.className === 'VariableDeclaration' ? 'var ' : '';
      const keeps = element.children.filter((c) => c.className === 'KeepConstraintDeclaration');
      const head = `${prefix}${text(element, 'field_name')}: ${type}${value === undefined ? '' : ` = ${value}`}`;
      out.line(indent, keeps.length > 0 ? `${head} with:` : head, element);
      for (const keep of keeps) writeMember(out, keep, indent + 1);
      return;
    }
    case 'KeepConstraintDeclaration': {
      const qualifier = optional(element, 'constraint_qualifier');
      out.line(indent, `keep(${qualifier ? `${qualifier} ` : ''}${expression(onlyChild(element))})`, element);
      return;
    }
    case 'ModifierInvocation':
      out.line(indent, modifierText(element), element);
      return;
    case 'MethodDeclaration':
      out.line(indent, methodText(element), element);
      return;
    case 'DoDirective':
      writeDoMember(out, onlyChild(element), indent, 'do ');
      return;
    case 'EventDeclaration':
      unsupported(element, 'an event declaration');
      return;
    default:
      unsupported(element, `a member ${element.className}`);
      return;
  }
}

function modifierText(element: SceElement): string {
  const actor = optional(element, 'actor');
  return `${actor ? `${actor}.` : ''}${text(element, 'modifier')}(${argumentsText(element.children)})`;
}

function methodText(element: SceElement): string {
  const args = element.children
    .filter((c) => c.className === 'Argument')
    .map((arg) => {
      const [type, value] = typeAndValue(arg);
      return `${text(arg, 'argument_name')}: ${type}${value === undefined ? '' : ` = ${value}`}`;
    });
  const returnType = optional(element, 'return_type');
  const body = element.children.find((c) => c.className === 'MethodBody');
  if (!body || optional(body, 'type_ref') !== 'external') unsupported(element, 'a method that is not external');
  const only = optional(body, 'qualifier') === 'only' ? 'only ' : '';
  const target = text(body, 'external_name');
  return `def ${text(element, 'method_name')}(${args.join(', ')})${returnType ? ` -> ${returnType}` : ''} is ${only}external ${target}()`;
}

const BEHAVIOUR_ARGUMENTS = new Set(['PositionalArgument', 'NamedArgument']);
const WITH_MEMBERS = new Set(['KeepConstraintDeclaration', 'ModifierInvocation']);

function writeDoMember(out: LineWriter, element: SceElement, indent: number, prefix = ''): void {
  const label = optional(element, element.className === 'DoMember' ? 'label_name' : 'name');
  const labelText = label ? `${label}: ` : '';
  switch (element.className) {
    case 'DoMember': {
      const args = element.children.filter((c) => BEHAVIOUR_ARGUMENTS.has(c.className));
      const withMembers = element.children.filter((c) => WITH_MEMBERS.has(c.className));
      if (withMembers.length > 0) unsupported(withMembers[0]!, 'a with: block of a composition');
      const members = element.children.filter((c) => !BEHAVIOUR_ARGUMENTS.has(c.className));
      const op = text(element, 'composition_operator');
      out.line(indent, `${prefix}${labelText}${op}${args.length > 0 ? `(${argumentsText(args)})` : ''}:`, element);
      for (const member of members) writeDoMember(out, member, indent + 1);
      return;
    }
    case 'BehaviorInvocation': {
      const actor = optional(element, 'actor');
      const args = element.children.filter((c) => BEHAVIOUR_ARGUMENTS.has(c.className));
      const withMembers = element.children.filter((c) => WITH_MEMBERS.has(c.className));
      const call = `${prefix}${labelText}${actor ? `${actor}.` : ''}${text(element, 'behavior')}(${argumentsText(args)})`;
      out.line(indent, withMembers.length > 0 ? `${call} with:` : call, element);
      for (const member of withMembers) writeMember(out, member, indent + 1);
      return;
    }
    case 'WaitDirective':
      out.line(indent, `${prefix}wait ${waitCondition(onlyChild(element))}`, element);
      return;
    case 'EmitDirective': {
      const args = argumentsText(element.children);
      out.line(indent, `${prefix}emit ${text(element, 'event_name')}${args ? `(${args})` : ''}`, element);
      return;
    }
    default:
      unsupported(element, `a behaviour ${element.className}`);
      return;
  }
}

function waitCondition(element: SceElement): string {
  if (element.className === 'EventReference') return `@${text(element, 'event_path')}`;
  if (element.className !== 'EventCondition') return expression(element);
  const inner = onlyChild(element);
  if (inner.className === 'ElapsedExpression') return `elapsed(${expression(onlyChild(inner))})`;
  return expression(inner);
}

function onlyChild(element: SceElement): SceElement {
  const child = element.children[0];
  if (element.children.length !== 1 || !child) {
    throw new SceConversionError(`${element.className} must have exactly one child`, element.offset);
  }
  return child;
}

function argumentsText(children: readonly SceElement[]): string {
  return children
    .filter((c) => BEHAVIOUR_ARGUMENTS.has(c.className))
    .map((arg) =>
      arg.className === 'NamedArgument'
        ? `${text(arg, 'argument_name')}: ${expression(onlyChild(arg))}`
        : expression(onlyChild(arg)),
    )
    .join(', ');
}

const COMPOUND = new Set(['RelationExpression', 'BinaryExpression', 'LogicalExpression', 'UnaryExpression']);

/** An operand, in parentheses when it is itself an operation (the dump has no parentheses). */
function operand(element: SceElement): string {
  const inner = expression(element);
  return COMPOUND.has(element.className) ? `(${inner})` : inner;
}

function expression(element: SceElement): string {
  const c = element.children;
  switch (element.className) {
    case 'RelationExpression':
    case 'BinaryExpression':
      if (c.length !== 2) throw new SceConversionError(`${element.className} must have two operands`, element.offset);
      return `${operand(c[0]!)} ${text(element, 'operator')} ${operand(c[1]!)}`;
    case 'LogicalExpression': {
      const op = text(element, 'operator');
      if (op === 'not') return `not ${operand(onlyChild(element))}`;
      return c.map(operand).join(` ${op} `);
    }
    case 'UnaryExpression':
      return `${text(element, 'operator')}${operand(onlyChild(element))}`;
    case 'IdentifierReference':
      return text(element, 'ref');
    case 'FieldAccessExpression':
      return text(element, 'field_name');
    case 'FunctionApplicationExpression':
      return `${text(element, 'func_name')}(${argumentsText(c)})`;
    case 'ListExpression':
      return `[${c.map(expression).join(', ')}]`;
    case 'PhysicalLiteral':
      return `${text(element, 'value')}${text(element, 'unit')}`;
    case 'IntegerLiteral':
    case 'FloatLiteral':
    case 'BoolLiteral':
      return text(element, 'value');
    case 'StringLiteral':
      return quote(String(element.attributes.get('value') ?? ''));
    case 'EnumValueReference':
      return `${text(element, 'enum_name')}!${text(element, 'enum_member_name')}`;
    default:
      return unsupported(element, `an expression ${element.className}`);
  }
}

function quote(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}
