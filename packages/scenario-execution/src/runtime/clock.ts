/**
 * Time source of the runtime. Everything that measures time (the tick loop,
 * `timeout`, `wait elapsed`) reads one injectable clock, so tests can run a
 * scenario on simulated time and count ticks instead of milliseconds.
 */

export interface MonotonicClock {
  /** Seconds on a monotonic scale (arbitrary origin). */
  now(): number;
  /** Resolve after `seconds` (at once for zero or negative values). */
  sleep(seconds: number): Promise<void>;
}

/** The real clock: `performance.now()` and timers. */
export const systemClock: MonotonicClock = {
  now: () => performance.now() / 1000,
  sleep: (seconds) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, Math.max(0, seconds * 1000));
    }),
};

/**
 * Simulated time: `sleep` advances the time at once (resolving after pending
 * I/O callbacks, so child processes and sockets still make progress), and
 * `advance` moves it forward by hand, e.g. to make a tick "slow".
 */
export class FakeClock implements MonotonicClock {
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  advance(seconds: number): void {
    if (seconds > 0) this.current += seconds;
  }

  sleep(seconds: number): Promise<void> {
    this.advance(seconds);
    return new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}
