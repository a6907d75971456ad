/**
 * The socket side of `scenario_execution_server`: one ZeroMQ ROUTER socket
 * (wire-compatible with the clients' REQ sockets) serving every client
 * concurrently. Each request is handled on its own, so a slow action call
 * delays only later calls about the same action, never other clients or
 * heartbeats. Also the watchdog and the connect timeout.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeRequest,
  encodeReply,
  HEARTBEAT_REQUEST_BYTES,
  errorReply,
  okReply,
  type Reply,
  type Request,
} from '@scenario-execution/protocol';
import type { Context, Router } from 'zeromq';
import { type ActionHost, shortId } from './action-host.js';
import { ZapHandler } from './authentication.js';
import { isProbeRoutingId } from './check.js';
import { ActionReaper } from './reaper.js';
import { clientText, type ServerLog } from './log.js';
import {
  bindWithMode,
  DEFAULT_SOCKET_MODE,
  prepareUnixSocketPath,
  ServerStartError,
  socketFilePath,
} from './unix-socket.js';
import { zmq } from './zmq.js';

export type StopReason = 'watchdog' | 'connect-timeout' | 'signal' | 'requested';

/**
 * What a server tells an observer (the metrics of `--metrics`). Commands are
 * the protocol's command names, or `invalid` for a message that is not a
 * request: never free client text.
 */
export interface ServerObserver {
  /** A message arrived; `command` is its request's command, or `invalid`. */
  request(command: string): void;
  /** Its reply is sent, `seconds` after the message arrived; `error`: an error reply. */
  replied(command: string, error: boolean, seconds: number): void;
  /** The reaper took `count` actions of silent clients. */
  reaped(count: number): void;
  /**
   * A connection failed its handshake: `key` when the client key was refused
   * (`--curve-authorized-keys`), `handshake` for any other failure (a plain
   * client at a CURVE server, a wrong server key).
   */
  refused(reason: 'key' | 'handshake'): void;
}

/** The command an observer is told for a message that is not a request. */
const INVALID_COMMAND = 'invalid';

/** The error reply to a request that arrives once the server stopped accepting requests. */
export const STOPPING_MESSAGE = 'the server is stopping';

export interface ServerOptions {
  /** ZeroMQ bind address: `tcp://<host>:<port>` or `ipc://<path>`. */
  readonly address: string;
  readonly host: ActionHost;
  readonly log: ServerLog;
  /** Stop after this many seconds without a message once a client was seen; 0 = never. */
  readonly watchdogSeconds: number;
  /** Stop when no client wrote within this many seconds of start; 0 = never. */
  readonly connectTimeoutSeconds: number;
  /**
   * While requests are being answered, the watchdog waits up to this many
   * seconds without a message (at least `watchdogSeconds`; default 30, the
   * client's per-command timeout).
   */
  readonly inFlightGraceSeconds?: number;
  /** Requests larger than this get an error reply (default 16 MiB). */
  readonly maxMessageSize?: number;
  /** How often the watchdog looks at the clock (ms). */
  readonly checkIntervalMs?: number;
  /** How long stopping waits for a hanging call before resetting its action anyway (ms). */
  readonly stopQueueWaitMs?: number;
  /** Z85 secret key: the socket is a CURVE server (only CURVE clients that know its public key connect). */
  readonly curveSecretKey?: string;
  /** With `curveSecretKey`: only clients with these Z85 public keys pass the handshake. */
  readonly curveAuthorizedKeys?: ReadonlySet<string>;
  /** Permission bits of an `ipc://` socket file (default 0o600: the server's user only). */
  readonly socketMode?: number;
  /** Reap an action whose client sent nothing for this many seconds; 0 or absent = never. */
  readonly actionTimeoutSeconds?: number;
  /** Told about requests, replies, reaped actions and refused clients (metrics). */
  readonly observer?: ServerObserver;
  /**
   * Closed client connections are logged one by one at DEBUG, and at INFO as one
   * summary line at most this often (ms; default 60 s).
   */
  readonly disconnectSummaryMs?: number;
}

