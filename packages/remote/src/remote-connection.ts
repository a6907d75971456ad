/**
 * One ZeroMQ REQ connection to a `scenario_execution_server`, owned by one
 * remote action.
 *
 * A REQ socket carries one request at a time, so calls are queued. A heartbeat
 * goes out every second while the socket is idle; a heartbeat skipped because a
 * call was in flight costs nothing, since any answered call proves the server
 * alive.
 *
 * A dropped connection (a reset, a restarted server) is not a failure: ZeroMQ
 * connects again by itself, and a request that was in flight is sent again on
 * a fresh socket under the same routing id, within the call's own bound (the
 * server answers a repeated request without running it twice). Only a call
 * that gets no reply within its bound fails; when the connection was down all
 * that time, its error says so.
 * With a server public key the connection is encrypted (CURVE); a failed
 * handshake (wrong key, server not encrypted) closes it at once, for good.
 */
import {
  type CommandName,
  type CurveKeyPair,
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeReply,
  needsIpv6,
  encodeRequest,
  type PayloadByCommand,
  type Reply,
  type Request as WireRequest,
} from '@scenario-execution/protocol';
import { context, Request } from 'zeromq';
import { curveClientOptions } from './curve.js';
import type { ServerLiveness } from './server-liveness.js';

/** Why a call got no reply. */
export type CallFailureKind = 'timeout' | 'lost' | 'closed' | 'protocol' | 'handshake' | 'refused' | 'invalid';

export class RemoteCallError extends Error {
  override name = 'RemoteCallError';
  constructor(
    message: string,
    readonly kind: CallFailureKind,
  ) {
    super(message);
  }
}

export interface RemoteConnectionOptions {
  /** ZeroMQ address, e.g. `tcp://127.0.0.1:7613` or `ipc:///tmp/se.sock`. */
  readonly address: string;
  /** Bound for one heartbeat round trip, in milliseconds. */
  readonly heartbeatTimeoutMs: number;
  /** Milliseconds between heartbeats (1000, as the Python client). */
  readonly heartbeatIntervalMs?: number;
  /** Called with every reply, in arrival order (to forward `log`/`feedback`). */
  readonly onReply?: (reply: Reply, cmd: CommandName) => void;
  /** The server's CURVE public key (Z85, checked by the caller): encrypt the connection. */
  readonly serverPublicKey?: string;
  /** With `serverPublicKey`: the key pair to show the server (a fresh one when undefined). */
  readonly clientKeys?: CurveKeyPair;
  /**
   * The connection's ZeroMQ routing id (our client uses the action id): a
   * server then knows the connection again after ZeroMQ re-establishes it, and
   * keeps its action. Invisible to Python servers (a REP socket strips it).
   */
  readonly routingId?: string;
  /**
   * Heartbeats on a connection of their own while a call waits long (see
   * server-liveness.ts): a call whose bound passes while the server answers
   * them waits on, up to {@link busyServerWaitMs}.
   */
  readonly liveness?: ServerLiveness;
  /** How long a call may wait for a server that answers heartbeats meanwhile (ms; default 30 s). */
  readonly busyServerWaitMs?: number;
}

/**
 * Replies larger than this drop the connection instead of being read: a
 * hostile or broken server must not make the client allocate without bound.
 * Four times the size a server accepts, as the server's own hard limit.
 */
const MAX_REPLY_SIZE = 4 * DEFAULT_MAX_MESSAGE_SIZE;

const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
/** The clients' per-command timeout: no call waits longer for a busy server. */
const DEFAULT_BUSY_SERVER_WAIT_MS = 30_000;

/** A call's bound and when it was made: a timeout names the bound only once it has passed. */
interface CallBound {
  readonly timeoutMs: number;
  readonly calledAt: number;
  /** Set once the call waited past `timeoutMs` because the server answered heartbeats. */
  busyWaitMs?: number;
}

/**
 * ZeroMQ's timeouts run on libuv timers, which count from the time the event
 * loop last looked at the clock: after a busy turn they fire up to that turn's
 * length early. A timeout this close to its bound is the bound.
 */
const TIMER_SLACK = 0.1;

/**
 * ZeroMQ sockets this process may open. libzmq's default, 1,023, stops a
 * scenario at 341 parallel remote actions (a socket and its connection
 * monitor's two each); this allows 5,461. Set before the first socket exists,
 * which is when libzmq reads it.
 */
export const MAX_SOCKETS = 16_384;
try {
  if (context.maxSockets < MAX_SOCKETS) context.maxSockets = MAX_SOCKETS;
} catch {
  // Sockets exist already (a server in the same process): the limit stays, and says so when hit.
}

