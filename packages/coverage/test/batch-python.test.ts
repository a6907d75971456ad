/**
 * scenario_batch_execution against the Python tool's recorded outcomes
 * (fixtures/batch/python-*, recorded by fixtures/batch/record-python.sh):
 *
 * - merging the per-scenario test.xml files the Python run left gives the
 *   Python tool's combined test.xml byte for byte (real Python results, the
 *   hand-written edge cases: entities, CDATA, comments, several testcases,
 *   a broken file, a missing file, an empty suite, a .sce scenario);
 * - running the same launch command with --jobs 1 writes the same tree (each
 *   log file, each test.xml, the combined file), prints the same lines and
 *   exits with the same status, with and without -r (on a set where only a
 *   command's exit status fails the batch, -r alone decides it);
 * - running our scenario_execution gives the combined file Python's tool
 *   made of our scenario_execution's results, up to times, and the same files.
 *
 * Known, intended differences in the printed lines: a file that cannot be
 * parsed is one line with the reason (Python prints two, the second saying
 * the file has no 'testsuite' element), one more line names OUT/report.html,
 * and a command's last output lines are printed before the next scenario
 * starts (the Python tool's reader threads may print them later).
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  copyFixture,
  FIXTURES,
  filesUnder,
  read,
  requireBuild,
  SPAWNING,
  runBatchCommand,
  SE_BIN,
  SE_COMMAND,
  tempDir,
  withoutTimes,
} from './batch-support.js';

const cleanups: (() => void)[] = [];
beforeAll(requireBuild);
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

/** Python's printed lines as ours should be: the known differences applied (see the file's comment). */
function expectedLines(
  pythonLines: readonly string[],
  outputDir: string,
  parseReasons: Record<string, string>,
): string[] {
  const result: string[] = [];
  for (const line of pythonLines) {
    if (line.startsWith("### XML file has no 'testsuite' element.")) continue;
    const parseError = /^### Error XML file (.*) could not be parsed$/.exec(line);
    result.push(parseError ? `${line}: ${parseReasons[parseError[1] as string]}` : line);
  }
  // The index line follows the merge's lines, before the verdict (or the final newline).
  const verdict = result.indexOf('Error during batch executing!');
  const indexLine = `### Writing the index of all scenarios to '${outputDir}/report.html'.`;
  result.splice(verdict >= 0 ? verdict : result.length - 1, 0, indexLine);
  return result;
}

/**
 * The lines of a batch's stdout with each command's output lines taken out
 * (they are compared through the log files), and the command output of each
 * scenario, by scenario file.
 */
function splitOutput(stdout: string): { frame: string[]; outputs: Map<string, string[]> } {
  const frame: string[] = [];
  const outputs = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const start = /^### For scenario (\S+), executing process/.exec(line);
    if (start) {
      current = [];
      outputs.set(start[1] as string, current);
      frame.push(line);
    } else if (line.startsWith('### ') || line.startsWith('Detected ') || line.startsWith('Launch command: ')) {
      frame.push(line);
      if (line.startsWith('### Process') || line.startsWith('### Writing')) current = undefined;
    } else if (current) {
      current.push(line);
    } else {
      frame.push(line);
    }
  }
  return { frame, outputs };
}

describe('merging (--merge-only) gives the Python tool combined test.xml byte for byte', SPAWNING, () => {
  for (const [run, out] of [
    ['python-run', 'out'],
    ['python-ts', 'out'],
    ['python-edge', 'out'],
  ] as const) {
    it(`${run}: the scenario folders the Python batch left`, async () => {
      const dir = scratch();
      copyFixture(`${run}/${out}`, join(dir, out));
      const expected = read(join(dir, out, 'test.xml'));
      // Scenarios named by -i (b_missing has no folder of its own to find otherwise).
      const source = run === 'python-edge' ? 'edge/scenarios' : 'scenarios';
      copyFixture(source, join(dir, 'scenarios'));
      const result = await runBatchCommand(['--merge-only', '-o', out, '-i', 'scenarios'], dir);
      expect(result.stderr).toBe('');
      expect(read(join(dir, out, 'test.xml'))).toBe(expected);
      expect(result.code).toBe(Number(read(join(FIXTURES, run, `${out}.rc.txt`)).trim()));
    });
  }
});

describe('running the same launch command with --jobs 1 does what the Python tool did', SPAWNING, () => {
  for (const [run, source, out, flags] of [
    ['python-edge', 'edge/scenarios', 'out', []],
    ['python-edge', 'edge/scenarios', 'out-r', ['-r']],
    ['python-exit', 'edge/exit-scenarios', 'out', []],
    ['python-exit', 'edge/exit-scenarios', 'out-r', ['-r']],
  ] as const) {
    it(`${source}${flags.length ? ` with ${flags.join(' ')}` : ''}: same files, same lines, same exit status`, async () => {
      const dir = scratch();
      copyFixture(source, join(dir, 'scenarios'));
      copyFixture('edge/stub.sh', join(dir, 'stub.sh'));
      const result = await runBatchCommand(
        ['-i', 'scenarios', '-o', out, ...flags, '-j', '1', '--', 'sh', 'stub.sh', '{SCENARIO}', '{OUTPUT_DIR}'],
        dir,
      );
      const recorded = join(FIXTURES, run, out);
      expect(result.code).toBe(Number(read(join(FIXTURES, run, `${out}.rc.txt`)).trim()));
      expect(result.stderr).toBe('');
      // Every file Python wrote, with the same content; plus the index.
      expect(filesUnder(join(dir, out))).toEqual([...filesUnder(recorded), 'report.html'].sort());
      for (const file of filesUnder(recorded))
        expect(read(join(dir, out, file)), file).toBe(read(join(recorded, file)));

      const python = splitOutput(read(join(FIXTURES, run, `${out}.stdout.txt`)));
      const ours = splitOutput(result.stdout);
      const reasons = { [`${out}/c_broken/test.xml`]: 'unclosed <testcase> (line 1)' };
      expect(ours.frame).toEqual(expectedLines(python.frame, out, reasons));
      // Each command's output, in our stdout as a block, is its log file.
      for (const [scenario, lines] of ours.outputs) {
        const name = scenario.replace(/^scenarios\/|\.\w+$/g, '');
        expect(`${lines.join('\n')}\n`.replace(/^\n$/, ''), scenario).toBe(read(join(dir, out, name, `${name}.log`)));
      }
    });
  }

  it('our scenario_execution: the combined test.xml the Python tool made of its results, up to times', async () => {
    const dir = scratch();
    copyFixture('scenarios', join(dir, 'scenarios'));
    const result = await runBatchCommand(['-i', 'scenarios', '-o', 'out', '-j', '1', '--', ...SE_COMMAND], dir);
    const recorded = join(FIXTURES, 'python-ts', 'out');
    expect(result.code).toBe(Number(read(join(FIXTURES, 'python-ts', 'out.rc.txt')).trim()));
    expect(withoutTimes(read(join(dir, 'out', 'test.xml')))).toBe(withoutTimes(read(join(recorded, 'test.xml'))));
    // The same files (the logs' content is scenario_execution's output, which changes with it:
    // the logging itself is compared byte for byte above, with a fixed command).
    expect(filesUnder(join(dir, 'out')).filter((file) => !file.endsWith('report.html'))).toEqual(filesUnder(recorded));
    const stdout = result.stdout.split(process.execPath).join('node').split(SE_BIN).join('<SE>');
    const python = splitOutput(read(join(FIXTURES, 'python-ts', 'out.stdout.txt')));
    expect(splitOutput(stdout).frame).toEqual(expectedLines(python.frame, 'out', {}));
  });
});
