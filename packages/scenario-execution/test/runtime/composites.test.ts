import { describe, expect, it } from 'vitest';
import { Parallel, ParallelPolicy, Selector, Sequence } from '../../src/runtime/composites.js';
import type { Behaviour } from '../../src/runtime/behaviour.js';
import { Status } from '../../src/runtime/status.js';
import { DeferredLeaf, F, I, R, S, ScriptedLeaf, tickSync } from './helpers.js';
import type { Journal } from './helpers.js';

function ticks(root: Behaviour, count: number): string[] {
  const statuses: string[] = [];
  for (let i = 0; i < count; i++) statuses.push(tickSync(root));
  return statuses;
}

// Expected journals are what py_trees 2.2.3 produces for the same trees.
describe('Sequence', () => {
  it('with memory resumes at the running child and fails with the failing child', () => {
    const j: Journal = [];
    const seq = new Sequence('s', [new ScriptedLeaf('a', [R, S], j), new ScriptedLeaf('b', [F], j)]);
    expect(ticks(seq, 3)).toEqual([R, F, F]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=RUNNING',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=FAILURE',
      'b.terminate(FAILURE)',
      // restart after failure: finished children are reset with INVALID first
      'a.terminate(INVALID)',
      'b.terminate(INVALID)',
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=FAILURE',
      'b.terminate(FAILURE)',
    ]);
  });

  it('without memory restarts from the first child each tick and stops later children on failure', () => {
    const j: Journal = [];
    const seq = new Sequence('s', [new ScriptedLeaf('a', [S, S, F], j), new ScriptedLeaf('b', [R], j)], {
      memory: false,
    });
    expect(ticks(seq, 3)).toEqual([R, R, F]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=RUNNING',
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.update=RUNNING',
      'a.initialise',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
      'b.terminate(INVALID)',
    ]);
  });

  it('succeeds when every child succeeded, calling its own terminate; empty succeeds', () => {
    const j: Journal = [];
    const seq = new Sequence('s', [new ScriptedLeaf('a', [S], j), new ScriptedLeaf('b', [S], j)]);
    let terminated = '';
    seq.terminate = (status) => {
      terminated = status;
    };
    expect(ticks(seq, 1)).toEqual([S]);
    expect(terminated).toBe(S);
    expect(seq.currentChild?.name).toBe('b');
    expect(ticks(new Sequence('empty'), 1)).toEqual([S]);
  });

  it('a failing sequence does not terminate itself (py_trees)', () => {
    const seq = new Sequence('s', [new ScriptedLeaf('a', [F])]);
    const calls: string[] = [];
    seq.terminate = (status) => {
      calls.push(status);
    };
    expect(ticks(seq, 1)).toEqual([F]);
    expect(calls).toEqual([]);
  });

  it('stop(INVALID) interrupts running descendants depth-first in child order', () => {
    const j: Journal = [];
    const par = new Parallel('p', [new ScriptedLeaf('a', [R], j), new ScriptedLeaf('b', [R], j)]);
    const seq = new Sequence('s', [par]);
    ticks(seq, 1);
    seq.stop(I);
    expect(j).toEqual([
      'a.initialise',
      'a.update=RUNNING',
      'b.initialise',
      'b.update=RUNNING',
      'a.terminate(INVALID)',
      'b.terminate(INVALID)',
    ]);
    expect([seq.status, par.status, par.children[0]?.status]).toEqual([I, I, I]);
  });

  it('refuses a child that already has a parent', () => {
    const leaf = new ScriptedLeaf('a', [S]);
    new Sequence('one', [leaf]);
    expect(() => new Sequence('two', [leaf])).toThrow("behaviour 'a' already has parent 'one'");
  });

  it('replaceChild swaps a child in place', () => {
    const a = new ScriptedLeaf('a', [S]);
    const b = new ScriptedLeaf('b', [F]);
    const seq = new Sequence('s', [a]);
    seq.replaceChild(a, b);
    expect(seq.children).toEqual([b]);
    expect(b.parent).toBe(seq);
    expect(a.parent).toBeUndefined();
    expect(ticks(seq, 1)).toEqual([F]);
  });
});

