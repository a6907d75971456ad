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

describe('tick cost', () => {
  it('a 1,000-leaf tree ticks synchronously in well under a millisecond', () => {
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
    for (let i = 0; i < 500; i++) root.tick(); // warm up (JIT)
    updates = 0;
    const rounds = 300;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) {
      const result = root.tick();
      if (result instanceof Promise) throw new Error('synchronous tree created a promise');
    }
    const perTick = (performance.now() - start) / rounds;
    expect(updates).toBe(1000 * rounds);
    expect(perTick).toBeLessThan(1);
  });
});
