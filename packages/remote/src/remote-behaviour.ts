/**
 * The behaviour that takes a remote action's place in the tree. It never ticks
 * the local action; every lifecycle step goes to the server through a
 * {@link RemoteActionClient}.
 */
import { Behaviour, type SetupContext, type Status } from 'scenario-execution';
import { RemoteActionClient, type RemoteActionClientOptions } from './remote-action-client.js';

export type RemoteBehaviourOptions = Omit<RemoteActionClientOptions, 'onFeedback'>;

export class RemoteActionBehaviour extends Behaviour {
  readonly client: RemoteActionClient;
  /** True between `execute` and `terminate`: only a started action is terminated on the server. */
  private executing = false;

  constructor(name: string, options: RemoteBehaviourOptions) {
    super(name);
    this.client = new RemoteActionClient({
      ...options,
      onFeedback: (message) => {
        this.feedbackMessage = message;
      },
    });
  }

  override setup(ctx: SetupContext): Promise<void> {
    return this.client.setup(ctx);
  }

  override initialise(): Promise<void> {
    this.feedbackMessage = '';
    this.executing = true;
    return this.client.execute();
  }

  override update(): Promise<Status> {
    return this.client.update();
  }

  override terminate(newStatus: Status): Promise<void> | undefined {
    if (!this.executing) return undefined;
    this.executing = false;
    return this.client.terminate(newStatus);
  }

  override shutdown(): Promise<void> {
    this.executing = false;
    return this.client.shutdown();
  }
}

/** `run_process@remote(tcp://10.0.0.5:7613)`: readable in the live tree and in logs. */
export function remoteBehaviourName(actionName: string, address: string): string {
  return `${actionName}@remote(${address})`;
}
