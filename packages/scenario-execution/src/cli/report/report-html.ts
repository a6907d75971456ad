/**
 * `report.html`: one page about one run, for people reviewing results. It is
 * self-contained: no script, no external style sheet, image or font, and a
 * Content-Security-Policy that lets the browser load nothing. Every text from
 * the run (names, log lines, messages) is HTML-escaped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, REPORT_FILE } from './html-text.js';
import { allNodes, type FinalStatus, type NodeRecord, type RunRecord } from './run-record.js';

const STATUS_LABEL: Record<FinalStatus, string> = {
  success: 'success',
  failure: 'failure',
  running: 'running at the end',
  interrupted: 'interrupted',
  'not run': 'not run',
};

/** Class name of a status (`not run` → `not-run`). */
function statusClass(status: FinalStatus): string {
  return `status-${status.replace(' ', '-')}`;
}

function seconds(value: number | undefined): string {
  return value === undefined ? '' : `${value.toFixed(3)} s`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}
h1{margin:0 0 .3rem;font-size:1.5rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:.8rem;font-size:1rem;vertical-align:middle;color:#fff}
.result.success .badge{background:#1e7b34}.result.failure .badge{background:#b3261e}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:.5rem 0}dl.facts dt{color:#555}dl.facts dd{margin:0}
#failure{border-left:4px solid #b3261e;background:#fdf0ef;padding:.5rem 1rem}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.4rem}ul.tree{padding-left:0}
ul.tree li{margin:.15rem 0}
.node-label{display:inline-block;padding:.05rem .5rem;border-radius:.3rem;border:1px solid #0002}
.kind{font-size:.75rem;color:#444;margin-right:.4rem}.feedback,.detail{color:#444;font-size:.85rem;margin-left:.5rem}
.status-success{background:#d3f4d9}.status-failure{background:#f9d2cf}.status-running{background:#d4e5fb}
.status-interrupted{background:#f6e8c3}.status-not-run{background:#f1f1f1;color:#666}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
tr.level-ERROR td{background:#fdf0ef}tr.level-WARN td{background:#fdf8e6}
.legend span{display:inline-block;padding:.05rem .5rem;margin-right:.4rem;border-radius:.3rem;border:1px solid #0002;font-size:.85rem}
`;

function treeHtml(node: NodeRecord): string {
  const kind = node.memory ? `${node.kind} (memory)` : node.kind;
  const feedback = node.feedback ? `<span class="feedback">${escapeHtml(node.feedback)}</span>` : '';
  const detail = node.detail ? `<span class="detail">${escapeHtml(node.detail)}</span>` : '';
  const children = node.children.length > 0 ? `<ul>${node.children.map((child) => treeHtml(child)).join('')}</ul>` : '';
  return (
    `<li class="node" id="tree-${node.id}" data-node="${node.id}" data-kind="${node.kind}" data-status="${escapeHtml(node.finalStatus)}">` +
    `<span class="node-label ${statusClass(node.finalStatus)}"><span class="kind">${escapeHtml(kind)}</span>` +
    `<span class="name">${escapeHtml(node.name)}</span> <span class="status">[${escapeHtml(STATUS_LABEL[node.finalStatus])}]</span></span>` +
    `${feedback}${detail}${children}</li>`
  );
}

function actionRow(node: NodeRecord): string {
  const first = node.runs[0];
  const last = node.runs.at(-1);
  const ran = first !== undefined && last !== undefined;
  const duration = ran && last.end !== undefined ? last.end - first.start : undefined;
  return (
    `<tr class="action ${statusClass(node.finalStatus)}" data-node="${node.id}" data-status="${escapeHtml(node.finalStatus)}">` +
    `<td class="name"><a href="#tree-${node.id}">${escapeHtml(node.name)}</a>` +
    `${node.detail ? `<div class="detail">${escapeHtml(node.detail)}</div>` : ''}</td>` +
    `<td class="status">${escapeHtml(STATUS_LABEL[node.finalStatus])}</td>` +
    `<td class="num start">${ran ? seconds(first.start) : '\u2014'}</td>` +
    `<td class="num end">${ran ? seconds(last.end) : '\u2014'}</td>` +
    `<td class="num duration">${duration !== undefined ? seconds(duration) : '\u2014'}</td>` +
    `<td class="num runs">${node.runs.length}</td></tr>`
  );
}

function logRow(log: RunRecord['logs'][number]): string {
  const source = log.endpoint ?? log.logger;
  const endpoint = log.endpoint === undefined ? '' : ` data-endpoint="${escapeHtml(log.endpoint)}"`;
  return (
    `<tr class="log level-${escapeHtml(log.level)}"${endpoint}>` +
    `<td class="num time">${seconds(log.time)}</td><td class="level">${escapeHtml(log.level)}</td>` +
    `<td class="source">${escapeHtml(source)}</td><td class="message"><pre>${escapeHtml(log.message)}</pre></td></tr>`
  );
}

/** The page for one run. */
export function reportHtml(record: RunRecord): string {
  const outcome = record.success ? 'success' : 'failure';
  const outcomeText = record.success ? 'passed' : 'failed';
  const nodes = record.root === undefined ? [] : [...allNodes(record.root)];
  const actions = nodes.filter((node) => node.kind === 'action');
  const failure = record.success
    ? ''
    : `<section id="failure"><h2>Failure</h2><p class="failure-message">${escapeHtml(record.failureMessage)}</p>` +
      `${record.failureOutput ? `<pre class="failure-output">${escapeHtml(record.failureOutput)}</pre>` : ''}</section>`;
  const legend = (['success', 'failure', 'running', 'interrupted', 'not run'] as const)
    .map((status) => `<span class="${statusClass(status)}">${STATUS_LABEL[status]}</span>`)
    .join('');
  const tree =
    record.root === undefined
      ? '<p class="empty">The scenario was not built: no tree.</p>'
      : `<p class="legend">${legend}</p><ul class="tree">${treeHtml(record.root)}</ul>`;
  const actionTable =
    actions.length === 0
      ? '<p class="empty">No actions.</p>'
      : '<table id="action-table"><thead><tr><th>Action</th><th>Status</th><th class="num">Start</th>' +
        '<th class="num">End</th><th class="num">Duration</th><th class="num">Runs</th></tr></thead>' +
        `<tbody>${actions.map(actionRow).join('')}</tbody></table>`;
  const logTable =
    record.logs.length === 0
      ? '<p class="empty">No log lines.</p>'
      : '<table id="log-table"><thead><tr><th class="num">Time</th><th>Level</th><th>Source</th><th>Message</th></tr></thead>' +
        `<tbody>${record.logs.map(logRow).join('')}</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(record.scenario)}: ${outcomeText}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="result" class="result ${outcome}" data-result="${outcome}">
<h1><span class="scenario">${escapeHtml(record.scenario)}</span> <span class="badge">${outcomeText}</span></h1>
<dl class="facts">
<dt>Scenario file</dt><dd class="file">${escapeHtml(record.file)}</dd>
<dt>Started</dt><dd class="started">${escapeHtml(record.startTime.toISOString())}</dd>
<dt>Duration</dt><dd class="duration">${seconds(record.duration)}</dd>
<dt>Ticks</dt><dd class="ticks">${record.ticks}</dd>
</dl>
</header>
<main>
${failure}
<section id="tree"><h2>Tree</h2>${tree}</section>
<section id="actions"><h2>Actions</h2><p>Times in seconds since the scenario started, at tick resolution.</p>${actionTable}</section>
<section id="log"><h2>Log</h2>${logTable}</section>
</main>
</body>
</html>
`;
}

/** Write `dir/report.html`; returns its path. */
export function writeReport(dir: string, record: RunRecord): string {
  const file = join(dir, REPORT_FILE);
  writeFileSync(file, reportHtml(record));
  return file;
}
