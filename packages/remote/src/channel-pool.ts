/**
 * The ZeroMQ REQ sockets of one server, shared by the remote actions of this
 * process that use it.
 *
 * A REQ socket carries one request at a time, so each call borrows a socket
 * (a {@link Channel}) that is free, or a new one, and gives it back once its
 * reply is in. Remote actions in a row then reuse one or two warm connections
 * instead of opening (and watching) a socket each; actions in parallel open as
 * many as they have calls in flight at once, up to {@link MAX_IN_FLIGHT} while
 * calls keep coming back. A server sees ordinary REQ clients (a Python REP
 * server too); ours keys actions by action_id, and an action belongs to the
 * connection that last sent a request about it.
 *
 * A channel whose call got no reply is closed, not reused: its state is
 * unknown, and a server reaps what belonged to it once it falls silent.
 * Calls take the free channel that has waited longest: the actions' own
 * heartbeats (one a second each, and there are never more channels than
 * calls once in flight together) then keep every channel heard, and a server
 * never takes the actions a channel last spoke for for dead.
 */
import { randomBytes } from 'node:crypto';
import type { CurveKeyPair } from '@scenario-execution/protocol';
import type { Request } from 'zeromq';
import { serverConnectionKey } from './curve.js';
import { requestSocketOptions } from './request-socket.js';
import { zmq } from './zmq.js';

const { context } = zmq;

export interface ChannelPoolOptions {
  /** ZeroMQ address, e.g. `tcp://127.0.0.1:7613` or `ipc:///tmp/se.sock`. */
  readonly address: string;
  /** The server's CURVE public key (Z85): encrypted connections. */
  readonly serverPublicKey?: string;
  /** With `serverPublicKey`: the key pair to show the server (a fresh one per channel when undefined). */
  readonly clientKeys?: CurveKeyPair;
  /** Milliseconds between the actions' heartbeats (pools are kept apart by it). */
  readonly heartbeatIntervalMs: number;
}

/**
 * ZeroMQ sockets this process may open. libzmq's default, 1,023, stops a
 * scenario at 341 calls in flight at once (a socket and its connection
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
      `is reached (each connection to a server uses 3), or the process's open-file limit (ulimit -n) is`
    );
  }
  return `invalid endpoint ${address}: ${reason}`;
}

/** Why no channel of a pool can ever carry a request, and in what words. */
export interface PoolProblem {
  readonly kind: 'handshake' | 'refused' | 'invalid';
  readonly message: string;
}

/** How the routing id of every channel starts (tests tell channels from other connections by it). */
export const CHANNEL_ROUTING_ID_PREFIX = 'se-';
/**
 * A routing id of its own per channel: a re-established connection is known
 * again. Random, as a server lets a connection that shows a known id take it
 * over: no one can guess another client's.
 */
function newRoutingId(): string {
  return `${CHANNEL_ROUTING_ID_PREFIX}${randomBytes(16).toString('hex')}`;
}

/**
 * One REQ connection of the pool. A dropped connection is not a failure:
 * ZeroMQ connects again by itself, and a request that was in flight is sent
 * again on a fresh socket under the same routing id (the server answers a
 * repeated request without running it twice).
 */
export class Channel {
  socket: Request | undefined;
  /** When the connection dropped, while it has not been re-established. */
  droppedAt: number | undefined;
  /** A request is out and its reply awaited: a dropped connection must send it again. */
  awaitingReply = false;
  /** Sockets closed because their connection dropped under a call: the call goes on on the next one. */
  readonly replaced = new WeakSet<Request>();
  /** When the channel last sent a request (performance.now()). */
  lastUsedAt = performance.now();
  private readonly routingId = newRoutingId();
  /** The receive timeout the socket has now, ms. */
  private receiveTimeoutMs = -1;
  /** The public key this channel shows an encrypting server. */
  private curvePublicKey: string | undefined;

  constructor(private readonly pool: ChannelPool) {
    this.createSocket();
  }

  get address(): string {
    return this.pool.address;
  }

