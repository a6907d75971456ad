/**
 * The client side of one remote action: drives the action's lifecycle on a
 * `scenario_execution_server` (PROTOCOL.md, "Lifecycle") over its own
 * {@link RemoteConnection}. The behaviour in the tree only forwards to it.
 */
import { randomUUID } from 'node:crypto';
import {
  type CommandName,
  type CurveKeyPair,
  type Reply,
  treeStatusFromUpdateReply,
} from '@scenario-execution/protocol';
import type { ActionLogger, ArgValue, SetupContext, WrappedActionInfo } from 'scenario-execution';
import { Status } from 'scenario-execution';
import { serverPublicKeyProblem } from './curve.js';
import { waitForInitTurn } from './init-order.js';
import { formatSeconds, RemoteCallError, RemoteConnection } from './remote-connection.js';

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
/** Bound of the `reset` for an action whose setup did not finish: it must not hold up the exit. */
const UNFINISHED_SETUP_RESET_MS = 1000;

export class RemoteActionClient {
  readonly actionId: string;
  private readonly connection: RemoteConnection;
  private readonly initArgNames: ReadonlySet<string>;
  /** Set when the action cannot go on; every later update fails with it. */
  private failure: string | undefined;
  /** The server is known to be gone: skip terminate/reset. */
  private serverGone = false;
  private setUp = false;
  /**
   * `init` went out but setup did not finish, and the server is not known to be
   * gone: the server may hold the action (and whatever its setup started), so
   * shutdown resets it.
   */
  private resetOwed = false;
  /** Shut down: a setup still waiting to connect must not open the socket any more. */
  private shutDown = false;
  /** Counts `execute`s: a late reply about an earlier run must not fail the current one. */
  private run = 0;
  /** The reply to the last `execute`, until an update has been chained to it. */
  private executeReply: Promise<void> | undefined;

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
      routingId: this.actionId,
    });
  }

  get address(): string {
    return this.options.address;
  }

  /** Heartbeats sent so far. */
  get heartbeatsSent(): number {
    return this.connection.heartbeatsSent;
  }

  /**
   * Connect, `init` and `setup`, within `setup_timeout`; throws one clear line on failure.
   * `init` waits for the turn of this action on its server, and the socket
   * connects a little before (see init-order.ts); the timeout counts from the turn.
   */
  async setup(ctx: SetupContext): Promise<void> {
    const { action, setupTimeout, serverPublicKey } = this.options;
    this.shutDown = false;
    const keyProblem = serverPublicKey === undefined ? undefined : serverPublicKeyProblem(serverPublicKey);
    if (keyProblem !== undefined) {
      this.serverGone = true;
      throw new Error(`remote('${this.options.endpoint}'): ${keyProblem}`);
    }
    const initAnswered = await waitForInitTurn(this.address, () => {
      // Shut down while waiting in line (another setup failed): connect no more.
      if (!this.shutDown) this.connection.open();
    });
    const deadline = performance.now() + setupTimeout * 1000;
    const left = () => deadline - performance.now();
    let initAccepted = false;
    try {
      const outputDir = ctx.outputDir ?? null;
      let init: Reply;
      try {
        const initArgs = this.initArgNames.size > 0 ? this.splitArgs(action.resolveArgs()).initArgs : {};
        const initReply = this.connection.call(
          'init',
          { action_id: this.actionId, plugin_key: action.name, init_args: initArgs, output_dir: outputDir },
          left(),
        );
        // Shut down already: the connection is closed, this init never reaches the server.
        this.resetOwed = !this.shutDown;
        init = await initReply;
      } finally {
        initAnswered();
      }
      if (init.status === 'error') {
        // The server created no action.
        this.resetOwed = false;
        throw new Error(this.describe(`init failed: ${init.message}`));
      }
      initAccepted = true;
      const setup = await this.connection.call(
        'setup',
        {
          action_id: this.actionId,
          tick_period: ctx.tickPeriod,
          output_dir: outputDir,
          scenario_file_directory: ctx.scenarioFileDirectory,
        },
        left(),
      );
      if (setup.status === 'error') throw new Error(this.describe(`setup failed: ${setup.message}`));
    } catch (err) {
      this.connection.close();
      this.serverGone = true;
      if (this.resetOwed && err instanceof RemoteCallError && serverUnreachable(err, initAccepted)) {
        this.resetOwed = false;
      }
      if (err instanceof RemoteCallError && err.kind === 'timeout' && initAccepted) {
        throw new Error(
          `remote('${this.options.endpoint}'): scenario_execution_server at ${this.address} answered 'init' ` +
            `but 'setup' of ${action.name} did not finish within setup_timeout ${formatSeconds(setupTimeout * 1000)}`,
        );
      }
      if (err instanceof RemoteCallError && err.kind === 'timeout') {
        throw new Error(
          `remote('${this.options.endpoint}'): cannot reach scenario_execution_server at ${this.address} ` +
            `within setup_timeout ${formatSeconds(setupTimeout * 1000)} (is it running?)`,
        );
      }
      if (
        err instanceof RemoteCallError &&
        (err.kind === 'handshake' || err.kind === 'refused' || err.kind === 'invalid')
      ) {
        throw new Error(`remote('${this.options.endpoint}'): ${err.message}`);
      }
      if (err instanceof RemoteCallError) throw new Error(this.describe(err.message));
      throw err;
    }
    this.setUp = true;
    this.resetOwed = false;
    this.connection.startHeartbeat();
  }

  /**
   * Send `execute` with the arguments as they are now, without waiting for the
   * reply: the next {@link update} goes out after it, and a failure shows there.
   * Throws (synchronously) only for arguments msgpack cannot carry.
   */
  execute(): void {
    const run = ++this.run;
    this.failure = undefined;
    this.executeReply = undefined;
    if (!this.checkAlive()) return;
    let execArgs: Record<string, ArgValue>;
    try {
      execArgs = this.splitArgs(this.options.action.resolveArgs()).execArgs;
    } catch (err) {
      this.fail(`cannot resolve the arguments of ${this.options.action.name}: ${errorText(err)}`);
      return;
    }
    const reply = this.connection.call(
      'execute',
      { action_id: this.actionId, exec_args: execArgs },
      this.commandTimeout(),
    );
    this.executeReply = reply.then(
      (answer) => {
        if (answer.status === 'error') this.failRun(run, `execute failed: ${answer.message}`);
      },
      (err: unknown) => this.callFailed(run, err),
    );
    // The update chained to it reports a rejection; nobody else may see it unhandled.
    this.executeReply.catch(() => undefined);
  }

  /**
   * `update`, sent once the reply to `execute` is in, bounded by
   * heartbeat_failure_timeout; the reply's action status. A plain status when
   * the action already failed.
   */
  update(): Status | Promise<Status> {
    const run = this.run;
    const afterExecute = this.executeReply;
    this.executeReply = undefined;
    if (afterExecute === undefined) return this.requestUpdate(run);
    return afterExecute.then(() => this.requestUpdate(run));
  }

  private requestUpdate(run: number): Status | Promise<Status> {
    if (this.failure !== undefined || !this.checkAlive()) return Status.FAILURE;
    return this.connection
      .call('update', { action_id: this.actionId }, this.options.heartbeatFailureTimeout * 1000)
      .then(
        (reply) => {
          if (reply.status === 'error') {
            this.failRun(run, `update failed: ${reply.message}`);
            return Status.FAILURE;
          }
          return Status[treeStatusFromUpdateReply(reply.action_status)];
        },
        (err: unknown) => {
          this.callFailed(run, err);
          return Status.FAILURE;
        },
      );
  }

  /** `terminate` with the new status (upper case). Problems are logged, not raised. */
  async terminate(newStatus: Status): Promise<void> {
    if (!this.setUp || this.serverGone) return;
    const run = this.run;
    try {
      const reply = await this.connection.call(
        'terminate',
        { action_id: this.actionId, new_status: newStatus },
        this.commandTimeout(),
      );
      if (reply.status === 'error') this.options.logger.warn(this.describe(`terminate failed: ${reply.message}`));
    } catch (err) {
      this.callFailed(run, err);
    }
  }

  /** `reset` this action on the server (stops what it left running), then close the socket. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    this.connection.stopHeartbeat();
    if (!this.setUp) {
      // Closing first fails an init/setup still in flight (the setup then rejects).
      this.connection.close();
      if (this.resetOwed) {
        this.resetOwed = false;
        await this.resetUnfinishedSetup();
      }
      return;
    }
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
      this.setUp = false;
    }
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

  /** Why the action failed, when it failed on the client side (server gone, error reply). */
  get failureMessage(): string | undefined {
    return this.failure;
  }

  private commandTimeout(): number {
    return this.options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
  }

  /** Why the server cannot be used any more, if it cannot. */
  private serverProblem(): string | undefined {
    if (this.serverGone) return `server at ${this.address} is gone`;
    const lost = this.connection.lost;
    if (lost !== undefined) return lost;
    const limitMs = this.options.heartbeatFailureTimeout * 1000;
    if (this.connection.silenceMs() > limitMs) {
      return `no reply from server at ${this.address} for more than ${formatSeconds(limitMs)}`;
    }
    return undefined;
  }

  /** False (and the action failed) when the server is gone or has been silent too long. */
  private checkAlive(): boolean {
    const problem = this.serverProblem();
    if (problem === undefined) return true;
    this.serverGone = true;
    if (this.failure === undefined) this.fail(problem);
    return false;
  }

  private callFailed(run: number, err: unknown): void {
    if (!(err instanceof RemoteCallError)) throw err;
    // A timeout or a lost connection means the server cannot be relied on any more.
    if (err.kind !== 'protocol') this.serverGone = true;
    this.failRun(run, err.message);
  }

  /** Fail run `run` of the action; a reply about an earlier run (interrupted since) is only logged. */
  private failRun(run: number, message: string): void {
    if (run === this.run) this.fail(message);
    else this.options.logger.error(this.describe(message));
  }

  private fail(message: string): void {
    this.failure = message;
    this.options.logger.error(this.describe(message));
    this.options.onFeedback?.(message);
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
 * by shutdown says nothing about the server.
 */
function serverUnreachable(err: RemoteCallError, initAccepted: boolean): boolean {
  if (err.kind === 'timeout') return !initAccepted;
  return err.kind === 'lost' || err.kind === 'handshake' || err.kind === 'refused' || err.kind === 'invalid';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