describe('Parallel', () => {
  it('SuccessOnAll (synchronised) skips succeeded children until all succeeded', () => {
    const j: Journal = [];
    const par = new Parallel('p', [new ScriptedLeaf('a', [S], j), new ScriptedLeaf('b', [R, R, S], j)]);
    expect(ticks(par, 3)).toEqual([R, R, S]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=SUCCESS',
      'a.terminate(SUCCESS)',
      'b.initialise',
      'b.update=RUNNING',
      'b.update=RUNNING',
      'b.update=SUCCESS',
      'b.terminate(SUCCESS)',
    ]);
  });

  it('SuccessOnAll without synchronise re-ticks succeeded children', () => {
    const a = new ScriptedLeaf('a', [S]);
    const par = new Parallel('p', [a, new ScriptedLeaf('b', [R, S])], ParallelPolicy.successOnAll(false));
    expect(ticks(par, 2)).toEqual([R, S]);
    expect(a.updates).toBe(2);
  });

  it('fails on the first failure, interrupting running children after the tick', () => {
    const j: Journal = [];
    const par = new Parallel('p', [
      new ScriptedLeaf('a', [R], j),
      new ScriptedLeaf('b', [R, F], j),
      new ScriptedLeaf('c', [R], j),
    ]);
    expect(ticks(par, 2)).toEqual([R, F]);
    expect(j.slice(6)).toEqual([
      'a.update=RUNNING',
      'b.update=FAILURE',
      'b.terminate(FAILURE)',
      'c.update=RUNNING',
      'a.terminate(INVALID)',
      'c.terminate(INVALID)',
    ]);
    expect(par.currentChild?.name).toBe('b');
  });

  it('SuccessOnOne (one_of) succeeds with the first success and interrupts the rest', () => {
    const j: Journal = [];
    const par = new Parallel(
      'p',
      [new ScriptedLeaf('a', [R], j), new ScriptedLeaf('b', [R, S], j)],
      ParallelPolicy.successOnOne(),
    );
    expect(ticks(par, 2)).toEqual([R, S]);
    expect(j.slice(4)).toEqual([
      'a.update=RUNNING',
      'b.update=SUCCESS',
      'b.terminate(SUCCESS)',
      'a.terminate(INVALID)',
    ]);
  });

  it('an empty parallel succeeds', () => {
    expect(ticks(new Parallel('p'), 1)).toEqual([S]);
  });

  it('keeps several asynchronous updates in flight at once and waits for all', async () => {
    const j: Journal = [];
    const a = new DeferredLeaf('a', j);
    const b = new DeferredLeaf('b', j);
    const sync = new ScriptedLeaf('c', [S], j);
    const par = new Parallel('p', [a, b, sync]);
    const pending = par.tick();
    expect(pending).toBeInstanceOf(Promise);
    // both asynchronous children started before either finished; the synchronous one ran too
    expect(a.pending).toBe(1);
    expect(b.pending).toBe(1);
    expect(sync.updates).toBe(1);
    b.resolve(S);
    await Promise.resolve();
    expect(par.status).toBe(I);
    a.resolve(S);
    expect(await pending).toBe(S);
    expect(j.indexOf('b.update-start')).toBeLessThan(j.indexOf('a.update-end=SUCCESS'));
  });

  it('only the ancestors of an asynchronous leaf wait; a tick without one stays synchronous', async () => {
    const slow = new DeferredLeaf('slow');
    const seq = new Sequence('s', [new ScriptedLeaf('fast', [S]), slow]);
    const first = seq.tick();
    expect(first).toBeInstanceOf(Promise);
    slow.resolve(R);
    expect(await first).toBe(R);
    const other = new Sequence('t', [new Parallel('p', [new ScriptedLeaf('x', [R])])]);
    expect(tickSync(other)).toBe(R);
  });

  it('propagates an error of an asynchronous child after all siblings settled', async () => {
    const ok = new DeferredLeaf('ok');
    class Exploding extends ScriptedLeaf {
      override update(): never {
        throw new Error('boom');
      }
    }
    // A sibling still in flight is waited for before the synchronous error travels up.
    const par = new Parallel('p', [ok, new Exploding('x', [S])]);
    const ticked = par.tick() as Promise<Status>;
    ok.resolve(Status.SUCCESS);
    await expect(ticked).rejects.toThrow('boom');
    // Without a sibling in flight, the error is thrown at once.
    expect(() => new Parallel('r', [new Exploding('y', [S])]).tick()).toThrow('boom');
    const asyncFail = new Parallel('q', [
      new DeferredLeaf('a'),
      new (class extends DeferredLeaf {
        override update(): Promise<never> {
          return Promise.reject(new Error('remote down'));
        }
      })('b'),
    ]);
    const pending = asyncFail.tick();
    const a = asyncFail.children[0] as DeferredLeaf;
    let settled = false;
    (pending as Promise<unknown>).catch(() => {
      settled = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    a.resolve(R);
    await expect(pending).rejects.toThrow('remote down');
  });
});

describe('Parallel with a child that throws', () => {
  it('lets a child already in flight finish before the error travels up', async () => {
    const j: Journal = [];
    const slow = new DeferredLeaf('slow', j);
    class Throwing extends ScriptedLeaf {
      override update(): Status {
        throw new Error('boom');
      }
    }
    const root = new Parallel('p', [slow, new Throwing('bad', [S])]);
    const ticked = root.tick();
    expect(ticked).toBeInstanceOf(Promise);
    let settled = false;
    const outcome = (ticked as Promise<Status>).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    void outcome.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    slow.resolve(Status.SUCCESS);
    expect(await outcome).toBe('boom');
    expect(j).toContain('slow.update-end=SUCCESS');
  });
});

describe('Selector', () => {
  it('without memory re-checks higher priorities and interrupts the lower running child', () => {
    const j: Journal = [];
    const sel = new Selector('x', [new ScriptedLeaf('a', [F, R, F], j), new ScriptedLeaf('b', [R], j)]);
    expect(ticks(sel, 3)).toEqual([R, R, R]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
      'b.initialise',
      'b.update=RUNNING',
      'a.initialise',
      'a.update=RUNNING',
      'b.terminate(INVALID)',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
      'b.initialise',
      'b.update=RUNNING',
    ]);
  });

  it('with memory resumes at the running child, stopping the skipped ones', () => {
    const j: Journal = [];
    const sel = new Selector('x', [new ScriptedLeaf('a', [F], j), new ScriptedLeaf('b', [R, S], j)], { memory: true });
    expect(ticks(sel, 2)).toEqual([R, S]);
    expect(j).toEqual([
      'a.initialise',
      'a.update=FAILURE',
      'a.terminate(FAILURE)',
      'b.initialise',
      'b.update=RUNNING',
      'a.terminate(INVALID)',
      'b.update=SUCCESS',
      'b.terminate(SUCCESS)',
    ]);
  });

  it('fails when every child fails, and when empty', () => {
    const sel = new Selector('x', [new ScriptedLeaf('a', [F]), new ScriptedLeaf('b', [F])]);
    expect(ticks(sel, 1)).toEqual([F]);
    expect(sel.currentChild?.name).toBe('b');
    expect(ticks(new Selector('empty'), 1)).toEqual([F]);
  });
});