  /** A new socket under this channel's routing id, connecting and watched. */
  private createSocket(): void {
    const { serverPublicKey, clientKeys } = this.pool.options;
    const options = requestSocketOptions(this.address, serverPublicKey, clientKeys);
    this.curvePublicKey = 'curvePublicKey' in options ? options.curvePublicKey : undefined;
    let socket: Request | undefined;
    try {
      socket = new zmq.Request({
        ...options,
        // Sends go out at once or fail with EAGAIN; only then is a timeout set (see send).
        sendTimeout: 0,
        routingId: this.routingId,
      });
      this.socket = socket;
      this.receiveTimeoutMs = -1;
      this.watch(socket);
      socket.connect(this.address);
    } catch (err) {
      if (socket && !socket.closed) socket.close();
      this.socket = undefined;
      this.pool.fail({ kind: 'invalid', message: socketOpenProblem(this.address, err) });
    }
  }

  /**
   * Follow the connection: dropped, re-established, and for an encrypted one
   * its handshake. The watcher (a monitor socket) costs several times what
   * the socket itself does, which a channel reused by many calls pays once.
   */
  private watch(socket: Request): void {
    socket.events.on('disconnect', () => this.dropped(socket));
    socket.events.on('connect', () => {
      if (this.socket === socket) this.droppedAt = undefined;
    });
    if (this.pool.options.serverPublicKey !== undefined) this.watchHandshake(socket);
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
    this.createSocket();
  }

  /**
   * An encrypted connection whose handshake fails will never carry a request:
   * the pool is broken for good, and the call waiting fails now.
   */
  private watchHandshake(socket: Request): void {
    const failed = (event: { error: Error }) => {
      if (this.socket !== socket) return;
      this.pool.fail({
        kind: 'handshake',
        message:
          `CURVE handshake with ${this.address} failed (${event.error.message}): ` +
          'wrong server_public_key, or the server does not use encryption',
      });
    };
    socket.events.on('handshake:error:protocol', failed);
    socket.events.on('handshake:error:auth', (event) => {
      if (this.socket !== socket) return;
      // The server's ZAP handler said no (400): it does not list this client's key.
      this.pool.fail({
        kind: 'refused',
        message:
          `the server at ${this.address} refused this client's CURVE key ${this.curvePublicKey ?? ''} ` +
          `(status ${event.error.status}): add its public key to the server's --curve-authorized-keys, ` +
          'or give remote() the client_key_file of a listed key',
      });
    });
    socket.events.on('handshake:error:other', failed);
  }

  /**
   * Send at once (the socket's send timeout is 0: no readiness check first);
   * only when ZeroMQ cannot take the message now, wait up to `clock.waitMs()` ms.
   */
  async send(socket: Request, bytes: Buffer, clock: { waitMs(): number }): Promise<void> {
    try {
      return await socket.send(bytes);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EAGAIN' || this.socket !== socket) throw err;
    }
    socket.sendTimeout = clock.waitMs();
    try {
      return await socket.send(bytes);
    } finally {
      if (!socket.closed) socket.sendTimeout = 0;
    }
  }

  /**
   * Receive within `timeoutMs`. The socket's receive timeout is set only when
   * it would wait past that (by more than a millisecond) or far short of it:
   * most calls of a channel share their bound, and setting it costs a native
   * call. Falling short is harmless (the caller waits on until its deadline).
   */
  receive(socket: Request, timeoutMs: number): Promise<Buffer[]> {
    const current = this.receiveTimeoutMs;
    if (current > timeoutMs + 1 || current < timeoutMs * 0.9) {
      socket.receiveTimeout = timeoutMs;
      this.receiveTimeoutMs = timeoutMs;
    }
    return socket.receive();
  }

  /** Close the socket: a call waiting on it fails. The channel is not used again. */
  closeSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.closed) socket.close();
  }
}

/**
 * Channels opened without waiting while this many are busy; beyond, a call
 * first waits a little for one to be given back (see {@link ChannelPool.take}).
 * Four calls in flight keep a server busy; the resets of 100 actions in a row
 * at the end of a scenario then take 4 channels instead of opening 16 (a
 * third less CPU for the burst, its time no longer), and actions side by
 * side have channels of their own anyway.
 */
const OPEN_FREELY = 4;
/**
 * How long calls wait while no busy channel comes back before they open their
 * own, ms. Long enough that a loaded machine's pauses (another process on the
 * CPU for a few milliseconds, here 5 to 10 under a test suite) do not pass for
 * a server that holds its calls; short against what a held call waits anyway.
 */
