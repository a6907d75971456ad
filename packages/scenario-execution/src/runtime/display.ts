/**
 * Text rendering of a tree the way py_trees prints it (`unicode_tree`,
 * `ascii_tree`, `unicode_blackboard`), used for the live tree (`-t`), the
 * model log and the snapshot in failure reports.
 */
import type { Behaviour } from './behaviour.js';
import type { Blackboard } from './blackboard.js';
import { Parallel, Selector, Sequence } from './composites.js';
import { Decorator } from './decorators.js';
import { pyStr, pyStrOf } from './py-format.js';
import { Status } from './status.js';

interface Symbols {
  readonly sequenceWithMemory: string;
  readonly sequenceWithoutMemory: string;
  readonly selectorWithMemory: string;
  readonly selectorWithoutMemory: string;
  readonly parallel: string;
  readonly decorator: string;
  readonly behaviour: string;
  readonly status: Readonly<Record<Status, string>>;
}

const SHAPES = {
  sequenceWithMemory: '{-}',
  sequenceWithoutMemory: '[-]',
  selectorWithMemory: '{o}',
  selectorWithoutMemory: '[o]',
  parallel: '/_/',
  decorator: '-^-',
  behaviour: '-->',
} as const;

const UNICODE_STATUS: Record<Status, string> = {
  [Status.SUCCESS]: '\u2713',
  [Status.FAILURE]: '\u2715',
  [Status.INVALID]: '-',
  [Status.RUNNING]: '*',
};

const ASCII_STATUS: Record<Status, string> = {
  [Status.SUCCESS]: 'o',
  [Status.FAILURE]: 'x',
  [Status.INVALID]: '-',
  [Status.RUNNING]: '*',
};

const STATUS_COLOUR: Record<Status, string> = {
  [Status.SUCCESS]: '\x1b[32m',
  [Status.FAILURE]: '\x1b[31m',
  [Status.INVALID]: '\x1b[33m',
  [Status.RUNNING]: '\x1b[34m',
};

const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

export interface TreeDisplayOptions {
  /** Show status and feedback of every node, visited or not. */
  readonly showStatus?: boolean;
  /** Collapse subtrees not visited in the current tick to `...`. */
  readonly showOnlyVisited?: boolean;
  /**
   * Serial of the tick whose visited nodes get status and feedback
   * (default: the root's last tick). Nodes visited in the tick before
   * (`visitedSerial - 1`) while RUNNING, but not in this one, show their status only.
   */
  readonly visitedSerial?: number;
  /** Terminal colours and bold for the tip, as py_trees on a tty. Default false. */
  readonly colours?: boolean;
  readonly indent?: number;
}

export function unicodeTree(root: Behaviour, options: TreeDisplayOptions = {}): string {
  return renderTree(root, options, { ...SHAPES, status: UNICODE_STATUS });
}

export function asciiTree(root: Behaviour, options: TreeDisplayOptions = {}): string {
  return renderTree(root, options, { ...SHAPES, status: ASCII_STATUS });
}

/**
 * The snapshot the engine attaches to a failure: the tree after the last tick,
 * visited nodes with status and feedback (py_trees `unicode_tree` without colours).
 */
export function snapshotTree(root: Behaviour): string {
  return unicodeTree(root);
}

function shapeOf(node: Behaviour, symbols: Symbols): string {
  if (node instanceof Parallel) return symbols.parallel;
  if (node instanceof Decorator) return symbols.decorator;
  if (node instanceof Sequence) return node.memory ? symbols.sequenceWithMemory : symbols.sequenceWithoutMemory;
  if (node instanceof Selector) return node.memory ? symbols.selectorWithMemory : symbols.selectorWithoutMemory;
  return symbols.behaviour;
}

function renderTree(root: Behaviour, options: TreeDisplayOptions, symbols: Symbols): string {
  const current = options.visitedSerial ?? root.tickSerial;
  const showStatus = options.showStatus ?? false;
  const showOnlyVisited = options.showOnlyVisited ?? false;
  const colours = options.colours ?? false;
  const baseIndent = options.indent ?? 0;
  const tip = colours ? root.tip() : undefined;
  const visited = (node: Behaviour): boolean => node.visitSerial === current;

  const style = (text: string, bold: boolean): string => (bold ? `${BOLD}${text}${RESET}` : text);
  const statusSymbol = (status: Status): string =>
    colours ? `${STATUS_COLOUR[status]}${symbols.status[status]}${RESET}` : symbols.status[status];

  const line = (node: Behaviour, depth: number): string => {
    const bold = node === tip;
    const name = node.name.replaceAll('\n', ' ');
    let text = `${' '.repeat(4 * depth)}${style(shapeOf(node, symbols), bold)} `;
    if (showStatus || visited(node)) {
      const message = node.feedbackMessage ? ` -- ${node.feedbackMessage}` : '';
      text += style(`${name} [`, bold) + style(statusSymbol(node.status), bold) + style(`]${message}`, bold);
    } else if (node.visitSerial === current - 1 && node.visitStatus === Status.RUNNING) {
      text += style(`${name} [`, bold) + style(statusSymbol(node.status), bold) + style(']', bold);
    } else {
      text += style(name, bold);
    }
    return text;
  };

  const lines: string[] = [line(root, baseIndent)];
  const addChildren = (node: Behaviour, depth: number): void => {
    for (const child of node.children) {
      lines.push(line(child, depth));
      if (child.children.length === 0) continue;
      if (!showOnlyVisited || visited(child)) addChildren(child, depth + 1);
      else lines.push(`${' '.repeat(4 * (depth + 1))}...`);
    }
  };
  addChildren(root, baseIndent + 1);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * py_trees `unicode_blackboard` of the given keys (all keys by default):
 * a title, the key filter, then `key: value` lines sorted by key.
 */
export function blackboardText(blackboard: Blackboard, keys?: readonly string[]): string {
  const shown = [...(keys ?? blackboard.keys())].sort();
  let text = 'Blackboard Data\n';
  if (shown.length === 0) return text;
  text += `  Filter: '{${shown.map(pyStr).join(', ')}}'\n`;
  const width = Math.max(...shown.map((k) => k.length));
  for (const key of shown) {
    const value = blackboard.has(key) ? pyStrOf(blackboard.get(key)) : '-';
    const valueLines = value.split('\n');
    if (valueLines.length > 1) {
      text += `    ${key.padEnd(width)}:\n`;
      for (const valueLine of valueLines) text += `      ${valueLine}\n`;
    } else {
      text += `    ${key.padEnd(width)}: ${value}\n`;
    }
  }
  return text;
}
