import { Behaviour, type ModifierContext, Status } from 'scenario-execution';
import { describe, expect, it } from 'vitest';
// The engine's decorators stand for what the builder puts around an action.
import { FailureIsSuccess, Inverter } from 'scenario-execution';
import { RemoteActionBehaviour } from '../src/remote-behaviour.js';
import remoteModifier from '../src/remote-modifier.js';
import { actionInfo, collectingLogger } from './helpers/fakes.js';

class Leaf extends Behaviour {
  override update(): Status {
    return Status.SUCCESS;
  }
}

function context(child: Behaviour, args: ModifierContext['args'], withAction = true): ModifierContext {
  return {
    child,
    action: withAction
      ? { ...actionInfo('run_process', () => ({})), parameterNames: [], resolveArgsWithReferences: () => ({}) }
      : undefined,
    args,
    logger: collectingLogger(),
    location: 'scenario.osc:7:13',
  };
}

describe('remote modifier', () => {
  it('replaces the action by a remote behaviour named after it and the address', () => {
    const wrapped = remoteModifier.wrap(context(new Leaf('run_process'), { endpoint: '10.0.0.5' }));
    expect(wrapped).toBeInstanceOf(RemoteActionBehaviour);
    expect(wrapped.name).toBe('run_process@remote(tcp://10.0.0.5:7613)');
    expect((wrapped as RemoteActionBehaviour).client.address).toBe('tcp://10.0.0.5:7613');
  });

  it.each([
    ['/tmp/se.sock', 'ipc:///tmp/se.sock'],
    ['./se.sock', 'ipc://./se.sock'],
    ['host:9000', 'tcp://host:9000'],
    ['tcp://h:1', 'tcp://h:1'],
  ])('reads endpoint %s as %s', (endpoint, address) => {
    const wrapped = remoteModifier.wrap(context(new Leaf('log'), { endpoint })) as RemoteActionBehaviour;
    expect(wrapped.client.address).toBe(address);
  });

  it('keeps modifiers that already wrap the action and runs only the action remotely', () => {
    const leaf = new Leaf('my_label');
    const outer = new Inverter('inverter', new FailureIsSuccess('failure_is_success', leaf));
    const wrapped = remoteModifier.wrap(context(outer, { endpoint: '127.0.0.1:7000' }));
    expect(wrapped).toBe(outer);
    const inner = outer.children[0]!.children[0]!;
    expect(inner).toBeInstanceOf(RemoteActionBehaviour);
    expect(inner.name).toBe('my_label@remote(tcp://127.0.0.1:7000)');
    expect(inner.parent).toBe(outer.children[0]);
    expect(leaf.parent).toBeUndefined();
  });

  it('refuses what is not an action invocation', () => {
    expect(() => remoteModifier.wrap(context(new Leaf('x'), { endpoint: 'h' }, false))).toThrow(
      'remote() applies to an action invocation only',
    );
  });

  it('refuses an empty endpoint and a non-positive timeout', () => {
    expect(() => remoteModifier.wrap(context(new Leaf('x'), { endpoint: ' ' }))).toThrow(
      'remote(): endpoint must be a non-empty string',
    );
    expect(() => remoteModifier.wrap(context(new Leaf('x'), { endpoint: 'h', setup_timeout: 0 }))).toThrow(
      'remote(): setup_timeout must be a positive time, got 0',
    );
  });
});
