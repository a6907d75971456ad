#!/usr/bin/env node
/**
 * Opens the run reports (`-o DIR` → DIR/report.html) in a real browser:
 * headless Chromium loads each page from a file: URL, prints the DOM it built
 * (--dump-dom) and a screenshot; the DOM is then checked (result, tree nodes
 * and their statuses, action timings, log lines with the remote endpoint, the
 * failure). Needs the build and Chromium (Debian: `apt-get install chromium`;
 * another binary: CHROMIUM=/path/to/chrome).
 *
 *   npm run test:browser
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'parse5';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'packages', 'scenario-execution', 'bin', 'scenario_execution.js');
const SERVER = join(ROOT, 'packages', 'server', 'bin', 'scenario_execution_server.js');

function findChromium() {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome'];
  for (const name of candidates) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { bin: name, version: probe.stdout.trim() };
  }
  console.error('error: no Chromium found (install it: apt-get install chromium; or set CHROMIUM=/path/to/chrome)');
  process.exit(1);
}

function* walk(node) {
  yield node;
  for (const child of node.childNodes ?? []) yield* walk(child);
}
const elements = (node) => [...walk(node)].filter((n) => n.tagName !== undefined);
const attr = (e, name) => e.attrs.find((a) => a.name === name)?.value;
const hasClass = (e, name) => (attr(e, 'class') ?? '').split(/\s+/).includes(name);
const text = (node) => [...walk(node)].map((n) => (n.nodeName === '#text' ? n.value : '')).join('');
const cell = (row, name) =>
  text(elements(row).find((e) => e.tagName === 'td' && hasClass(e, name)) ?? { childNodes: [] }).trim();
const ownName = (li) =>
  text(elements(li).find((e) => hasClass(e, 'name') && e.parentNode?.parentNode === li) ?? { childNodes: [] });

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
}

function runScenario(dir, name, source) {
  const file = join(dir, `${name}.osc`);
  writeFileSync(file, source);
  const out = join(dir, name);
  const run = spawnSync(process.execPath, [CLI, '-s', '0.02', '-o', out, file], { encoding: 'utf8' });
  return { out, code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The DOM Chromium built from the page, and a screenshot of it. */
