/**
 * Command line of `scenario_execution_server`; the flags of the Python server
 * (`--port/-p`, `--socket/-s`, `--verbose/-v`, `--watchdog/-w`,
 * `--connect-timeout/-c`) plus `--bind`, `--help`, `--version`, the opt-in
 * CURVE flags (encryption, key generation, client allow-list), the
 * authorization lists (`--allow-actions`, `--allow-programs`), `--plugin-dir`
 * and `--socket-mode`; for deployment `--persistent`, `--log-format`,
 * `--metrics`, and the two commands that do not serve: `--check ENDPOINT`
 * (a probe) and `--list-actions`.
 */
import { DEFAULT_PORT, isZ85Key, parseEndpoint } from '@scenario-execution/protocol';
import {
  type CommandLine,
  type OptionSpecs,
  optionError,
  parseCommandLine,
  parseSeconds,
  UsageError,
} from 'scenario-execution/arg-parser';
import { DEFAULT_SOCKET_MODE } from './unix-socket.js';

export const PROGRAM = 'scenario_execution_server';

/** Print a command's error on stderr, as `error: MESSAGE` (the engine's format for an error without a place). */
export function printError(message: string): void {
  process.stderr.write(`error: ${message}\n`);
}

export interface ServerArgs {
  readonly port: number;
  /** Unix socket path; wins over the port. */
  readonly socket: string | undefined;
  /** TCP interface to bind (`*` = all). */
  readonly bind: string;
  readonly verbose: boolean;
  readonly watchdog: number;
  readonly connectTimeout: number;
  /** Reap an action whose client sent nothing for this many seconds; 0 = never. */
  readonly actionTimeout: number;
  /** Secret key file: the socket is a CURVE server (encrypted); absent = plain. */
  readonly curveSecretKeyFile?: string;
  /** File or folder of client public keys: only those clients pass the CURVE handshake. */
  readonly curveAuthorizedKeys?: string;
  /** Action names a client may `init`; absent = every action. */
  readonly allowActions?: readonly string[];
  /** Programs `run_process` may start (exact names or absolute paths); absent = any. */
  readonly allowPrograms?: readonly string[];
  /** Extra folders to load action plugins from (besides the server's own installation). */
  readonly pluginDirs: readonly string[];
  /** Permission bits of the Unix socket file (default 0o600). */
  readonly socketMode: number;
  /** Never stop on its own: watchdog and connect timeout off (dead clients are still reaped per action). */
  readonly persistent: boolean;
  /** `text`: the Python server's lines; `json`: one JSON object a line. */
  readonly logFormat: LogFormat;
  /** Where to serve `/metrics` and `/healthz` over HTTP; absent = no metrics. */
  readonly metrics?: MetricsAddress;
}

export type LogFormat = 'text' | 'json';

/** `--metrics [HOST:]PORT`. */
export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/** `--check ENDPOINT`: one heartbeat, as a probe. */
export interface CheckRequest {
  /** As written. */
  readonly endpoint: string;
  /** The ZeroMQ address, read from `endpoint` exactly as `remote()` reads its endpoint. */
  readonly address: string;
  /** Seconds to wait for the answer, connecting included. */
  readonly timeout: number;
  /** The server's CURVE public key: connect encrypted. */
  readonly serverPublicKey?: string;
  /** With `serverPublicKey`: this client's secret key file. */
  readonly clientKeyFile?: string;
}

/** `--list-actions`: which actions a server with these flags would run. */
export interface ListActionsRequest {
  readonly pluginDirs: readonly string[];
  readonly allowActions?: readonly string[];
  readonly json: boolean;
}

/** Where `--generate-curve-keys DIR [--name NAME]` writes. */
export interface GenerateKeysRequest {
  readonly dir: string;
  readonly name: string;
}

/** Seconds of client silence after which its actions are reaped. */
export const DEFAULT_ACTION_TIMEOUT = 10;