const WAIT_FOR_FREE_MS = 20;
/**
 * Calls in flight at once to one server, while channels keep coming back:
 * further calls wait for one (see {@link ChannelPool.take}). The server
 * answers one call at a time, and 16 in flight keep it busy; a channel per
 * action side by side cost this process a socket and its connection monitor
 * each, and the server a peer each (2,000 parallel actions: 2,003
 * connections and 6.5 s; with this bound 16 and 3.5 s). Calls that take
 * long (no channel comes back for {@link WAIT_FOR_FREE_MS}) still get
 * channels of their own.
 */
export const MAX_IN_FLIGHT = 16;

/** Every channel of one server (address and keys); shared while some connection uses it. */
export class ChannelPool {
  readonly address: string;
  /** Free channels, the longest idle first: each gets used, so none falls silent. */
  private readonly idle: Channel[] = [];
  private readonly all = new Set<Channel>();
  /** Calls waiting for a channel to be given back, first come first served. */
  private readonly waiters: ((channel: Channel | undefined) => void)[] = [];
  /** Runs while calls wait: restarted whenever a channel comes back. */
  private stallTimer: NodeJS.Timeout | undefined;
  /** When the stall timer was last started (performance.now()). */
  private stallTimerStartedAt = 0;
  /** The stall timer fired late once and was started again: the next firing decides. */
  private stallWaitedAgain = false;
  /** Channels handed to waiting calls so far: whether any came back during a wait. */
  private given = 0;
  /** The stall timer fired; whether channels came back is decided once I/O has been read. */
  private stallDeciding = false;
  private users = 0;
  /** Set when no channel can ever carry a request (refused address, key or handshake). */
  problem: PoolProblem | undefined;

  constructor(
    readonly options: ChannelPoolOptions,
    private readonly onUnused: () => void,
  ) {
    this.address = options.address;
  }

  /** Channels open now (tests, diagnostics). */
  get size(): number {
    return this.all.size;
  }

  /**
   * One more connection uses the pool; while fewer than {@link MAX_IN_FLIGHT}
   * channels are open, a channel starts connecting now if none is free, or
   * with `ownChannel` in any case (an action that runs side by side with
   * others: its first call then finds a channel ready instead of opening one
   * in the middle of a tick).
   */
  use(ownChannel = false): void {
    this.users++;
    if (this.problem !== undefined || this.all.size >= MAX_IN_FLIGHT) return;
    if (ownChannel || this.idle.length === 0) this.idle.push(this.open());
  }

  /** A connection no longer uses the pool; the last one closes every channel. */
  unuse(): void {
    this.users--;
    if (this.users > 0) return;
    for (const channel of this.all) channel.closeSocket();
    this.all.clear();
    this.idle.length = 0;
    this.releaseWaiters();
    this.onUnused();
  }

  /**
   * A channel for one call: while fewer than {@link MAX_IN_FLIGHT} are busy, a
   * free one, or a new one while few are busy; else the
   * next one given back, or a new one once none came back for
   * {@link WAIT_FOR_FREE_MS} (a burst of calls, such as the resets at the end
   * of a scenario, reuses a few warm channels instead of opening one each,
   * while a slow server does not hold calls back). Undefined when the pool is
   * broken.
   */
  take(): Channel | undefined | Promise<Channel | undefined> {
    if (this.problem !== undefined) return undefined;
    const busy = this.all.size - this.idle.length;
    if (busy < MAX_IN_FLIGHT) {
      const free = this.takeIdle();
      if (free !== undefined) return free;
      if (busy < OPEN_FREELY) return this.openForCall();
    }
    return new Promise<Channel | undefined>((resolve) => {
      this.waiters.push(resolve);
      // Set from arming until the stall has been decided on.
      if (this.stallTimer === undefined) this.armStallTimer();
    });
  }

