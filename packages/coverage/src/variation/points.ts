/**
 * Variation points of a scenario: every `keep(<field> in [v1, v2, …])`.
 *
 * Each point is named as the Python `scenario_variation` names it: the path
 * of its element in the Python engine's model, from `CompilationUnit` down to
 * the `RelationExpression` (a named element by its name, an unnamed one by its
 * class name, with `[index]` among its parent's children when it has
 * siblings). The model shape mirrored here is the Python model builder's:
 * a labelled invocation is named by its label, a composition is a `DoMember`,
 * a behaviour's arguments come before its `with:` members.
 */
import type * as Ast from 'scenario-execution/language';
import { OscError } from 'scenario-execution/language';

/** `<left> in [values]` as the expression of a keep. */
export interface VariationPoint {
  readonly relation: Ast.BinaryExpression;
  /** The field side (`it.msg`). */
  readonly left: Ast.Expression;
  readonly list: Ast.ListLiteral;
  /** Qualified name in the Python model, e.g. `CompilationUnit.s.DoDirective.DoMember.BehaviorInvocation[0].KeepConstraintDeclaration.RelationExpression`. */
  readonly qualifiedName: string;
}

/** An element of the Python model: its name (or class name) and its children, in order. */
interface ModelElement {
  readonly className: string;
  /** The Python element's `name` when it is not empty. */
  readonly name: string | undefined;
  readonly children: readonly ModelElement[];
  /** The keep's relation, for `KeepConstraintDeclaration` elements whose expression is one. */
  readonly point?: { relation: Ast.BinaryExpression; left: Ast.Expression; list: Ast.ListLiteral };
  /** The syntax node this element stands for (for `in` expressions found where no point may be). */
  readonly node?: Ast.Node;
}

/**
 * The variation points of the main file, in the order the Python tool varies
 * them (depth-first through the model, i.e. source order).
 * @throws OscError for an `in […]` that is not a supported variation point.
 */
export function findVariationPoints(file: Ast.OscFile): VariationPoint[] {
  const root: ModelElement = {
    className: 'CompilationUnit',
    name: undefined,
    children: file.declarations.map(declarationElement),
  };
  const points: VariationPoint[] = [];
  const visit = (element: ModelElement, path: string): void => {
    if (element.point) {
      points.push({ ...element.point, qualifiedName: `${path}.RelationExpression` });
      return;
    }
    element.children.forEach((child, index) => {
      visit(child, `${path}.${elementName(child, index, element.children.length)}`);
    });
  };
  visit(root, 'CompilationUnit');
  checkNoOtherInLists(file, new Set(points.map((p) => p.relation)));
  return points;
}

function elementName(element: ModelElement, index: number, siblingCount: number): string {
  if (element.name) return element.name;
  return siblingCount > 1 ? `${element.className}[${index}]` : element.className;
}

/** An element whose subtree holds no variation point (or one the Python tool does not support). */
function leaf(className: string, name: string | undefined, node?: Ast.Node): ModelElement {
  return { className, name, children: [], node };
}

function declarationElement(decl: Ast.Declaration): ModelElement {
  switch (decl.kind) {
    case 'Scenario':
    case 'Action':
      return structured(decl.kind === 'Scenario' ? 'ScenarioDeclaration' : 'ActionDeclaration', decl.name.text, decl);
    case 'Struct':
    case 'Actor':
      return structured(decl.kind === 'Struct' ? 'StructDeclaration' : 'ActorDeclaration', decl.name.name, decl);
    case 'Modifier':
      return { className: 'ModifierDeclaration', name: decl.name.name, children: decl.members.map(memberElement) };
    case 'Extend':
      return leaf('StructuredTypeExtension', undefined, decl);
    case 'Global':
      return leaf('GlobalParameterDeclaration', decl.name.name, decl);
    default:
      return leaf(decl.kind, 'name' in decl ? decl.name.name : undefined);
  }
}

