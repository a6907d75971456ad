/**
 * Composites: the journals of small trees, against what py_trees does with the same trees
 * (fixtures/composite_journals.json, written by python/gen_composite_journals.py with the
 * py_trees the fixture names), then what py_trees has no counterpart for (asynchronous
 * children, errors, building trees).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Behaviour } from '../../src/runtime/behaviour.js';
import { Composite, Parallel, ParallelPolicy, Selector, Sequence } from '../../src/runtime/composites.js';
import { Status } from '../../src/runtime/status.js';
import type { Journal } from './helpers.js';
import { DeferredLeaf, F, I, R, S, ScriptedLeaf, tickSync } from './helpers.js';

function ticks(root: Behaviour, count: number): string[] {
  const statuses: string[] = [];
  for (let i = 0; i < count; i++) statuses.push(tickSync(root));
  return statuses;
}

type TreeSpec =
  | { kind: 'leaf'; name: string; script: Status[] }
  | { kind: 'sequence' | 'selector'; name: string; memory: boolean; children: TreeSpec[] }
  | {
      kind: 'parallel';
      name: string;
      policy: { kind: 'successOnAll'; synchronise: boolean } | { kind: 'successOnOne' };
      children: TreeSpec[];
    };

interface JournalCase {
  tree: TreeSpec;
  ticks: number;
  /** The root is stopped with this status after the ticks. */
  stop: Status | null;
  /** The root's status after each tick. */
  statuses: Status[];
  /** initialise, update and terminate of every node, in order. */
  journal: string[];
  /** Every node's status at the end. */
  final: Record<string, Status>;
  currentChild: string | null;
}

interface JournalFixture {
  py_trees: { version: string; source: string; sha256: Record<string, string> };
  cases: Record<string, JournalCase>;
}

const fixture: JournalFixture = JSON.parse(
  readFileSync(new URL('./fixtures/composite_journals.json', import.meta.url), 'utf8'),
);

/** The tree of a case; composites journal their initialise and terminate calls too. */
function build(spec: TreeSpec, journal: Journal, nodes: Behaviour[]): Behaviour {
  let node: Behaviour;
  if (spec.kind === 'leaf') {
    node = new ScriptedLeaf(spec.name, spec.script, journal);
  } else {
    const children = spec.children.map((child) => build(child, journal, nodes));
    if (spec.kind === 'parallel') {
      const wanted = (spec as Extract<TreeSpec, { kind: 'parallel' }>).policy;
      const policy =
        wanted.kind === 'successOnAll'
          ? ParallelPolicy.successOnAll(wanted.synchronise)
          : ParallelPolicy.successOnOne();
      node = new Parallel(spec.name, children, policy);
    } else if (spec.kind === 'sequence') node = new Sequence(spec.name, children, { memory: spec.memory });
    else node = new Selector(spec.name, children, { memory: spec.memory });
    const initialise = node.initialise.bind(node);
    const terminate = node.terminate.bind(node);
    node.initialise = () => {
      journal.push(`${spec.name}.initialise`);
      return initialise();
    };
    node.terminate = (status: Status) => {
      journal.push(`${spec.name}.terminate(${status})`);
      return terminate(status);
    };
  }
  nodes.push(node);
  return node;
}

describe(`composites journal what py_trees ${fixture.py_trees.version} journals`, () => {
  it('has the journals of a named py_trees', () => {
    expect(fixture.py_trees.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(fixture.py_trees.source).not.toBe('');
    expect(Object.keys(fixture.py_trees.sha256)).toEqual(['behaviour.py', 'composites.py']);
    expect(Object.keys(fixture.cases).length).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.entries(fixture.cases))('%s', (_name, c) => {
    const journal: Journal = [];
    const nodes: Behaviour[] = [];
    const root = build(c.tree, journal, nodes);
    expect(ticks(root, c.ticks)).toEqual(c.statuses);
    if (c.stop !== null) tickSyncStop(root, c.stop);
    expect(journal).toEqual(c.journal);
    expect(Object.fromEntries(nodes.map((n) => [n.name, n.status]))).toEqual(c.final);
    expect(root instanceof Composite ? (root.currentChild?.name ?? null) : null).toBe(c.currentChild);
  });
});

/** Stop a tree whose nodes all stop synchronously. */
function tickSyncStop(root: Behaviour, status: Status): void {
  const stopped = root.stop(status);
  if (stopped instanceof Promise) throw new Error(`stop of '${root.name}' returned a promise`);
}

describe('building trees', () => {
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

describe('Parallel with asynchronous children', () => {
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