function openInBrowser(chromium, page, profile) {
  const url = pathToFileURL(page).href;
  // No background traffic: the page must load with nothing from the network (and there is none here).
  const common = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--window-size=1100,1400',
  ];
  const dom = spawnSync(chromium, [...common, '--dump-dom', url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (dom.status !== 0) throw new Error(`chromium failed on ${url}: ${dom.stderr.split('\n').slice(-3).join(' ')}`);
  const shot = `${page.replace(/\.html$/, '')}.png`;
  spawnSync(chromium, [...common, `--screenshot=${shot}`, url], { encoding: 'utf8' });
  return { document: parse(dom.stdout), shot };
}

const TIME = /^\d+\.\d{3} s$/;

function checkReport(label, document, expected) {
  const all = elements(document);
  const result = all.find((e) => attr(e, 'id') === 'result');
  check(
    `${label}: result`,
    result !== undefined && attr(result, 'data-result') === expected.result,
    attr(result ?? { attrs: [] }, 'data-result'),
  );
  const nodes = all
    .filter((e) => e.tagName === 'li' && hasClass(e, 'node'))
    .map((li) => `${ownName(li)}=${attr(li, 'data-status')}`);
  check(
    `${label}: tree nodes and statuses`,
    JSON.stringify(nodes) === JSON.stringify(expected.nodes),
    JSON.stringify(nodes),
  );
  const rows = all.filter((e) => e.tagName === 'tr' && hasClass(e, 'action'));
  const actionName = (row) => text(elements(row).find((e) => e.tagName === 'a') ?? { childNodes: [] });
  const actions = rows.map((row) => `${actionName(row)}:${cell(row, 'status')}`);
  check(`${label}: action rows`, JSON.stringify(actions) === JSON.stringify(expected.actions), JSON.stringify(actions));
  for (const row of rows) {
    const ran = cell(row, 'status') !== 'not run';
    const times = ['start', 'end', 'duration'].map((name) => cell(row, name));
    check(
      `${label}: timings of ${actionName(row)}`,
      ran ? times.every((t) => TIME.test(t)) : times.every((t) => t === '\u2014'),
      times.join(' / '),
    );
  }
  const logs = all.filter((e) => e.tagName === 'tr' && hasClass(e, 'log'));
  for (const [message, source] of expected.logs) {
    const row = logs.find((r) => cell(r, 'message') === message);
    check(
      `${label}: log line '${message}'`,
      row !== undefined && cell(row, 'source') === source,
      row ? cell(row, 'source') : 'missing',
    );
  }
  check(`${label}: no script element from the log`, !all.some((e) => e.tagName === 'script'));
  const failure = all.find((e) => hasClass(e, 'failure-message'));
  check(
    `${label}: failure message`,
    expected.failure === undefined
      ? failure === undefined
      : failure !== undefined && text(failure) === expected.failure,
  );
}

async function startServer(socket) {
  const child = spawn(process.execPath, [SERVER, '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('listening')) resolvePromise();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return child;
}

async function main() {
  if (!existsSync(join(ROOT, 'packages', 'scenario-execution', 'dist', 'cli', 'main.js'))) {
    console.error('error: not built (run npm run build first)');
    process.exit(1);
  }
  const chromium = findChromium();
  console.log(`browser: ${chromium.version}`);
  const dir = mkdtempSync(join(tmpdir(), 'se-report-browser-'));
  const profile = join(dir, 'profile');
  const socket = join(dir, 'se.sock');
  const server = await startServer(socket);
  try {
    const failing = runScenario(
      dir,
      'failing',
      'import osc.helpers\n\nscenario failing:\n    do serial:\n        log("<script>document.title=1</script>")\n        run_process("false")\n        log("after")\n',
    );
    check('failing scenario exits 1', failing.code === 1, String(failing.code));
    const passing = runScenario(
      dir,
      'remote',
      `import osc.helpers\nimport osc.remote\n\nscenario remote_run:\n    do serial:\n        log("local")\n        parallel:\n            run_process("echo from the server") with:\n                remote("${socket}")\n            log("beside")\n`,
    );
    check('remote scenario exits 0', passing.code === 0, passing.stdout + passing.stderr);

    const endpoint = `ipc://${socket}`;
    const reports = [
      {
        label: 'failing',
        page: join(failing.out, 'report.html'),
        expected: {
          result: 'failure',
          nodes: ['failing=failure', 'serial=failure', 'log=success', 'run_process=failure', 'log=not run'],
          actions: ['log:success', 'run_process:failure', 'log:not run'],
          logs: [['<script>document.title=1</script>', 'scenario_execution']],
          failure: 'execution failed.',
        },
      },
      {
        label: 'remote',
        page: join(passing.out, 'report.html'),
        expected: {
          result: 'success',
          nodes: [
            'remote_run=success',
            'serial=success',
            'log=success',
            'parallel=success',
            `run_process@remote(${endpoint})=success`,
            'log=success',
          ],
          actions: ['log:success', `run_process@remote(${endpoint}):success`, 'log:success'],
          logs: [
            ['local', 'scenario_execution'],
            ['from the server', endpoint],
          ],
          failure: undefined,
        },
      },
    ];
    for (const { label, page, expected } of reports) {
      const { document, shot } = openInBrowser(chromium.bin, page, profile);
      checkReport(label, document, expected);
      const size = existsSync(shot) ? statSync(shot).size : 0;
      check(`${label}: screenshot`, size > 0, shot);
      console.log(`${label}: ${page} (screenshot ${shot}, ${size} bytes)`);
    }
  } finally {
    server.kill('SIGTERM');
    if (process.env.KEEP_REPORTS === undefined) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
