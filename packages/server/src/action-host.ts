/**
 * ActionHost: the actions a server runs for its clients, by action_id.
 *
 * It turns protocol requests into calls of the action API
 * (`create` → `setup` → `execute` → `update`… → `terminate` → `shutdown`),
 * keeps the calls for one action_id in arrival order, and never lets an
 * action's exception escape: every failure becomes an error reply. It knows
 * nothing about sockets.
 */
import type {
  ExecutePayload,
  InitPayload,
  LogLine,
  Reply,
  ReplyExtras,
  Request,
  SetupPayload,
  TerminatePayload,
  WireMap,
  WireValue,
} from '@scenario-execution/protocol';
import { errorReply, okReply, toActionStatusName } from '@scenario-execution/protocol';
import type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionLogger,
  ArgMap,
  ArgValue,
  VariableAccess,
} from 'scenario-execution';
import { Status } from 'scenario-execution';
import { CreatedOnExecute, missesInitArgs } from './created-on-execute.js';
import { clientText, escapeControlCharacters, type ServerLog } from './log.js';
import { RepeatedRequests } from './repeated-requests.js';

/** A request about actions: a heartbeat only proves the server alive, and the socket side answers it. */
export type ActionRequest = Exclude<Request, { cmd: 'heartbeat' }>;

/** Finds the definition of an action by its plugin key (`run_process`, …). */
export type ActionResolver = (pluginKey: string) => Promise<ActionDefinition | undefined>;

export interface ActionHostOptions {
  readonly resolve: ActionResolver;
  /** The host's log; each action logs through a child named `action.<id prefix>`. */
  readonly log: ServerLog;
  /** Log lines kept per action until a reply carries them (older ones are dropped). */
  readonly maxBufferedLogLines?: number;
  /** Refuse `init` beyond this many live actions. */
  readonly maxActions?: number;
}

/** A failure that becomes the message of an error reply. */
export class ActionHostError extends Error {
  override name = 'ActionHostError';
}

const DEFAULT_MAX_BUFFERED_LOG_LINES = 1000;
/** Longest action log line written to the server log (the client gets more, see below). */
const MAX_LOGGED_ACTION_LINE_CHARS = 1000;
/** Longest action log line kept for the client: 1,000 kept lines stay far below the message size limit. */
const MAX_CAPTURED_LINE_CHARS = 16 * 1024;
const DEFAULT_MAX_ACTIONS = 10_000;
const DEFAULT_TICK_PERIOD = 0.1;
const STATUS_VALUES: readonly string[] = Object.values(Status);
/** Where the calls about an action with none queued start from. */
const SETTLED: Promise<void> = Promise.resolve();

/** First 8 characters of an action_id, as the Python server shows them. */
export function shortId(actionId: string): string {
  // Client text, also used in logger names: escaped like every logged value.
  return escapeControlCharacters(actionId.slice(0, 8));
}

/** `text` cut to `limit` characters, with the full length noted. */
function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An action's logger: lines go to the server log and are kept for the next reply. */
export class CapturingLogger implements ActionLogger {
  /**
   * Kept lines, oldest first, from index `start` on. A full buffer drops its
   * oldest line by moving `start` (no O(n) shift per line); the dropped slots
   * are cut off in one go once they make up half the array.
   */
  private lines: LogLine[] = [];
  private start = 0;
  private dropped = 0;
  private capturing = true;

  constructor(
    private readonly log: ServerLog,
    private readonly maxLines: number,
  ) {}

  private add(level: LogLine['level'], msg: string): void {
    // Lines often quote the client's arguments (a command, a path): bounded in the server log.
    this.log.log(level, clientText(msg, MAX_LOGGED_ACTION_LINE_CHARS));
    if (!this.capturing) return;
    this.lines.push({ level, msg: clip(msg, MAX_CAPTURED_LINE_CHARS) });
    if (this.lines.length - this.start > this.maxLines) {
      this.start++;
      this.dropped++;
      if (this.start >= this.lines.length / 2) {
        this.lines = this.lines.slice(this.start);
        this.start = 0;
      }
    }
  }

