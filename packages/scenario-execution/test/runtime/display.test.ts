import { describe, expect, it } from 'vitest';
import { Behaviour } from '../../src/runtime/behaviour.js';
import { Blackboard } from '../../src/runtime/blackboard.js';
import { FakeClock } from '../../src/runtime/clock.js';
import { Parallel, Selector, Sequence } from '../../src/runtime/composites.js';
import { Inverter } from '../../src/runtime/decorators.js';
import { asciiTree, blackboardText, snapshotTree, unicodeTree } from '../../src/runtime/display.js';
import { WaitElapsed } from '../../src/runtime/leaves.js';
import { Status } from '../../src/runtime/status.js';
import { F, R, S, ScriptedLeaf } from './helpers.js';

/** Tick the way the runner does: a new serial per tick. */
function tickTree(root: Behaviour, serial: number): void {
  root.tickSerial = serial;
  root.tick();
}

class FailingProcess extends Behaviour {
  private calls = 0;
  override update(): Status {
    this.calls += 1;
    if (this.calls < 2) return Status.RUNNING;
    this.feedbackMessage = "Execution of '['false']' failed with 1";
    return Status.FAILURE;
  }
}

describe('tree display', () => {
  it('renders the failure snapshot exactly like the Python engine', () => {
    const clock = new FakeClock();
    const root = new Sequence('test_run_process', [
      new Sequence('serial', [
        new ScriptedLeaf('log', [S]),
        new Parallel('parallel', [new FailingProcess('run_process'), new WaitElapsed('wait 3s', 3, { clock })]),
      ]),
    ]);
    tickTree(root, 1);
    clock.advance(0.1);
    tickTree(root, 2);
    expect(root.status).toBe(F);
    // Output of `scenario_execution` (Python) for the same scenario:
    expect(snapshotTree(root)).toBe(
      [
        '{-} test_run_process [✕]',
        '    {-} serial [✕]',
        '        --> log',
        '        /_/ parallel [✕]',
        "            --> run_process [✕] -- Execution of '['false']' failed with 1",
        '            --> wait 3s [-] -- still running',
        '',
      ].join('\n'),
    );
  });

  it('shows nodes that were running in the previous tick but not visited now with their status only', () => {
    const a = new ScriptedLeaf('a', [F, R]);
    const b = new ScriptedLeaf('b', [R]);
    b.feedbackMessage = 'busy';
    const root = new Selector('sel', [a, b]);
    tickTree(root, 1);
    tickTree(root, 2);
    // b ran in tick 1 and was interrupted (not ticked) in tick 2
    expect(unicodeTree(root)).toBe('[o] sel [*]\n    --> a [*]\n    --> b [-]\n');
    expect(unicodeTree(root, { showStatus: true })).toBe('[o] sel [*]\n    --> a [*]\n    --> b [-] -- busy\n');
  });

  it('ascii symbols, decorators, selectors with memory and collapsed unvisited subtrees', () => {
    const root = new Sequence(
      'root',
      [
        new Inverter('inverter', new ScriptedLeaf('x', [F])),
        new Selector('choose', [new ScriptedLeaf('y', [S])], { memory: true }),
      ],
      { memory: false },
    );
    tickTree(root, 1);
    expect(asciiTree(root)).toBe(
      '[-] root [o]\n    -^- inverter [o] -- failure -> success\n        --> x [x]\n    {o} choose [o]\n        --> y [o]\n',
    );
    const fresh = new Sequence('root', [new Sequence('sub', [new ScriptedLeaf('z', [S])])]);
    expect(unicodeTree(fresh, { showOnlyVisited: true })).toBe('{-} root\n    {-} sub\n        ...\n');
  });

  it('colours and bold tip as py_trees on a terminal; names with newlines on one line', () => {
    const leaf = new ScriptedLeaf('multi\nline', [R]);
    const root = new Sequence('root', [leaf]);
    tickTree(root, 1);
    const text = unicodeTree(root, { colours: true });
    expect(text).toContain('\x1b[34m*\x1b[0m');
    expect(text).toContain('\x1b[1m-->\x1b[0m \x1b[1mmulti line [\x1b[0m');
  });

  it('blackboard text like py_trees unicode_blackboard', () => {
    const bb = new Blackboard();
    bb.set('/test_live/x', 2);
    bb.set('/test_live/end', false);
    bb.set('/test_live/ev', true);
    bb.set('/test_live/name', 'abc');
    expect(blackboardText(bb)).toBe(
      [
        'Blackboard Data',
        "  Filter: '{'/test_live/end', '/test_live/ev', '/test_live/name', '/test_live/x'}'",
        '    /test_live/end : False',
        '    /test_live/ev  : True',
        '    /test_live/name: abc',
        '    /test_live/x   : 2',
        '',
      ].join('\n'),
    );
    expect(blackboardText(new Blackboard())).toBe('Blackboard Data\n');
  });
});
