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

interface OptionSpec {
  readonly key:
    | 'port'
    | 'socket'
    | 'bind'
    | 'verbose'
    | 'watchdog'
    | 'connectTimeout'
    | 'actionTimeout'
    | 'curveSecretKeyFile'
    | 'curveAuthorizedKeys'
    | 'allowActions'
    | 'allowPrograms'
    | 'pluginDir'
    | 'socketMode'
    | 'generateKeys'
    | 'keyName'
    | 'persistent'
    | 'logFormat'
    | 'metrics'
    | 'check'
    | 'timeout'
    | 'serverPublicKey'
    | 'clientKeyFile'
    | 'listActions'
    | 'json'
    | 'help'
    | 'version';
  readonly takesValue: boolean;
  readonly metavar?: string;
}

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  '--port': { key: 'port', takesValue: true, metavar: 'PORT' },
  '-p': { key: 'port', takesValue: true, metavar: 'PORT' },
  '--socket': { key: 'socket', takesValue: true, metavar: 'PATH' },
  '-s': { key: 'socket', takesValue: true, metavar: 'PATH' },
  '--bind': { key: 'bind', takesValue: true, metavar: 'ADDR' },
  '--verbose': { key: 'verbose', takesValue: false },
  '-v': { key: 'verbose', takesValue: false },
  '--watchdog': { key: 'watchdog', takesValue: true, metavar: 'SECONDS' },
  '-w': { key: 'watchdog', takesValue: true, metavar: 'SECONDS' },
  '--connect-timeout': { key: 'connectTimeout', takesValue: true, metavar: 'SECONDS' },
  '-c': { key: 'connectTimeout', takesValue: true, metavar: 'SECONDS' },
  '--action-timeout': { key: 'actionTimeout', takesValue: true, metavar: 'SECONDS' },
  '--curve-secret-key-file': { key: 'curveSecretKeyFile', takesValue: true, metavar: 'FILE' },
  '--curve-authorized-keys': { key: 'curveAuthorizedKeys', takesValue: true, metavar: 'PATH' },
  '--allow-actions': { key: 'allowActions', takesValue: true, metavar: 'LIST' },
  '--allow-programs': { key: 'allowPrograms', takesValue: true, metavar: 'LIST' },
  '--plugin-dir': { key: 'pluginDir', takesValue: true, metavar: 'DIR' },
  '--socket-mode': { key: 'socketMode', takesValue: true, metavar: 'MODE' },
  '--generate-curve-keys': { key: 'generateKeys', takesValue: true, metavar: 'DIR' },
  '--name': { key: 'keyName', takesValue: true, metavar: 'NAME' },
  '--persistent': { key: 'persistent', takesValue: false },
  '--log-format': { key: 'logFormat', takesValue: true, metavar: 'FORMAT' },
  '--metrics': { key: 'metrics', takesValue: true, metavar: '[HOST:]PORT' },
  '--check': { key: 'check', takesValue: true, metavar: 'ENDPOINT' },
  '--timeout': { key: 'timeout', takesValue: true, metavar: 'SECONDS' },
  '--server-public-key': { key: 'serverPublicKey', takesValue: true, metavar: 'KEY' },
  '--client-key-file': { key: 'clientKeyFile', takesValue: true, metavar: 'FILE' },
  '--list-actions': { key: 'listActions', takesValue: false },
  '--json': { key: 'json', takesValue: false },
  '--help': { key: 'help', takesValue: false },
  '-h': { key: 'help', takesValue: false },
  '--version': { key: 'version', takesValue: false },
};

function parseSeconds(flag: string, text: string): number | string {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    return `argument ${flag}: expected a number of seconds >= 0, got '${text}'`;
  }
  return value;
}

function parsePort(flag: string, text: string): number | string {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) return `argument ${flag}: expected a port 0-65535, got '${text}'`;
  return value;
}

/** `a, b,c` → `['a', 'b', 'c']`; an empty item is a mistake (a stray comma would widen nothing, but hides a typo). */
function parseList(flag: string, text: string): string[] | string {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    return `argument ${flag}: expected a comma-separated list without empty items, got '${text}'`;
  return items;
}

function parseMode(flag: string, text: string): number | string {
  if (!/^0?[0-7]{3}$/.test(text)) return `argument ${flag}: expected an octal mode such as 0600 or 0660, got '${text}'`;
  const mode = Number.parseInt(text, 8);
  if ((mode & 0o600) !== 0o600) {
    return `argument ${flag}: the owner needs read and write permission (0600 at least), got '${text}'`;
  }
  return mode;
}

/**
 * `--metrics [HOST:]PORT`: `9464`, `0.0.0.0:9464`, `[::1]:9464` (port 0: any
 * free port, logged at start).
 */
