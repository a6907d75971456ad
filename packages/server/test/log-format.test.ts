/**
 * `--log-format json`: one JSON object a line (time, level, logger, message,
 * action_id where there is one), with the text format's hygiene: no raw
 * control character in a line, client values capped.
 */
import { join } from 'node:path';
import { encodeRequest } from '@scenario-execution/protocol';
import { describe, expect, it } from 'vitest';
import { actionIdOf, formatJsonLine } from '../src/log-format.js';
import { ServerLog } from '../src/log.js';
import { TestClient } from './support/client.js';
import { tempDir } from './support/harness.js';
import { spawnServer } from './support/spawned.js';
import { useTestResources } from './support/resources.js';

const { spawned, clients, cleanups } = useTestResources();

/** Any character a line must not hold raw: C0, DEL, C1, U+2028, U+2029. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

interface JsonLine {
  time: string;
  level: string;
  logger: string;
  message: string;
  action_id?: string;
}

function jsonLog(threshold: 'debug' | 'info' = 'info'): { log: ServerLog; lines: string[] } {
  const lines: string[] = [];
  return {
    log: new ServerLog('scenario_execution_server.server', (line) => lines.push(line), threshold, 'json'),
    lines,
  };
}

describe('formatJsonLine', () => {
  it('writes time (UTC, ISO 8601), level, logger, message and the action id', () => {
    const line = formatJsonLine({
      time: new Date(Date.UTC(2026, 4, 1, 10, 0, 0, 123)),
      level: 'INFO',
      logger: 'scenario_execution_server.server',
      message: 'cmd=init action_id=127fc630',
      actionId: '127fc630',
    });
    expect(line).toBe(
      '{"time":"2026-05-01T10:00:00.123Z","level":"INFO","logger":"scenario_execution_server.server",' +
        '"message":"cmd=init action_id=127fc630","action_id":"127fc630"}',
    );
  });

  it('leaves out action_id when there is none', () => {
    const line = formatJsonLine({ time: new Date(0), level: 'WARNING', logger: 'x', message: 'm' });
    expect(JSON.parse(line)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'WARNING', logger: 'x', message: 'm' });
  });

  it('escapes every control character, those JSON leaves raw included, and parses back to the message', () => {
    const message = 'a\nb\r\tc\u0000\u001b[31m\u007f\u009b2J\u2028\u2029\ud800 end';
    const line = formatJsonLine({ time: new Date(0), level: 'INFO', logger: 'x', message });
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).toContain('\\u009b');
    expect(line).toContain('\\u2028');
    expect((JSON.parse(line) as JsonLine).message).toBe(message);
  });
});

describe('actionIdOf', () => {
  it('takes the explicit id, then the logger of an action, then the id our messages write', () => {
    expect(actionIdOf('scenario_execution_server.server', 'cmd=init action_id=aaaa', 'bbbb')).toBe('bbbb');
    expect(actionIdOf('action.1a2b3c4d', 'hello')).toBe('1a2b3c4d');
    expect(actionIdOf('h', "Initialized 'run_process' (id=1a2b3c4d)")).toBe('1a2b3c4d');
    expect(actionIdOf('h', 'Execute (id=1a2b3c4d, args=[command])')).toBe('1a2b3c4d');
    expect(actionIdOf('h', 'Action id=1a2b3c4d initialised again; shutting down the previous one')).toBe('1a2b3c4d');
    expect(actionIdOf('h', 'cmd=update action_id=1a2b3c4d failed: boom')).toBe('1a2b3c4d');
    expect(actionIdOf('h', 'Error during reset of action 1a2b3c4d: boom')).toBe('1a2b3c4d');
    expect(actionIdOf('h', 'All actions reset.')).toBeUndefined();
  });

  it('names none when client text in the message names another id', () => {
    expect(actionIdOf('h', "Initialized 'x (id=forged)' (id=1a2b3c4d)")).toBeUndefined();
    expect(actionIdOf('h', "Initialized 'x (id=1a2b3c4d)' (id=1a2b3c4d)")).toBe('1a2b3c4d');
  });
});

describe('ServerLog in JSON', () => {
  it('writes one JSON object a line, children and thresholds included', () => {
    const { log, lines } = jsonLog();
    log.info('listening');
    log.debug('not shown');
    log.child('action.deadbeef').warn('from an action');
    log.log('error', 'cmd=setup action_id=cafe0001 failed: x', 'cafe0001');
    expect(lines.map((line) => JSON.parse(line) as JsonLine)).toEqual([
      { time: expect.any(String), level: 'INFO', logger: 'scenario_execution_server.server', message: 'listening' },
      {
        time: expect.any(String),
        level: 'WARNING',
        logger: 'action.deadbeef',
        message: 'from an action',
        action_id: 'deadbeef',
      },
      {
        time: expect.any(String),
        level: 'ERROR',
        logger: 'scenario_execution_server.server',
        message: 'cmd=setup action_id=cafe0001 failed: x',
        action_id: 'cafe0001',
      },
    ]);
  });
});

describe('scenario_execution_server --log-format json', () => {
  it('logs every line as JSON with the action id, control characters escaped and client values capped', async () => {
    const dir = tempDir('se-json-log-');
    cleanups.push(dir.remove);
    const socket = join(dir.path, 'se.sock');
    const server = spawnServer(['--socket', socket, '-w', '0', '-c', '0', '--log-format', 'json', '--verbose']);
    spawned.push(server);
    await server.waitForLine(/listening on/);
    const client = new TestClient(`ipc://${socket}`);
    clients.push(client);
    const id = 'c0ffee00-json-log';
    await client.call('init', { action_id: id, plugin_key: 'log', init_args: {}, output_dir: null });
    await client.call('setup', { action_id: id, tick_period: 0.1, output_dir: null, scenario_file_directory: '/' });
    await client.call('execute', { action_id: id, exec_args: { msg: 'line one\n\u001b[2Jforged line\u2028' } });
    await client.call('update', { action_id: id });
    const hostile = `evil\n${'x'.repeat(10_000)}`;
    const reply = await client.call('init', { action_id: id, plugin_key: hostile, init_args: {}, output_dir: null });
    expect(reply.status).toBe('error');
    // A message that is not a request at all.
    await client.rawReply(encodeRequest({ cmd: 'reset', payload: {} }).subarray(0, 5));
    await client.call('reset', { action_id: id });
    await server.waitForLine(/Reset \(id=c0ffee00\)/);

    const lines = server.stdout().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(8);
    const records = lines.map((line) => {
      expect(line).not.toMatch(RAW_CONTROL);
      return JSON.parse(line) as JsonLine;
    });
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(
        record.action_id === undefined
          ? ['level', 'logger', 'message', 'time']
          : ['action_id', 'level', 'logger', 'message', 'time'],
      );
      expect(new Date(record.time).toISOString()).toBe(record.time);
      expect(['DEBUG', 'INFO', 'WARNING', 'ERROR']).toContain(record.level);
    }
    const about = records.filter((record) => record.action_id === 'c0ffee00');
    expect(about.map((record) => record.message)).toEqual(
      expect.arrayContaining([
        'cmd=init action_id=c0ffee00',
        "Initialized 'log' (id=c0ffee00)",
        'Setup (id=c0ffee00)',
        // Action output is client text: escaped (and capped) before it is logged, as in the text format.
        'line one\\n\\x1b[2Jforged line\\u2028',
        'Reset (id=c0ffee00)',
      ]),
    );
    expect(about.find((record) => record.message.startsWith('line one'))?.logger).toBe('action.c0ffee00');
    const refused = records.find((record) => record.message.includes('No action plugin found'));
    expect(refused).toMatchObject({ level: 'ERROR', action_id: 'c0ffee00' });
    expect(refused?.message).toMatch(
      /^cmd=init action_id=c0ffee00 failed: No action plugin found for key 'evil\\nxx+… \(\d+ characters\)$/,
    );
    expect(refused?.message.length).toBeLessThan(600);
    expect(records.find((record) => record.message.startsWith('Bad request'))).toMatchObject({ level: 'ERROR' });
  });
});