  debug(msg: string): void {
    this.add('debug', String(msg));
  }
  info(msg: string): void {
    this.add('info', String(msg));
  }
  warn(msg: string): void {
    this.add('warn', String(msg));
  }
  error(msg: string): void {
    this.add('error', String(msg));
  }

  /** The lines logged since the last call (at most the cap, after a note of how many were dropped). */
  drain(): LogLine[] {
    const kept = this.start > 0 ? this.lines.slice(this.start) : this.lines;
    const lines: LogLine[] =
      this.dropped > 0 ? [{ level: 'warn', msg: `(${this.dropped} earlier log lines dropped)` }, ...kept] : kept;
    this.lines = [];
    this.start = 0;
    this.dropped = 0;
    return lines;
  }

  /** After reset nobody will collect lines any more; keep only the server log. */
  stopCapturing(): void {
    this.capturing = false;
    this.lines = [];
    this.start = 0;
  }
}

/**
 * Scenario variables as seen by one action on the server (the client's
 * blackboard stays on the client). Each action gets its own store: the server
 * cannot tell which actions belong to the same scenario run (every remote
 * action has its own connection), and one store for the whole server would let
 * unrelated clients and scenarios change each other's variables.
 */
class LocalVariables implements VariableAccess {
  private readonly values = new Map<string, ArgValue>();
  get(name: string): ArgValue | undefined {
    return this.values.get(name);
  }
  set(name: string, value: ArgValue): void {
    this.values.set(name, value);
  }
}

interface HostedAction {
  readonly pluginKey: string;
  readonly action: Action;
  readonly logger: CapturingLogger;
  /** This action's own variables (see {@link LocalVariables}). */
  readonly variables: LocalVariables;
  readonly initOutputDir: string | null;
  feedback: string;
  /** Between execute and terminate: a reset must interrupt it first. */
  running: boolean;
}

/**
 * Wire arguments as action arguments. The codec already built fresh plain
 * objects (keys like `__proto__` kept as data); only binary values, which no
 * scenario can produce, are refused here.
 */
function toArgMap(map: WireMap): ArgMap {
  rejectBinary(map, '');
  return map as ArgMap;
}

function rejectBinary(value: WireValue, path: string): void {
  if (value instanceof Uint8Array) throw new ActionHostError(`argument '${path}': binary values are not supported`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) rejectBinary(value[i] as WireValue, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) rejectBinary(item, path ? `${path}.${key}` : key);
  }
}

export class ActionHost {
  private readonly actions = new Map<string, HostedAction>();
  /** Tail of the call chain per action_id. */
  private readonly queues = new Map<string, Promise<void>>();
  /** The last state change per action: a repeat of it is answered, not run again. */
  private readonly repeats = new RepeatedRequests();
  private readonly maxBufferedLogLines: number;
  private readonly maxActions: number;

  constructor(private readonly options: ActionHostOptions) {
    this.maxBufferedLogLines = options.maxBufferedLogLines ?? DEFAULT_MAX_BUFFERED_LOG_LINES;
    this.maxActions = options.maxActions ?? DEFAULT_MAX_ACTIONS;
  }

  /** Number of live (initialised, not reset) actions. */
  get size(): number {
    return this.actions.size;
  }

  has(actionId: string): boolean {
    return this.actions.has(actionId);
  }

  /** The ids of the live actions. */
  actionIds(): IterableIterator<string> {
    return this.actions.keys();
  }

  /** Whether a call about `actionId` is running or waiting its turn. */
  isBusy(actionId: string): boolean {
    return this.queues.has(actionId);
  }

  /**
   * Interrupt and shut down an action whose client is gone, after any call
   * still queued for it; resolves with its action name, or undefined when it
   * was already gone.
   */
  async reap(actionId: string): Promise<string | undefined> {
    const pluginKey = this.actions.get(actionId)?.pluginKey;
    if (pluginKey === undefined) return undefined;
    this.repeats.forget(actionId);
    await this.inOrder(actionId, () => this.reset(actionId));
    return pluginKey;
  }

