/**
 * The behaviour tree as a Graphviz DOT graph, laid out as py_trees'
 * `render_dot_tree` draws it (shapes and colours per node kind, `Ⓜ` for
 * composites with memory, `⚡` and the policy for parallels, `*` suffixes to
 * keep node names unique), plus SVG and PNG when the `dot` program exists.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Behaviour } from '../runtime/behaviour.js';
import { Parallel, Selector, Sequence } from '../runtime/composites.js';
import { Decorator } from '../runtime/decorators.js';

const FONT_SIZE = 9;
const MEMORY_SYMBOL = '\u24c2';
const SYNCHRONISED_SYMBOL = '\u26a1';
const KEYWORDS = new Set(['graph', 'subgraph', 'digraph', 'node', 'edge', 'strict']);

/** A DOT ID: bare when it is a plain identifier or number, quoted otherwise. */
export function dotId(text: string): string {
  if ((/^[_a-zA-Z][a-zA-Z0-9_]*$/.test(text) && !KEYWORDS.has(text.toLowerCase())) || /^[0-9]+$/.test(text)) {
    return text;
  }
  return `"${text.replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

function nodeStyle(node: Behaviour): { shape: string; fillcolor: string } {
  if (node instanceof Selector) return { shape: 'octagon', fillcolor: 'cyan' };
  if (node instanceof Sequence) return { shape: 'box', fillcolor: 'orange' };
  if (node instanceof Parallel) return { shape: 'parallelogram', fillcolor: 'gold' };
  if (node instanceof Decorator) return { shape: 'ellipse', fillcolor: 'ghostwhite' };
  return { shape: 'ellipse', fillcolor: 'gray' };
}

function nodeLabel(name: string, node: Behaviour): string {
  let prefix = '';
  let policy = '';
  if ((node instanceof Sequence || node instanceof Selector) && node.memory) prefix += MEMORY_SYMBOL;
  if (node instanceof Parallel) {
    if (node.policy.kind === 'successOnAll' && node.policy.synchronise) prefix += SYNCHRONISED_SYMBOL;
    policy = node.policy.kind === 'successOnAll' ? 'SuccessOnAll' : 'SuccessOnOne';
  }
  let label = prefix ? `${prefix} ${name}` : name;
  if (policy) label += `\n${policy}`;
  return label;
}

function nodeStatement(name: string, node: Behaviour): string {
  const { shape, fillcolor } = nodeStyle(node);
  // Attributes in alphabetical order, as pydot writes them.
  const attributes = [
    `fillcolor=${fillcolor}`,
    'fontcolor=black',
    `fontsize=${FONT_SIZE}`,
    `label=${dotId(nodeLabel(name, node))}`,
    `shape=${shape}`,
    'style=filled',
  ];
  return `${dotId(name)} [${attributes.join(', ')}];`;
}

/** The DOT text of a tree. */
export function dotTree(root: Behaviour): string {
  const lines = [
    'digraph pastafarianism {',
    'ordering=out;',
    'graph [fontname="times-roman"];',
    'node [fontname="times-roman"];',
    'edge [fontname="times-roman"];',
    nodeStatement(root.name, root),
  ];
  const usedNames = new Set<string>([root.name]);
  const addChildren = (parent: Behaviour, parentName: string): void => {
    for (const child of parent.children) {
      let name = child.name;
      while (usedNames.has(name)) name += '*';
      usedNames.add(name);
      lines.push(nodeStatement(name, child));
      lines.push(`${dotId(parentName)} -> ${dotId(name)};`);
      if (child.children.length > 0) addChildren(child, name);
    }
  };
  addChildren(root, root.name);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A file name from a tree name, as py_trees makes one (lower case, `_` for spaces, safe characters). */
export function dotFileStem(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[ \n]/g, '_')
    .replace(/[^-\p{L}\p{N}_.]/gu, '');
}

let dotProgramAvailable: boolean | undefined;

function hasDotProgram(): boolean {
  if (dotProgramAvailable === undefined) {
    const probe = spawnSync('dot', ['-V'], { stdio: 'ignore' });
    dotProgramAvailable = probe.error === undefined && probe.status === 0;
  }
  return dotProgramAvailable;
}

/**
 * Write `<stem>.dot` into `directory`, and `<stem>.png`/`<stem>.svg` when
 * Graphviz is installed; each file is announced as py_trees does
 * (`Writing <path>`). Returns the paths written.
 */
export function renderDotTree(root: Behaviour, directory: string, print: (line: string) => void): string[] {
  mkdirSync(directory, { recursive: true });
  const stem = dotFileStem(root.name);
  const dotFile = join(directory, `${stem}.dot`);
  print(`Writing ${dotFile}`);
  writeFileSync(dotFile, dotTree(root));
  const written = [dotFile];
  if (!hasDotProgram()) return written;
  for (const format of ['png', 'svg']) {
    const file = join(directory, `${stem}.${format}`);
    print(`Writing ${file}`);
    const result = spawnSync('dot', [`-T${format}`, '-o', file, dotFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status === 0) written.push(file);
  }
  return written;
}
