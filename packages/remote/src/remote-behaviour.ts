/**
 * The behaviour that takes a remote action's place in the tree. It never ticks
 * the local action; every lifecycle step goes to the server through a
 * {@link RemoteActionClient}.
 *
 * With a reply budget, a tick waits for the server's replies only that long:
 * an action whose reply is late stays RUNNING, and a later tick takes the
 * reply (the calls of one action stay in order); a late RUNNING says nothing
 * new, so that tick sends a fresh update instead (for a few actions a tick:
 * see REASK_LIMIT). A reply within the budget
 * still completes the action in the same tick, so remote actions in a row stay
 * fast. The reply to `terminate` is not waited for at all.
 */
import { type ActionLogger, Behaviour, Parallel, type SetupContext, Status } from 'scenario-execution';
import { PendingReply } from './pending-reply.js';
import { type ReplyBudget, repliesAwaited } from './reply-budget.js';
import { RemoteActionClient, type RemoteActionClientOptions } from './remote-action-client.js';

export interface RemoteBehaviourOptions extends Omit<RemoteActionClientOptions, 'onFeedback'> {
  /**
   * How long a tick waits for a reply, as fractions of the tick period (see
   * reply-budget.ts). Undefined: every reply is waited for within its tick (as
   * the Python client does).
   */
  readonly replyBudget?: ReplyBudgetFractions;
}

/** Fractions of the tick period a tick waits for a reply. */
export interface ReplyBudgetFractions {
  /** While other replies are awaited too (a parallel of remote actions). */
  readonly shared: number;
  /** For a reply awaited alone (remote actions in a row). */
  readonly lone: number;
}

type StatusNowOrLater = Status | Promise<Status>;

/** A tick asks again about a stale RUNNING while fewer replies than this are awaited in it. */
const REASK_LIMIT = 16;

export class RemoteActionBehaviour extends Behaviour {
  readonly client: RemoteActionClient;
  /** True between `execute` and `terminate`: only a started action is terminated on the server. */
  private executing = false;
  private readonly replyBudget: ReplyBudgetFractions | undefined;
  private readonly logger: ActionLogger;
  /** How long a tick waits for a reply (from the budget and the tick period). */
  private replyBudgetMs: ReplyBudget | undefined;
  /** The update in flight, sent by this tick or an earlier one. */
  private pendingUpdate: PendingReply<Status> | undefined;

  constructor(name: string, options: RemoteBehaviourOptions) {
    super(name);
    const { replyBudget, ...clientOptions } = options;
    this.replyBudget = replyBudget;
    this.logger = options.logger;
    this.client = new RemoteActionClient({
      ...clientOptions,
      onFeedback: (message) => {
        this.feedbackMessage = message;
      },
    });
  }

  /** The client's state with its server, e.g. `remote: running` (the name already says the endpoint). */
  override statusDetail(): string {
    return `remote: ${this.client.stateName}`;
  }

  override setup(ctx: SetupContext): Promise<void> {
    this.client.sideBySide = this.underParallel();
    const budget = this.replyBudget;
    if (budget !== undefined) {
      const periodMs = ctx.tickPeriod * 1000;
      this.replyBudgetMs = { sharedMs: budget.shared * periodMs, loneMs: budget.lone * periodMs };
    }
    return this.client.setup(ctx);
  }

  /** Sends `execute`; the update of the same tick waits for its reply. */
  override initialise(): void {
    this.feedbackMessage = '';
    this.executing = true;
    this.pendingUpdate = undefined;
    this.client.execute();
  }

  override update(): StatusNowOrLater {
    // A late RUNNING from an earlier tick is stale: ask again now, or the action's end shows a tick
    // later. Unless many replies are awaited already: a server that let so many be late is loaded,
    // and asking every action again each tick would double its load.
    if (this.pendingUpdate?.value === Status.RUNNING && repliesAwaited() < REASK_LIMIT) {
      this.pendingUpdate = undefined;
    }
    this.pendingUpdate ??= new PendingReply(this.client.update());
    const pending = this.pendingUpdate;
    const arrived = pending.arrivedWithin(this.replyBudgetMs);
    if (arrived === true) return this.takeUpdate(pending);
    return arrived.then((inTime) => (inTime ? this.takeUpdate(pending) : Status.RUNNING));
  }

  /**
   * Sends `terminate`. With a reply budget the tree does not wait for its reply:
   * it carries nothing the tree needs (the status is already decided), and the
   * next call of this action goes out after it anyway.
   */
  override terminate(newStatus: Status): Promise<void> | undefined {
    // An update still in flight belongs to the run that ends here.
    this.pendingUpdate = undefined;
    if (!this.executing) return undefined;
    this.executing = false;
    const terminated = this.client.terminate(newStatus);
    if (this.replyBudget === undefined) return terminated;
    terminated.catch((err: unknown) => {
      this.logger.error(`${this.name}: terminate failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return undefined;
  }

  override shutdown(): Promise<void> {
    this.executing = false;
    this.pendingUpdate = undefined;
    return this.client.shutdown();
  }

  /** Whether a parallel holds this action: its calls may be in flight together with others'. */
  private underParallel(): boolean {
    for (let node = this.parent; node !== undefined; node = node.parent) {
      if (node instanceof Parallel) return true;
    }
    return false;
  }

  private takeUpdate(pending: PendingReply<Status>): Status {
    if (this.pendingUpdate === pending) this.pendingUpdate = undefined;
    return pending.result();
  }
}

/** `run_process@remote(tcp://10.0.0.5:7613)`: readable in the live tree and in logs. */
export function remoteBehaviourName(actionName: string, address: string): string {
  return `${actionName}@remote(${address})`;
}