// The Unix socket helpers and the start error live in unix-socket.ts; re-exported for the API.
export { ServerStartError };

/**
 * How often the reaper looks for actions of silent clients (ms): an action is
 * reaped at most this long after its client's silence passed the timeout
 * (a sweep only walks the live actions).
 */
const REAPER_SWEEP_MS = 250;

/** The clients' per-command timeout: no client waits longer than this for an answer (setup aside). */
const DEFAULT_IN_FLIGHT_GRACE_SECONDS = 30;

/** Frames above this size are dropped by ZeroMQ itself (the peer is disconnected). */
const HARD_LIMIT_FACTOR = 4;

const DEFAULT_DISCONNECT_SUMMARY_MS = 60_000;

/**
 * Action calls are started in slices of at most this many, or this long (ms),
 * with a turn of the event loop between slices: the socket is read between
 * them, so a heartbeat (answered as soon as it is read) never waits behind a
 * burst of hundreds of calls (a client starting 300 processes at once).
 */
const CALLS_PER_SLICE = 16;
const SLICE_MS = 2;

/**
 * Where the body of a message from the ROUTER socket starts: after the first
 * empty frame (the delimiter a REQ socket puts after the routing ids), or,
 * without one, after the routing id (a DEALER sending bare frames).
 */
function bodyStart(frames: readonly Buffer[]): number {
  for (let i = 1; i < frames.length; i++) if ((frames[i] as Buffer).length === 0) return i + 1;
  return 1;
}

/** Why a message's frames are not one request (undefined when they are). */
function framesProblem(frames: readonly Buffer[], bodyAt: number): string | undefined {
  const bodies = frames.length - bodyAt;
  if (bodies === 1) return undefined;
  if (bodies === 0) return 'message has no body: no frame follows the empty delimiter frame';
  const where = bodyAt === 1 ? 'and no empty delimiter frame' : 'after the empty delimiter frame';
  return `multi-part message: ${bodies} frames ${where}; a request is one frame`;
}

/**
 * Longest message of an error reply. Error messages quote the request (an
 * unknown command or action id, a plugin key): a client must not make the
 * server echo 16 MiB back. Real messages are far shorter, and unchanged.
 */
const MAX_ERROR_MESSAGE_CHARS = 4096;

function boundedErrorText(reply: Reply): Reply {
  if (reply.status !== 'error' || reply.message.length <= MAX_ERROR_MESSAGE_CHARS) return reply;
  const cut = `${reply.message.slice(0, MAX_ERROR_MESSAGE_CHARS)}… (${reply.message.length} characters)`;
  return { ...reply, message: cut };
}

function noCall(): void {}

/** The reply to every heartbeat, and its bytes (encoded once). */
const HEARTBEAT_REPLY: Reply = okReply();
const HEARTBEAT_REPLY_BYTES = encodeReply(HEARTBEAT_REPLY);

const SENT: Promise<void> = Promise.resolve();

