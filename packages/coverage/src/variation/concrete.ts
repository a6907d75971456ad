/**
 * Concrete scenarios: one per combination of the variation points' values,
 * in the Python tool's order (the first point varies slowest), each the
 * original source text with every `keep(x in [a, b])` replaced by
 * `keep(x == a)`. Everything else stays as written, so a concrete scenario
 * diffs against its abstract one in exactly the varied lines.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type * as Ast from 'scenario-execution/language';
import type { VariationPoint } from './points.js';
import { describeValue } from './value-description.js';

/** Which value each point took: `choice[i]` indexes `points[i].list.elements`. */
export type Combination = readonly number[];

export interface ConcreteScenario {
  /** 0-based position in the Python tool's numbering (`<name><index>`). */
  readonly index: number;
  readonly combination: Combination;
  /** `<qualified name>==<value>` per point, as the Python tool writes them after `#`. */
  readonly descriptions: readonly string[];
  /** The source with the chosen values, imports as in the original (for resolving at the original path). */
  readonly body: string;
}

/** Number of combinations: the product of the list lengths (1 when there are no points). */
export function combinationCount(points: readonly VariationPoint[]): number {
  return points.reduce((n, p) => n * p.list.elements.length, 1);
}

/** The combination at `index` of the cross product, the last point varying fastest. */
export function combinationAt(points: readonly VariationPoint[], index: number): Combination {
  const choice: number[] = new Array(points.length).fill(0);
  let rest = index;
  for (let i = points.length - 1; i >= 0; i--) {
    const size = (points[i] as VariationPoint).list.elements.length;
    choice[i] = rest % size;
    rest = Math.floor(rest / size);
  }
  return choice;
}

/** The concrete scenario at `index` of the cross product. */
export function concreteScenario(
  file: Ast.OscFile,
  points: readonly VariationPoint[],
  index: number,
): ConcreteScenario {
  const combination = combinationAt(points, index);
  const text = file.file.text;
  const replacements = points.map((point, i) => {
    const value = point.list.elements[combination[i] as number] as Ast.Expression;
    return {
      start: point.relation.start,
      end: point.relation.end,
      text: `${source(text, point.left)} == ${source(text, value)}`,
      description: `${point.qualifiedName}==${describeValue(value)}`,
    };
  });
  return {
    index,
    combination,
    descriptions: replacements.map((r) => r.description),
    body: replaceSpans(text, replacements),
  };
}

/** The list of values a point's `combination` entry chose, as written. */
export function chosenValueText(point: VariationPoint, choice: number): string {
  const value = point.list.elements[choice] as Ast.Expression;
  return source(value.loc.file.text, value);
}

/** The field side of a point (`it.msg`), as written. */
export function fieldText(point: VariationPoint): string {
  return source(point.left.loc.file.text, point.left);
}

/**
 * The text written to `outputPath`: the description comment lines, then the
 * body with each `import "file"` re-pointed so it still finds the file from
 * the output folder.
 */
export function fileText(
  file: Ast.OscFile,
  scenario: ConcreteScenario,
  sourcePath: string,
  outputPath: string,
): string {
  const header = scenario.descriptions.map((d) => `#${d}\n`).join('');
  const sourceDir = dirname(resolve(sourcePath));
  const outputDir = dirname(resolve(outputPath));
  if (sourceDir === outputDir) return header + scenario.body;
  // Imports precede every declaration, so their offsets in the body are those
  // of the original text; replace from the last so earlier offsets stay valid.
  const fileImports = file.imports.filter((imp) => imp.source === 'file' && !isAbsolute(imp.name));
  let body = scenario.body;
  for (const imp of [...fileImports].reverse()) {
    const target = relative(outputDir, resolve(sourceDir, imp.name)).split('\\').join('/');
    body = `${body.slice(0, imp.start)}import ${JSON.stringify(target)}${body.slice(imp.end)}`;
  }
  return header + body;
}

function source(text: string, node: Ast.Node): string {
  return text.slice(node.start, node.end);
}

function replaceSpans(text: string, spans: readonly { start: number; end: number; text: string }[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    out += text.slice(at, span.start) + span.text;
    at = span.end;
  }
  return out + text.slice(at);
}
