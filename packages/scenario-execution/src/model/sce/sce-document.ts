/**
 * Reading a `.sce` file: the Python `scenario_variation`'s YAML dump of the
 * Python engine's model. The file is a list of elements, each a map with one
 * key, the element's class name, whose value maps attribute names to scalars
 * and `_children` to the list of child elements:
 *
 *     - ScenarioDeclaration:
 *         qualified_behavior_name: test
 *         _children:
 *         - DoDirective:
 *             _children: [...]
 *
 * Only this shape is accepted: plain scalars, maps and lists. A YAML tag
 * (`!!python/object:…`) or alias is an error, so reading a file never makes
 * anything but these elements.
 */
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode, parseDocument, type YAMLMap } from 'yaml';
import { OscError, type SourceFile } from '../../language/diagnostics.js';

export type SceScalar = string | number | boolean | null;

/** One element of the dumped model. */
export interface SceElement {
  /** The Python model class, e.g. `BehaviorInvocation`. */
  readonly className: string;
  readonly attributes: ReadonlyMap<string, SceScalar>;
  readonly children: readonly SceElement[];
  /** 0-based offset of the class name in the file. */
  readonly offset: number;
}

/** Most elements one file may hold (the dump of the bundled libraries alone is a few thousand). */
export const MAX_SCE_ELEMENTS = 1_000_000;

/** Parse a `.sce` text into its top-level elements. Throws OscError (with the place) for anything else. */
export function readSceDocument(source: SourceFile): SceElement[] {
  const doc = parseDocument(source.text, { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) throw errorAt(source, problem.pos[0], `not a valid .sce file: ${firstLine(problem.message)}`);
  const root = doc.contents;
  if (!isSeq(root)) throw errorAt(source, nodeOffset(root), 'not a .sce file: expected a list of model elements');
  const budget = { left: MAX_SCE_ELEMENTS };
  return root.items.map((item) => readElement(source, item as YamlNode, budget, 0));
}

/** Deepest nesting accepted (real models nest a few dozen levels). */
const MAX_DEPTH = 500;

function readElement(source: SourceFile, node: YamlNode, budget: { left: number }, depth: number): SceElement {
  checkPlain(source, node);
  if (depth > MAX_DEPTH) throw errorAt(source, nodeOffset(node), `model elements nested deeper than ${MAX_DEPTH}`);
  if (--budget.left < 0) throw errorAt(source, nodeOffset(node), `more than ${MAX_SCE_ELEMENTS} model elements`);
  if (!isMap(node) || node.items.length !== 1) {
    throw errorAt(source, nodeOffset(node), 'expected a model element: a map with one key, the class name');
  }
  const pair = node.items[0]!;
  const key = pair.key as YamlNode;
  checkPlain(source, key);
  if (!isScalar(key) || typeof key.value !== 'string' || !/^[A-Z][A-Za-z]*$/.test(key.value)) {
    throw errorAt(source, nodeOffset(key), 'expected the class name of a model element');
  }
  const className = key.value;
  const body = pair.value as YamlNode | null;
  const attributes = new Map<string, SceScalar>();
  const children: SceElement[] = [];
  if (body !== null && !(isScalar(body) && body.value === null)) {
    checkPlain(source, body);
    if (!isMap(body)) throw errorAt(source, nodeOffset(body), `the attributes of ${className} must be a map`);
    readAttributes(source, body, className, attributes, children, budget, depth);
  }
  return { className, attributes, children, offset: nodeOffset(key) };
}

function readAttributes(
  source: SourceFile,
  body: YAMLMap,
  className: string,
  attributes: Map<string, SceScalar>,
  children: SceElement[],
  budget: { left: number },
  depth: number,
): void {
  for (const item of body.items) {
    const key = item.key as YamlNode;
    checkPlain(source, key);
    if (!isScalar(key) || typeof key.value !== 'string') {
      throw errorAt(source, nodeOffset(key), `attribute names of ${className} must be plain words`);
    }
    const value = item.value as YamlNode | null;
    if (value !== null) checkPlain(source, value);
    if (key.value === '_children') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isSeq(value)) throw errorAt(source, nodeOffset(value), `_children of ${className} must be a list`);
      for (const child of value.items) children.push(readElement(source, child as YamlNode, budget, depth + 1));
      continue;
    }
    if (value === null) {
      attributes.set(key.value, null);
      continue;
    }
    if (!isScalar(value)) {
      throw errorAt(source, nodeOffset(value), `attribute ${key.value} of ${className} must be a single value`);
    }
    const scalar = value.value;
    if (scalar !== null && !['string', 'number', 'boolean'].includes(typeof scalar)) {
      throw errorAt(source, nodeOffset(value), `attribute ${key.value} of ${className} has an unsupported value`);
    }
    attributes.set(key.value, scalar as SceScalar);
  }
}

/** No tags, no aliases, no anchors: a `.sce` file is plain data. */
function checkPlain(source: SourceFile, node: YamlNode): void {
  if (isAlias(node)) throw errorAt(source, nodeOffset(node), 'YAML aliases are not allowed in a .sce file');
  // A node's range starts at its content; the tag or anchor is written before it.
  if (node.tag !== undefined) {
    const at = markerOffset(source, node, '!');
    throw errorAt(source, at, `YAML tags are not allowed in a .sce file (found ${node.tag})`);
  }
  if (node.anchor !== undefined) {
    throw errorAt(source, markerOffset(source, node, '&'), 'YAML anchors are not allowed in a .sce file');
  }
}

function markerOffset(source: SourceFile, node: YamlNode, marker: string): number {
  let at = source.text.lastIndexOf(marker, nodeOffset(node));
  if (at < 0) return nodeOffset(node);
  // `!!tag`: point at the first `!`.
  while (at > 0 && source.text[at - 1] === marker) at--;
  return at;
}

function nodeOffset(node: YamlNode | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export function errorAt(source: SourceFile, offset: number, message: string): OscError {
  const { line, column } = source.position(offset);
  return new OscError(message, { file: source, line, column });
}
