/**
 * `-o DIR` writes `DIR/report.html`. Its structure is checked with a real HTML
 * parser (parse5, the WHATWG parsing algorithm): the result, the tree with
 * each node's status, a row with start, end and duration for every action of
 * the scenario, the log (remote lines with their endpoint), the failure; no
 * reference to anything outside the page; every text escaped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, REPO_ROOT } from './build.js';
import { cleanUpRuns, runScenario, tempDir } from './harness.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function* walk(node: Node): Generator<Node> {
  yield node;
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) yield* walk(child);
  if ('content' in node) yield* walk(node.content);
}

function elements(root: Node): Element[] {
  return [...walk(root)].filter(isElement);
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function hasClass(element: Element, name: string): boolean {
  return (attr(element, 'class') ?? '').split(/\s+/).includes(name);
}

function text(node: Node): string {
  return [...walk(node)]
    .map((n) => (n.nodeName === '#text' ? (n as DefaultTreeAdapterMap['textNode']).value : ''))
    .join('');
}

function one(root: Node, predicate: (e: Element) => boolean, what: string): Element {
  const found = elements(root).filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`);
  return found[0] as Element;
}

function cell(row: Element, name: string): string {
  return text(one(row, (e) => e.tagName === 'td' && hasClass(e, name), `td.${name}`)).trim();
}

/** `0.123 s` → 0.123 */
function seconds(value: string): number {
  const match = /^(-?\d+\.\d{3}) s$/.exec(value);
  if (match === null) throw new Error(`not a time: '${value}'`);
  return Number(match[1]);
}

interface Report {
  readonly document: Node;
  readonly html: string;
  readonly result: string | undefined;
  readonly treeNodes: Element[];
  readonly actionRows: Element[];
  readonly logRows: Element[];
}

function readReport(dir: string): Report {
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const document = parse(html);
  const all = elements(document);
  return {
    document,
    html,
    result: attr(
      one(document, (e) => attr(e, 'id') === 'result', '#result'),
      'data-result',
    ),
    treeNodes: all.filter((e) => e.tagName === 'li' && hasClass(e, 'node')),
    actionRows: all.filter((e) => e.tagName === 'tr' && hasClass(e, 'action')),
    logRows: all.filter((e) => e.tagName === 'tr' && hasClass(e, 'log')),
  };
}

/** The label of a tree node (its own name, not its children's). */
function nodeName(li: Element): string {
  return text(
    one(
      li,
      (e) =>
        hasClass(e, 'name') &&
        e.parentNode !== null &&
        hasClass(e.parentNode as Element, 'node-label') &&
        (e.parentNode as Element).parentNode === li,
      'node name',
    ),
  );
}

