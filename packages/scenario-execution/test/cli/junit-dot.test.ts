import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dotFileStem, dotId, dotTree, renderDotTree } from '../../src/cli/dot.js';
import { junitXml, totalSecondsText, writeJUnit } from '../../src/cli/junit.js';
import { Behaviour } from '../../src/runtime/behaviour.js';
import { Parallel, ParallelPolicy, Selector, Sequence } from '../../src/runtime/composites.js';
import { Repeat, Timeout } from '../../src/runtime/decorators.js';
import { Status } from '../../src/runtime/status.js';

class Leaf extends Behaviour {
  override update(): Status {
    return Status.SUCCESS;
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('JUnit results', () => {
  it('formats durations as Python timedelta.total_seconds()', () => {
    expect(totalSecondsText(0)).toBe('0.0');
    expect(totalSecondsText(0.3009234)).toBe('0.300923');
    expect(totalSecondsText(0.0019)).toBe('0.0019');
    expect(totalSecondsText(0.000014)).toBe('1.4e-05');
    expect(totalSecondsText(30.080597)).toBe('30.080597');
    expect(totalSecondsText(2)).toBe('2.0');
  });

  it('writes a success exactly as the Python engine', () => {
    const xml = junitXml([
      {
        name: 'test',
        success: true,
        failureMessage: '',
        failureOutput: '',
        processingTime: 0.300923,
        startTime: 1795838899.567204,
      },
    ]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<testsuite errors="0" failures="0" name="scenario_execution" tests="1" time="0.300923">\n' +
        '  <testcase classname="tests.scenario" name="test" time="0.300923">\n' +
        '    <properties>\n' +
        '      <property name="start_time" value="1795838899.567204"/>\n' +
        '    </properties>\n' +
        '  </testcase>\n' +
        '</testsuite>\n',
    );
  });

  it('writes a failure with the escaped snapshot, and sums the times', () => {
    const snapshot = '{-} test_fail [✕]\n    --> run_process [✕] -- Execution of \'["false"]\' failed & <done>\n';
    const xml = junitXml([
      {
        name: 'Parsing of a.osc',
        success: false,
        failureMessage: 'parsing failed',
        failureOutput: 'File does not exist',
        processingTime: 0.000014,
        startTime: undefined,
      },
      {
        name: 'test_fail',
        success: false,
        failureMessage: 'execution failed.',
        failureOutput: snapshot,
        processingTime: 0.0019,
        startTime: 1.5,
      },
    ]);
    expect(xml).toContain('<testsuite errors="0" failures="2" name="scenario_execution" tests="1" time="0.001914">\n');
    expect(xml).toContain(
      '  <testcase classname="tests.scenario" name="Parsing of a.osc" time="1.4e-05">\n' +
        '    <failure message="parsing failed">File does not exist</failure>\n' +
        '  </testcase>\n',
    );
    expect(xml).toContain('      <property name="start_time" value="1.500000"/>\n');
    expect(xml).toContain(
      '    <failure message="execution failed.">{-} test_fail [✕]\n' +
        "    --&gt; run_process [✕] -- Execution of '['false']' failed &amp; &lt;done&gt;\n" +
        '</failure>\n',
    );
  });

  it('writes test.xml into the output directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-junit-'));
    dirs.push(dir);
    const file = writeJUnit(dir, [
      { name: 'x', success: true, failureMessage: '', failureOutput: '', processingTime: 1, startTime: 2 },
    ]);
    expect(file).toBe(join(dir, 'test.xml'));
    expect(readFileSync(file, 'utf8')).toContain('name="x" time="1.0"');
  });
});

function exampleTree(): Behaviour {
  const myLabel = new Sequence('my_label', [new Repeat('repeat', new Leaf('log'), 2)]);
  const oneOf = new Parallel('one_of', [new Leaf('log'), new Leaf('log')], ParallelPolicy.successOnOne());
  const timeout = new Timeout('timeout', new Leaf('log'), 3);
  const parallel = new Parallel('parallel', [myLabel, oneOf, timeout]);
  return new Sequence('test', [parallel]);
}

describe('DOT export', () => {
  it('draws the tree as py_trees does', () => {
    // The text the Python engine writes for the same tree (`--dot`).
    expect(dotTree(exampleTree())).toBe(`digraph pastafarianism {
ordering=out;
graph [fontname="times-roman"];
node [fontname="times-roman"];
edge [fontname="times-roman"];
test [fillcolor=orange, fontcolor=black, fontsize=9, label="Ⓜ test", shape=box, style=filled];
parallel [fillcolor=gold, fontcolor=black, fontsize=9, label="⚡ parallel\\nSuccessOnAll", shape=parallelogram, style=filled];
test -> parallel;
my_label [fillcolor=orange, fontcolor=black, fontsize=9, label="Ⓜ my_label", shape=box, style=filled];
parallel -> my_label;
repeat [fillcolor=ghostwhite, fontcolor=black, fontsize=9, label=repeat, shape=ellipse, style=filled];
my_label -> repeat;
log [fillcolor=gray, fontcolor=black, fontsize=9, label=log, shape=ellipse, style=filled];
repeat -> log;
one_of [fillcolor=gold, fontcolor=black, fontsize=9, label="one_of\\nSuccessOnOne", shape=parallelogram, style=filled];
parallel -> one_of;
"log*" [fillcolor=gray, fontcolor=black, fontsize=9, label="log*", shape=ellipse, style=filled];
one_of -> "log*";
"log**" [fillcolor=gray, fontcolor=black, fontsize=9, label="log**", shape=ellipse, style=filled];
one_of -> "log**";
timeout [fillcolor=ghostwhite, fontcolor=black, fontsize=9, label=timeout, shape=ellipse, style=filled];
parallel -> timeout;
"log***" [fillcolor=gray, fontcolor=black, fontsize=9, label="log***", shape=ellipse, style=filled];
timeout -> "log***";
}
`);
  });

  it('quotes names that are not plain identifiers', () => {
    expect(dotId('wait 0.3s')).toBe('"wait 0.3s"');
    expect(dotId('say "hi"')).toBe('"say \\"hi\\""');
    expect(dotId('node')).toBe('"node"');
    expect(dotId('_x1')).toBe('_x1');
    expect(dotId('42')).toBe('42');
    const selector = dotTree(new Selector('pick', [new Leaf('a')]));
    expect(selector).toContain(
      'pick [fillcolor=cyan, fontcolor=black, fontsize=9, label=pick, shape=octagon, style=filled];',
    );
  });

  it('names files like py_trees and writes them to the directory', () => {
    expect(dotFileStem(' My Scenario! ')).toBe('my_scenario');
    const dir = mkdtempSync(join(tmpdir(), 'se-dot-'));
    dirs.push(dir);
    const printed: string[] = [];
    const written = renderDotTree(exampleTree(), join(dir, 'sub'), (l) => printed.push(l));
    expect(written[0]).toBe(join(dir, 'sub', 'test.dot'));
    expect(printed[0]).toBe(`Writing ${join(dir, 'sub', 'test.dot')}`);
    expect(readFileSync(join(dir, 'sub', 'test.dot'), 'utf8')).toBe(dotTree(exampleTree()));
    // SVG/PNG only when Graphviz is installed; each written file was announced.
    expect(printed).toEqual(written.map((f) => `Writing ${f}`));
  });
});