function structured(
  className: string,
  name: string,
  decl: Ast.ScenarioDeclaration | Ast.ActionDeclaration | Ast.StructDeclaration | Ast.ActorDeclaration,
): ModelElement {
  const children: ModelElement[] = [];
  if (decl.inherits) children.push(leaf('Inherits', undefined));
  for (const member of decl.members) children.push(memberElement(member));
  return { className, name, children };
}

function memberElement(member: Ast.ScenarioMember): ModelElement {
  switch (member.kind) {
    case 'Keep':
      return keepElement(member);
    case 'Do':
      return { className: 'DoDirective', name: undefined, children: [doMemberElement(member.member)] };
    case 'ModifierInvocation':
      return leaf('ModifierInvocation', undefined, member);
    case 'On':
      return leaf('OnDirective', undefined, member);
    case 'Parameter':
      return leaf('ParameterDeclaration', member.name.name, member);
    case 'Variable':
      return leaf('VariableDeclaration', member.name.name, member);
    case 'Event':
      return leaf('EventDeclaration', member.name.name, member);
    case 'Method':
      return leaf('MethodDeclaration', member.name.name, member);
  }
}

function keepElement(keep: Ast.KeepConstraint): ModelElement {
  const expression = unparenthesized(keep.expression);
  if (expression.kind === 'Binary' && expression.operator === 'in') {
    const list = unparenthesized(expression.right);
    if (list.kind !== 'List') {
      throw new OscError(
        'a variation point needs a list of values: keep(it.<field> in [v1, v2, …])',
        expression.right.loc,
      );
    }
    return {
      className: 'KeepConstraintDeclaration',
      name: undefined,
      children: [],
      point: { relation: expression, left: expression.left, list },
    };
  }
  return leaf('KeepConstraintDeclaration', undefined, keep);
}

function doMemberElement(member: Ast.DoMember): ModelElement {
  switch (member.kind) {
    case 'Composition':
      return {
        className: 'DoMember',
        name: member.label?.name,
        children: [
          ...member.arguments.map(argumentElement),
          ...member.members.map(doMemberElement),
          ...member.withMembers.map(withMemberElement),
        ],
      };
    case 'BehaviorInvocation':
      return {
        className: 'BehaviorInvocation',
        name: member.label?.name,
        children: [...member.arguments.map(argumentElement), ...member.withMembers.map(withMemberElement)],
      };
    case 'Wait':
      return leaf('WaitDirective', undefined, member);
    case 'Emit':
      return leaf('EmitDirective', member.event.name, member);
  }
}

function withMemberElement(member: Ast.WithMember): ModelElement {
  return member.kind === 'Keep' ? keepElement(member) : leaf('ModifierInvocation', undefined, member);
}

function argumentElement(argument: Ast.Argument): ModelElement {
  return argument.name
    ? leaf('NamedArgument', argument.name.name, argument)
    : leaf('PositionalArgument', undefined, argument);
}

function unparenthesized(expression: Ast.Expression): Ast.Expression {
  let current = expression;
  while (current.kind === 'Paren') current = current.expression;
  return current;
}

/**
 * The Python tool varies every `in [...]` it meets; this one only those that
 * are a keep's whole expression. Any other is an error rather than a silently
 * different set of scenarios.
 */
function checkNoOtherInLists(file: Ast.OscFile, points: ReadonlySet<Ast.BinaryExpression>): void {
  const pending: unknown[] = [...file.declarations];
  // Bounded: each node of the (finite, acyclic) tree is pushed once.
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object' || !('kind' in node)) continue;
    const astNode = node as Ast.Node;
    if (astNode.kind === 'Binary' && astNode.operator === 'in' && !points.has(astNode)) {
      throw new OscError(
        'this `in` is not a variation point: only keep(it.<field> in [v1, v2, …]) in a `with:` block ' +
          'or as a member is varied',
        astNode.operatorLoc,
      );
    }
    for (const [key, value] of Object.entries(astNode)) {
      if (key !== 'loc' && key !== 'file' && value && typeof value === 'object') pending.push(value);
    }
  }
}
