/**
 * The behaviour tree as a Graphviz DOT graph, laid out as py_trees'
 * `render_dot_tree` draws it (shapes and colours per node kind, `Ⓜ` for
 * composites with memory, `⚡` and the policy for parallels, `*` suffixes to
 * keep node names unique), plus SVG and PNG when the `dot` program exists.
 *
 * The .dot file is the Python engine's text; the pictures say "memory" and
 * "synchronised" in words instead, as many fonts lack those two glyphs (they
 * showed as empty boxes). After a run, {@link renderResultPicture} draws the
 * tree again with each node filled by its final status.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Behaviour } from '../runtime/behaviour.js';
import { Parallel, Selector, Sequence } from '../runtime/composites.js';
import { Decorator } from '../runtime/decorators.js';
import type { FinalStatus } from './report/run-record.js';

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

/** Options of {@link dotTree}. */
export interface DotTreeOptions {
  /** Labels every font can show: "memory" and "synchronised" in words, not as glyphs. */
  readonly plainLabels?: boolean;
  /** Fill each node by its status after a run (instead of by its kind), with a legend. */
  readonly statusOf?: (node: Behaviour) => FinalStatus;
  /** A title above the graph (with `statusOf`: the scenario and its result). */
  readonly title?: string;
}

/** Fill colours of the result picture: green, red, blue as in the live tree; not run stays white. */
export const STATUS_FILL: Readonly<Record<FinalStatus, string>> = {
  success: 'palegreen',
  failure: 'salmon',
  running: 'lightskyblue',
  interrupted: 'khaki',
  'not run': 'white',
};

function nodeLabel(name: string, node: Behaviour, plain: boolean): string {
  let prefix = '';
  const notes: string[] = [];
  const memory = (node instanceof Sequence || node instanceof Selector) && node.memory;
  if (memory) {
    if (plain) notes.push('with memory');
    else prefix += MEMORY_SYMBOL;
  }
  if (node instanceof Parallel) {
    const policy = node.policy.kind === 'successOnAll' ? 'SuccessOnAll' : 'SuccessOnOne';
    if (node.policy.kind === 'successOnAll' && node.policy.synchronise) {
      if (plain) notes.push(`${policy}, synchronised`);
      else {
        prefix += SYNCHRONISED_SYMBOL;
        notes.push(policy);
      }
    } else notes.push(policy);
  }
  const label = prefix ? `${prefix} ${name}` : name;
  return [label, ...notes].join('\n');
}

function nodeStatement(name: string, node: Behaviour, options: DotTreeOptions): string {
  const { shape, fillcolor } = nodeStyle(node);
  const fill = options.statusOf === undefined ? fillcolor : STATUS_FILL[options.statusOf(node)];
  // Attributes in alphabetical order, as pydot writes them.
  const attributes = [
    `fillcolor=${fill}`,
    'fontcolor=black',
    `fontsize=${FONT_SIZE}`,
    `label=${dotId(nodeLabel(name, node, options.plainLabels ?? false))}`,
    `shape=${shape}`,
    'style=filled',
  ];
  return `${dotId(name)} [${attributes.join(', ')}];`;
}

/** The legend of the result picture, as the graph's label. */
function legend(title: string | undefined): string {
  const colours = (Object.entries(STATUS_FILL) as [FinalStatus, string][])
    .map(([status, colour]) => `${status}: ${colour}`)
    .join(', ');
  return title === undefined ? colours : `${title}\n${colours}`;
}

/** The DOT text of a tree (by default exactly as the Python engine writes it). */
export function dotTree(root: Behaviour, options: DotTreeOptions = {}): string {
  const lines = [
    'digraph pastafarianism {',
    'ordering=out;',
    'graph [fontname="times-roman"];',
    'node [fontname="times-roman"];',
    'edge [fontname="times-roman"];',
  ];
  if (options.statusOf !== undefined) lines.push(`label=${dotId(legend(options.title))};`, 'labelloc=t;');
  else if (options.title !== undefined) lines.push(`label=${dotId(options.title)};`, 'labelloc=t;');
  lines.push(nodeStatement(root.name, root, options));
  const usedNames = new Set<string>([root.name]);
  const addChildren = (parent: Behaviour, parentName: string): void => {
    for (const child of parent.children) {
      let name = child.name;
      while (usedNames.has(name)) name += '*';
      usedNames.add(name);
      lines.push(nodeStatement(name, child, options));
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

/** Draw `dotText` as `<base>.png` and `<base>.svg` when Graphviz is installed; returns the files written. */
function drawPictures(dotText: string, base: string, print: (line: string) => void): string[] {
  if (!hasDotProgram()) return [];
  const written: string[] = [];
  for (const format of ['png', 'svg']) {
    const file = `${base}.${format}`;
    print(`Writing ${file}`);
    const result = spawnSync('dot', [`-T${format}`, '-o', file], { input: dotText, stdio: ['pipe', 'ignore', 'pipe'] });
    if (result.status === 0) written.push(file);
  }
  return written;
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
  return [dotFile, ...drawPictures(dotTree(root, { plainLabels: true }), join(directory, stem), print)];
}

/**
 * After a run: `<stem>_result.dot`, and `.png`/`.svg` when Graphviz is
 * installed, each node filled by its final status, titled with the scenario's
 * result. Nothing is printed (the run's output stays the engine's). Returns the
 * paths written.
 */
export function renderResultPicture(
  root: Behaviour,
  directory: string,
  statusOf: (node: Behaviour) => FinalStatus,
  title: string,
): string[] {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, `${dotFileStem(root.name)}_result`);
  const text = dotTree(root, { plainLabels: true, statusOf, title });
  writeFileSync(`${base}.dot`, text);
  return [`${base}.dot`, ...drawPictures(text, base, () => {})];
}
