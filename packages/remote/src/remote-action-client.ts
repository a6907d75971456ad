/**
 * The client side of one remote action: drives the action's lifecycle on a
 * `scenario_execution_server` (PROTOCOL.md, "Lifecycle") over its own
 * {@link RemoteConnection}. The behaviour in the tree only forwards to it.
 */
import { randomUUID } from 'node:crypto';
import {
  type CommandName,
  type CurveKeyPair,
  type ErrorReply,
  type Reply,
  treeStatusFromUpdateReply,
} from '@scenario-execution/protocol';
import type { ActionLogger, ArgValue, SetupContext, WrappedActionInfo } from 'scenario-execution';
import { Status } from 'scenario-execution';
import { serverPublicKeyProblem } from './curve.js';
import { waitForInitTurn } from './init-order.js';
import { formatSeconds, RemoteCallError, RemoteConnection } from './remote-connection.js';
import { serverLiveness } from './server-liveness.js';

/** What the remote action needs to know about the action it stands for. */
export type RemoteActionInfo = Pick<WrappedActionInfo, 'name' | 'definition' | 'resolveArgs'>;

export interface RemoteActionClientOptions {
  /** The endpoint as written in the scenario. */
  readonly endpoint: string;
  /** Its ZeroMQ address (`parseEndpoint(endpoint)`). */
  readonly address: string;
  readonly action: RemoteActionInfo;
  readonly logger: ActionLogger;
  /** Seconds without any reply after which the action fails. */
  readonly heartbeatFailureTimeout: number;
  /** Seconds for connect + init + setup. */
  readonly setupTimeout: number;
  /** The server's CURVE public key: the connection is encrypted. Undefined: plain. */
  readonly serverPublicKey?: string;
  /** With `serverPublicKey`: the key pair this client shows (a fresh one per connection when undefined). */
  readonly clientKeys?: CurveKeyPair;
  /** Bound of execute/terminate/reset, ms (30 s as the Python client). */
  readonly commandTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Fixed action id (tests); a fresh uuid4 otherwise. */
  readonly actionId?: string;
  /** Called with each feedback message the server sends. */
  readonly onFeedback?: (message: string) => void;
}

const COMMAND_TIMEOUT_MS = 30_000;
/** Milliseconds between heartbeats (as the Python client). */
const HEARTBEAT_INTERVAL_MS = 1000;
/** Bound of the `reset` for an action whose setup did not finish: it must not hold up the exit. */
const UNFINISHED_SETUP_RESET_MS = 1000;

/**
 * Where the action stands with its server. Each public method acts on the
 * state it finds and sets the next one; nothing else records it.
 *
 * - idle → settingUp (setup) → ready, or back to idle when setup fails;
 * - ready, failed → running (execute);
 * - running → ready (terminate), failed (an error reply), detached (no reply
 *   within the bound, or the server no longer knows the action);
 * - detached → running (execute, after creating the action on the server again);
 * - every state → idle (shutdown).
 */
type ClientState = Idle | SettingUp | Ready | Running | Failed | Detached;

/** Not set up: before setup, after a failed setup, after shutdown. */
interface Idle {
  readonly kind: 'idle';
  /** The failed setup's `init` may have created the action: shutdown resets it. */
  readonly resetOwed: boolean;
}

/** `init` and `setup` in progress. */
interface SettingUp {
  readonly kind: 'settingUp';
  /** `init` went out and was not refused: the server may hold the action (and what its setup started). */
  initSent: boolean;
}

/** Set up on the server, no run in progress. */
interface Ready {
  readonly kind: 'ready';
}

/** A run: `execute` went out. */
interface Running {
  readonly kind: 'running';
  /** Counts runs: a late reply about an earlier run must not fail this one. */
  readonly run: number;
  /** Settles when the run has started on the server, until an update has been chained to it. */
  started: Promise<void> | undefined;
}

/** The run failed (an error reply, a bad reply); the server still holds the action. */
interface Failed {
  readonly kind: 'failed';
  readonly run: number;
  readonly message: string;
}

/**
 * The server did not answer within the bound, or no longer knows the action
 * (it restarted). Nothing is sent about the old run (no terminate, no reset)
 * and the connection is closed, so a server that still holds the action reaps
 * it. The next `execute` creates the action there again.
 */
interface Detached {
  readonly kind: 'detached';
  readonly message: string;
}