  /**
   * No channel came back for a while: a slow server (or connections still
   * being made), and waiting calls open channels of their own, as many as
   * are open already: a server that holds hundreds of calls gets them all
   * after a few such waits, while a burst that merely started slowly (the
   * setups of 2,000 actions at once) does not open a connection each.
   * Decided after the event loop has read what arrived (timers run before
   * I/O: after a long turn, replies may be waiting unread).
   */
  private stalled(): void {
    if (!this.stallWaitedAgain && performance.now() - this.stallTimerStartedAt > 2 * WAIT_FOR_FREE_MS) {
      // This late, the timer says this process was held up (the CPU busy elsewhere, a long
      // turn), not the server: replies may be in but unread. Wait once more (once: a process
      // that is always late still opens channels for calls a server holds).
      this.stallWaitedAgain = true;
      this.armStallTimer();
      return;
    }
    this.stallWaitedAgain = false;
    const givenBefore = this.given;
    this.stallDeciding = true;
    setImmediate(() => {
      this.stallDeciding = false;
      this.stallTimer = undefined;
      if (this.waiters.length === 0) return;
      if (this.given === givenBefore) {
        const more = Math.max(1, this.all.size);
        for (const resolve of this.waiters.splice(0, more)) resolve(this.channelForWaiter());
      }
      if (this.waiters.length > 0) this.armStallTimer();
    });
  }

  private armStallTimer(): void {
    this.stallTimer = setTimeout(() => this.stalled(), WAIT_FOR_FREE_MS);
    this.stallTimer.unref();
    this.stallTimerStartedAt = performance.now();
  }

  private takeIdle(): Channel | undefined {
    for (;;) {
      const channel = this.idle.shift();
      if (channel === undefined || channel.socket !== undefined) return channel;
      // Its socket closed while it was free (a failed handshake): gone.
      this.all.delete(channel);
    }
  }

  private openForCall(): Channel | undefined {
    const channel = this.open();
    return this.problem === undefined ? channel : undefined;
  }

  /** For a call that waited: a free channel, else a new one; none when the pool is broken. */
  private channelForWaiter(): Channel | undefined {
    if (this.problem !== undefined) return undefined;
    return this.takeIdle() ?? this.openForCall();
  }

  /** A call is done with `channel`: reusable when its reply came, closed otherwise. */
  give(channel: Channel, reusable: boolean): void {
    if (!this.all.has(channel)) {
      channel.closeSocket();
      return;
    }
    if (reusable && channel.socket !== undefined && this.problem === undefined) {
      const waiter = this.waiters.shift();
      if (waiter === undefined) {
        this.idle.push(channel);
        return;
      }
      // Channels are coming back: the others wait on, from now.
      this.given++;
      if (this.waiters.length === 0) this.clearStallTimer();
      else if (this.stallTimer !== undefined && !this.stallDeciding) {
        this.stallTimer.refresh();
        this.stallTimerStartedAt = performance.now();
        this.stallWaitedAgain = false;
      }
      waiter(channel);
      return;
    }
    channel.closeSocket();
    this.all.delete(channel);
    // One call fewer in flight: the first waiting call goes on.
    const waiter = this.problem === undefined ? this.waiters.shift() : undefined;
    if (waiter === undefined) return;
    if (this.waiters.length === 0) this.clearStallTimer();
    waiter(this.channelForWaiter());
  }

  /** No channel can ever carry a request: every socket closes, so every waiting call fails now. */
  fail(problem: PoolProblem): void {
    this.problem ??= problem;
    for (const channel of this.all) channel.closeSocket();
    this.idle.length = 0;
    this.releaseWaiters();
  }

  /** Nothing will be given back: waiting calls get no channel. */
  private releaseWaiters(): void {
    this.clearStallTimer();
    for (const resolve of this.waiters.splice(0)) resolve(undefined);
  }

  private clearStallTimer(): void {
    // Being decided on: the decision finds no one waiting.
    if (this.stallDeciding) return;
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.stallWaitedAgain = false;
  }

  private open(): Channel {
    const channel = new Channel(this);
    this.all.add(channel);
    return channel;
  }
}

const pools = new Map<string, ChannelPool>();

/** The pool of a server, by address, keys and heartbeat interval. */
export function channelPool(options: ChannelPoolOptions): ChannelPool {
  const key = serverConnectionKey(
    options.address,
    options.heartbeatIntervalMs,
    options.serverPublicKey,
    options.clientKeys,
  );
  let pool = pools.get(key);
  if (pool === undefined) {
    const created = new ChannelPool(options, () => {
      if (pools.get(key) === created) pools.delete(key);
    });
    pools.set(key, created);
    pool = created;
  }
  return pool;
}
