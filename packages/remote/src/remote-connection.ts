/**
 * The connection of one remote action to a `scenario_execution_server`: its
 * calls, in order, over the server's shared channels (channel-pool.ts).
 *
 * Calls are queued: each starts after the previous one settled, on a channel
 * that is free at that moment. A heartbeat goes out every second while the
 * action is idle; a heartbeat skipped because a call was in flight costs
 * nothing, since any answered call proves the server alive.
 *
 * A dropped connection (a reset, a restarted server) is not a failure: ZeroMQ
 * connects again by itself, and a request that was in flight is sent again on
 * a fresh socket under the same routing id, within the call's own bound (the
 * server answers a repeated request without running it twice). Only a call
 * that gets no reply within its bound fails; when the connection was down all
 * that time, its error says so.
 * With a server public key the connection is encrypted (CURVE); a failed
 * handshake (wrong key, server not encrypted) fails it at once, for good.
 */
import {
  type CommandName,
  type CurveKeyPair,
  encodeRequest,
  HEARTBEAT_REQUEST_BYTES,
  needsIpv6,
  type PayloadByCommand,
  type Reply,
  type Request as WireRequest,
} from '@scenario-execution/protocol';
import {
  type Channel,
  type ChannelPool,
  channelPool,
  MAX_SOCKETS,
  type PoolProblem,
  socketOpenProblem,
} from './channel-pool.js';
import { CallClock } from './call-clock.js';
import { decodeReplyCached } from './reply-cache.js';
import { sendTurn } from './send-pacing.js';
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
   * Heartbeats on a connection of their own while a call waits long (see
   * server-liveness.ts): a call whose bound passes while the server answers
   * them waits on, up to {@link busyServerWaitMs}.
   */
  readonly liveness?: ServerLiveness;
  /** How long a call may wait for a server that answers heartbeats meanwhile (ms; default 30 s). */
  readonly busyServerWaitMs?: number;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
/** The clients' per-command timeout: no call waits longer for a busy server. */
const DEFAULT_BUSY_SERVER_WAIT_MS = 30_000;

/**
 * ZeroMQ's timeouts run on libuv timers, which count from the time the event
 * loop last looked at the clock: after a busy turn they fire up to that turn's
 * length early. A timeout this close to its bound is the bound.
 */
const TIMER_SLACK = 0.1;

// The socket limit and its message belong to the pool; re-exported for the API.
export { MAX_SOCKETS, socketOpenProblem };
// Where an address needs ZeroMQ's ipv6 option is the protocol package's to say; re-exported for the API.
export { needsIpv6 };

export class RemoteConnection {
  readonly address: string;
  /** The server's channels, while open. */
  private pool: ChannelPool | undefined;
  /** The channel of the call in flight: closing the connection closes it, failing the call. */
  private inFlight: Channel | undefined;
  /** Tail of the call queue; every call starts after the previous one settled. */
  private queueTail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private lastAckAt = performance.now();
  /** Set when the pool broke while open: calls keep failing with it until opened again. */
  private problem: PoolProblem | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** The last update's request, encoded. */
  private updateBytes: { readonly actionId: string; readonly bytes: Buffer } | undefined;
  /** Heartbeats sent so far (for tests and diagnostics). */
  heartbeatsSent = 0;
  /** Requests sent again because the connection dropped while their reply was awaited. */
  resends = 0;

  constructor(private readonly options: RemoteConnectionOptions) {
    this.address = options.address;
  }

  /**
   * Take a share of the server's channels (one starts connecting when none is
   * free; with `ownChannel`, one more in any case: see ChannelPool.use). Never
   * throws: when ZeroMQ refuses the address, every call fails with a
   * `RemoteCallError` of kind `invalid`.
   */
  open(ownChannel = false): void {
    if (this.pool) return;
    this.lastAckAt = performance.now();
    this.problem = undefined;
    const { address, serverPublicKey, clientKeys } = this.options;
    const pool = channelPool({
      address,
      serverPublicKey,
      clientKeys,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    });
    this.pool = pool;
    pool.use(ownChannel);
  }

  /** Set when the connection can never carry a request (refused address, key or handshake). */
  get lost(): string | undefined {
    return (this.pool?.problem ?? this.problem)?.message;
  }

  /** Closed, or broken for good (no channel can carry a request). */
  get closed(): boolean {
    return this.pool === undefined || this.pool.problem !== undefined;
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
    const calledAt = performance.now();
    const bytes = this.encode(cmd, payload);
    const { liveness, heartbeatIntervalMs, busyServerWaitMs } = this.options;
    const clock = new CallClock(
      timeoutMs,
      calledAt,
      liveness,
      heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      busyServerWaitMs ?? DEFAULT_BUSY_SERVER_WAIT_MS,
    );
    // Nothing in flight: the request goes out now, not a microtask later.
    const idle = this.queued === 0;
    this.queued++;
    const start = () => this.exchange(cmd, bytes, clock);
    const result = idle ? start() : this.queueTail.then(start, start);
    this.queueTail = result;
    return result;
  }

