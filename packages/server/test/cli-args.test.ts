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
    [['--port'], "option '--port': needs a value (PORT)"],
    [['--port', 'x'], "option '--port': expected a port 0-65535, got 'x'"],
    [['--port', '70000'], "option '--port': expected a port 0-65535, got '70000'"],
    [['-w', '-1'], "option '-w': expected a number of seconds >= 0, got '-1'"],
    [['--connect-timeout', 'soon'], "option '--connect-timeout': expected a number of seconds >= 0, got 'soon'"],
    [['--frobnicate'], "unknown option '--frobnicate'"],
    [['-x'], "unknown option '-x'"],
    [['extra'], "unexpected argument 'extra'"],
    [['--verbose=yes'], "option '--verbose': takes no value"],
    [['--socket', '--verbose'], "option '--socket': needs a value (PATH)"],
    [
      ['--allow-actions', 'log,,run_process'],
      "option '--allow-actions': expected a comma-separated list without empty items, got 'log,,run_process'",
    ],
    [
      ['--allow-programs', ''],
      "option '--allow-programs': expected a comma-separated list without empty items, got ''",
    ],
    [
      ['--socket-mode', '0400'],
      "option '--socket-mode': the owner needs read and write permission (0600 at least), got '0400'",
    ],
    [['--socket-mode', 'rw'], "option '--socket-mode': expected an octal mode such as 0600 or 0660, got 'rw'"],
    [['--socket-mode', '07777'], "option '--socket-mode': expected an octal mode such as 0600 or 0660, got '07777'"],
    [
      ['--curve-authorized-keys', 'clients'],
      "option '--curve-authorized-keys': needs --curve-secret-key-file (client keys are checked by CURVE)",
    ],
    [['--plugin-dir', ''], "option '--plugin-dir': must not be empty"],
    [
      ['--persistent', '--watchdog', '3'],
      "option '--watchdog': not allowed with --persistent (it never stops on its own)",
    ],
    [['-c', '15', '--persistent'], "option '-c': not allowed with --persistent (it never stops on its own)"],
    [['--persistent=yes'], "option '--persistent': takes no value"],
    [['--log-format', 'xml'], "option '--log-format': expected 'text' or 'json', got 'xml'"],
    [
      ['--metrics', 'http://x:1'],
      "option '--metrics': expected [HOST:]PORT such as 9464 or 0.0.0.0:9464, got 'http://x:1'",
    ],
    [['--metrics', '70000'], "option '--metrics': expected [HOST:]PORT such as 9464 or 0.0.0.0:9464, got '70000'"],
    [['--metrics', 'host:'], "option '--metrics': expected [HOST:]PORT such as 9464 or 0.0.0.0:9464, got 'host:'"],
    [['--name', 'k'], "option '--name': only with --generate-curve-keys"],
    [
      ['--name', '../k', '--generate-curve-keys', 'd'],
      "option '--name': expected a name of letters, digits, '.', '_' or '-', got '../k'",
    ],
  ])('rejects %j', (argv, message) => {
    expect(parseServerArgs(argv)).toEqual({ kind: 'error', message });
  });

  it('reads the flags as the engine does (one parser for both commands)', () => {
    // The same tokenizer as the client: short groups, `=` values, `--` ends the options.
    expect(parseServerArgs(['-vp9000'])).toMatchObject({ kind: 'run', args: { verbose: true, port: 9000 } });
    expect(parseServerArgs(['--', '-v'])).toEqual({ kind: 'error', message: "unexpected argument '-v'" });
    // The last of a repeated flag wins, as with Python's argparse.
    expect(parseServerArgs(['-p', '1', '--port', '2'])).toMatchObject({ kind: 'run', args: { port: 2 } });
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
