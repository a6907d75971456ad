/**
 * What every HTML page of the project shares (a run's report.html and the batch
 * index that links to it): the report's file name and the escaping of text.
 * Kept apart from report-html.ts so that importing it loads no renderer.
 */

/** The run report's file name in an output folder (`-o DIR`). */
export const REPORT_FILE = 'report.html';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}
