/**
 * The combined `OUT/test.xml` of a batch: every scenario's `OUT/<name>/test.xml`
 * merged into one `testsuite`, as Python's `scenario_batch_execution` merges
 * them (same element order, attribute order, sums, tab indentation, single-
 * quoted XML declaration, no final newline), so tools reading either file
 * read the same thing:
 *
 * - every `testcase` directly under a file's root is copied, renamed to the
 *   scenario's name; the root's `errors`, `failures`, `tests` and `time` are
 *   summed into the combined root;
 * - a scenario without a readable file counts one error and gets a
 *   `no_test_result` testcase whose failure names the expected file.
 */
import { readFileSync } from 'node:fs';
import { pyFloat } from 'scenario-execution';
import { pathJoin } from './paths.js';
import {
  element,
  getAttribute,
  indentTree,
  parseXml,
  serializeXml,
  setAttribute,
  type XmlElement,
  XmlSyntaxError,
} from './xml-tree.js';

/** What the merge found for one scenario (for the report index and the verdict of one run). */
export interface ScenarioVerdict {
  readonly name: string;
  /** `passed`; `failed` (a failure or error recorded); `no result` (no readable test.xml). */
  readonly status: 'passed' | 'failed' | 'no result';
  /** The test.xml it read (or expected). */
  readonly testFile: string;
  /** Sum of its testcases' `time` attributes, seconds. */
  readonly seconds: number;
  /** The `message` of each failure or error it records, or why there was no result. */
  readonly messages: readonly string[];
}

export interface MergedResults {
  /** The combined document, as written to `OUT/test.xml`. */
  readonly xml: string;
  /** No error and no failure in any file, and every file was readable. */
  readonly passed: boolean;
  readonly verdicts: readonly ScenarioVerdict[];
  /** Problems with single files, one line each (printed by the caller). */
  readonly problems: readonly string[];
}

/** Python's `int(text)` for the plain forms JUnit writers use. */
function integerAttribute(node: XmlElement, name: string): number {
  const text = getAttribute(node, name);
  if (text === undefined) return 0;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new XmlSyntaxError(`attribute ${name}="${text}" is not an integer`);
  return Number.parseInt(text, 10);
}

/** Python's `float(text)` for the forms JUnit writers use. */
function floatAttribute(node: XmlElement, name: string): number {
  const text = getAttribute(node, name);
  if (text === undefined) return 0;
  const value = Number(text.trim());
  if (text.trim() === '' || Number.isNaN(value))
    throw new XmlSyntaxError(`attribute ${name}="${text}" is not a number`);
  return value;
}

/** The failure and error messages of the testcases of a file's root. */
function failureMessages(testcases: readonly XmlElement[]): string[] {
  const messages: string[] = [];
  for (const testcase of testcases) {
    for (const child of testcase.children) {
      if (child.tag === 'failure' || child.tag === 'error') {
        messages.push(getAttribute(child, 'message') ?? child.tag);
      }
    }
  }
  return messages;
}

/** Merge the results of `scenarios` (names, in order) found under `outputDir`. */
export function mergeResults(outputDir: string, scenarios: readonly string[]): MergedResults {
  const root = element('testsuite');
  let errors = 0;
  let failures = 0;
  let tests = 0;
  // Python starts from the integer 0: with no file read, the sum prints as `0`.
  let seconds: number | undefined;
  const verdicts: ScenarioVerdict[] = [];
  const problems: string[] = [];

  for (const name of scenarios) {
    const testFile = pathJoin(outputDir, name, 'test.xml');
    let text: string | undefined;
    try {
      text = readFileSync(testFile, 'utf8');
    } catch {
      text = undefined;
    }
    let parsed: { fileRoot: XmlElement; counts: [number, number, number, number] } | undefined;
    if (text !== undefined) {
      try {
        const fileRoot = parseXml(text);
        const counts: [number, number, number, number] = [
          integerAttribute(fileRoot, 'errors'),
          integerAttribute(fileRoot, 'failures'),
          floatAttribute(fileRoot, 'time'),
          integerAttribute(fileRoot, 'tests'),
        ];
        parsed = { fileRoot, counts };
      } catch (error) {
        problems.push(`### Error XML file ${testFile} could not be parsed: ${(error as Error).message}`);
      }
    }
    if (parsed) {
      const [fileErrors, fileFailures, fileSeconds, fileTests] = parsed.counts;
      errors += fileErrors;
      failures += fileFailures;
      seconds = (seconds ?? 0) + fileSeconds;
      tests += fileTests;
      const testcases = parsed.fileRoot.children.filter((child) => child.tag === 'testcase');
      let caseSeconds = 0;
      for (const testcase of testcases) {
        setAttribute(testcase, 'name', name);
        root.children.push(testcase);
        const time = Number(getAttribute(testcase, 'time') ?? 0);
        if (Number.isFinite(time)) caseSeconds += time;
      }
      const messages = failureMessages(testcases);
      const failed = fileErrors + fileFailures > 0 || messages.length > 0;
      verdicts.push({ name, status: failed ? 'failed' : 'passed', testFile, seconds: caseSeconds, messages });
    } else {
      errors += 1;
      const missing = element('testcase', [
        ['classname', 'tests.scenario'],
        ['name', 'no_test_result'],
        ['time', '0.0'],
      ]);
      const message = `expected file ${testFile} not found`;
      missing.children.push(element('failure', [['message', message]]));
      root.children.push(missing);
      verdicts.push({ name, status: 'no result', testFile, seconds: 0, messages: [message] });
    }
  }
  setAttribute(root, 'errors', String(errors));
  setAttribute(root, 'failures', String(failures));
  setAttribute(root, 'time', seconds === undefined ? '0' : pyFloat(seconds));
  setAttribute(root, 'tests', String(tests));
  indentTree(root, '\t');
  return { xml: serializeXml(root), passed: errors === 0 && failures === 0, verdicts, problems };
}
