/**
 * Command line of `scenario_execution_server`; the flags of the Python server
 * (`--port/-p`, `--socket/-s`, `--verbose/-v`, `--watchdog/-w`,
 * `--connect-timeout/-c`) plus `--bind`, `--help`, `--version`, and the opt-in
 * CURVE encryption flags `--curve-secret-key-file` and `--generate-curve-keys`.
 */
import { DEFAULT_PORT } from '@scenario-execution/protocol';

export const PROGRAM = 'scenario_execution_server';

export interface ServerArgs {
  readonly port: number;
  /** Unix socket path; wins over the port. */
  readonly socket: string | undefined;
  /** TCP interface to bind (`*` = all). */
  readonly bind: string;
  readonly verbose: boolean;
  readonly watchdog: number;
  readonly connectTimeout: number;
  /** Secret key file: the socket is a CURVE server (encrypted); absent = plain. */
  readonly curveSecretKeyFile?: string;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly args: ServerArgs }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'generate-keys'; readonly dir: string }
  | { readonly kind: 'error'; readonly message: string };

export const USAGE =
  `usage: ${PROGRAM} [-h] [--version] [--port PORT] [--socket PATH] [--bind ADDR] [--verbose]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--watchdog SECONDS] [--connect-timeout SECONDS]\n` +
  `${' '.repeat(PROGRAM.length + 8)}[--curve-secret-key-file FILE] [--generate-curve-keys DIR]`;

export const HELP = `${USAGE}

Runs scenario actions (run_process, log, plugin actions, …) for remote
scenario-execution clients that use the remote() modifier.

options:
  -h, --help            show this help and exit
  --version             show the version and exit
  -p, --port PORT       TCP port to listen on (default: ${DEFAULT_PORT})
  -s, --socket PATH     listen on this Unix domain socket instead of TCP
                        (e.g. /tmp/se.sock); wins over --port
  --bind ADDR           interface to listen on for TCP (default: all, '*')
  -v, --verbose         also log heartbeats, updates and debug lines
  -w, --watchdog SECONDS
                        once a client was seen, stop after SECONDS without
                        any message (clients send a heartbeat every second);
                        0 disables (default: 3)
  -c, --connect-timeout SECONDS
                        stop if no client writes within SECONDS of start;
                        0 disables (default: 15)
  --curve-secret-key-file FILE
                        encrypt the connection (ZeroMQ CURVE) with the server
                        secret key in FILE (one line, Z85); clients then need
                        the server's public key (remote(…, server_public_key:
                        "…")); plain clients cannot connect
  --generate-curve-keys DIR
                        write a new key pair to DIR/server.key (secret, mode
                        0600) and DIR/server.pub (public), then exit`;

interface OptionSpec {
  readonly key:
    | 'port'
    | 'socket'
    | 'bind'
    | 'verbose'
    | 'watchdog'
    | 'connectTimeout'
    | 'curveSecretKeyFile'
    | 'generateKeys'
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
  '--curve-secret-key-file': { key: 'curveSecretKeyFile', takesValue: true, metavar: 'FILE' },
  '--generate-curve-keys': { key: 'generateKeys', takesValue: true, metavar: 'DIR' },
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

/** Parse the arguments after the program name. Never throws. */
export function parseServerArgs(argv: readonly string[]): ParsedArgs {
  const values: {
    port: number;
    socket: string | undefined;
    bind: string;
    verbose: boolean;
    watchdog: number;
    connectTimeout: number;
    curveSecretKeyFile?: string;
  } = { port: DEFAULT_PORT, socket: undefined, bind: '*', verbose: false, watchdog: 3, connectTimeout: 15 };
  let wantsHelp = false;
  let wantsVersion = false;
  let generateKeysDir: string | undefined;
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
    if (!spec.takesValue) {
      if (inline !== undefined) return { kind: 'error', message: `argument ${name}: takes no value` };
      if (spec.key === 'help') wantsHelp = true;
      else if (spec.key === 'version') wantsVersion = true;
      else values.verbose = true;
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) {
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
        parsed = parseSeconds(name, text);
        if (typeof parsed === 'string') return { kind: 'error', message: parsed };
        values[spec.key] = parsed;
        break;
      case 'socket':
      case 'bind':
      case 'curveSecretKeyFile':
        if (text === '') return { kind: 'error', message: `argument ${name}: must not be empty` };
        values[spec.key] = text;
        break;
      case 'generateKeys':
        if (text === '') return { kind: 'error', message: `argument ${name}: must not be empty` };
        generateKeysDir = text;
        break;
    }
  }
  if (wantsHelp) return { kind: 'help' };
  if (wantsVersion) return { kind: 'version' };
  if (generateKeysDir !== undefined) return { kind: 'generate-keys', dir: generateKeysDir };
  return { kind: 'run', args: values };
}
