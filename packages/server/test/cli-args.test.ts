import { describe, expect, it } from 'vitest';
import { HELP, parseServerArgs } from '../src/cli-args.js';

describe('parseServerArgs', () => {
  it('has the defaults of the Python server', () => {
    expect(parseServerArgs([])).toEqual({
      kind: 'run',
      args: {
        port: 7613,
        socket: undefined,
        bind: '*',
        verbose: false,
        watchdog: 3,
        connectTimeout: 15,
        actionTimeout: 10,
        pluginDirs: [],
        socketMode: 0o600,
        persistent: false,
        logFormat: 'text',
      },
    });
  });

  it.each([
    [['--port', '9000'], { port: 9000 }],
    [['-p', '9000'], { port: 9000 }],
    [['-p9000'], { port: 9000 }],
    [['--port=9000'], { port: 9000 }],
    [['--socket', '/tmp/x.sock'], { socket: '/tmp/x.sock' }],
    [['-s', '/tmp/x.sock', '-p', '1'], { socket: '/tmp/x.sock', port: 1 }],
    [['--verbose'], { verbose: true }],
    [['-v'], { verbose: true }],
    [['--watchdog', '0'], { watchdog: 0 }],
    [['-w', '2.5'], { watchdog: 2.5 }],
    [['--connect-timeout', '0'], { connectTimeout: 0 }],
    [['-c', '60'], { connectTimeout: 60 }],
    [['--action-timeout', '0'], { actionTimeout: 0 }],
    [['--action-timeout=2.5'], { actionTimeout: 2.5 }],
    [['--bind', '127.0.0.1'], { bind: '127.0.0.1' }],
    [['--allow-actions', 'run_process, log'], { allowActions: ['run_process', 'log'] }],
    [['--allow-programs=sleep,/usr/bin/echo'], { allowPrograms: ['sleep', '/usr/bin/echo'] }],
    [['--plugin-dir', '/a', '--plugin-dir', 'b'], { pluginDirs: ['/a', 'b'] }],
    [['--socket-mode', '0660'], { socketMode: 0o660 }],
    [['--socket-mode', '640'], { socketMode: 0o640 }],
    [
      ['--curve-secret-key-file', 'k', '--curve-authorized-keys', 'clients'],
      { curveSecretKeyFile: 'k', curveAuthorizedKeys: 'clients' },
    ],
    [['--persistent'], { persistent: true, watchdog: 0, connectTimeout: 0, actionTimeout: 10 }],
    [['--persistent', '-w', '0', '--connect-timeout=0'], { persistent: true, watchdog: 0, connectTimeout: 0 }],
    [['--persistent', '--action-timeout', '30'], { persistent: true, watchdog: 0, actionTimeout: 30 }],
    [['--log-format', 'json'], { logFormat: 'json' }],
    [['--log-format=text'], { logFormat: 'text' }],
    [['--metrics', '9464'], { metrics: { host: '127.0.0.1', port: 9464 } }],
    [['--metrics', '0.0.0.0:9464'], { metrics: { host: '0.0.0.0', port: 9464 } }],
    [['--metrics', '[::1]:9464'], { metrics: { host: '::1', port: 9464 } }],
    [['--metrics=localhost:0'], { metrics: { host: 'localhost', port: 0 } }],
  ])('%j', (argv, expected) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.kind).toBe('run');
    if (parsed.kind === 'run') expect(parsed.args).toMatchObject(expected);
  });

  it.each([
    [['--help'], 'help'],
    [['-h', '--port', '1'], 'help'],
    [['--version'], 'version'],
  ])('%j → %s', (argv, kind) => {
    expect(parseServerArgs(argv).kind).toBe(kind);
  });

  it.each([
    [['--port'], /argument --port: expected one argument PORT/],
    [['--port', 'x'], /expected a port 0-65535, got 'x'/],
    [['--port', '70000'], /expected a port/],
    [['-w', '-1'], /expected a number of seconds >= 0, got '-1'/],
    [['--connect-timeout', 'soon'], /seconds/],
    [['--frobnicate'], /unrecognized argument: --frobnicate/],
    [['extra'], /unrecognized argument: extra/],
    [['--verbose=yes'], /takes no value/],
    [['--socket', '--verbose'], /expected one argument PATH/],
    [['--allow-actions', 'log,,run_process'], /comma-separated list without empty items/],
    [['--allow-programs', ''], /comma-separated list/],
    [['--socket-mode', '0400'], /owner needs read and write/],
    [['--socket-mode', 'rw'], /octal mode/],
    [['--socket-mode', '07777'], /octal mode/],
    [['--curve-authorized-keys', 'clients'], /needs --curve-secret-key-file/],
    [['--plugin-dir', ''], /must not be empty/],
    [['--persistent', '--watchdog', '3'], /argument --watchdog: not allowed with --persistent/],
    [['-c', '15', '--persistent'], /argument -c: not allowed with --persistent/],
    [['--persistent=yes'], /takes no value/],
    [['--log-format', 'xml'], /expected 'text' or 'json', got 'xml'/],
    [['--metrics', 'http://x:1'], /expected \[HOST:\]PORT/],
    [['--metrics', '70000'], /expected \[HOST:\]PORT/],
    [['--metrics', 'host:'], /expected \[HOST:\]PORT/],
  ])('rejects %j', (argv, message) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toMatch(message);
  });

  it('documents every flag', () => {
    for (const flag of [
      '--port',
      '-p',
      '--socket',
      '-s',
      '--verbose',
      '-v',
      '--watchdog',
      '-w',
      '--connect-timeout',
      '-c',
      '--bind',
      '--help',
      '--version',
      '--socket-mode',
      '--action-timeout',
      '--curve-authorized-keys',
      '--allow-actions',
      '--allow-programs',
      '--plugin-dir',
      '--name',
      '--persistent',
      '--log-format',
      '--metrics',
      '--check',
      '--timeout',
      '--server-public-key',
      '--client-key-file',
      '--list-actions',
      '--json',
    ]) {
      expect(HELP).toContain(flag);
    }
  });
});