const CLIENT_STATE_NAMES: Record<ClientState['kind'], string> = {
  idle: 'not connected',
  settingUp: 'setting up',
  ready: 'ready',
  running: 'running',
  failed: 'failed',
  detached: 'lost',
};

/** An error reply of the server, as the line that reports it. */
class ErrorReplyError extends Error {
  override name = 'ErrorReplyError';
}

export class RemoteActionClient {
  readonly actionId: string;
  private readonly connection: RemoteConnection;
  private readonly initArgNames: ReadonlySet<string>;
  private state: ClientState = { kind: 'idle', resetOwed: false };
  /** Runs started so far. */
  private runs = 0;
  /** What setup was given: the action is created again with it. */
  private setupContext: SetupContext | undefined;
  /**
   * The action may run side by side with other remote actions (it is under a
   * parallel): its connection opens a channel of its own at setup.
   */
  sideBySide = false;

  constructor(private readonly options: RemoteActionClientOptions) {
    this.actionId = options.actionId ?? randomUUID();
    this.initArgNames = new Set(options.action.definition?.initArgs ?? []);
    this.connection = new RemoteConnection({
      address: options.address,
      heartbeatTimeoutMs: options.heartbeatFailureTimeout * 1000,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      onReply: (reply, cmd) => this.forwardOutput(reply, cmd),
      serverPublicKey: options.serverPublicKey,
      clientKeys: options.clientKeys,
      // A busy server that answers heartbeats is not taken for a dead one (see server-liveness.ts).
      liveness: serverLiveness({
        address: options.address,
        intervalMs: options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
        serverPublicKey: options.serverPublicKey,
        clientKeys: options.clientKeys,
      }),
      busyServerWaitMs: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
    });
  }

  get address(): string {
    return this.options.address;
  }

  /** Heartbeats sent so far. */
  get heartbeatsSent(): number {
    return this.connection.heartbeatsSent;
  }

  /** Requests sent again because the connection dropped while their reply was awaited. */
  get resends(): number {
    return this.connection.resends;
  }

  /** Where the action stands with its server, in a word or two (for the live tree and the run report). */
  get stateName(): string {
    return CLIENT_STATE_NAMES[this.state.kind];
  }

  /** Why the action failed, when it failed on the client side (server lost, error reply). */
  get failureMessage(): string | undefined {
    const state = this.state;
    return state.kind === 'failed' || state.kind === 'detached' ? state.message : undefined;
  }

  /**
   * Connect, `init` and `setup`, within `setup_timeout`; throws one clear line on failure.
   * `init` waits for the turn of this action on its server, and the socket
   * connects a little before (see init-order.ts); the timeout counts from the turn.
   */
  async setup(ctx: SetupContext): Promise<void> {
    const { serverPublicKey, endpoint } = this.options;
    this.setupContext = ctx;
    const keyProblem = serverPublicKey === undefined ? undefined : serverPublicKeyProblem(serverPublicKey);
    if (keyProblem !== undefined) throw new Error(`remote('${endpoint}'): ${keyProblem}`);
    const attempt: SettingUp = { kind: 'settingUp', initSent: false };
    this.state = attempt;
    const initAnswered = await waitForInitTurn(this.address, () => {
      // Shut down while waiting in line (another setup failed): connect no more.
      if (this.state === attempt) this.connection.open(this.sideBySide);
    });
    const deadline = performance.now() + this.options.setupTimeout * 1000;
    let step: 'init' | 'setup' = 'init';
    try {
      try {
        await this.sendInit(deadline, attempt);
      } finally {
        initAnswered();
      }
      step = 'setup';
      await this.sendSetup(ctx, deadline);
    } catch (err) {
      this.connection.close();
      if (this.state === attempt) {
        this.state = { kind: 'idle', resetOwed: attempt.initSent && !serverUnreachable(err, step) };
      }
      throw this.setupError(err, step);
    }
    // Shut down meanwhile: shutdown has dealt with the action.
    if (this.state !== attempt) return;
    this.state = { kind: 'ready' };
    this.connection.startHeartbeat();
  }