/** Key file base name when `--name` is not given. */
export const DEFAULT_KEY_NAME = 'server';

/** Seconds `--check` waits for its answer when `--timeout` is not given. */
export const DEFAULT_CHECK_TIMEOUT = 2;

/** Interface of `--metrics PORT` (loopback: metrics are for a local scraper unless said otherwise). */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export type ParsedArgs =
  | { readonly kind: 'run'; readonly args: ServerArgs }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'generate-keys'; readonly request: GenerateKeysRequest }
  | { readonly kind: 'check'; readonly request: CheckRequest }
  | { readonly kind: 'list-actions'; readonly request: ListActionsRequest }
  | { readonly kind: 'error'; readonly message: string };

export const USAGE =
  `usage: ${PROGRAM} [-h] [--version] [--port PORT] [--socket PATH] [--bind ADDR] [--verbose]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--watchdog SECONDS] [--connect-timeout SECONDS]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--action-timeout SECONDS]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--socket-mode MODE] [--curve-secret-key-file FILE]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--curve-authorized-keys PATH] [--allow-actions LIST]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--allow-programs LIST] [--plugin-dir DIR]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--persistent] [--log-format {text,json}] [--metrics [HOST:]PORT]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--generate-curve-keys DIR [--name NAME]]\n` +
  `       ${PROGRAM} --check ENDPOINT [--timeout SECONDS] [--server-public-key KEY]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--client-key-file FILE]\n` +
  `       ${PROGRAM} --list-actions [--plugin-dir DIR] [--allow-actions LIST] [--json]`;

export const HELP = `${USAGE}

Runs scenario actions (run_process, log, plugin actions, …) for remote
scenario-execution clients that use the remote() modifier.

options:
  -h, --help            show this help and exit
  --version             show the version and exit
  -p, --port PORT       TCP port to listen on (default: ${DEFAULT_PORT})
  -s, --socket PATH     listen on this Unix domain socket instead of TCP
                        (e.g. /tmp/se.sock); wins over --port
  --socket-mode MODE    permissions of the socket file, octal (default: 0600,
                        only this user; 0660 shares it with the group)
  --bind ADDR           interface to listen on for TCP (default: all, '*');
                        without CURVE, anyone who reaches the port can run
                        programs as this user
  -v, --verbose         also log heartbeats, updates and debug lines
  -w, --watchdog SECONDS
                        once a client was seen, stop after SECONDS without
                        any message (clients send a heartbeat every second);
                        0 disables (default: 3)
  -c, --connect-timeout SECONDS
                        stop if no client writes within SECONDS of start;
                        0 disables (default: 15)
  --action-timeout SECONDS
                        stop and forget an action whose client sent nothing
                        (not even a heartbeat) for SECONDS, killing its
                        processes; 0 disables (default: 10)
  --persistent          never stop on its own (a service): watchdog and
                        connect timeout off; the actions of dead clients are
                        still reaped one by one (--action-timeout)
  --log-format FORMAT   text: the Python server's lines (default); json: one
                        JSON object a line (time, level, logger, message,
                        action_id) for log collectors
  --metrics [HOST:]PORT serve Prometheus metrics at http://HOST:PORT/metrics
                        and a health check at /healthz (HOST default:
                        127.0.0.1; off by default)
  --curve-secret-key-file FILE
                        encrypt the connection (ZeroMQ CURVE) with the server
                        secret key in FILE (one line, Z85); clients then need
                        the server's public key (remote(…, server_public_key:
                        "…")); plain clients cannot connect
  --curve-authorized-keys PATH
                        with CURVE, admit only these clients: a file of Z85
                        public keys, one a line ('#' comments), or a folder
                        whose *.pub files each hold one
  --allow-actions LIST  comma-separated action names clients may run
                        (default: all)
  --allow-programs LIST comma-separated programs run_process may start, each
                        an exact name or an absolute path (default: any)
  --plugin-dir DIR      also load action plugins from DIR (a folder of plugin
                        packages, or DIR/node_modules); repeatable. Plugins
                        are otherwise loaded only from the server's own
                        installation, never from its working directory
  --generate-curve-keys DIR
                        write a new key pair to DIR/NAME.key (secret, mode
                        0600) and DIR/NAME.pub (public), then exit
  --name NAME           with --generate-curve-keys: the key files' name
                        (default: server; e.g. a client's name)

probe (does not serve):
  --check ENDPOINT      send one heartbeat to the server at ENDPOINT (written
                        as in remote(): /ipc/se.sock, host:port, tcp://…),
                        print 'ok ENDPOINT <round trip>' and exit 0 when it
                        answers, else one line and exit 1
  --timeout SECONDS     with --check: how long to wait for the answer,
                        connecting included (default: ${DEFAULT_CHECK_TIMEOUT})
  --server-public-key KEY
                        with --check: the server's CURVE public key (Z85)
  --client-key-file FILE
                        with --check and --server-public-key: this client's
                        secret key file (default: the file named by
                        SCENARIO_EXECUTION_CLIENT_KEY_FILE, else a fresh key)

listing (does not serve):
  --list-actions        print the actions this server would run, one a line:
                        name, package, OSC declaration; honours --plugin-dir
                        and --allow-actions
  --json                with --list-actions: print them as JSON`;

