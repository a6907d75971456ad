/**
 * `--dot`: pictures with labels every font has, and with `-o` the tree drawn
 * after the run with each node filled by its final status. Graphviz itself
 * reads the DOT text back (`dot -Tjson`), so the check is on what it draws.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dotTree, STATUS_FILL } from '../../src/cli/dot.js';
import { Parallel, ParallelPolicy, Sequence } from '../../src/runtime/composites.js';
import { S, ScriptedLeaf } from '../runtime/helpers.js';
import { cleanUpRuns, runScenario } from './harness.js';

afterAll(cleanUpRuns);

interface GraphvizNode {
  readonly name: string;
  readonly fillcolor?: string;
  readonly label?: string;
}

/** The nodes Graphviz reads from a DOT text, and the graph's label. */
function graphviz(dotText: string): { nodes: GraphvizNode[]; label: string | undefined } {
  const result = spawnSync('dot', ['-Tjson'], { input: dotText, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dot failed: ${result.stderr}`);
  const graph = JSON.parse(result.stdout) as { objects?: GraphvizNode[]; label?: string };
  return { nodes: graph.objects ?? [], label: graph.label };
}

describe('dot pictures', () => {
  it('say memory and synchronised in words, with no glyph missing from common fonts', () => {
    const root = new Sequence('test', [
      new Parallel('both', [new ScriptedLeaf('a', [S])], ParallelPolicy.successOnAll(true)),
      new Parallel('either', [new ScriptedLeaf('b', [S])], ParallelPolicy.successOnOne()),
    ]);
    const plain = dotTree(root, { plainLabels: true });
    expect(plain).not.toMatch(/[^\x00-\x7f]/);
    const labels = Object.fromEntries(graphviz(plain).nodes.map((n) => [n.name, n.label]));
    expect(labels).toEqual({
      test: 'test\\nwith memory',
      both: 'both\\nSuccessOnAll, synchronised',
      a: 'a',
      either: 'either\\nSuccessOnOne',
      b: 'b',
    });
    // The .dot file itself stays the Python engine's text, glyphs included.
    expect(dotTree(root)).toContain('label="Ⓜ test"');
    expect(dotTree(root)).toContain('label="⚡ both\\nSuccessOnAll"');
  });

  it('after a failing run: each node filled by its final status, the result in the title', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario where_it_failed:
    do serial:
        log("ok")
        one_of:
            log("quick")
            run_process("sleep 30")
        run_process("false")
        log("never")
`,
      ['-s', '0.02', '-o', '{dir}/out', '--dot'],
    );
    expect(run.code).toBe(1);
    const text = readFileSync(join(run.dir, 'out', 'where_it_failed_result.dot'), 'utf8');
    const { nodes, label } = graphviz(text);
    expect(nodes.map((n) => [n.name, n.fillcolor])).toEqual([
      ['where_it_failed', STATUS_FILL.failure],
      ['serial', STATUS_FILL.failure],
      ['log', STATUS_FILL.success],
      ['one_of', STATUS_FILL.success],
      ['log*', STATUS_FILL.success],
      ['run_process', STATUS_FILL.interrupted],
      ['run_process*', STATUS_FILL.failure],
      ['log**', STATUS_FILL['not run']],
    ]);
    expect(label?.split('\\n')[0]).toBe('where_it_failed failed: execution failed.');
    // The picture before the run (py_trees' colours by kind) is still written as before.
    const before = graphviz(readFileSync(join(run.dir, 'out', 'where_it_failed.dot'), 'utf8'));
    expect(before.nodes.find((n) => n.name === 'serial')?.fillcolor).toBe('orange');
    // Graphviz drew the pictures; the SVG's text is the plain labels.
    const svg = readFileSync(join(run.dir, 'out', 'where_it_failed_result.svg'), 'utf8');
    expect(svg).toContain('>with memory</text>');
    expect(svg).not.toContain('\u24c2');
    expect(
      readFileSync(join(run.dir, 'out', 'where_it_failed_result.png'))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });
});