  /**
   * Answer one request. Calls about the same action_id run one after the
   * other in arrival order; calls about different actions run concurrently.
   * A state change that repeats the action's last one gets that one's reply
   * (see repeated-requests.ts). Never rejects.
   */
  handle(request: ActionRequest): Promise<Reply> {
    switch (request.cmd) {
      case 'reset': {
        const id = request.payload.action_id;
        if (!id) return this.resetAll().then(() => okReply());
        // Forgotten on arrival: a request that arrives after this reset runs, whenever the reset runs.
        this.repeats.forget(id);
        return this.inOrder(id, () => this.reset(id));
      }
      default: {
        const id = request.payload.action_id;
        const { repeated, reply } = this.repeats.answer(
          request,
          id,
          () =>
            this.inOrder(id, () => this.dispatch(request)).catch((err: unknown) =>
              errorReply(messageOf(err), this.extras(id)),
            ),
          (actionId) => this.actions.has(actionId),
        );
        if (repeated) {
          this.options.log.info(
            `Repeated '${request.cmd}' (id=${shortId(id)}): answered with the first reply, not run again`,
          );
        }
        return reply;
      }
    }
  }

  /** Interrupt and shut down every action (at the end, or on `reset` with no action_id). */
  async resetAll(options: { readonly queueWaitMs?: number } = {}): Promise<void> {
    this.repeats.forgetAll();
    const ids = [...new Set([...this.actions.keys(), ...this.queues.keys()])];
    await Promise.all(
      ids.map((id) => {
        if (options.queueWaitMs === undefined) return this.inOrder(id, () => this.reset(id));
        // When stopping, a call that hangs must not keep the action alive.
        return withTimeout(this.queues.get(id) ?? Promise.resolve(), options.queueWaitMs).then(() => this.reset(id));
      }),
    );
    this.options.log.info('All actions reset.');
  }

