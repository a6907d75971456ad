/**
 * Client authentication for a CURVE server: `--curve-authorized-keys PATH`
 * names the client public keys that may connect, and a ZAP handler (ZeroMQ's
 * authentication protocol, RFC 27) answers libzmq's question at every CURVE
 * handshake. Without it, CURVE encrypts and authenticates the server only:
 * any client key pair would do.
 *
 * The handler is a REP socket bound to `inproc://zeromq.zap.01` in the
 * server socket's own ZeroMQ context, so each server (and each test server in
 * one process) has its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isZ85Key, z85Encode } from '@scenario-execution/protocol';
import type { Context, Reply } from 'zeromq';
import { CurveKeyError } from './curve.js';
import { clientText, type ServerLog } from './log.js';
import { zmq } from './zmq.js';

/** Where libzmq sends its authentication requests (RFC 27). */
const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';
const ZAP_VERSION = '1.0';

/** Keys of one authorized-keys file or folder. */
export interface AuthorizedKeys {
  readonly keys: ReadonlySet<string>;
  /** What was read, for the start-up line. */
  readonly source: string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CurveKeyError(
      `cannot read authorized keys ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/**
 * Keys of a file: one Z85 key a line, optionally followed by a comment; blank
 * lines and lines starting with `#` are skipped. (`#` is also a Z85 character,
 * so a line whose first word is a whole key is a key, whatever it starts with.)
 */
function keysOfFile(file: string, keys: Set<string>): void {
  const lines = readText(file).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as string).trim();
    const first = text.split(/\s/, 1)[0] as string;
    if (isZ85Key(first)) {
      keys.add(first);
      continue;
    }
    if (text === '' || text.startsWith('#')) continue;
    throw new CurveKeyError(`${file}:${i + 1}: not a CURVE public key (expected 40 Z85 characters)`);
  }
}

/**
 * Read `--curve-authorized-keys PATH`: a file of keys, or a folder whose
 * `*.pub` files (as `--generate-curve-keys DIR --name NAME` writes them) each
 * hold one. A malformed key, or no key at all, is an error: a typo must not
 * lock everyone out silently, nor let a wrong file pass for a list.
 * @throws CurveKeyError
 */
export function readAuthorizedKeys(path: string): AuthorizedKeys {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (err) {
    throw new CurveKeyError(
      `cannot read authorized keys ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const keys = new Set<string>();
  let source = path;
  if (isFolder) {
    const files = readdirSync(path)
      .filter((name) => name.endsWith('.pub'))
      .sort();
    for (const name of files) keysOfFile(join(path, name), keys);
    source = `${path} (${files.length} .pub file${files.length === 1 ? '' : 's'})`;
  } else {
    keysOfFile(path, keys);
  }
  if (keys.size === 0) throw new CurveKeyError(`${path} holds no CURVE public keys; no client could connect`);
  return { keys, source };
}

/** The decision for one ZAP request: the client key it carried (if any) and whether it may pass. */
export interface ZapDecision {
  readonly allowed: boolean;
  readonly clientKey: string | undefined;
  readonly reason: string;
}

/**
 * Decide one ZAP request: `[version, request id, domain, address, identity,
 * mechanism, credentials…]`. Only CURVE with a listed key passes.
 */
export function decideZap(frames: readonly Buffer[], keys: ReadonlySet<string>): ZapDecision {
  if (frames.length < 6 || frames[0]?.toString() !== ZAP_VERSION) {
    return { allowed: false, clientKey: undefined, reason: 'malformed ZAP request' };
  }
  const mechanism = frames[5]?.toString();
  const credential = frames[6];
  if (mechanism !== 'CURVE' || credential === undefined || credential.length !== 32) {
    return { allowed: false, clientKey: undefined, reason: `mechanism ${clientText(mechanism)} not accepted` };
  }
  const clientKey = z85Encode(credential);
  if (!keys.has(clientKey)) return { allowed: false, clientKey, reason: 'client key not authorized' };
  return { allowed: true, clientKey, reason: 'OK' };
}

/** Answers libzmq's authentication requests for one context until stopped. */
export class ZapHandler {
  private readonly loop: Promise<void>;

  private constructor(
    private readonly socket: Reply,
    private readonly keys: ReadonlySet<string>,
    private readonly log: ServerLog,
  ) {
    this.loop = this.serve();
  }

  /** Bind the handler in `context`; do this before the server socket binds. */
  static async start(context: Context, keys: ReadonlySet<string>, log: ServerLog): Promise<ZapHandler> {
    const socket = new zmq.Reply({ context, linger: 0 });
    await socket.bind(ZAP_ENDPOINT);
    return new ZapHandler(socket, keys, log);
  }

  private async serve(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        const decision = decideZap(frames, this.keys);
        const address = clientText(frames[3]?.toString() || 'a local socket');
        // One ZAP request per handshake, so this is once per connection.
        if (decision.allowed) this.log.debug(`Accepted CURVE client key ${decision.clientKey} from ${address}`);
        else if (decision.clientKey) this.log.warn(`Refused CURVE client key ${decision.clientKey} from ${address}`);
        else this.log.warn(`Refused a connection from ${address}: ${decision.reason}`);
        const requestId = frames[1] ?? Buffer.alloc(0);
        await this.socket.send([
          ZAP_VERSION,
          requestId,
          decision.allowed ? '200' : '400',
          decision.reason,
          decision.allowed ? (decision.clientKey ?? '') : '',
          '',
        ]);
      }
    } catch (err) {
      if (!this.socket.closed) this.log.error(`Authentication handler failed: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.socket.close();
    await this.loop;
  }
}
