import { describe, expect, it } from 'vitest';
import { Behaviour } from '../../src/runtime/behaviour.js';
import { Parallel, Sequence } from '../../src/runtime/composites.js';
import { Inverter } from '../../src/runtime/decorators.js';
import { Status } from '../../src/runtime/status.js';

class Busy extends Behaviour {
  override update(): Status {
    return Status.RUNNING;
  }
}

describe('synchronous ticking', () => {
  // Tick cost itself is measured by `npm run bench`, not here.
  it('a 1,000-leaf tree of synchronous leaves ticks every leaf without creating a promise', () => {
    // 10 parallel branches × 100 leaves, every leaf under a decorator: all 1,000 leaves update each tick
    const branches: Behaviour[] = [];
    for (let b = 0; b < 10; b++) {
      const leaves: Behaviour[] = [];
      for (let l = 0; l < 100; l++) leaves.push(new Inverter(`inv${l}`, new Busy(`leaf${b}.${l}`)));
      branches.push(new Parallel(`branch${b}`, leaves));
    }
    const root = new Sequence('root', [new Parallel('all', branches)]);
    let updates = 0;
    for (const node of root.iterate()) {
      if (node instanceof Busy) {
        const update = node.update.bind(node);
        node.update = () => {
          updates += 1;
          return update();
        };
      }
    }
    const rounds = 50;
    for (let i = 0; i < rounds; i++) {
      const result = root.tick();
      if (result instanceof Promise) throw new Error('synchronous tree created a promise');
    }
    expect(updates).toBe(1000 * rounds);
  });
});