  private inOrder<T>(id: string, call: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(id) ?? SETTLED).then(call);
    const settled = (): void => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    };
    const tail: Promise<void> = result.then(settled, settled);
    this.queues.set(id, tail);
    return result;
  }

  private async dispatch(request: Exclude<Request, { cmd: 'heartbeat' | 'reset' }>): Promise<Reply> {
    switch (request.cmd) {
      case 'init':
        await this.init(request.payload);
        return okReply(this.extras(request.payload.action_id));
      case 'setup':
        await this.setup(request.payload);
        return okReply(this.extras(request.payload.action_id));
      case 'execute':
        await this.execute(request.payload);
        return okReply(this.extras(request.payload.action_id));
      case 'update': {
        const status = await this.update(request.payload.action_id);
        return okReply({ action_status: toActionStatusName(status), ...this.extras(request.payload.action_id) });
      }
      case 'terminate':
        await this.terminate(request.payload);
        return okReply(this.extras(request.payload.action_id));
    }
  }

  /** Log lines and feedback of an action, for the reply about it. */
  private extras(actionId: string): ReplyExtras {
    const hosted = this.actions.get(actionId);
    if (!hosted) return {};
    const extras: { log?: LogLine[]; feedback?: string } = {};
    const log = hosted.logger.drain();
    if (log.length > 0) extras.log = log;
    if (hosted.feedback) extras.feedback = hosted.feedback;
    return extras;
  }

  private get(actionId: string): HostedAction {
    const hosted = this.actions.get(actionId);
    // The quotes are part of the Python server's message (a KeyError's text).
    if (!hosted) throw new ActionHostError(`'Unknown action_id: ${actionId}'`);
    return hosted;
  }

  private async init(p: InitPayload): Promise<void> {
    const definition = await this.options.resolve(p.plugin_key);
    if (!definition) throw new ActionHostError(`No action plugin found for key '${p.plugin_key}'`);
    if (this.actions.has(p.action_id)) {
      this.options.log.warn(`Action id=${shortId(p.action_id)} initialised again; shutting down the previous one`);
      await this.reset(p.action_id);
    } else if (this.actions.size >= this.maxActions) {
      throw new ActionHostError(`Too many actions (limit ${this.maxActions}); reset some first`);
    }
    const initArgs = toArgMap(p.init_args);
    const logger = new CapturingLogger(
      this.options.log.child(`action.${shortId(p.action_id)}`),
      this.maxBufferedLogLines,
    );
    const create = (args: ArgMap) => createAction(definition, args, p.plugin_key);
    const action: Action = missesInitArgs(definition, initArgs)
      ? new CreatedOnExecute(definition.initArgs ?? [], initArgs, create)
      : await create(initArgs);
    this.actions.set(p.action_id, {
      pluginKey: p.plugin_key,
      action,
      logger,
      variables: new LocalVariables(),
      initOutputDir: p.output_dir,
      feedback: '',
      running: false,
    });
    this.options.log.info(`Initialized '${clientText(p.plugin_key)}' (id=${shortId(p.action_id)})`);
  }

  private async setup(p: SetupPayload): Promise<void> {
    const hosted = this.get(p.action_id);
    const outputDir = p.output_dir || hosted.initOutputDir || undefined;
    const ctx: ActionContext = {
      logger: hosted.logger,
      variables: hosted.variables,
      tickPeriod: p.tick_period || DEFAULT_TICK_PERIOD,
      scenarioFileDirectory: p.scenario_file_directory,
      outputDir,
      setFeedback: (message: string) => {
        hosted.feedback = String(message);
      },
    };
    await hosted.action.setup?.(ctx);
    this.options.log.info(`Setup (id=${shortId(p.action_id)})`);
  }

  private async execute(p: ExecutePayload): Promise<void> {
    const hosted = this.get(p.action_id);
    const args = toArgMap(p.exec_args);
    hosted.running = true;
    await hosted.action.execute?.(args);
    this.options.log.debug(`Execute (id=${shortId(p.action_id)}, args=[${clientText(Object.keys(args).join(', '))}])`);
  }

  private async update(actionId: string): Promise<Status> {
    const hosted = this.get(actionId);
    const status: unknown = await hosted.action.update();
    if (typeof status !== 'string' || !STATUS_VALUES.includes(status)) {
      throw new ActionHostError(`Action '${hosted.pluginKey}' update() returned ${String(status)}, not a status`);
    }
    return status as Status;
  }

  private async terminate(p: TerminatePayload): Promise<void> {
    const hosted = this.get(p.action_id);
    if (!hosted.running) return;
    hosted.running = false;
    await hosted.action.terminate?.(p.new_status as Status);
    this.options.log.debug(`Terminate (id=${shortId(p.action_id)}, new_status=${p.new_status})`);
  }

  /** Interrupt (if running) and shut down one action, then forget it. Unknown ids are fine. */
  private async reset(actionId: string): Promise<Reply> {
    const hosted = this.actions.get(actionId);
    if (!hosted) return okReply();
    this.actions.delete(actionId);
    hosted.logger.stopCapturing();
    try {
      if (hosted.running) {
        hosted.running = false;
        await hosted.action.terminate?.(Status.INVALID);
      }
      await hosted.action.shutdown?.();
      this.options.log.info(`Reset (id=${shortId(actionId)})`);
    } catch (err) {
      this.options.log.warn(`Error during reset of action ${shortId(actionId)}: ${messageOf(err)}`);
    }
    return okReply();
  }
}

/** Create an action and check that the plugin returned one. */
async function createAction(definition: ActionDefinition, initArgs: ArgMap, pluginKey: string): Promise<Action> {
  // Awaited: a definition may build its action asynchronously.
  const action: Action = await definition.create(initArgs);
  if (action === null || typeof action !== 'object' || typeof action.update !== 'function') {
    throw new ActionHostError(
      `Plugin '${pluginKey}' did not create an action (create() must return an object with update())`,
    );
  }
  return action;
}

/** Wait for `promise`, at most `ms`; never rejects. */
function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