/** Nothing that makes a browser fetch: no script, link, object, iframe, no URL but in-page anchors. */
function expectSelfContained(report: Report): void {
  const all = elements(report.document);
  for (const tag of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'base', 'video', 'audio', 'source']) {
    expect(
      all.filter((e) => e.tagName === tag),
      `<${tag}>`,
    ).toEqual([]);
  }
  for (const element of all) {
    for (const { name, value } of element.attrs) {
      if (name === 'href') expect(value.startsWith('#'), `href=${value}`).toBe(true);
      expect(
        ['src', 'srcset', 'action', 'formaction', 'poster', 'background'],
        `${name} on <${element.tagName}>`,
      ).not.toContain(name);
      expect(name.startsWith('on'), `event handler ${name}`).toBe(false);
    }
    if (element.tagName === 'style') expect(text(element)).not.toMatch(/url\(|@import/);
    if (attr(element, 'style') !== undefined) expect(attr(element, 'style')).not.toMatch(/url\(/);
  }
  const csp = one(
    report.document,
    (e) => e.tagName === 'meta' && attr(e, 'http-equiv') === 'Content-Security-Policy',
    'CSP',
  );
  expect(attr(csp, 'content')).toContain("default-src 'none'");
}

/** Each action row: start ≤ end and duration = end − start (to the millisecond shown). */
function expectTimings(row: Element): { start: number; end: number } {
  const start = seconds(cell(row, 'start'));
  const end = seconds(cell(row, 'end'));
  const duration = seconds(cell(row, 'duration'));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThanOrEqual(start);
  expect(Math.abs(duration - (end - start))).toBeLessThanOrEqual(0.0011);
  return { start, end };
}

beforeAll(() => buildOnce({ withServer: true }));
afterAll(cleanUpRuns);

describe('report.html', () => {
  it('a passing scenario: result, tree, every action with its timing, the log escaped; nothing external', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario report_ok:
    do serial:
        log("first <script>alert('x')</script> & <b>more</b>")
        parallel:
            log("inside")
            run_process("true")
        one_of:
            log("first done")
            run_process("sleep 30")
        log("last")
`,
      ['-s', '0.02', '-o', '{dir}/out'],
    );
    expect(run.code).toBe(0);
    const report = readReport(join(run.dir, 'out'));
    expect(report.result).toBe('success');
    expectSelfContained(report);

    // The tree: every node of the scenario, each with its final status.
    const statusByName = report.treeNodes.map((li) => `${nodeName(li)}=${attr(li, 'data-status')}`);
    expect(statusByName).toEqual([
      'report_ok=success',
      'serial=success',
      'log=success',
      'parallel=success',
      'log=success',
      'run_process=success',
      'one_of=success',
      'log=success',
      'run_process=interrupted',
      'log=success',
    ]);
    // Nested as in the scenario: the parallel's two children are inside it.
    const parallel = report.treeNodes.find((li) => nodeName(li) === 'parallel') as Element;
    expect(elements(parallel).filter((e) => e.tagName === 'li' && e !== parallel)).toHaveLength(2);

    // Every action has a row; the one not run has no times.
    expect(report.actionRows.map((row) => `${cell(row, 'name')}:${cell(row, 'status')}`)).toEqual([
      'log:success',
      'log:success',
      'run_process:success',
      'log:success',
      'run_process:interrupted',
      'log:success',
    ]);
    const times = report.actionRows.map(expectTimings);
    // A serial: the last action starts after the first ended.
    expect((times.at(-1) as { start: number }).start).toBeGreaterThanOrEqual((times[0] as { end: number }).end);
    // The one_of ends when its first member succeeds: the sleep is stopped then.
    expect((times[4] as { end: number }).end).toBe((times[3] as { end: number }).end);
    // Each row links to its node in the tree.
    for (const row of report.actionRows) {
      const link = one(row, (e) => e.tagName === 'a', 'link');
      const target = (attr(link, 'href') ?? '').slice(1);
      expect(report.treeNodes.some((li) => attr(li, 'id') === target)).toBe(true);
    }

    // The log: the scenario's lines, the markup in a message as text (no element made of it).
    const messages = report.logRows.map((row) => cell(row, 'message'));
    expect(messages).toContain("first <script>alert('x')</script> & <b>more</b>");
    expect(messages).toContain("Executing scenario 'report_ok'");
    expect(messages).toContain("Scenario 'report_ok' succeeded.");
    expect(elements(report.document).filter((e) => e.tagName === 'b')).toEqual([]);
    expect(report.html).toContain(
      'first &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;',
    );
    expect(elements(report.document).some((e) => attr(e, 'id') === 'failure')).toBe(false);
  });

  it('a failing scenario: the failure message and output, the failed action and what did not run', async () => {
    const run = await runScenario(
      `import osc.helpers

scenario report_fail:
    do serial:
        log("before")
        run_process("false")
        log("after")
`,
      ['-s', '0.02', '-o', '{dir}/out'],
    );
    expect(run.code).toBe(1);
    const report = readReport(join(run.dir, 'out'));
    expect(report.result).toBe('failure');
    expectSelfContained(report);
    const failure = one(report.document, (e) => attr(e, 'id') === 'failure', '#failure');
    // The message and output the engine records (as in test.xml).
    expect(text(one(failure, (e) => hasClass(e, 'failure-message'), 'message'))).toBe('execution failed.');
    const output = text(one(failure, (e) => hasClass(e, 'failure-output'), 'output'));
    expect(output).toContain("--> run_process [\u2715] -- Execution of '['false']' failed with 1");
    const junit = readFileSync(join(run.dir, 'out', 'test.xml'), 'utf8');
    expect(junit).toContain('<failure message="execution failed.">');

    expect(report.actionRows.map((row) => `${cell(row, 'name')}:${cell(row, 'status')}`)).toEqual([
      'log:success',
      'run_process:failure',
      'log:not run',
    ]);
    expectTimings(report.actionRows[1] as Element);
    const notRun = report.actionRows[2] as Element;
    expect([cell(notRun, 'start'), cell(notRun, 'end'), cell(notRun, 'duration'), cell(notRun, 'runs')]).toEqual([
      '\u2014',
      '\u2014',
      '\u2014',
      '0',
    ]);
    const failedNode = report.treeNodes.find((li) => nodeName(li) === 'run_process') as Element;
    expect(attr(failedNode, 'data-status')).toBe('failure');
    expect(text(one(failedNode, (e) => hasClass(e, 'feedback'), 'feedback'))).toBe(
      "Execution of '['false']' failed with 1",
    );
    const errorRow = one(report.document, (e) => e.tagName === 'tr' && hasClass(e, 'level-ERROR'), 'error row');
    expect(cell(errorRow, 'message')).toMatch(/^report_fail: execution failed\. /);
  });

  it('a scenario that does not parse: the failure, no tree', async () => {
    const run = await runScenario('scenario broken:\n    do serial(\n', ['-o', '{dir}/out']);
    expect(run.code).toBe(1);
    const report = readReport(join(run.dir, 'out'));
    expect(report.result).toBe('failure');
    expect(report.treeNodes).toEqual([]);
    const failure = one(report.document, (e) => attr(e, 'id') === 'failure', '#failure');
    expect(text(one(failure, (e) => hasClass(e, 'failure-message'), 'message'))).toBe('parsing failed');
    expect(text(one(failure, (e) => hasClass(e, 'failure-output'), 'output'))).toBe(run.stderr.trimEnd());
  });

  it('no report on a dry run', async () => {
    const dry = await runScenario('import osc.helpers\n\nscenario dry:\n    do log("x")\n', ['-n', '-o', '{dir}/out']);
    expect(dry.code).toBe(0);
    expect(() => readFileSync(join(dry.dir, 'out', 'report.html'))).toThrow();
  });
});

describe('report.html of a remote scenario', () => {
  let server: ChildProcess | undefined;
  let socket = '';

  beforeAll(async () => {
    socket = join(tempDir('se-report-remote-'), 'se.sock');
    const bin = join(REPO_ROOT, 'packages', 'server', 'bin', 'scenario_execution_server.js');
    const child = spawn(process.execPath, [bin, '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('listening')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it("shows the server's log lines with their endpoint, and the action's endpoint", async () => {
    const run = await runScenario(
      `import osc.helpers
import osc.remote

scenario remote_report:
    do serial:
        log("local")
        run_process("echo remote <hello>") with:
            remote("${socket}")
`,
      ['-s', '0.02', '-o', '{dir}/out'],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = readReport(join(run.dir, 'out'));
    expect(report.result).toBe('success');
    expectSelfContained(report);
    const endpoint = `ipc://${socket}`;
    const remoteRows = report.logRows.filter((row) => attr(row, 'data-endpoint') !== undefined);
    expect(remoteRows.map((row) => [attr(row, 'data-endpoint'), cell(row, 'source'), cell(row, 'message')])).toEqual([
      [endpoint, endpoint, 'remote <hello>'],
    ]);
    const local = report.logRows.find((row) => cell(row, 'message') === 'local') as Element;
    expect(cell(local, 'source')).toBe('scenario_execution');
    const remoteAction = report.actionRows[1] as Element;
    expect(cell(remoteAction, 'status')).toBe('success');
    expectTimings(remoteAction);
    // The client's state as last seen while the scenario ran: the run ended, set up on the server.
    expect(text(one(remoteAction, (e) => hasClass(e, 'detail'), 'detail'))).toBe('remote: ready');
    expect(cell(remoteAction, 'name')).toContain(`run_process@remote(${endpoint})`);
  });
});