/** The flags, by long name (the server's own flags keep their Python short forms). */
const OPTIONS: OptionSpecs = {
  port: { type: 'string', short: 'p', metavar: 'PORT' },
  socket: { type: 'string', short: 's', metavar: 'PATH' },
  bind: { type: 'string', metavar: 'ADDR' },
  verbose: { type: 'boolean', short: 'v' },
  watchdog: { type: 'string', short: 'w', metavar: 'SECONDS' },
  'connect-timeout': { type: 'string', short: 'c', metavar: 'SECONDS' },
  'action-timeout': { type: 'string', metavar: 'SECONDS' },
  'curve-secret-key-file': { type: 'string', metavar: 'FILE' },
  'curve-authorized-keys': { type: 'string', metavar: 'PATH' },
  'allow-actions': { type: 'string', metavar: 'LIST' },
  'allow-programs': { type: 'string', metavar: 'LIST' },
  'plugin-dir': { type: 'string', metavar: 'DIR' },
  'socket-mode': { type: 'string', metavar: 'MODE' },
  'generate-curve-keys': { type: 'string', metavar: 'DIR' },
  name: { type: 'string', metavar: 'NAME' },
  persistent: { type: 'boolean' },
  'log-format': { type: 'string', metavar: 'FORMAT' },
  metrics: { type: 'string', metavar: '[HOST:]PORT' },
  check: { type: 'string', metavar: 'ENDPOINT' },
  timeout: { type: 'string', metavar: 'SECONDS' },
  // A Z85 key may start with '-'.
  'server-public-key': { type: 'string', metavar: 'KEY', acceptsDashValue: isZ85Key },
  'client-key-file': { type: 'string', metavar: 'FILE' },
  'list-actions': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

/** The line under a usage error. */
export const USAGE_LINE = `usage: ${PROGRAM} [options]`;

function parsePort(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw optionError(flag, `expected a port 0-65535, got '${text}'`);
  return value;
}

/** `a, b,c` → `['a', 'b', 'c']`; an empty item is a mistake (a stray comma would widen nothing, but hides a typo). */
function parseList(flag: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw optionError(flag, `expected a comma-separated list without empty items, got '${text}'`);
  }
  return items;
}

function parseMode(flag: string, text: string): number {
  if (!/^0?[0-7]{3}$/.test(text)) throw optionError(flag, `expected an octal mode such as 0600 or 0660, got '${text}'`);
  const mode = Number.parseInt(text, 8);
  if ((mode & 0o600) !== 0o600) {
    throw optionError(flag, `the owner needs read and write permission (0600 at least), got '${text}'`);
  }
  return mode;
}

