/**
 * Whether a server is alive while a call to it waits long for its reply.
 *
 * A REQ socket carries one request at a time, so while an `update` waits, its
 * connection cannot send a heartbeat. A server that is merely busy (hundreds
 * of calls from many clients queued before this one) must not be taken for a
 * dead one: while some call to a server has waited longer than a heartbeat
 * interval, one extra connection per server (shared by every remote action of
 * this process that uses it) sends it a heartbeat each interval. Our server
 * answers a heartbeat as soon as it reads it, ahead of queued calls; a call
 * whose bound passes while such heartbeats are answered waits on (up to its
 * connection's longer limit). A server that answers nothing is still given up
 * at the call's bound. Nothing changes on the wire: heartbeats are ordinary
 * requests (a Python server answers them too, after the calls before them).
 */
import { type CurveKeyPair, HEARTBEAT_REQUEST_BYTES } from '@scenario-execution/protocol';
import type { Request } from 'zeromq';
import { serverConnectionKey } from './curve.js';
import { requestSocketOptions } from './request-socket.js';
import { zmq } from './zmq.js';

export interface ServerLivenessOptions {
  readonly address: string;
  /** Milliseconds between heartbeats. */
  readonly intervalMs: number;
  readonly serverPublicKey?: string;
  readonly clientKeys?: CurveKeyPair;
}

export class ServerLiveness {
  /** When the server last answered a heartbeat of this watcher (performance.now()). */
  lastHeardAt = Number.NEGATIVE_INFINITY;
  /** Heartbeats sent so far (tests, diagnostics). */
  heartbeatsSent = 0;
  private socket: Request | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchers = 0;
  private beating = false;

  constructor(private readonly options: ServerLivenessOptions) {}

  /** Whether heartbeats are being sent now. */
  get watching(): boolean {
    return this.watchers > 0;
  }

  /**
   * Start watching (heartbeats from now on, one at once); returns the function
   * that ends this watch. The last watch ending closes the extra connection.
   */
  watch(): () => void {
    this.watchers++;
    if (this.watchers === 1) this.start();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.watchers--;
      if (this.watchers === 0) this.stop();
    };
  }

  private start(): void {
    const { address, serverPublicKey, clientKeys } = this.options;
    try {
      // relaxed lets a heartbeat follow one still unanswered.
      this.socket = new zmq.Request(requestSocketOptions(address, serverPublicKey, clientKeys));
      this.socket.connect(address);
    } catch {
      // No socket to spare: the calls keep their own bounds.
      this.stop();
      return;
    }
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
    this.timer.unref();
    void this.beat();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined && !socket.closed) socket.close();
  }

  /** One heartbeat, its reply awaited for one interval at most. */
  private async beat(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || this.beating) return;
    this.beating = true;
    try {
      socket.sendTimeout = this.options.intervalMs;
      socket.receiveTimeout = this.options.intervalMs;
      this.heartbeatsSent++;
      await socket.send(HEARTBEAT_REQUEST_BYTES);
      await socket.receive();
      if (socket === this.socket) this.lastHeardAt = performance.now();
    } catch {
      // Unanswered (or closed): the server is not heard from; the next interval tries again.
    } finally {
      this.beating = false;
    }
  }
}

/** The watchers of this process, one per server address and key. */
const watchers = new Map<string, ServerLiveness>();

/** The liveness watcher for a server (shared by every connection with the same address and keys). */
export function serverLiveness(options: ServerLivenessOptions): ServerLiveness {
  const key = serverConnectionKey(options.address, options.intervalMs, options.serverPublicKey, options.clientKeys);
  let liveness = watchers.get(key);
  if (liveness === undefined) {
    liveness = new ServerLiveness(options);
    watchers.set(key, liveness);
  }
  return liveness;
}
