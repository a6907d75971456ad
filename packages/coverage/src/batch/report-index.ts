/**
 * `OUT/report.html`: one self-contained page (inline style, no script, no
 * network) listing every scenario of the batch with its result, linking to
 * its own `report.html` (written by `scenario_execution -o DIR`) when that
 * exists, to its log and to its test.xml.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { escapeHtml, REPORT_FILE } from 'scenario-execution/cli';
import type { ScenarioVerdict } from './junit-merge.js';
import { pathJoin } from './paths.js';

/** One row of the index: the merge's verdict and, after a run, how its launch command ended. */
export interface IndexRow {
  readonly verdict: ScenarioVerdict;
  /** E.g. `exit status 1`; undefined when the scenario was not run by this invocation. */
  readonly process?: string | undefined;
  readonly processFailed?: boolean;
}

/** A relative link to a file in a scenario's folder, each segment percent-encoded. */
function href(name: string, file: string): string {
  return `${encodeURIComponent(name)}/${encodeURIComponent(file)}`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.passed{color:#176f2c}.failed,.no-result{color:#b3261e;font-weight:bold}
.summary span{margin-right:1.5em}td.msg{white-space:pre-wrap;font-family:monospace;font-size:.9em}`;

/** The page for the rows, for a batch whose results are in `outputDir`. */
export function reportIndexHtml(outputDir: string, rows: readonly IndexRow[], title: string): string {
  const passed = rows.filter((row) => row.verdict.status === 'passed').length;
  const failed = rows.filter((row) => row.verdict.status === 'failed').length;
  const missing = rows.length - passed - failed;
  const body = rows.map((row) => {
    const { name, status, seconds, messages } = row.verdict;
    const exists = (file: string) => existsSync(pathJoin(outputDir, name, file));
    const report = exists(REPORT_FILE)
      ? `<a href="${href(name, REPORT_FILE)}">${escapeHtml(name)}</a>`
      : escapeHtml(name);
    const links = [`${name}.log`, 'test.xml']
      .filter(exists)
      .map((file) => `<a href="${href(name, file)}">${escapeHtml(file)}</a>`)
      .join(' ');
    const processCell = row.process === undefined ? '' : escapeHtml(row.process);
    return (
      `<tr><td>${report}</td><td class="${status.replace(' ', '-')}">${status}</td>` +
      `<td>${seconds.toFixed(3)}</td><td${row.processFailed ? ' class="failed"' : ''}>${processCell}</td>` +
      `<td class="msg">${escapeHtml(messages.join('\n'))}</td><td>${links}</td></tr>`
    );
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary"><span>${rows.length} scenarios</span><span class="passed">${passed} passed</span><span class="failed">${failed} failed</span><span class="no-result">${missing} without result</span></p>
<table>
<thead><tr><th>scenario</th><th>result</th><th>time (s)</th><th>process</th><th>messages</th><th>files</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

/** Write `OUT/report.html`; returns its path. */
export function writeReportIndex(outputDir: string, rows: readonly IndexRow[]): string {
  const file = pathJoin(outputDir, REPORT_FILE);
  writeFileSync(file, reportIndexHtml(outputDir, rows, `Scenario batch ${outputDir}`));
  return file;
}
