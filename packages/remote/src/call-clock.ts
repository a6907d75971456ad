/**
 * The time of one call of a remote connection: its bound, its deadline, and
 * the watch of its server (server-liveness.ts) once it has waited long.
 *
 * The call waits in slices that end when the watch is due: it starts then
 * from the call's own wait, with no timer of its own (a tick of 200 remote
 * actions makes 200 calls, and a timer each cost more than the rest of the
 * call's own work).
 */
import type { ServerLiveness } from './server-liveness.js';

export class CallClock {
  /** When the call fails for time (moved on while a busy server answers heartbeats). */
  deadline: number;
  /** Set once the call waited past `timeoutMs` because the server answered heartbeats. */
  busyWaitMs: number | undefined;
  private endWatch: (() => void) | undefined;
  /** When the server starts being watched: after a heartbeat interval, or a third of the bound. */
  private readonly watchAt: number;
  /** No call waits longer for a server that answers heartbeats. */
  private readonly busyLimit: number;

  constructor(
    readonly timeoutMs: number,
    readonly calledAt: number,
    private readonly liveness: ServerLiveness | undefined,
    heartbeatIntervalMs: number,
    busyServerWaitMs: number,
  ) {
    this.deadline = calledAt + timeoutMs;
    this.busyLimit = calledAt + Math.max(timeoutMs, busyServerWaitMs);
    this.watchAt =
      liveness === undefined ? Number.POSITIVE_INFINITY : calledAt + Math.min(heartbeatIntervalMs, timeoutMs / 3);
  }

  /** Milliseconds the next wait may take: up to the deadline, or to the watch when that comes first; at least 1. */
  waitMs(): number {
    const until = this.endWatch === undefined && this.watchAt < this.deadline ? this.watchAt : this.deadline;
    return Math.max(1, Math.ceil(until - performance.now()));
  }

  /** The deadline has passed, and no heartbeat answered meanwhile keeps the call waiting. */
  expired(): boolean {
    const now = performance.now();
    return this.deadline - now <= 0 && !this.stillAlive(now);
  }

  /**
   * A wait ended without a reply (EAGAIN): whether to wait on. Starts the
   * watch when it is due. Time may be left: zeromq.js's timers fire early
   * (they count from the event loop's cached time), a slice ends at the watch,
   * and a stale reply that the REQ socket drops ends a wait at once. With
   * `busyMayExtend`, a call at its deadline waits on while the server answers
   * heartbeats (up to the busy limit).
   */
  waitOn(busyMayExtend: boolean): boolean {
    const now = performance.now();
    const liveness = this.liveness;
    if (this.endWatch === undefined && liveness !== undefined && now >= this.watchAt - 1) {
      this.endWatch = liveness.watch();
    }
    if (this.deadline - now >= 1) return true;
    return busyMayExtend && this.stillAlive(now);
  }

  /** The call is over: its watch ends. */
  end(): void {
    this.endWatch?.();
    this.endWatch = undefined;
  }

  /** At the deadline: waits on while the watcher heard the server within the bound (up to the busy limit). */
  private stillAlive(now: number): boolean {
    const liveness = this.liveness;
    if (liveness === undefined || this.endWatch === undefined) return false;
    const aliveUntil = Math.min(liveness.lastHeardAt + this.timeoutMs, this.busyLimit);
    if (aliveUntil - now < 1) return false;
    this.deadline = aliveUntil;
    this.busyWaitMs = this.busyLimit - this.calledAt;
    return true;
  }
}