  /**
   * Send `execute` with the arguments as they are now, without waiting for the
   * reply: the next {@link update} goes out after it, and a failure shows there.
   * When the server no longer holds the action (it restarted, or contact was
   * lost), the action is first created there again. Throws (synchronously)
   * only for arguments msgpack cannot carry.
   */
  execute(): void {
    const run = ++this.runs;
    const from = this.state;
    if (from.kind === 'idle' || from.kind === 'settingUp') {
      this.report(`${this.options.action.name} is not set up on the server`);
      return;
    }
    let execArgs: Record<string, ArgValue>;
    try {
      execArgs = this.splitArgs(this.options.action.resolveArgs()).execArgs;
    } catch (err) {
      const message = `cannot resolve the arguments of ${this.options.action.name}: ${errorText(err)}`;
      // Detached stays detached: the next run must still create the action again.
      if (from.kind !== 'detached') this.state = { kind: 'failed', run, message };
      this.report(message);
      return;
    }
    const running: Running = { kind: 'running', run, started: undefined };
    this.state = running;
    const problem = from.kind === 'detached' ? undefined : this.serverProblem();
    if (problem !== undefined) {
      this.detach(problem);
      return;
    }
    running.started = this.startRun(from.kind === 'detached' ? from.message : undefined, execArgs).catch(
      (err: unknown) => this.callFailed(run, err),
    );
  }

  /**
   * `update`, sent once the run has started on the server, bounded by
   * heartbeat_failure_timeout; the reply's action status. A plain status when
   * the action already failed.
   */
  update(): Status | Promise<Status> {
    const state = this.state;
    if (state.kind !== 'running') return Status.FAILURE;
    const started = state.started;
    state.started = undefined;
    if (started === undefined) return this.requestUpdate(state);
    return started.then(() => this.requestUpdate(state));
  }

  /** `terminate` with the new status (upper case). Problems are logged, not raised. */
  async terminate(newStatus: Status): Promise<void> {
    const state = this.state;
    if (state.kind !== 'running' && state.kind !== 'failed') return;
    if (state.kind === 'running') this.state = { kind: 'ready' };
    try {
      const reply = await this.connection.call(
        'terminate',
        { action_id: this.actionId, new_status: newStatus },
        this.commandTimeout(),
      );
      if (reply.status === 'error' && this.forgotten(reply)) {
        this.detach(this.restartedMessage('terminate', reply.message));
      } else if (reply.status === 'error') {
        this.options.logger.warn(this.describe(`terminate failed: ${reply.message}`));
      }
    } catch (err) {
      this.callFailed(state.run, err);
    }
  }

