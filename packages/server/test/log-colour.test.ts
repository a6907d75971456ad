/** The server's log colours: warnings and errors of text lines when on; never JSON lines; off for a sink of one's own. */
import { describe, expect, it } from 'vitest';
import { ServerLog } from '../src/log.js';

function collect(format: 'text' | 'json', colour?: boolean) {
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const log =
    colour === undefined
      ? new ServerLog('srv', sink, 'info', format)
      : new ServerLog('srv', sink, 'info', format, colour);
  log.info('i');
  log.warn('w');
  log.child('host').error('e');
  return lines;
}

describe('ServerLog colours', () => {
  it('colours warning and error text lines (also of children) when on; info stays plain', () => {
    const lines = collect('text', true);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d [\d:,]+ \[INFO\] srv: i$/);
    expect(lines[1]).toMatch(/^\x1b\[33m\d{4}-\d\d-\d\d [\d:,]+ \[WARNING\] srv: w\x1b\[0m$/);
    expect(lines[2]).toMatch(/^\x1b\[31m\d{4}-\d\d-\d\d [\d:,]+ \[ERROR\] host: e\x1b\[0m$/);
  });

  it('never colours JSON lines, and a sink of its own gets plain text by default', () => {
    for (const line of [...collect('json', true), ...collect('text')]) expect(line).not.toContain('\x1b[');
    expect(JSON.parse(collect('json', true)[1] as string)).toMatchObject({ level: 'WARNING', message: 'w' });
  });
});