/** Why a socket could not be opened, in words that name the limit when one was hit. */
export function socketOpenProblem(address: string, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  if (/too many open file/i.test(reason)) {
    return (
      `cannot open a connection to ${address}: ZeroMQ's limit of ${context.maxSockets} sockets in this process ` +
      `is reached (each remote action in flight uses 3), or the process's open-file limit (ulimit -n) is`
    );
  }
  return `invalid endpoint ${address}: ${reason}`;
}

// Where an address needs ZeroMQ's ipv6 option is the protocol package's to say; re-exported for the API.
export { needsIpv6 };

export class RemoteConnection {
  readonly address: string;
  private socket: Request | undefined;
  /** Tail of the call queue; every call starts after the previous one settled. */
  private queueTail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private lastAckAt = performance.now();
  /** When the connection dropped, while it has not been re-established. */
  private droppedAt: number | undefined;
  /** A request is out and its reply awaited: a dropped connection must send it again. */
  private awaitingReply = false;
  /** Sockets closed because their connection dropped under a call: the call goes on on the next one. */
  private readonly replaced = new WeakSet<Request>();
  private handshakeMessage: string | undefined;
  /** Set when the server's authentication refused this client's key. */
  private refusedMessage: string | undefined;
  /** The public key this client shows an encrypting server. */
  private curvePublicKey: string | undefined;
  /** Set when ZeroMQ refused the address; every call fails with it. */
  private invalidMessage: string | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** The socket whose connection events are watched. */
  private watched: Request | undefined;
  /** Heartbeats sent so far (for tests and diagnostics). */
  heartbeatsSent = 0;
  /** Requests sent again because the connection dropped while their reply was awaited. */
  resends = 0;

  constructor(private readonly options: RemoteConnectionOptions) {
    this.address = options.address;
  }

  /**
   * Create the socket and start connecting (ZeroMQ connects in the background).
   * Never throws: when ZeroMQ refuses the address, the socket is closed and
   * every call fails with a `RemoteCallError` of kind `invalid`.
   */
  open(): void {
    if (this.socket) return;
    this.droppedAt = undefined;
    this.lastAckAt = performance.now();
    this.createSocket(false);
  }

  /**
   * A new socket, connecting. `watchAtOnce`: watch its connection from the
   * start (a replacement socket, whose reconnection is to be seen).
   */
  private createSocket(watchAtOnce: boolean): void {
    // relaxed: a request may follow one that timed out; correlate: a late reply
    // to the timed-out request is then dropped instead of taken for the new one.
    const key = this.options.serverPublicKey;
    const curve = key === undefined ? undefined : curveClientOptions(key, this.options.clientKeys);
    this.curvePublicKey = curve?.curvePublicKey;
    const ipv6 = needsIpv6(this.address) ? { ipv6: true } : {};
    let socket: Request | undefined;
    try {
      socket = new Request({
        linger: 0,
        relaxed: true,
        correlate: true,
        maxMessageSize: MAX_REPLY_SIZE,
        ...(this.options.routingId === undefined ? {} : { routingId: this.options.routingId }),
        ...ipv6,
        ...curve,
      });
      this.socket = socket;
      this.invalidMessage = undefined;
      // An encrypted socket is watched from the start, for its handshake.
      if (key !== undefined || watchAtOnce) this.watchConnection(socket);
      socket.connect(this.address);
    } catch (err) {
      if (socket && !socket.closed) socket.close();
      this.socket = undefined;
      this.invalidMessage = socketOpenProblem(this.address, err);
    }
  }

  /**
   * Follow the connection: dropped, re-established, and for an encrypted one
   * its handshake. Plain sockets start being watched with their first request:
   * the watcher (a monitor socket) costs several times what the socket itself
   * does, and many remote actions open their sockets at once.
   */
  private watchConnection(socket: Request): void {
    if (this.watched === socket) return;
    this.watched = socket;
    try {
      socket.events.on('disconnect', () => this.dropped(socket));
      socket.events.on('connect', () => {
        if (this.socket === socket) this.droppedAt = undefined;
      });
      if (this.options.serverPublicKey !== undefined) this.watchHandshake(socket);
    } catch (err) {
      // The monitor is a socket too, and may be the one over the limit.
      this.invalidMessage = socketOpenProblem(this.address, err);
      this.closeSocket();
      throw err;
    }
  }

  /**
   * The connection dropped. ZeroMQ connects again by itself, but a request in
   * flight left with the old connection and its reply will never come: a
   * fresh socket (same routing id) takes over, and the call sends it again.
   */
  private dropped(socket: Request): void {
    if (this.socket !== socket) return;
    this.droppedAt ??= performance.now();
    if (!this.awaitingReply) return;
    this.replaced.add(socket);
    this.closeSocket();
    this.createSocket(true);
  }

