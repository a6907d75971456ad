/**
 * What the run report and the result picture show, recorded while the
 * scenario runs: each node's runs (start and end, at tick resolution: an
 * action starts with the tick that first ticks it and ends with the tick it
 * finishes in), its status at the end, and the log lines with their time.
 */
import type { Behaviour } from '../../runtime/behaviour.js';
import { Parallel, Selector, Sequence } from '../../runtime/composites.js';
import { Decorator } from '../../runtime/decorators.js';
import { Status } from '../../runtime/status.js';

/** A node's status at the end of the run, as the report and the picture colour it. */
export type FinalStatus = 'success' | 'failure' | 'running' | 'interrupted' | 'not run';

export type NodeKind = 'sequence' | 'selector' | 'parallel' | 'decorator' | 'action';

export interface NodeRun {
  /** Seconds since the scenario started. */
  readonly start: number;
  /** Undefined while it runs. */
  end: number | undefined;
  status: FinalStatus;
}

export interface NodeRecord {
  /** `n0` for the root, then in tree order. */
  readonly id: string;
  readonly name: string;
  readonly kind: NodeKind;
  readonly memory: boolean;
  readonly depth: number;
  readonly children: readonly NodeRecord[];
  readonly runs: NodeRun[];
  finalStatus: FinalStatus;
  feedback: string;
  /** The node's own note on its state (a remote action's endpoint), as last seen. */
  detail: string | undefined;
}

export interface LogRecord {
  /** Seconds since the scenario started (negative: while loading, before it started). */
  readonly time: number;
  readonly level: string;
  readonly logger: string;
  /** The server's address for lines a remote action's server logged. */
  readonly endpoint: string | undefined;
  readonly message: string;
}

export interface RunRecord {
  readonly scenario: string;
  readonly file: string;
  /** Wall-clock start. */
  readonly startTime: Date;
  /** Seconds from start to the result. */
  readonly duration: number;
  readonly success: boolean;
  readonly failureMessage: string;
  readonly failureOutput: string;
  readonly ticks: number;
  readonly root: NodeRecord | undefined;
  readonly logs: readonly LogRecord[];
}

const SGR_CODES = /\x1b\[[0-9;]*m/g;
const LOG_LINE = /^\[([^\]]*)\] \[([A-Z]+)\] ([\s\S]*)$/;
/** `[ipc:///tmp/se.sock] text`: how the remote plugin forwards what the server's action logged. */
const REMOTE_PREFIX = /^\[((?:tcp|ipc|inproc|ws|wss|pgm|epgm|udp):\/\/[^\]]*)\] ([\s\S]*)$/;

export function nodeKind(node: Behaviour): { kind: NodeKind; memory: boolean } {
  if (node instanceof Parallel) return { kind: 'parallel', memory: false };
  if (node instanceof Decorator) return { kind: 'decorator', memory: false };
  if (node instanceof Sequence) return { kind: 'sequence', memory: node.memory };
  if (node instanceof Selector) return { kind: 'selector', memory: node.memory };
  return { kind: 'action', memory: false };
}

function finalOf(status: Status): FinalStatus {
  switch (status) {
    case Status.SUCCESS:
      return 'success';
    case Status.FAILURE:
      return 'failure';
    case Status.RUNNING:
      return 'running';
    default:
      return 'interrupted';
  }
}

/** Watches one run: call {@link tickStarted}/{@link tickEnded} around ticks and {@link log} for each line. */
export class RunRecorder {
  private readonly startMs: number;
  private readonly logs: { atMs: number; entry: Omit<LogRecord, 'time'> }[] = [];
  private readonly nodes = new Map<Behaviour, NodeRecord>();
  private root: NodeRecord | undefined;
  private tickStartTime = 0;
  private ticks = 0;
  private scenarioStartMs: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startMs = now();
  }

  /** Seconds since the scenario started (since the recorder was made, before that). */
  private elapsed(atMs = this.now()): number {
    return (atMs - (this.scenarioStartMs ?? this.startMs)) / 1000;
  }

  /** The tree that is about to run; times count from here. */
  begin(root: Behaviour): void {
    this.scenarioStartMs = this.now();
    let counter = 0;
    const build = (node: Behaviour, depth: number): NodeRecord => {
      const id = `n${counter++}`;
      const record: NodeRecord = {
        id,
        name: node.name,
        ...nodeKind(node),
        depth,
        children: node.children.map((child) => build(child, depth + 1)),
        runs: [],
        finalStatus: 'not run',
        feedback: '',
        detail: undefined,
      };
      this.nodes.set(node, record);
      return record;
    };
    this.root = build(root, 0);
  }

  tickStarted(): void {
    this.tickStartTime = this.elapsed();
  }

  /** After tick `serial`: open runs for nodes that started, close those that finished or were stopped. */
  tickEnded(serial: number): void {
    this.ticks = serial;
    const end = this.elapsed();
    for (const [node, record] of this.nodes) {
      const open = record.runs.at(-1)?.end === undefined ? record.runs.at(-1) : undefined;
      const visited = node.visitSerial === serial;
      if (visited && open === undefined) {
        record.runs.push({ start: this.tickStartTime, end: undefined, status: 'running' });
      }
      const run = record.runs.at(-1);
      if (run !== undefined && run.end === undefined && node.status !== Status.RUNNING) {
        run.end = end;
        run.status = finalOf(node.status);
      }
      if (run !== undefined) record.finalStatus = run.status;
      this.observe(node, record);
    }
  }

  /** The run is over (result decided, nodes shut down): what still ran counts as running at the end. */
  end(): void {
    const end = this.elapsed();
    for (const [node, record] of this.nodes) {
      const run = record.runs.at(-1);
      if (run !== undefined && run.end === undefined) run.end = end;
      // Shut down: the detail now says what shutdown left (e.g. "not connected"); keep the last one seen running.
      if (record.detail === undefined) record.detail = node.statusDetail();
    }
  }

  private observe(node: Behaviour, record: NodeRecord): void {
    record.feedback = node.feedbackMessage;
    const detail = node.statusDetail();
    if (detail !== undefined) record.detail = detail;
  }

  /**
   * One line as the logger wrote it (colour codes are dropped). Only log lines
   * count: printed text (the piped live tree) is not a log line.
   */
  log(line: string): void {
    const match = LOG_LINE.exec(line.replace(SGR_CODES, ''));
    if (match === null) return;
    const [, logger = '', level = '', rest = ''] = match;
    const remote = REMOTE_PREFIX.exec(rest);
    this.logs.push({
      atMs: this.now(),
      entry: { level, logger, endpoint: remote?.[1], message: remote ? (remote[2] ?? '') : rest },
    });
  }

  /** Everything recorded, with the scenario's outcome. */
  result(outcome: {
    scenario: string;
    file: string;
    startTime: Date;
    duration: number;
    success: boolean;
    failureMessage: string;
    failureOutput: string;
  }): RunRecord {
    const logs = this.logs.map(({ atMs, entry }) => ({ time: this.elapsed(atMs), ...entry }));
    return { ...outcome, ticks: this.ticks, root: this.root, logs };
  }

  /** Final status of each node of the tree given to {@link begin}. */
  statusOf(node: Behaviour): FinalStatus {
    return this.nodes.get(node)?.finalStatus ?? 'not run';
  }
}

/** Every node of a record, in tree order. */
export function* allNodes(root: NodeRecord): Generator<NodeRecord> {
  yield root;
  for (const child of root.children) yield* allNodes(child);
}