/**
 * `--metrics [HOST:]PORT`: `9464`, `0.0.0.0:9464`, `[::1]:9464` (port 0: any
 * free port, logged at start).
 */
function parseMetricsAddress(flag: string, text: string): MetricsAddress {
  const match = /^(?:(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):)?(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65535) {
    throw optionError(flag, `expected [HOST:]PORT such as 9464 or 0.0.0.0:9464, got '${text}'`);
  }
  const host = match[1] === undefined ? DEFAULT_METRICS_HOST : match[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

function parseLogFormat(flag: string, text: string): LogFormat {
  if (text === 'text' || text === 'json') return text;
  throw optionError(flag, `expected 'text' or 'json', got '${text}'`);
}

/** A key file name: letters, digits, `.`, `_`, `-` (it becomes `NAME.key`/`NAME.pub`, never a path). */
function parseKeyName(flag: string, text: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(text)) {
    throw optionError(flag, `expected a name of letters, digits, '.', '_' or '-', got '${text}'`);
  }
  return text;
}

/** Flags whose value is a path, address or key: an empty one is a mistake. */
const NON_EMPTY = [
  'socket',
  'bind',
  'curve-secret-key-file',
  'curve-authorized-keys',
  'generate-curve-keys',
  'plugin-dir',
  'check',
  'server-public-key',
  'client-key-file',
] as const;

/** Flags of the commands that do not serve, and the flags each may be combined with. */
const CHECK_FLAGS: ReadonlySet<string> = new Set(['check', 'timeout', 'server-public-key', 'client-key-file']);
const LIST_FLAGS: ReadonlySet<string> = new Set(['list-actions', 'plugin-dir', 'allow-actions', 'json']);
/** Flags that only make sense with `--check` or `--list-actions`. */
const ONLY_WITH: Readonly<Record<string, string>> = {
  timeout: 'check',
  'server-public-key': 'check',
  'client-key-file': 'check',
  json: 'list-actions',
};

/** Parse the arguments after the program name. Never throws. */
export function parseServerArgs(argv: readonly string[]): ParsedArgs {
  try {
    return parseOrThrow(argv);
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function parseOrThrow(argv: readonly string[]): ParsedArgs {
  const line = parseCommandLine(argv, OPTIONS);
  const extra = line.positionals[0];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  for (const name of NON_EMPTY) {
    for (const value of line.values(name)) if (value === '') throw optionError(line.flag(name), 'must not be empty');
  }
  /** The value of `name` read by `read`, or `fallback` when not given. */
  const read = <T>(name: string, fallback: T, parse: (flag: string, text: string) => T): T => {
    const text = line.value(name);
    return text === undefined ? fallback : parse(line.flag(name), text);
  };
  const values: {
    -readonly [K in keyof ServerArgs]: ServerArgs[K];
  } = {
    port: read('port', DEFAULT_PORT, parsePort),
    socket: line.value('socket'),
    bind: line.value('bind') ?? '*',
    verbose: line.has('verbose'),
    watchdog: read('watchdog', 3, (flag, text) => parseSeconds(flag, text)),
    connectTimeout: read('connect-timeout', 15, (flag, text) => parseSeconds(flag, text)),
    actionTimeout: read('action-timeout', DEFAULT_ACTION_TIMEOUT, (flag, text) => parseSeconds(flag, text)),
    pluginDirs: line.values('plugin-dir'),
    socketMode: read('socket-mode', DEFAULT_SOCKET_MODE, parseMode),
    persistent: line.has('persistent'),
    logFormat: read('log-format', 'text', parseLogFormat),
  };
  const optional = {
    curveSecretKeyFile: line.value('curve-secret-key-file'),
    curveAuthorizedKeys: line.value('curve-authorized-keys'),
    allowActions: read<string[] | undefined>('allow-actions', undefined, parseList),
    allowPrograms: read<string[] | undefined>('allow-programs', undefined, parseList),
    metrics: read<MetricsAddress | undefined>('metrics', undefined, parseMetricsAddress),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(values, { [key]: value });
  }
  const timeout = read('timeout', DEFAULT_CHECK_TIMEOUT, (flag, text) => parseSeconds(flag, text, true));
  const keyName = read<string | undefined>('name', undefined, parseKeyName);

  if (line.has('help')) return { kind: 'help' };
  if (line.has('version')) return { kind: 'version' };
  const generateKeysDir = line.value('generate-curve-keys');
  if (generateKeysDir !== undefined) {
    return { kind: 'generate-keys', request: { dir: generateKeysDir, name: keyName ?? DEFAULT_KEY_NAME } };
  }
  if (keyName !== undefined) throw optionError(line.flag('name'), 'only with --generate-curve-keys');
  const command = line.has('check') ? 'check' : line.has('list-actions') ? 'list-actions' : undefined;
  if (line.has('check') && line.has('list-actions')) throw optionError('--list-actions', 'not allowed with --check');
  for (const [name, needed] of Object.entries(ONLY_WITH)) {
    if (line.has(name) && command !== needed) throw optionError(line.flag(name), `only with --${needed}`);
  }
  if (command !== undefined) {
    const allowed = command === 'check' ? CHECK_FLAGS : LIST_FLAGS;
    for (const option of line.given) {
      if (!allowed.has(option.name)) throw optionError(option.flag, `not allowed with --${command}`);
    }
  }
  if (command === 'check') return { kind: 'check', request: checkRequest(line, timeout) };
  if (command === 'list-actions') {
    const request: ListActionsRequest = {
      pluginDirs: values.pluginDirs,
      json: line.has('json'),
      ...(values.allowActions === undefined ? {} : { allowActions: values.allowActions }),
    };
    return { kind: 'list-actions', request };
  }
  if (values.curveAuthorizedKeys !== undefined && values.curveSecretKeyFile === undefined) {
    throw optionError(
      line.flag('curve-authorized-keys'),
      'needs --curve-secret-key-file (client keys are checked by CURVE)',
    );
  }
  if (values.persistent) {
    // A service stays up: a timer that stops it contradicts the flag, so say so rather than pick one.
    for (const [key, name] of [
      ['watchdog', 'watchdog'],
      ['connectTimeout', 'connect-timeout'],
    ] as const) {
      if (values[key] > 0 && line.has(name)) {
        throw optionError(line.flag(name), 'not allowed with --persistent (it never stops on its own)');
      }
      values[key] = 0;
    }
  }
  return { kind: 'run', args: values };
}

/** `--check ENDPOINT [--timeout S] [--server-public-key KEY [--client-key-file FILE]]`. */
function checkRequest(line: CommandLine, timeout: number): CheckRequest {
  const endpoint = line.value('check') as string;
  const serverPublicKey = line.value('server-public-key');
  const clientKeyFile = line.value('client-key-file');
  if (clientKeyFile !== undefined && serverPublicKey === undefined) {
    throw optionError('--client-key-file', 'needs --server-public-key (client keys are used by CURVE)');
  }
  if (serverPublicKey !== undefined && !isZ85Key(serverPublicKey)) {
    throw optionError(
      '--server-public-key',
      "not a CURVE public key (expected the 40 Z85 characters of the server's server.pub)",
    );
  }
  let address: string;
  try {
    // Trimmed first, as remote() does.
    address = parseEndpoint(endpoint.trim());
  } catch (err) {
    throw optionError('--check', (err as Error).message);
  }
  return {
    endpoint,
    address,
    timeout,
    ...(serverPublicKey === undefined ? {} : { serverPublicKey }),
    ...(clientKeyFile === undefined ? {} : { clientKeyFile }),
  };
}