  /**
   * The request's bytes. Heartbeats and updates (one a second, and one a tick,
   * per action) are the same bytes every time: encoded once.
   */
  private encode<C extends CommandName>(cmd: C, payload: PayloadByCommand[C]): Buffer {
    if (cmd === 'heartbeat') return HEARTBEAT_REQUEST_BYTES;
    if (cmd !== 'update') return encodeRequest({ cmd, payload } as WireRequest);
    const actionId = (payload as PayloadByCommand['update']).action_id;
    if (this.updateBytes?.actionId !== actionId) {
      this.updateBytes = { actionId, bytes: encodeRequest({ cmd: 'update', payload: { action_id: actionId } }) };
    }
    return this.updateBytes.bytes;
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

  /** Stop the heartbeat and give the channels back; a call in flight and queued calls fail with `closed`. */
  close(): void {
    this.stopHeartbeat();
    const pool = this.pool;
    if (pool === undefined) return;
    this.problem = pool.problem;
    this.pool = undefined;
    // Its socket closes under the call, which fails at once; the channel is not reused.
    this.inFlight?.closeSocket();
    pool.unuse();
  }

  private beat(): void {
    // Something is in flight or waiting: its reply will prove the server alive.
    if (this.queued > 0 || !this.pool) return;
    this.heartbeatsSent++;
    this.call('heartbeat', {}, this.options.heartbeatTimeoutMs).catch(() => {
      // A missed heartbeat shows as silence; update() reports it.
    });
  }

  /**
   * Why a call got no reply. A timeout is named with the bound only when that
   * much time really passed since the call was made; any other failure says
   * how long the call had waited, and what ZeroMQ reported.
   */
  private failure(cmd: string, bound: CallClock, channel: Channel | undefined, err?: unknown): RemoteCallError {
    const problem = this.pool?.problem ?? this.problem;
    if (problem) return new RemoteCallError(problem.message, problem.kind);
    if (!this.pool) return new RemoteCallError(`connection to ${this.address} is closed`, 'closed');
    const waitedMs = performance.now() - bound.calledAt;
    if (bound.busyWaitMs !== undefined && waitedMs >= bound.busyWaitMs * (1 - TIMER_SLACK)) {
      return new RemoteCallError(
        `no reply from ${this.address} to '${cmd}' within ${formatSeconds(bound.busyWaitMs)}, ` +
          'though the server answered heartbeats meanwhile (busy, or the call hangs there)',
        'timeout',
      );
    }
    if (waitedMs >= bound.timeoutMs * (1 - TIMER_SLACK)) {
      if (channel?.droppedAt !== undefined) {
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
   * The call, once the calls before it settled; the count of calls is down
   * when its caller resumes.
   */
  private async exchange(cmd: CommandName, bytes: Buffer, clock: CallClock): Promise<Reply> {
    try {
      const turn = sendTurn();
      if (turn !== undefined) await turn;
      const frames = await this.exchangeOnChannel(cmd, bytes, clock);
      this.lastAckAt = performance.now();
      const body = frames[frames.length - 1];
      const parsed = body ? decodeReplyCached(body) : { ok: false as const, error: 'empty reply' };
      if (!parsed.ok) {
        throw new RemoteCallError(`bad reply from ${this.address} to '${cmd}': ${parsed.error}`, 'protocol');
      }
      this.options.onReply?.(parsed.value, cmd);
      return parsed.value;
    } finally {
      clock.end();
      this.queued--;
    }
  }

  /** The reply's frames, over a channel of the pool (sent again on a fresh socket when the connection dropped). */
  private async exchangeOnChannel(cmd: CommandName, bytes: Buffer, clock: CallClock): Promise<Buffer[]> {
    const pool = this.pool;
    const taken = pool?.take();
    const channel = taken instanceof Promise ? await taken : taken;
    let answered = false;
    try {
      if (pool === undefined || channel === undefined || this.pool !== pool) {
        throw this.failure(cmd, clock, undefined);
      }
      this.inFlight = channel;
      let frames: Buffer[] | undefined;
      while (frames === undefined) frames = await this.exchangeOnce(cmd, bytes, channel, clock);
      answered = true;
      return frames;
    } finally {
      if (channel !== undefined) {
        if (this.inFlight === channel) this.inFlight = undefined;
        // A channel closed under the call, or whose call went unanswered, is not used again.
        (this.pool ?? pool)?.give(channel, answered && this.pool !== undefined);
      }
    }
  }

  /**
   * Send the request and receive its reply; undefined when it must be sent
   * again (the connection was replaced under it). A send or receive that ends
   * for time (EAGAIN) before the deadline waits on (see CallClock.waitOn);
   * only a receive waits past it, while a busy server answers heartbeats.
   */
  private async exchangeOnce(
    cmd: CommandName,
    bytes: Buffer,
    channel: Channel,
    clock: CallClock,
  ): Promise<Buffer[] | undefined> {
    const socket = channel.socket;
    if (!socket || !this.pool || clock.expired()) {
      throw this.failure(cmd, clock, channel);
    }
    channel.awaitingReply = true;
    channel.lastUsedAt = performance.now();
    try {
      for (;;) {
        try {
          await channel.send(socket, bytes, clock);
          break;
        } catch (err) {
          if (!isTimeout(err) || channel.socket !== socket || !clock.waitOn(false)) throw err;
        }
      }
      for (;;) {
        try {
          return await channel.receive(socket, clock.waitMs());
        } catch (err) {
          if (!isTimeout(err) || channel.socket !== socket || !clock.waitOn(true)) throw err;
        }
      }
    } catch (err) {
      // The connection dropped and a fresh socket took over: send the request again on it.
      if (channel.replaced.has(socket) && channel.socket !== undefined && this.pool !== undefined) {
        this.resends++;
        return undefined;
      }
      // Timed out, or the socket was closed under the call (shutdown, failed handshake).
      throw this.failure(cmd, clock, channel, err);
    } finally {
      channel.awaitingReply = false;
    }
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