/** `60s`, `1.5s` — for log lines. */
function formatInterval(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function describeCommand(request: Request): string {
  const id = 'action_id' in request.payload ? (request.payload.action_id ?? '') : '';
  return `cmd=${request.cmd} action_id=${shortId(id)}`;
}

export class ScenarioExecutionServer {
  /** Resolves when the server stopped accepting requests, with why. */
  readonly stopped: Promise<StopReason>;
  private resolveStopped!: (reason: StopReason) => void;
  private stopReason: StopReason | undefined;
  private readonly socket: Router;
  private readonly maxMessageSize: number;
  private readonly startedAt = performance.now();
  private lastActivityAt = performance.now();
  private clientSeen = false;
  private inFlight = 0;
  /** Replies handed to {@link transmit}, and those whose send finished. */
  private sendsQueued = 0;
  private sendsDone = 0;
  /** Callers of {@link whenSent}, with the count of finished sends each waits for. */
  private drainWaiters: { readonly target: number; readonly resolve: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private receiveLoop: Promise<void> = Promise.resolve();
  private socketInode: number | undefined;
  private closed: Promise<void> | undefined;
  /** The context of the socket: a server's own when a ZAP handler must live in it. */
  private readonly context: Context | undefined;
  private zap: ZapHandler | undefined;
  private readonly reaper: ActionReaper | undefined;
  private lastSweepAt = performance.now();
  /** Action calls received and not yet started, oldest first from `nextCall`. */
  private calls: (() => void)[] = [];
  private nextCall = 0;
  private sliceScheduled = false;
  /** Client connections closed since the last summary line. */
  private disconnects = 0;
  private lastDisconnectSummaryAt = performance.now();
  /** The address actually bound (the real port when binding port 0). */
  endpoint: string;

  private constructor(private readonly options: ServerOptions) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    const curve =
      options.curveSecretKey === undefined ? {} : { curveServer: true, curveSecretKey: options.curveSecretKey };
    if (options.curveSecretKey !== undefined && options.curveAuthorizedKeys !== undefined) {
      this.context = new zmq.Context();
    }
    const context = this.context === undefined ? {} : { context: this.context };
    this.socket = new zmq.Router({
      ...context,
      // A client that reconnects under its routing id (ours use their action id) takes it over.
      handover: true,
      linger: 0,
      // A ROUTER never blocks a send (a reply to a peer that is gone or full is dropped): with
      // no timeout, zeromq.js sends at once without first asking the socket whether it can.
      sendTimeout: 0,
      maxMessageSize: this.maxMessageSize * HARD_LIMIT_FACTOR,
      ...curve,
    });
    this.endpoint = options.address;
    const actionTimeout = options.actionTimeoutSeconds ?? 0;
    if (actionTimeout > 0) {
      this.reaper = new ActionReaper({ host: options.host, log: options.log, timeoutMs: actionTimeout * 1000 });
    }
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** Bind and start serving. @throws ServerStartError */
  static async start(options: ServerOptions): Promise<ScenarioExecutionServer> {
    const server = new ScenarioExecutionServer(options);
    await server.bind();
    server.receiveLoop = server.receive();
    const interval = options.checkIntervalMs ?? 100;
    server.timer = setInterval(() => server.checkTimers(), interval);
    return server;
  }

  /**
   * Bind the socket; on any failure close it and throw a {@link ServerStartError}
   * (the command prints one line, never a stack trace).
   */
  private async bind(): Promise<void> {
    const { address, log } = this.options;
    const path = socketFilePath(address);
    try {
      // Before the socket binds: no handshake may happen without the handler.
      if (this.context && this.options.curveAuthorizedKeys) {
        this.zap = await ZapHandler.start(this.context, this.options.curveAuthorizedKeys, log);
      }
      if (path) await prepareUnixSocketPath(path, log);
      const bindSocket = async () => {
        try {
          await this.socket.bind(address);
        } catch (err) {
          throw new ServerStartError(`cannot listen on ${address}: ${(err as Error).message}`);
        }
      };
      if (path) await bindWithMode(path, this.options.socketMode ?? DEFAULT_SOCKET_MODE, bindSocket);
      else await bindSocket();
      // Remember which file is ours, so closing never removes a successor's socket.
      if (path) this.socketInode = lstatSync(path, { throwIfNoEntry: false })?.ino;
    } catch (err) {
      this.socket.close();
      await this.zap?.stop();
      if (err instanceof ServerStartError) throw err;
      throw new ServerStartError(`cannot listen on ${address}: ${(err as Error).message}`);
    }
    this.endpoint = /:(0|\*)$/.test(address) ? (this.socket.lastEndpoint ?? address) : address;
    log.info(`scenario-execution-server listening on ${this.endpoint}`);
  }

  /** Number of requests being answered right now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Whether the server still accepts requests (not stopped). */
  get serving(): boolean {
    return this.stopReason === undefined;
  }

  /** Stop accepting requests (idempotent). Call {@link close} to release everything. */
  stop(reason: StopReason = 'requested'): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    if (this.timer) clearInterval(this.timer);
    // Calls still waiting for their slice are answered now (with STOPPING_MESSAGE).
    const waiting = this.calls.slice(this.nextCall);
    this.calls = [];
    this.nextCall = 0;
    for (const start of waiting) start();
    this.resolveStopped(reason);
  }

  /**
   * Stop, wait for answers in progress to go out, reset every action (no child
   * process survives) and close the socket. Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    this.stop('requested');
    const { log, host } = this.options;
    log.info('Cleaning up…');
    await host.resetAll({ queueWaitMs: this.options.stopQueueWaitMs ?? 2000 });
    // Replies finished by the resets still go out before the socket closes.
    await this.whenSent();
    this.socket.close();
    await this.receiveLoop;
    await this.zap?.stop();
    this.removeSocketFile();
    log.info('Server stopped.');
  }

  /**
   * Give up on a close that takes too long (the process is about to exit):
   * close the socket at once and remove our socket file, so nothing is left
   * behind for the next server.
   */
  abandon(): void {
    this.stop('requested');
    if (!this.socket.closed) this.socket.close();
    this.removeSocketFile();
  }

  /** Remove our Unix socket file (only if it is still ours). */
  private removeSocketFile(): void {
    const path = socketFilePath(this.options.address);
    if (!path || this.socketInode === undefined) return;
    try {
      if (lstatSync(path).ino === this.socketInode) unlinkSync(path);
    } catch {
      // Already gone (ZeroMQ removes it on close).
    }
  }

  /**
   * Like the Python server, the watchdog counts the time since the last message
   * received (a reply sent counts too). The Python server cannot check while a
   * call runs (it has one thread), so a slow call never stops it; here a call in
   * progress likewise holds the watchdog off, but only for a bounded time, so a
   * plugin call that never returns cannot keep an orphaned server alive. The
   * connect timeout needs no such rule: any message marks the client seen.
   */
  private checkTimers(): void {
    if (this.stopReason) return;
    const { watchdogSeconds, connectTimeoutSeconds, log } = this.options;
    const now = performance.now();
    this.summariseDisconnects(now);
    if (this.reaper && now - this.lastSweepAt >= REAPER_SWEEP_MS) {
      this.lastSweepAt = now;
      const reaped = this.reaper.sweep();
      if (reaped.length > 0) this.options.observer?.reaped(reaped.length);
    }
    if (!this.clientSeen) {
      if (connectTimeoutSeconds > 0 && now - this.startedAt > connectTimeoutSeconds * 1000) {
        log.info(`Connect timeout: no client connected within ${connectTimeoutSeconds}s, stopping.`);
        this.stop('connect-timeout');
      }
      return;
    }
    if (watchdogSeconds <= 0) return;
    const quietMs = now - this.lastActivityAt;
    if (this.inFlight === 0) {
      if (quietMs > watchdogSeconds * 1000) {
        log.info(`Watchdog: no message for ${watchdogSeconds}s, stopping.`);
        this.stop('watchdog');
      }
      return;
    }
    const graceSeconds = Math.max(
      watchdogSeconds,
      this.options.inFlightGraceSeconds ?? DEFAULT_IN_FLIGHT_GRACE_SECONDS,
    );
    if (quietMs > graceSeconds * 1000) {
      const unanswered = this.inFlight === 1 ? '1 request' : `${this.inFlight} requests`;
      log.info(`Watchdog: no message for ${graceSeconds}s (${unanswered} still unanswered), stopping.`);
      this.stop('watchdog');
    }
  }

  private async receive(): Promise<void> {
    this.logDisconnects();
    this.observeRefusals();
    try {
      // Also after stop: until the socket closes, every request gets its one reply. A plain
      // loop rather than the socket's async iterator: one promise a message instead of three,
      // and no result object; nothing here keeps a message alive while the next is awaited.
      const socket = this.socket;
      while (!socket.closed) this.answer(await socket.receive());
    } catch (err) {
      if (!this.socket.closed) {
        this.options.log.error(`Receiving failed: ${(err as Error).message}`);
        this.stop('requested');
      }
    }
  }

  /**
   * A frame above ZeroMQ's hard limit (`maxMessageSize` × {@link HARD_LIMIT_FACTOR})
   * makes libzmq close the sender's connection before any of it reaches the
   * server, so that message cannot be answered. libzmq then reports only the
   * "disconnect" event a client closing its socket causes too (no reason, and
   * the listening address rather than the peer's), so each closed connection
   * is logged with both explanations.
   */
  private logDisconnects(): void {
    this.socket.events.on('disconnect', () => {
      if (this.socket.closed || this.stopReason) return;
      this.disconnects++;
      const { log } = this.options;
      if (log.enabled('debug')) log.debug(`A client connection closed ${this.disconnectCause()}`);
    });
  }

  private disconnectCause(): string {
    const hardLimit = this.maxMessageSize * HARD_LIMIT_FACTOR;
    return `(by the client, or by ZeroMQ for a frame above the hard size limit of ${hardLimit} bytes, which gets no reply)`;
  }

  /**
   * Every client (and every `--check` probe) closes its connection in the end:
   * at INFO that is one line now and then, with the count.
   */
  private summariseDisconnects(now: number): void {
    const every = this.options.disconnectSummaryMs ?? DEFAULT_DISCONNECT_SUMMARY_MS;
    if (this.disconnects === 0 || now - this.lastDisconnectSummaryAt < every) return;
    const count = this.disconnects;
    this.disconnects = 0;
    this.lastDisconnectSummaryAt = now;
    const what = count === 1 ? '1 client connection' : `${count} client connections`;
    this.options.log.info(`${what} closed in the last ${formatInterval(every)} ${this.disconnectCause()}`);
  }

  /** Tell the observer about connections that fail their handshake (ZAP refusals and others). */
  private observeRefusals(): void {
    const observer = this.options.observer;
    if (observer === undefined || this.options.curveSecretKey === undefined) return;
    this.socket.events.on('handshake:error:auth', () => observer.refused('key'));
    this.socket.events.on('handshake:error:protocol', () => observer.refused('handshake'));
    this.socket.events.on('handshake:error:other', () => observer.refused('handshake'));
  }

  /**
   * Answer one message. A REQ client's arrives as `[routing id, empty delimiter,
   * body]` (proxies add routing ids before the delimiter): the envelope is
   * everything up to the first empty frame, and the reply keeps it. A DEALER
   * that sends one bare frame is answered without a delimiter. Frames that are
   * not one request (no body, or several body frames) are not guessed at: they
   * get an error reply. What can be answered at once (heartbeats, bad requests)
   * is sent without waiting for a promise; action calls are answered when they
   * finish, and a call that fails unexpectedly still gets an error reply. Once
   * stopped, a request is answered with {@link STOPPING_MESSAGE}.
   */
  private answer(frames: Buffer[]): void {
    const receivedAt = performance.now();
    // A ROUTER socket always gives a routing id and at least one frame.
    const client = frames.length < 2 ? '' : (frames[0] as Buffer).toString('latin1');
    // A probe (`--check`) is not a client: it neither starts nor feeds the watchdog,
    // so a readiness probe cannot stop a server before its client came.
    const probe = isProbeRoutingId(client);
    if (!probe) {
      this.clientSeen = true;
      this.lastActivityAt = receivedAt;
    }
    if (frames.length < 2) return;
    if (!probe) this.reaper?.heard(client, receivedAt);
    this.inFlight++;
    const bodyAt = bodyStart(frames);
    const problem = framesProblem(frames, bodyAt);
    const body = problem === undefined ? (frames[bodyAt] as Buffer) : undefined;
    // The frames become the reply's envelope. The body goes: a call may take long, and must
    // not hold on to a message of up to ZeroMQ's hard limit (64 MiB by default) meanwhile.
    frames.length = bodyAt;
    if (body !== undefined && this.stopReason === undefined && body.equals(HEARTBEAT_REQUEST_BYTES)) {
      this.answerHeartbeat(frames, probe, receivedAt);
      return;
    }
    const observer = this.options.observer;
    let command = INVALID_COMMAND;
    const send = (answer: Reply) => {
      observer?.replied(command, answer.status === 'error', (performance.now() - receivedAt) / 1000);
      this.sendReply(frames, answer, probe);
    };
    let reply: Reply | Promise<Reply>;
    try {
      if (body !== undefined) {
        reply = this.replyTo(body, client, (cmd) => {
          command = cmd;
        });
      } else {
        this.options.log.error(`Bad request: ${problem}`);
        reply = errorReply(problem as string);
      }
    } catch (err) {
      // Never let one request stop the receive loop.
      reply = Promise.reject(err);
    }
    observer?.request(command);
    if (!(reply instanceof Promise)) {
      send(reply);
      return;
    }
    reply.then(send, (err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.options.log.error(`Answering a request failed: ${reason}`);
      send(errorReply(`the server failed to answer: ${reason}`));
    });
  }

  /** A heartbeat in the usual bytes: what {@link replyTo} would do, without decoding it. */
  private answerHeartbeat(envelope: Buffer[], probe: boolean, receivedAt: number): void {
    const { log, observer } = this.options;
    if (log.enabled('debug')) log.log('debug', 'cmd=heartbeat action_id=');
    if (observer !== undefined) {
      observer.request('heartbeat');
      observer.replied('heartbeat', false, (performance.now() - receivedAt) / 1000);
    }
    envelope.push(HEARTBEAT_REPLY_BYTES);
    this.transmit(envelope, probe);
  }

  private sendReply(envelope: Buffer[], reply: Reply, probe: boolean): void {
    let bytes: Buffer;
    try {
      bytes = reply === HEARTBEAT_REPLY ? HEARTBEAT_REPLY_BYTES : encodeReply(boundedErrorText(reply));
    } catch (err) {
      this.options.log.error(`Cannot encode reply: ${(err as Error).message}`);
      bytes = encodeReply(errorReply(`server could not encode its reply: ${(err as Error).message}`));
    }
    envelope.push(bytes);
    this.transmit(envelope, probe);
  }

  /** The reply to one request; `decoded` learns its command once it is known to be one. */
  private replyTo(body: Buffer, client: string, decoded: (cmd: string) => void): Reply | Promise<Reply> {
    const { log, host } = this.options;
    if (body.length > this.maxMessageSize) {
      const message = `message too large: ${body.length} bytes (limit ${this.maxMessageSize})`;
      log.error(`Bad request: ${message}`);
      return errorReply(message);
    }
    const parsed = decodeRequest(body);
    if (!parsed.ok) {
      const about =
        parsed.cmd === undefined ? '' : ` (cmd=${clientText(parsed.cmd)} action_id=${shortId(parsed.actionId ?? '')})`;
      log.error(`Bad request${about}: ${clientText(parsed.error)}`);
      return errorReply(parsed.error);
    }
    const request = parsed.value;
    decoded(request.cmd);
    if (this.stopReason !== undefined) return errorReply(STOPPING_MESSAGE);
    const actionId = 'action_id' in request.payload ? request.payload.action_id : undefined;
    if (actionId) this.reaper?.owns(client, actionId);
    const quiet = request.cmd === 'heartbeat' || request.cmd === 'update';
    const about = actionId ? shortId(actionId) : undefined;
    if (log.enabled(quiet ? 'debug' : 'info')) log.log(quiet ? 'debug' : 'info', describeCommand(request), about);
    // A heartbeat only proves the server alive: answered here, at once.
    if (request.cmd === 'heartbeat') return HEARTBEAT_REPLY;
    // Action calls start in slices (see CALLS_PER_SLICE), in arrival order.
    return new Promise<Reply>((resolve, reject) => {
      this.enqueueCall(() => {
        // Stopped while it waited: it starts nothing (stopping resets every action).
        if (this.stopReason !== undefined) {
          resolve(errorReply(STOPPING_MESSAGE));
          return;
        }
        let handled: Promise<Reply>;
        try {
          handled = host.handle(request);
        } catch (err) {
          reject(err);
          return;
        }
        handled.then((reply) => {
          if (reply.status === 'error') {
            log.log('error', `${describeCommand(request)} failed: ${clientText(reply.message)}`, about);
          }
          resolve(reply);
        }, reject);
      });
    });
  }

  private enqueueCall(start: () => void): void {
    this.calls.push(start);
    if (this.sliceScheduled) return;
    this.sliceScheduled = true;
    setImmediate(this.startCalls);
  }

  /** Start the next slice of calls; another turn of the event loop for the rest. */
  private readonly startCalls = (): void => {
    this.sliceScheduled = false;
    const calls = this.calls;
    const end = Math.min(calls.length, this.nextCall + CALLS_PER_SLICE);
    const until = performance.now() + SLICE_MS;
    while (this.nextCall < end) {
      const start = calls[this.nextCall] as () => void;
      calls[this.nextCall++] = noCall;
      start();
      if (performance.now() >= until) break;
    }
    if (this.nextCall >= calls.length) {
      this.calls = [];
      this.nextCall = 0;
      return;
    }
    if (this.nextCall >= 1024) {
      this.calls = calls.slice(this.nextCall);
      this.nextCall = 0;
    }
    this.sliceScheduled = true;
    setImmediate(this.startCalls);
  };

  /**
   * Send a reply now. With the socket's send timeout 0, zeromq.js sends synchronously (a
   * ROUTER drops a reply to a peer that is gone or full rather than wait), so sends never
   * overlap and need no queue. A failed send is logged; either way the request counts as
   * answered (in the promise's callback: one callback a reply, no chain of promises).
   */
  private transmit(frames: Buffer[], probe: boolean): void {
    this.sendsQueued++;
    // A reply to a probe does not feed the watchdog.
    if (!probe) this.lastActivityAt = performance.now();
    let sent: Promise<void>;
    try {
      sent = this.socket.closed ? SENT : this.socket.send(frames);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(this.onSent, this.onSendFailed);
  }

  private readonly onSendFailed = (err: unknown): void => {
    this.options.log.warn(`Sending a reply failed: ${(err as Error).message}`);
    this.onSent();
  };

  /** A reply went out (or failed to): its request is answered. */
  private readonly onSent = (): void => {
    this.inFlight--;
    this.sendsDone++;
    if (this.drainWaiters.length > 0) this.wakeDrainWaiters();
  };

  /** Resolves once every reply queued so far went out (or failed to). */
  private whenSent(): Promise<void> {
    if (this.sendsDone >= this.sendsQueued) return SENT;
    const target = this.sendsQueued;
    return new Promise((resolve) => this.drainWaiters.push({ target, resolve }));
  }

  private wakeDrainWaiters(): void {
    const waiting = this.drainWaiters;
    this.drainWaiters = waiting.filter((w) => w.target > this.sendsDone);
    for (const w of waiting) if (w.target <= this.sendsDone) w.resolve();
  }
}