  /**
   * An encrypted connection whose handshake fails will never carry a request:
   * close it, so the call waiting for it fails now.
   */
  private watchHandshake(socket: Request): void {
    const failed = (event: { error: Error }) => {
      if (this.socket !== socket) return;
      this.handshakeMessage =
        `CURVE handshake with ${this.address} failed (${event.error.message}): ` +
        'wrong server_public_key, or the server does not use encryption';
      this.closeSocket();
    };
    socket.events.on('handshake:error:protocol', failed);
    socket.events.on('handshake:error:auth', (event) => {
      if (this.socket !== socket) return;
      // The server's ZAP handler said no (400): it does not list this client's key.
      const own = this.curvePublicKey;
      this.refusedMessage =
        `the server at ${this.address} refused this client's CURVE key ${own ?? ''} (status ${event.error.status}): ` +
        "add its public key to the server's --curve-authorized-keys, or give remote() the client_key_file of a listed key";
      this.closeSocket();
    });
    socket.events.on('handshake:error:other', failed);
  }

  /** Set when the connection can never carry a request (refused address, key or handshake). */
  get lost(): string | undefined {
    return this.invalidMessage ?? this.refusedMessage ?? this.handshakeMessage;
  }

  get closed(): boolean {
    return this.socket === undefined;
  }

  /** Milliseconds since the server last answered anything (here, or a heartbeat of the shared watcher). */
  silenceMs(): number {
    const heard = Math.max(this.lastAckAt, this.options.liveness?.lastHeardAt ?? Number.NEGATIVE_INFINITY);
    return performance.now() - heard;
  }

  /**
   * Send a request and wait for its reply, at most `timeoutMs` from now
   * (time spent queued behind another call counts). An error reply resolves;
   * no reply rejects with a {@link RemoteCallError}. The request is encoded
   * at once: a value msgpack cannot carry throws here, synchronously.
   */
  call<C extends CommandName>(cmd: C, payload: PayloadByCommand[C], timeoutMs: number): Promise<Reply> {
    const deadline = performance.now() + timeoutMs;
    const bytes = encodeRequest({ cmd, payload } as WireRequest);
    this.queued++;
    const calledAt = performance.now();
    const result = this.queueTail.then(() => this.exchange(cmd, bytes, deadline, { timeoutMs, calledAt }));
    // Registered before the caller's handlers: the count is down when the caller resumes.
    const settled = () => {
      this.queued--;
    };
    this.queueTail = result.then(settled, settled);
    return result;
  }

  /** Start the 1 Hz heartbeat. The timer does not keep the process alive. */
  startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    const interval = this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimer = setInterval(() => this.beat(), interval);
    this.heartbeatTimer.unref();
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Stop the heartbeat and close the socket; queued calls fail with `closed`. */
  close(): void {
    this.stopHeartbeat();
    this.closeSocket();
  }

