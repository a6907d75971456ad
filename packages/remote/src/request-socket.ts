/** The options of every REQ socket of this client (the channels' and the liveness watcher's). */
import { type CurveKeyPair, DEFAULT_MAX_MESSAGE_SIZE, needsIpv6 } from '@scenario-execution/protocol';
import { curveClientOptions } from './curve.js';

/**
 * Replies larger than this drop the connection instead of being read: a
 * hostile or broken server must not make the client allocate without bound.
 * Four times the size a server accepts, as the server's own hard limit.
 */
export const MAX_REPLY_SIZE = 4 * DEFAULT_MAX_MESSAGE_SIZE;

/**
 * The options every REQ socket of this client has, to the server at `address`:
 * relaxed and correlate (each request carries a request id, and a late or
 * duplicated reply is dropped instead of taken for a later request's), replies
 * bounded by {@link MAX_REPLY_SIZE}, the ipv6 option where the address needs
 * it, and CURVE when the server's public key is given.
 */
export function requestSocketOptions(address: string, serverPublicKey?: string, clientKeys?: CurveKeyPair) {
  return {
    linger: 0,
    relaxed: true,
    correlate: true,
    maxMessageSize: MAX_REPLY_SIZE,
    ...(needsIpv6(address) ? { ipv6: true } : {}),
    ...(serverPublicKey === undefined ? {} : curveClientOptions(serverPublicKey, clientKeys)),
  };
}
