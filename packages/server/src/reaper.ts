/**
 * Reaping the actions of dead clients, each on its own: an action whose client
 * has sent nothing (no heartbeat, update or other request) for the action
 * timeout is terminated and reset, so its processes stop, while the server
 * goes on serving everyone else. Before this, only the watchdog stopping the
 * whole server cleaned up after a SIGKILLed client, and with `--watchdog 0`
 * (or while another client kept the server busy) nothing did.
 *
 * A client is a connection, known by its ZeroMQ routing id; an action belongs
 * to the connection that last sent a request about it. Clients send a
 * heartbeat every second, so a live one is never silent for long. Our client
 * gives each of its connections a random routing id of its own and uses them
 * in turn (heartbeats included), so a connection that ZeroMQ had to
 * re-establish (a network blip) keeps its actions, and none of a live
 * client's connections falls silent.
 */
import { type ActionHost, shortId } from './action-host.js';
import type { ServerLog } from './log.js';

/**
 * A call still running on the server keeps its action, however silent the
 * client (it waits for the reply, sending nothing), for up to this much more
 * than the timeout: the clients' own per-command bound.
 */
const BUSY_GRACE_MS = 30_000;

export interface ReaperOptions {
  readonly host: ActionHost;
  readonly log: ServerLog;
  /** Silence after which a client's actions are reaped, in ms. */
  readonly timeoutMs: number;
  /** The clock (tests move it by hand). */
  readonly now?: () => number;
}

export class ActionReaper {
  /** When each connection was last heard from. */
  private readonly lastHeard = new Map<string, number>();
  /** The connection each action belongs to. */
  private readonly owners = new Map<string, string>();
  /** The connections that own an action, gathered during a sweep (kept empty between sweeps). */
  private readonly owning = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: ReaperOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** A message arrived from connection `client` (at `at`, on the reaper's clock, when known). */
  heard(client: string, at: number = this.now()): void {
    this.lastHeard.set(client, at);
  }

  /** Connection `client` sent a request about `actionId`: the action is its. */
  owns(client: string, actionId: string): void {
    this.owners.set(actionId, client);
  }

  /** Reap every action whose connection has been silent for too long; returns the ids reaped. */
  sweep(): string[] {
    const { host, log, timeoutMs } = this.options;
    const now = this.now();
    const reaped: string[] = [];
    for (const actionId of host.actionIds()) {
      const owner = this.owners.get(actionId);
      // Created in-process (tests, a direct API call): no client to wait for.
      if (owner === undefined) continue;
      const silentMs = now - (this.lastHeard.get(owner) ?? now);
      if (silentMs <= timeoutMs) continue;
      if (host.isBusy(actionId) && silentMs <= timeoutMs + BUSY_GRACE_MS) continue;
      reaped.push(actionId);
      this.owners.delete(actionId);
      const seconds = Math.round(silentMs / 100) / 10;
      void host.reap(actionId).then((name) => {
        if (name !== undefined) {
          log.info(`Reaped action '${name}' (id=${shortId(actionId)}): its client sent nothing for ${seconds}s`);
        }
      });
    }
    this.forgetStale(now);
    return reaped;
  }

  /**
   * Drop what no longer matters: owners of reset actions, connections that own
   * nothing and went quiet. Walked with `forEach` into a set kept between
   * sweeps: `for…of` over the maps made a pair array per entry, four times a
   * second for every action and connection, however idle.
   */
  private forgetStale(now: number): void {
    const { host, timeoutMs } = this.options;
    const owning = this.owning;
    this.owners.forEach((owner, actionId) => {
      // A call in progress may be the `init` that creates it.
      if (host.has(actionId) || host.isBusy(actionId)) owning.add(owner);
      else this.owners.delete(actionId);
    });
    this.lastHeard.forEach((at, client) => {
      if (!owning.has(client) && now - at > timeoutMs) this.lastHeard.delete(client);
    });
    owning.clear();
  }
}
