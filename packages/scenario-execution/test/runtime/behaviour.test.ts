import { describe, expect, it } from 'vitest';
import { Behaviour } from '../../src/runtime/behaviour.js';
import { Sequence } from '../../src/runtime/composites.js';
import { Inverter } from '../../src/runtime/decorators.js';
import type { Status } from '../../src/runtime/status.js';
import { F, I, R, S, ScriptedLeaf, tickSync } from './helpers.js';
import type { Journal } from './helpers.js';

describe('Behaviour (leaf lifecycle)', () => {
  it('initialises on entering RUNNING, updates each tick, terminates when finished', () => {
    const journal: Journal = [];
    const leaf = new ScriptedLeaf('a', [R, R, S], journal);
    expect(tickSync(leaf)).toBe(R);
    expect(tickSync(leaf)).toBe(R);
    expect(tickSync(leaf)).toBe(S);
    expect(journal).toEqual([
      'a.initialise',
      'a.update=RUNNING',
      'a.update=RUNNING',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
    ]);
    expect(leaf.status).toBe(S);
  });

  it('re-initialises when ticked again after finishing', () => {
    const journal: Journal = [];
    const leaf = new ScriptedLeaf('a', [F], journal);
    tickSync(leaf);
    tickSync(leaf);
    expect(journal).toEqual([
      'a.initialise',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
      'a.initialise',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
    ]);
  });

  it('terminate sees the old status; stop() defaults to INVALID', () => {
    const seen: string[] = [];
    class Probe extends Behaviour {
      override update(): Status {
        return R;
      }
      override terminate(newStatus: Status): void {
        seen.push(`${this.status}->${newStatus}`);
      }
    }
    const probe = new Probe('p');
    tickSync(probe);
    probe.stop();
    expect(seen).toEqual(['RUNNING->INVALID']);
    expect(probe.status).toBe(I);
  });

  it('awaits asynchronous initialise, update and terminate in order', async () => {
    const journal: string[] = [];
    class Slow extends Behaviour {
      override async initialise(): Promise<void> {
        await Promise.resolve();
        journal.push('initialise');
      }
      override async update(): Promise<Status> {
        await Promise.resolve();
        journal.push('update');
        return S;
      }
      override async terminate(newStatus: Status): Promise<void> {
        await Promise.resolve();
        journal.push(`terminate(${newStatus})`);
      }
    }
    const slow = new Slow('slow');
    const pending = slow.tick();
    expect(pending).toBeInstanceOf(Promise);
    expect(slow.status).toBe(I);
    expect(await pending).toBe(S);
    expect(slow.status).toBe(S);
    expect(journal).toEqual(['initialise', 'update', 'terminate(SUCCESS)']);
  });

  it('rejects an update that returns something that is not a status', () => {
    class Broken extends Behaviour {
      override update(): Status {
        return 'DONE' as unknown as Status;
      }
    }
    expect(() => new Broken('broken').tick()).toThrow("behaviour 'broken' returned an invalid status 'DONE'");
  });

  it('iterates a subtree children first, then the node', () => {
    const leaf = new ScriptedLeaf('x', [S]);
    expect([...leaf.iterate()].map((b) => b.name)).toEqual(['x']);
    expect(leaf.tip()).toBeUndefined();
    tickSync(leaf);
    expect(leaf.tip()).toBe(leaf);
  });

  it('iterates a nested tree in post-order: each subtree children first, siblings in order', () => {
    const leaf = (name: string) => new ScriptedLeaf(name, [S]);
    const root = new Sequence('root', [
      new Sequence('first', [leaf('a'), new Inverter('not', leaf('b')), new Sequence('empty')]),
      leaf('c'),
      new Sequence('second', [new Sequence('inner', [leaf('d'), leaf('e')])]),
    ]);
    expect([...root.iterate()].map((b) => b.name)).toEqual([
      'a',
      'b',
      'not',
      'empty',
      'first',
      'c',
      'd',
      'e',
      'inner',
      'second',
      'root',
    ]);
  });

  it('iterates a chain thousands of levels deep, deepest first', () => {
    const depth = 5000;
    let node: Behaviour = new ScriptedLeaf('n0', [S]);
    for (let i = 1; i < depth; i++) node = new Sequence(`n${i}`, [node]);
    const names = [...node.iterate()].map((b) => b.name);
    expect(names).toHaveLength(depth);
    expect(names[0]).toBe('n0');
    expect(names[depth - 1]).toBe(`n${depth - 1}`);
  });
});
