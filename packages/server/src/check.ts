/**
 * `scenario_execution_server --check ENDPOINT`: one heartbeat to a server, as
 * a liveness or readiness probe and as the "wait until the server is up" step
 * of a script. It speaks the plain protocol (a REQ socket, one `heartbeat`
 * request), so it checks the Python server as well as ours.
 *
 * ZeroMQ connects in the background and keeps retrying, so a check started
 * before the server succeeds as soon as the server answers within the
 * timeout. The round trip is timed from the moment the request could go out
 * (the connection, and the CURVE handshake, done) to the reply.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  CLIENT_KEY_FILE_VARIABLE,
  type CurveKeyPair,
  decodeReply,
  HEARTBEAT_REQUEST_BYTES,
  needsIpv6,
  readClientKeys,
} from '@scenario-execution/protocol';
import type { Request } from 'zeromq';
import type { CheckRequest } from './cli-args.js';
import { zmq } from './zmq.js';

/** The default client key file of `remote()`, honoured here too. */
export { CLIENT_KEY_FILE_VARIABLE };

/**
 * The ZeroMQ routing id of a check starts with this (a random tail keeps
 * concurrent checks apart). Our server does not count such a connection as a
 * client: a probe neither starts nor feeds its watchdog. A Python server
 * never sees routing ids.
 */
export const PROBE_ROUTING_ID_PREFIX = 'scenario_execution_server--check:';

/** Whether a connection's routing id is a check's. */
export function isProbeRoutingId(routingId: string): boolean {
  return routingId.startsWith(PROBE_ROUTING_ID_PREFIX);
}

/** Replies larger than this are not read (a heartbeat's is a few bytes). */
const MAX_REPLY_SIZE = 1024 * 1024;

export type CheckResult =
  | { readonly ok: true; readonly address: string; readonly roundTripMs: number }
  | { readonly ok: false; readonly message: string };

/** `0.42 ms`, `12.3 ms`, `1,204 ms`. */
export function formatRoundTrip(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** The line `--check` prints: `ok ADDRESS ROUND-TRIP`, or why not. */
export function checkLine(result: CheckResult): string {
  return result.ok ? `ok ${result.address} ${formatRoundTrip(result.roundTripMs)}` : result.message;
}

/** The key pair the check shows a CURVE server: `--client-key-file`, else the environment's, else a fresh one. */
function clientKeys(request: CheckRequest, env: NodeJS.ProcessEnv): CurveKeyPair | string {
  try {
    return readClientKeys(request.clientKeyFile, '--client-key-file', env) ?? zmq.curveKeyPair();
  } catch (err) {
    return (err as Error).message;
  }
}

/** What may be wrong when nothing answered: said only when it is so. */
function silenceHint(address: string): string {
  if (address.startsWith('ipc://')) {
    const path = address.slice('ipc://'.length);
    if (!existsSync(path)) return ` (no socket file at ${path}: is the server running?)`;
  }
  return ' (is it running?)';
}

/**
 * Send one heartbeat to `request.address` and wait for the reply, at most
 * `request.timeout` seconds in all. Never throws.
 */
export async function checkServer(request: CheckRequest, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult> {
  const { address } = request;
  const limitMs = request.timeout * 1000;
  const deadline = performance.now() + limitMs;
  let curve: { curveServerKey: string; curvePublicKey: string; curveSecretKey: string } | undefined;
  if (request.serverPublicKey !== undefined) {
    const own = clientKeys(request, env);
    if (typeof own === 'string') return { ok: false, message: own };
    curve = { curveServerKey: request.serverPublicKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
  }
  let socket: Request;
  try {
    socket = new zmq.Request({
      linger: 0,
      // A request goes out only over a finished connection (and handshake): the round trip is the server's.
      immediate: true,
      routingId: `${PROBE_ROUTING_ID_PREFIX}${randomBytes(8).toString('hex')}`,
      maxMessageSize: MAX_REPLY_SIZE,
      ...(needsIpv6(address) ? { ipv6: true } : {}),
      ...curve,
    });
  } catch (err) {
    return { ok: false, message: `cannot open a socket: ${(err as Error).message}` };
  }
  let failure: string | undefined;
  const fail = (message: string) => {
    failure ??= message;
    if (!socket.closed) socket.close();
  };
  if (curve !== undefined) {
    socket.events.on('handshake:error:auth', (event) => {
      fail(
        `${address} refused this client's CURVE key ${curve.curvePublicKey} (status ${event.error.status}): ` +
          "add its public key to the server's --curve-authorized-keys, or give --client-key-file of a listed key",
      );
    });
    const handshakeFailed = (event: { error: Error }) => {
      fail(
        `CURVE handshake with ${address} failed (${event.error.message}): ` +
          'wrong --server-public-key, or the server does not use encryption',
      );
    };
    socket.events.on('handshake:error:protocol', handshakeFailed);
    socket.events.on('handshake:error:other', handshakeFailed);
  }
  const timer = setTimeout(
    () => fail(`no answer from ${address} within ${request.timeout}s${silenceHint(address)}`),
    limitMs,
  );
  try {
    socket.connect(address);
    socket.sendTimeout = Math.max(1, Math.ceil(deadline - performance.now()));
    await socket.send(HEARTBEAT_REQUEST_BYTES);
    const sentAt = performance.now();
    socket.receiveTimeout = Math.max(1, Math.ceil(deadline - sentAt));
    const frames = await socket.receive();
    const roundTripMs = performance.now() - sentAt;
    const body = frames[frames.length - 1];
    const parsed = body === undefined ? { ok: false as const, error: 'empty reply' } : decodeReply(body);
    if (!parsed.ok) return { ok: false, message: `bad reply from ${address}: ${parsed.error}` };
    if (parsed.value.status !== 'ok') {
      return { ok: false, message: `${address} answered the heartbeat with an error: ${parsed.value.message}` };
    }
    return { ok: true, address, roundTripMs };
  } catch (err) {
    if (failure !== undefined) return { ok: false, message: failure };
    const reason = (err as Error).message;
    if (/timed out|temporarily unavailable/i.test(reason) || performance.now() >= deadline) {
      return { ok: false, message: `no answer from ${address} within ${request.timeout}s${silenceHint(address)}` };
    }
    return { ok: false, message: `cannot check ${address}: ${reason}` };
  } finally {
    clearTimeout(timer);
    if (!socket.closed) socket.close();
  }
}