  private beat(): void {
    // Something is in flight or waiting: its reply will prove the server alive.
    if (this.queued > 0 || !this.socket) return;
    this.heartbeatsSent++;
    this.call('heartbeat', {}, this.options.heartbeatTimeoutMs).catch(() => {
      // A missed heartbeat shows as silence; update() reports it.
    });
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.closed) socket.close();
  }

  /**
   * Why a call got no reply. A timeout is named with the bound only when that
   * much time really passed since the call was made; any other failure says
   * how long the call had waited, and what ZeroMQ reported.
   */
  private failure(cmd: string, bound: CallBound, err?: unknown): RemoteCallError {
    if (this.invalidMessage) return new RemoteCallError(this.invalidMessage, 'invalid');
    if (this.refusedMessage) return new RemoteCallError(this.refusedMessage, 'refused');
    if (this.handshakeMessage) return new RemoteCallError(this.handshakeMessage, 'handshake');
    if (!this.socket) return new RemoteCallError(`connection to ${this.address} is closed`, 'closed');
    const waitedMs = performance.now() - bound.calledAt;
    if (bound.busyWaitMs !== undefined && waitedMs >= bound.busyWaitMs * (1 - TIMER_SLACK)) {
      return new RemoteCallError(
        `no reply from ${this.address} to '${cmd}' within ${formatSeconds(bound.busyWaitMs)}, ` +
          'though the server answered heartbeats meanwhile (busy, or the call hangs there)',
        'timeout',
      );
    }
    if (waitedMs >= bound.timeoutMs * (1 - TIMER_SLACK)) {
      if (this.droppedAt !== undefined) {
        return new RemoteCallError(
          `connection to ${this.address} lost and not re-established: no reply to '${cmd}' within ${formatSeconds(bound.timeoutMs)}`,
          'lost',
        );
      }
      return new RemoteCallError(
        `no reply from ${this.address} to '${cmd}' within ${formatSeconds(bound.timeoutMs)}`,
        'timeout',
      );
    }
    const reason = err instanceof Error ? err.message : 'the call was cut short';
    return new RemoteCallError(
      `no reply from ${this.address} to '${cmd}' after ${formatSeconds(Math.round(waitedMs))}: ${reason}`,
      'lost',
    );
  }

  /**
   * A send or receive of `socket` that fails for time only at `deadline`.
   * zeromq.js rejects with EAGAIN before it when its timer fires early (see
   * {@link TIMER_SLACK}), and at once when the only message queued was a
   * stale reply that the REQ socket drops (a late reply to a timed-out
   * request, a duplicate): then it waits on for the time left.
   */
  private async byDeadline<T>(socket: Request, deadline: number, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        const early = (err as { code?: unknown }).code === 'EAGAIN' && deadline - performance.now() >= 1;
        if (!early || this.socket !== socket) throw err;
      }
    }
  }

  private async exchange(cmd: CommandName, bytes: Buffer, callDeadline: number, bound: CallBound): Promise<Reply> {
    let deadline = callDeadline;
    const remaining = () => Math.max(1, Math.ceil(deadline - performance.now()));
    let frames: Buffer[] | undefined;
    const liveness = this.options.liveness;
    const busyLimit =
      bound.calledAt + Math.max(bound.timeoutMs, this.options.busyServerWaitMs ?? DEFAULT_BUSY_SERVER_WAIT_MS);
    // A call that waits long (a heartbeat interval, or a third of its bound) has the server watched meanwhile.
    let endWatch: (() => void) | undefined;
    const watchAfterMs = Math.min(
      this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      bound.timeoutMs / 3,
    );
    const watchTimer =
      liveness === undefined
        ? undefined
        : setTimeout(() => {
            endWatch = liveness.watch();
          }, watchAfterMs);
    /** At the deadline: wait on while the watcher heard the server within the bound (up to the busy limit). */
    const stillAlive = (): boolean => {
      if (liveness === undefined || endWatch === undefined) return false;
      const now = performance.now();
      const aliveUntil = Math.min(liveness.lastHeardAt + bound.timeoutMs, busyLimit);
      if (aliveUntil - now < 1) return false;
      deadline = aliveUntil;
      bound.busyWaitMs = busyLimit - bound.calledAt;
      return true;
    };
    try {
      while (frames === undefined) {
        frames = await this.exchangeOnce(cmd, bytes, () => deadline, remaining, bound, stillAlive);
      }
    } finally {
      clearTimeout(watchTimer);
      endWatch?.();
    }
    this.lastAckAt = performance.now();
    const body = frames[frames.length - 1];
    const parsed = body ? decodeReply(body) : { ok: false as const, error: 'empty reply' };
    if (!parsed.ok) {
      throw new RemoteCallError(`bad reply from ${this.address} to '${cmd}': ${parsed.error}`, 'protocol');
    }
    this.options.onReply?.(parsed.value, cmd);
    return parsed.value;
  }

  /**
   * Send the request and receive its reply; undefined when it must be sent
   * again (the connection was replaced under it).
   */
  private async exchangeOnce(
    cmd: CommandName,
    bytes: Buffer,
    deadlineNow: () => number,
    remaining: () => number,
    bound: CallBound,
    stillAlive: () => boolean,
  ): Promise<Buffer[] | undefined> {
    let frames: Buffer[] | undefined;
    const socket = this.socket;
    if (!socket || (deadlineNow() - performance.now() <= 0 && !stillAlive())) throw this.failure(cmd, bound);
    this.awaitingReply = true;
    try {
      await this.byDeadline(socket, deadlineNow(), () => {
        socket.sendTimeout = remaining();
        return socket.send(bytes);
      });
      this.watchConnection(socket);
      for (;;) {
        try {
          frames = await this.byDeadline(socket, deadlineNow(), () => {
            socket.receiveTimeout = remaining();
            return socket.receive();
          });
          break;
        } catch (err) {
          // The bound passed while the server answered heartbeats: busy, not gone.
          if (this.socket === socket && isTimeout(err) && stillAlive()) continue;
          throw err;
        }
      }
    } catch (err) {
      // The connection dropped and a fresh socket took over: send the request again on it.
      if (this.replaced.has(socket) && this.socket !== undefined) {
        this.resends++;
        return undefined;
      }
      // Timed out, or the socket was closed under the call (shutdown, failed handshake).
      throw this.failure(cmd, bound, err);
    } finally {
      this.awaitingReply = false;
    }
    return frames;
  }
}

function isTimeout(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'EAGAIN';
}

/** `2.5s`, `30s` — for messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(3))}s`;
}