  /** `reset` this action on the server (stops what it left running), then close the socket. */
  async shutdown(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'idle', resetOwed: false };
    this.connection.stopHeartbeat();
    switch (state.kind) {
      case 'idle':
      case 'settingUp': {
        // Closing first fails an init/setup still in flight (the setup then rejects).
        this.connection.close();
        if (state.kind === 'idle' ? state.resetOwed : state.initSent) await this.resetUnfinishedSetup();
        return;
      }
      case 'detached':
        this.connection.close();
        return;
      default:
        await this.resetOnServer();
    }
  }

  /** `reset` over the action's own connection, unless the server is known to be unreachable; then close. */
  private async resetOnServer(): Promise<void> {
    try {
      if (this.serverProblem() === undefined) {
        const reply = await this.connection.call('reset', { action_id: this.actionId }, this.commandTimeout());
        if (reply.status === 'error') this.options.logger.warn(this.describe(`reset failed: ${reply.message}`));
      }
    } catch (err) {
      if (err instanceof RemoteCallError) this.options.logger.warn(this.describe(`reset failed: ${err.message}`));
      else throw err;
    } finally {
      this.connection.close();
    }
  }

  /** `init`: refused (an error reply), it created nothing on the server. */
  private async sendInit(deadline: number, attempt?: SettingUp): Promise<void> {
    const { action } = this.options;
    const initArgs = this.initArgNames.size > 0 ? this.splitArgs(action.resolveArgs()).initArgs : {};
    const reply = this.connection.call(
      'init',
      { action_id: this.actionId, plugin_key: action.name, init_args: initArgs, output_dir: this.outputDir() },
      deadline - performance.now(),
    );
    // Shut down already: the connection is closed, this init never reaches the server.
    if (attempt !== undefined && this.state === attempt) attempt.initSent = true;
    const answer = await reply;
    if (answer.status === 'error') {
      if (attempt !== undefined) attempt.initSent = false;
      throw new ErrorReplyError(`init failed: ${answer.message}`);
    }
  }

  private async sendSetup(ctx: SetupContext, deadline: number): Promise<void> {
    const reply = await this.connection.call(
      'setup',
      {
        action_id: this.actionId,
        tick_period: ctx.tickPeriod,
        output_dir: this.outputDir(),
        scenario_file_directory: ctx.scenarioFileDirectory,
      },
      deadline - performance.now(),
    );
    if (reply.status === 'error') throw new ErrorReplyError(`setup failed: ${reply.message}`);
  }

  private outputDir(): string | null {
    return this.setupContext?.outputDir ?? null;
  }

  /** The one line a failed setup reports. */
  private setupError(err: unknown, step: 'init' | 'setup'): unknown {
    const { endpoint, setupTimeout, action } = this.options;
    if (err instanceof ErrorReplyError) return new Error(this.describe(err.message));
    if (!(err instanceof RemoteCallError)) return err;
    const bound = `within setup_timeout ${formatSeconds(setupTimeout * 1000)}`;
    switch (err.kind) {
      case 'timeout':
        return new Error(
          step === 'init'
            ? `remote('${endpoint}'): cannot reach scenario_execution_server at ${this.address} ${bound} (is it running?)`
            : `remote('${endpoint}'): scenario_execution_server at ${this.address} answered 'init' ` +
                `but 'setup' of ${action.name} did not finish ${bound}`,
        );
      case 'handshake':
      case 'refused':
      case 'invalid':
        return new Error(`remote('${endpoint}'): ${err.message}`);
      default:
        return new Error(this.describe(err.message));
    }
  }

  /**
   * Start a run on the server: `execute`, after creating the action there
   * again when contact was lost (`recreateBecause`), or when the server
   * answers that it no longer knows the action.
   */
  private startRun(recreateBecause: string | undefined, execArgs: Record<string, ArgValue>): Promise<void> {
    const execute = () =>
      this.connection.call('execute', { action_id: this.actionId, exec_args: execArgs }, this.commandTimeout());
    // Without a detour the request is encoded now: arguments msgpack cannot carry throw here, synchronously.
    const first = recreateBecause === undefined ? execute() : this.recreate(recreateBecause).then(execute);
    return first.then(async (reply) => {
      let answer = reply;
      if (recreateBecause === undefined && answer.status === 'error' && this.forgotten(answer)) {
        await this.recreate(this.restartedMessage('execute', answer.message));
        answer = await execute();
      }
      if (answer.status === 'error') throw new ErrorReplyError(`execute failed: ${answer.message}`);
    });
  }

  /**
   * Create the action on the server again, as setup did, within
   * setup_timeout: `reset` first (a server that still holds a stale run stops
   * it; one that forgot the action answers ok), then `init` and `setup`.
   */
  private async recreate(because: string): Promise<void> {
    const ctx = this.setupContext as SetupContext;
    this.connection.open(this.sideBySide);
    this.connection.startHeartbeat();
    const deadline = performance.now() + this.options.setupTimeout * 1000;
    await this.connection.call('reset', { action_id: this.actionId }, deadline - performance.now());
    await this.sendInit(deadline);
    await this.sendSetup(ctx, deadline);
    this.options.logger.info(this.describe(`set up on the server again (${because})`));
  }

  private requestUpdate(running: Running): Status | Promise<Status> {
    if (this.state !== running) return Status.FAILURE;
    const problem = this.serverProblem();
    if (problem !== undefined) {
      this.detach(problem);
      return Status.FAILURE;
    }
    return this.connection
      .call('update', { action_id: this.actionId }, this.options.heartbeatFailureTimeout * 1000)
      .then(
        (reply) => {
          if (reply.status === 'ok') return Status[treeStatusFromUpdateReply(reply.action_status)];
          if (this.forgotten(reply)) this.detach(this.restartedMessage('update', reply.message));
          else this.endRun(running.run, `update failed: ${reply.message}`);
          return Status.FAILURE;
        },
        (err: unknown) => {
          this.callFailed(running.run, err);
          return Status.FAILURE;
        },
      );
  }

  private commandTimeout(): number {
    return this.options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
  }

  /** Why the server cannot be used now, if it cannot: a broken connection, or silence beyond the bound. */
  private serverProblem(): string | undefined {
    const lost = this.connection.lost;
    if (lost !== undefined) return lost;
    const limitMs = this.options.heartbeatFailureTimeout * 1000;
    if (this.connection.silenceMs() > limitMs) {
      return `no reply from server at ${this.address} for more than ${formatSeconds(limitMs)}`;
    }
    return undefined;
  }

  /** True for the server's answer about an action it does not know: it restarted since. */
  private forgotten(reply: ErrorReply): boolean {
    return reply.message.includes(`Unknown action_id: ${this.actionId}`);
  }

  private restartedMessage(cmd: CommandName, serverMessage: string): string {
    return `the server restarted: it no longer knows this action ('${cmd}' answered ${serverMessage})`;
  }

  /**
   * A call of run `run` failed: an error reply, a bad reply or anything else
   * (arguments that cannot be sent) ends the run; no reply detaches.
   */
  private callFailed(run: number, err: unknown): void {
    if (!(err instanceof RemoteCallError)) this.endRun(run, errorText(err));
    else if (err.kind === 'protocol' || err.kind === 'closed') this.endRun(run, err.message);
    else if (err.kind === 'timeout') this.detach(`lost contact with the server: ${err.message}`);
    else this.detach(err.message);
  }

  /** Run `run` failed; a reply about an earlier run (interrupted since) is only logged. */
  private endRun(run: number, message: string): void {
    const state = this.state;
    if (state.kind !== 'running' && state.kind !== 'failed') {
      this.options.logger.error(this.describe(message));
      return;
    }
    if (state.run !== run) {
      this.options.logger.error(this.describe(message));
      return;
    }
    this.state = { kind: 'failed', run, message };
    this.report(message);
  }

  /**
   * The server is out of reach, or forgot the action: a run in progress fails
   * with `message`, the connection closes (no terminate or reset will reach
   * anyone), and the next run creates the action again.
   */
  private detach(message: string): void {
    const state = this.state;
    if (state.kind === 'idle' || state.kind === 'settingUp' || state.kind === 'detached') {
      this.options.logger.error(this.describe(message));
      return;
    }
    this.state = { kind: 'detached', message };
    this.connection.close();
    this.report(message);
  }

  /** Log a failure of the action and show it as its feedback. */
  private report(message: string): void {
    this.options.logger.error(this.describe(message));
    this.options.onFeedback?.(message);
  }

  /**
   * Best-effort `reset` of an action whose setup did not finish, on a socket of
   * its own (the setup's socket is closed, or was still waiting for a reply),
   * bounded by {@link UNFINISHED_SETUP_RESET_MS}. The server keys actions by
   * action_id, so any connection may reset it.
   */
  private async resetUnfinishedSetup(): Promise<void> {
    const connection = new RemoteConnection({
      address: this.address,
      heartbeatTimeoutMs: UNFINISHED_SETUP_RESET_MS,
      onReply: (reply, cmd) => this.forwardOutput(reply, cmd),
      serverPublicKey: this.options.serverPublicKey,
      clientKeys: this.options.clientKeys,
    });
    connection.open();
    try {
      const reply = await connection.call('reset', { action_id: this.actionId }, UNFINISHED_SETUP_RESET_MS);
      if (reply.status === 'error') this.options.logger.warn(this.describe(`reset failed: ${reply.message}`));
    } catch (err) {
      // The setup already failed (and said why); this is only cleanup.
      if (err instanceof RemoteCallError) this.options.logger.debug(this.describe(`reset failed: ${err.message}`));
      else throw err;
    } finally {
      connection.close();
    }
  }

  private describe(message: string): string {
    return `${this.options.action.name}@${this.address}: ${message}`;
  }

  /** Like the Python client: arguments the action consumes at construction go to `init`. */
  private splitArgs(args: Record<string, ArgValue>): {
    initArgs: Record<string, ArgValue>;
    execArgs: Record<string, ArgValue>;
  } {
    const initArgs: Record<string, ArgValue> = {};
    const execArgs: Record<string, ArgValue> = {};
    for (const [key, value] of Object.entries(args)) {
      if (this.initArgNames.has(key)) initArgs[key] = value;
      else execArgs[key] = value;
    }
    return { initArgs, execArgs };
  }

  /** Print what the server's action logged, and show its feedback. */
  private forwardOutput(reply: Reply, _cmd: CommandName): void {
    const { logger } = this.options;
    for (const line of reply.log ?? []) logger[line.level](`[${this.address}] ${line.msg}`);
    if (reply.feedback !== undefined) this.options.onFeedback?.(reply.feedback);
  }
}

/**
 * The server is gone, or was never reached (`init` unanswered within
 * setup_timeout, reported as "cannot reach"): no reset is sent. A call closed
 * by shutdown, or an error reply, says nothing about the server.
 */
function serverUnreachable(err: unknown, step: 'init' | 'setup'): boolean {
  if (!(err instanceof RemoteCallError)) return false;
  if (err.kind === 'timeout') return step === 'init';
  return err.kind === 'lost' || err.kind === 'handshake' || err.kind === 'refused' || err.kind === 'invalid';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
