#!/usr/bin/env node
/**
 * Tick time of trees of 1,000 leaves that keep running (median per tick of 1,000
 * ticks, after 100), against a baseline timed in turn in this process: a plain loop
 * that calls `update()` of 1,000 objects, what a tick cannot do with less.
 *
 * - a scenario-built `parallel` of 1,000 `wait elapsed(1h)`;
 * - 10 parallels of 100 bare leaves (Behaviour subclasses returning RUNNING).
 * The figures keep their limit of 1 ms per tick as well. Run after `npm run build`.
 */
import { join } from 'node:path';
import { benchDirectory, importEngine, median, printFigure } from './engine-measure.mjs';

const LEAVES = 1000;
const TICKS = 1000;
const engine = await importEngine();
const dir = benchDirectory('se-bench-ticks-');

/** A loop over `count` objects calling update(): the least a tick of as many leaves does. */
function plainLoop(count) {
  const objects = Array.from({ length: count }, (_, i) => ({
    calls: i,
    update() {
      this.calls += 1;
      return 1;
    },
  }));
  return () => {
    let sum = 0;
    for (const object of objects) sum += object.update();
    return sum;
  };
}

/** Median ms per tick of `tick`, and of the plain loop, timed in turn. */
async function tickAgainstLoop(tick) {
  const loop = plainLoop(LEAVES);
  for (let i = 0; i < 100; i++) {
    await tick();
    loop();
  }
  const ticks = [];
  const loops = [];
  for (let i = 0; i < TICKS; i++) {
    let start = process.hrtime.bigint();
    const ticked = tick();
    if (ticked instanceof Promise) await ticked;
    ticks.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    loop();
    loops.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { value: median(ticks), baseline: median(loops) };
}

function print(figure, { value, baseline }) {
  printFigure({
    figure,
    value,
    unit: 'ms',
    baseline,
    baselineName: 'a plain loop calling update() of 1,000 objects',
    ratio: value / baseline,
    target: '≤ 1 ms',
  });
}

{
  const waits = Array.from({ length: LEAVES }, () => '        wait elapsed(1h)').join('\n');
  const model = await engine.loadScenarioFromText(
    `import osc.helpers\n\nscenario ticks:\n    do parallel:\n${waits}\n`,
    join(dir, 'ticks.osc'),
  );
  const built = await engine.buildTree({
    model,
    blackboard: new engine.Blackboard(),
    logger: new engine.Logger('bench', { sink: () => {} }),
    builtinActions: engine.builtinActions,
  });
  print('tick, parallel of 1,000 `wait elapsed` (scenario-built)', await tickAgainstLoop(() => built.root.tick()));
}
{
  class KeepRunning extends engine.Behaviour {
    update() {
      return engine.Status.RUNNING;
    }
  }
  const groups = Array.from(
    { length: 10 },
    (_, g) =>
      new engine.Parallel(
        `group_${g}`,
        Array.from({ length: LEAVES / 10 }, (_, i) => new KeepRunning(`leaf_${g}_${i}`)),
      ),
  );
  const root = new engine.Sequence('root', [new engine.Parallel('all', groups)]);
  print('tick, 10 parallels × 100 bare leaves', await tickAgainstLoop(() => root.tick()));
}