function parseMetricsAddress(flag: string, text: string): MetricsAddress | string {
  const match = /^(?:(\[[0-9A-Fa-f:.]+\]|[^:[\]]+):)?(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    return `argument ${flag}: expected [HOST:]PORT such as 9464 or 0.0.0.0:9464, got '${text}'`;
  const host = match[1] === undefined ? DEFAULT_METRICS_HOST : match[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

function parseLogFormat(flag: string, text: string): LogFormat | { error: string } {
  if (text === 'text' || text === 'json') return text;
  return { error: `argument ${flag}: expected 'text' or 'json', got '${text}'` };
}

/** A key file name: letters, digits, `.`, `_`, `-` (it becomes `NAME.key`/`NAME.pub`, never a path). */
function parseKeyName(flag: string, text: string): string | { error: string } {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(text)) {
    return { error: `argument ${flag}: expected a name of letters, digits, '.', '_' or '-', got '${text}'` };
  }
  return text;
}

/** Flags of the commands that do not serve, and the flags each may be combined with. */
const CHECK_FLAGS: ReadonlySet<OptionSpec['key']> = new Set(['check', 'timeout', 'serverPublicKey', 'clientKeyFile']);
const LIST_FLAGS: ReadonlySet<OptionSpec['key']> = new Set(['listActions', 'pluginDir', 'allowActions', 'json']);
/** Flags that only make sense with `--check` or `--list-actions`. */
const ONLY_WITH: Readonly<Partial<Record<OptionSpec['key'], string>>> = {
  timeout: '--check',
  serverPublicKey: '--check',
  clientKeyFile: '--check',
  json: '--list-actions',
};

/** The flag (as written) that set `key`, for messages. */
function flagOf(key: OptionSpec['key'], written: ReadonlyMap<OptionSpec['key'], string>): string {
  return written.get(key) ?? key;
}

/** Parse the arguments after the program name. Never throws. */
export function parseServerArgs(argv: readonly string[]): ParsedArgs {
  const values: {
    port: number;
    socket: string | undefined;
    bind: string;
    verbose: boolean;
    watchdog: number;
    connectTimeout: number;
    actionTimeout: number;
    curveSecretKeyFile?: string;
    curveAuthorizedKeys?: string;
    allowActions?: string[];
    allowPrograms?: string[];
    pluginDirs: string[];
    socketMode: number;
    persistent: boolean;
    logFormat: LogFormat;
    metrics?: MetricsAddress;
  } = {
    port: DEFAULT_PORT,
    socket: undefined,
    bind: '*',
    verbose: false,
    watchdog: 3,
    connectTimeout: 15,
    actionTimeout: DEFAULT_ACTION_TIMEOUT,
    pluginDirs: [],
    socketMode: DEFAULT_SOCKET_MODE,
    persistent: false,
    logFormat: 'text',
  };
  let wantsHelp = false;
  let wantsVersion = false;
  let generateKeysDir: string | undefined;
  let keyName: string | undefined;
  let check: { endpoint?: string; timeout: number; serverPublicKey?: string; clientKeyFile?: string } = {
    timeout: DEFAULT_CHECK_TIMEOUT,
  };
  let json = false;
  /** Every option given, by key, as written (`-w` or `--watchdog`). */
  const written = new Map<OptionSpec['key'], string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    let name = arg;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      name = arg.slice(0, arg.indexOf('='));
      inline = arg.slice(arg.indexOf('=') + 1);
    } else if (/^-[a-z]./.test(arg) && !arg.startsWith('--')) {
      // `-p7613`
      name = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const spec = OPTIONS[name];
    if (!spec) return { kind: 'error', message: `unrecognized argument: ${arg}` };
    written.set(spec.key, name);
    if (!spec.takesValue) {
      if (inline !== undefined) return { kind: 'error', message: `argument ${name}: takes no value` };
      if (spec.key === 'help') wantsHelp = true;
      else if (spec.key === 'version') wantsVersion = true;
      else if (spec.key === 'persistent') values.persistent = true;
      else if (spec.key === 'json') json = true;
      else if (spec.key === 'verbose') values.verbose = true;
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[i + 1];
      // A value that looks like a flag is a missing value (`--socket --verbose`); but a CURVE key may start with '-'.
      const keyValue = spec.key === 'serverPublicKey' && next !== undefined && isZ85Key(next);
      if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next) && !keyValue)) {
        return { kind: 'error', message: `argument ${name}: expected one argument ${spec.metavar}` };
      }
      text = next;
      i++;
    }
    let parsed: number | string;
    switch (spec.key) {
      case 'port':
        parsed = parsePort(name, text);
        if (typeof parsed === 'string') return { kind: 'error', message: parsed };
        values.port = parsed;
        break;
      case 'watchdog':
      case 'connectTimeout':
      case 'actionTimeout':
        parsed = parseSeconds(name, text);
        if (typeof parsed === 'string') return { kind: 'error', message: parsed };
        values[spec.key] = parsed;
        break;
      case 'timeout':
        parsed = parseSeconds(name, text);
        if (typeof parsed === 'string') return { kind: 'error', message: parsed };
        if (parsed === 0) return { kind: 'error', message: `argument ${name}: expected a number of seconds > 0` };
        check.timeout = parsed;
        break;
      case 'socketMode':
        parsed = parseMode(name, text);
        if (typeof parsed === 'string') return { kind: 'error', message: parsed };
        values.socketMode = parsed;
        break;
      case 'allowActions':
      case 'allowPrograms': {
        const list = parseList(name, text);
        if (typeof list === 'string') return { kind: 'error', message: list };
        values[spec.key] = list;
        break;
      }
      case 'keyName': {
        const keyNameOrError = parseKeyName(name, text);
        if (typeof keyNameOrError !== 'string') return { kind: 'error', message: keyNameOrError.error };
        keyName = keyNameOrError;
        break;
      }
      case 'logFormat': {
        const format = parseLogFormat(name, text);
        if (typeof format !== 'string') return { kind: 'error', message: format.error };
        values.logFormat = format;
        break;
      }
      case 'metrics': {
        const address = parseMetricsAddress(name, text);
        if (typeof address === 'string') return { kind: 'error', message: address };
        values.metrics = address;
        break;
      }
      case 'socket':
      case 'bind':
      case 'curveSecretKeyFile':
      case 'curveAuthorizedKeys':
      case 'generateKeys':
      case 'pluginDir':
      case 'check':
      case 'serverPublicKey':
      case 'clientKeyFile':
        if (text === '') return { kind: 'error', message: `argument ${name}: must not be empty` };
        if (spec.key === 'generateKeys') generateKeysDir = text;
        else if (spec.key === 'pluginDir') values.pluginDirs.push(text);
        else if (spec.key === 'check') check = { ...check, endpoint: text };
        else if (spec.key === 'serverPublicKey') check = { ...check, serverPublicKey: text };
        else if (spec.key === 'clientKeyFile') check = { ...check, clientKeyFile: text };
        else values[spec.key] = text;
        break;
    }
  }
  if (wantsHelp) return { kind: 'help' };
  if (wantsVersion) return { kind: 'version' };
  if (generateKeysDir !== undefined) {
    return { kind: 'generate-keys', request: { dir: generateKeysDir, name: keyName ?? DEFAULT_KEY_NAME } };
  }
  if (keyName !== undefined) return { kind: 'error', message: 'argument --name: only with --generate-curve-keys' };
  const command = written.has('check') ? 'check' : written.has('listActions') ? 'listActions' : undefined;
  if (written.has('check') && written.has('listActions')) {
    return { kind: 'error', message: 'argument --list-actions: not allowed with --check' };
  }
  for (const [key, flag] of Object.entries(ONLY_WITH) as [OptionSpec['key'], string][]) {
    if (written.has(key) && (command === undefined || written.get(command) !== flag)) {
      return { kind: 'error', message: `argument ${flagOf(key, written)}: only with ${flag}` };
    }
  }
  if (command !== undefined) {
    const allowed = command === 'check' ? CHECK_FLAGS : LIST_FLAGS;
    for (const key of written.keys()) {
      if (!allowed.has(key)) {
        return {
          kind: 'error',
          message: `argument ${flagOf(key, written)}: not allowed with ${flagOf(command, written)}`,
        };
      }
    }
  }
  if (command === 'check') {
    if (check.clientKeyFile !== undefined && check.serverPublicKey === undefined) {
      return {
        kind: 'error',
        message: 'argument --client-key-file: needs --server-public-key (client keys are used by CURVE)',
      };
    }
    if (check.serverPublicKey !== undefined && !isZ85Key(check.serverPublicKey)) {
      return {
        kind: 'error',
        message:
          "argument --server-public-key: not a CURVE public key (expected the 40 Z85 characters of the server's server.pub)",
      };
    }
    const endpoint = check.endpoint as string;
    let address: string;
    try {
      // Trimmed first, as remote() does.
      address = parseEndpoint(endpoint.trim());
    } catch (err) {
      return { kind: 'error', message: `argument --check: ${(err as Error).message}` };
    }
    return { kind: 'check', request: { ...check, endpoint, address } };
  }
  if (command === 'listActions') {
    const request: ListActionsRequest = {
      pluginDirs: values.pluginDirs,
      json,
      ...(values.allowActions === undefined ? {} : { allowActions: values.allowActions }),
    };
    return { kind: 'list-actions', request };
  }
  if (values.curveAuthorizedKeys !== undefined && values.curveSecretKeyFile === undefined) {
    return {
      kind: 'error',
      message: 'argument --curve-authorized-keys: needs --curve-secret-key-file (client keys are checked by CURVE)',
    };
  }
  if (values.persistent) {
    // A service stays up: a timer that stops it contradicts the flag, so say so rather than pick one.
    for (const key of ['watchdog', 'connectTimeout'] as const) {
      if (values[key] > 0 && written.has(key)) {
        return {
          kind: 'error',
          message: `argument ${flagOf(key, written)}: not allowed with --persistent (it never stops on its own)`,
        };
      }
      values[key] = 0;
    }
  }
  return { kind: 'run', args: values };
}
