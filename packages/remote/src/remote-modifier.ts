/**
 * `remote(endpoint, heartbeat_failure_timeout, setup_timeout, server_public_key, client_key_file)`: the modifier
 * plugin entry point (default export, see the package manifest).
 *
 * Only the action itself runs on the server. When other modifiers of the same
 * `with:` block already wrap the action (`timeout`, `failure_is_success`, …),
 * they stay here, around the remote action, so the order in which `remote()`
 * is written among them does not matter.
 */
import { parseEndpoint } from '@scenario-execution/protocol';
import type { ArgValue, Behaviour, ModifierContext, ModifierDefinition } from 'scenario-execution';
import { clientKeyPair } from './curve.js';
import { RemoteActionBehaviour, type ReplyBudgetFractions, remoteBehaviourName } from './remote-behaviour.js';

const DEFAULT_HEARTBEAT_FAILURE_TIMEOUT = 3.0;
const DEFAULT_SETUP_TIMEOUT = 10.0;
/**
 * A tick waits for a remote reply at most these fractions of the tick period
 * (4 ms of 0.1 s while other replies are awaited too, 50 ms for a reply awaited
 * alone): a loopback round trip takes well under a millisecond, and a busy
 * server must not stretch the tick of the whole tree. A reply awaited alone
 * (remote actions in a row) that misses its budget costs the rest of the tick
 * period: on a loaded machine a round trip of 15–50 ms is not rare, and a
 * budget of half the period keeps it from costing a whole tick.
 */
export const REPLY_BUDGET: ReplyBudgetFractions = { shared: 0.04, lone: 0.5 };

function seconds(value: ArgValue | undefined, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`remote(): ${name} must be a positive time, got ${JSON.stringify(value)}`);
  }
  return value;
}

interface ReplaceableParent extends Behaviour {
  replaceChild(child: Behaviour, replacement: Behaviour): void;
}

function canReplaceChild(node: Behaviour): node is ReplaceableParent {
  return typeof (node as Partial<ReplaceableParent>).replaceChild === 'function';
}

/**
 * The action at the bottom of a chain of single-child decorators, and the
 * decorator holding it; undefined when `node` is not such a chain.
 */
function actionBelowDecorators(node: Behaviour): { leaf: Behaviour; parent: ReplaceableParent } | undefined {
  let parent: Behaviour | undefined;
  let current = node;
  while (current.children.length === 1) {
    parent = current;
    current = current.children[0] as Behaviour;
  }
  if (current.children.length !== 0 || parent === undefined || !canReplaceChild(parent)) return undefined;
  return { leaf: current, parent };
}

/** A text argument that may be left out; '' when it is. */
function optionalText(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`remote(): ${name} must be a string`);
  return value;
}

export const remoteModifier: ModifierDefinition = {
  wrap(ctx: ModifierContext): Behaviour {
    const { action, args, child } = ctx;
    const below = child.children.length === 0 ? undefined : actionBelowDecorators(child);
    if (action === undefined || (child.children.length > 0 && below === undefined)) {
      throw new Error(`remote() applies to an action invocation only`);
    }
    const endpoint = args.endpoint;
    if (typeof endpoint !== 'string' || endpoint.trim() === '') {
      throw new Error(`remote(): endpoint must be a non-empty string`);
    }
    let address: string;
    try {
      address = parseEndpoint(endpoint.trim());
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`remote('${endpoint}'): invalid endpoint: ${reason}`);
    }
    const serverPublicKey = optionalText(args.server_public_key, 'server_public_key');
    const clientKeyFile = optionalText(args.client_key_file, 'client_key_file');
    if (clientKeyFile && !serverPublicKey) {
      throw new Error(`remote(): client_key_file needs server_public_key (client keys are used by CURVE only)`);
    }
    // Read now: a missing or broken key file is an error of the scenario, at its place.
    const clientKeys = serverPublicKey ? clientKeyPair(clientKeyFile || undefined) : undefined;
    const leaf = below?.leaf ?? child;
    const remote = new RemoteActionBehaviour(remoteBehaviourName(leaf.name, address), {
      endpoint,
      address,
      action,
      logger: ctx.logger,
      heartbeatFailureTimeout: seconds(
        args.heartbeat_failure_timeout,
        'heartbeat_failure_timeout',
        DEFAULT_HEARTBEAT_FAILURE_TIMEOUT,
      ),
      setupTimeout: seconds(args.setup_timeout, 'setup_timeout', DEFAULT_SETUP_TIMEOUT),
      replyBudget: REPLY_BUDGET,
      // Empty (the default): plain, as the Python client.
      serverPublicKey: serverPublicKey ? serverPublicKey.trim() : undefined,
      clientKeys,
    });
    if (below === undefined) return remote;
    below.parent.replaceChild(below.leaf, remote);
    return child;
  },
};

export default remoteModifier;
