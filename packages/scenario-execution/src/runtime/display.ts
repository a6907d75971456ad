/**
 * Text rendering of a tree the way py_trees prints it (`unicode_tree`,
 * `ascii_tree`, `unicode_blackboard`), used for the live tree (`-t`) when
 * piped, the model log and the snapshot in failure reports; and the live tree
 * on a terminal ({@link LiveTreeDisplay}), redrawn in place.
 */
import type { Behaviour } from './behaviour.js';
import type { Blackboard } from './blackboard.js';
import { paint, SGR } from './colour.js';
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
  [Status.SUCCESS]: SGR.green,
  [Status.FAILURE]: SGR.red,
  [Status.INVALID]: SGR.yellow,
  [Status.RUNNING]: SGR.blue,
};

const BOLD = SGR.bold;
const RESET = SGR.reset;

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

/** Where the live tree draws: a terminal (`process.stdout` on a TTY, a fake in tests). */
export interface LiveTreeTerminal {
  write(text: string): void;
  /** Width and height in characters, when known (lines are cut to fit, so redrawing stays exact). */
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
}

export interface LiveTreeOptions {
  /** Colour each node by its status. */
  readonly colours: boolean;
  /** Milliseconds on a monotonic clock, for the elapsed time (default `performance.now`). */
  readonly now?: () => number;
}

/** Moves the cursor to the start of the line `n` lines up, then erases to the end of the screen. */
function eraseUp(n: number): string {
  return n > 0 ? `\x1b[${n}F\x1b[0J` : '';
}

/**
 * The live tree (`-t`) on a terminal: after each tick the tree is drawn again
 * over the previous drawing, each node coloured by its status, under a header
 * with the tick count and the elapsed time; nodes that say more about their
 * state (a remote action's endpoint and connection) show it after their
 * name. Log lines go above the tree ({@link printAbove}), so the tree stays
 * at the bottom of the screen.
 */
export class LiveTreeDisplay {
  /** Lines of the current drawing. */
  private drawnLines = 0;
  /** The current drawing ('' before the first tick and after finish). */
  private frame = '';
  /** Whether the drawing is on screen below everything else (log lines erase it until the redraw). */
  private onScreen = false;
  private redrawScheduled = false;
  private tickCount = 0;
  private readonly startMs: number;
  private readonly now: () => number;

  constructor(
    private readonly root: Behaviour,
    private readonly terminal: LiveTreeTerminal,
    private readonly options: LiveTreeOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startMs = this.now();
  }

  /** Draw the tree as it is after tick `tickCount`, replacing the previous drawing. */
  update(tickCount: number): void {
    this.tickCount = tickCount;
    const lines = this.frameLines();
    const erase = this.onScreen ? eraseUp(this.drawnLines) : '';
    this.frame = lines.map((line) => `${line}\n`).join('');
    this.drawnLines = lines.length;
    this.onScreen = true;
    this.terminal.write(erase + this.frame);
  }

  /**
   * Write `text` (complete lines) above the tree: the drawing is erased, the
   * text written, and the drawing comes back once the lines written in the
   * same turn of the event loop are out (a process printing many lines at once
   * costs one redraw, not one per line).
   */
  printAbove(text: string): void {
    if (this.frame === '') {
      this.terminal.write(text);
      return;
    }
    this.terminal.write((this.onScreen ? eraseUp(this.drawnLines) : '') + text);
    this.onScreen = false;
    if (this.redrawScheduled) return;
    this.redrawScheduled = true;
    setImmediate(() => {
      this.redrawScheduled = false;
      this.redraw();
    });
  }

  /** Stop redrawing: the last drawing stays, and what is written next goes below it. */
  finish(): void {
    this.redraw();
    this.frame = '';
    this.drawnLines = 0;
    this.onScreen = false;
  }

  private redraw(): void {
    if (this.onScreen || this.frame === '') return;
    this.terminal.write(this.frame);
    this.onScreen = true;
  }

  private frameLines(): string[] {
    const colours = this.options.colours;
    const width =
      this.terminal.columns !== undefined && this.terminal.columns > 1 ? this.terminal.columns - 1 : undefined;
    const fit = (text: string): string =>
      width !== undefined && text.length > width ? `${text.slice(0, Math.max(0, width - 1))}\u2026` : text;
    const elapsed = ((this.now() - this.startMs) / 1000).toFixed(1);
    const lines = [paint(colours, SGR.bold, fit(`${this.root.name} \u2014 tick ${this.tickCount}, ${elapsed} s`))];
    const current = this.root.tickSerial;
    const add = (node: Behaviour, depth: number): void => {
      const visited = node.visitSerial >= 0;
      const status = visited ? `[${UNICODE_STATUS[node.status]}]` : '';
      const message = node.feedbackMessage ? ` -- ${node.feedbackMessage}` : '';
      const detail = node.statusDetail();
      const text = `${' '.repeat(4 * depth)}${shapeOf(node, { ...SHAPES, status: UNICODE_STATUS })} ${node.name.replaceAll('\n', ' ')} ${status}${message}`;
      const plain = fit(detail === undefined ? text.trimEnd() : `${text.trimEnd()}  (${detail})`);
      // Not visited yet, or left behind in an earlier tick: dim; otherwise the status's colour.
      const code =
        !visited || (node.visitSerial !== current && node.status === Status.INVALID)
          ? SGR.dim
          : STATUS_COLOUR[node.status];
      lines.push(paint(colours, code, plain));
      for (const child of node.children) add(child, depth + 1);
    };
    add(this.root, 0);
    // A drawing taller than the screen could not be erased: keep the top, say how much is left out.
    const rows = this.terminal.rows;
    if (rows !== undefined && rows > 2 && lines.length > rows - 1) {
      const kept = lines.slice(0, rows - 2);
      kept.push(fit(`... ${lines.length - kept.length} more nodes`));
      return kept;
    }
    return lines;
  }
}
