/**
 * A ZeroMQ ROUTER server for tests: records every request and answers through
 * a handler that may reply at once, later, or never.
 */
import { decode, encode, type WireMap, type WireValue } from '@scenario-execution/protocol';
import { Router } from 'zeromq';

export interface RecordedRequest {
  readonly cmd: string;
  readonly payload: WireMap;
  /** Exact request bytes. */
  readonly bytes: Buffer;
  /** ZeroMQ routing id of the sending socket, hex. */
  readonly client: string;
  /** The frames before the body, the routing id included (a REQ socket's: routing id, empty delimiter). */
  readonly envelope: readonly Buffer[];
  /** `performance.now()` at arrival, milliseconds. */
  readonly at: number;
}

/** A reply map; keys whose value is left `undefined` are not sent. */
export type StubReply = { readonly [key: string]: WireValue | undefined };

/** What to answer: a reply map, `undefined` to stay silent. */
export type StubHandler = (request: RecordedRequest) => StubReply | undefined | Promise<StubReply | undefined>;

/** Answers like a server whose actions succeed on their first update. */
export const okHandler: StubHandler = (request) =>
  request.cmd === 'update' ? { status: 'ok', action_status: 'success' } : { status: 'ok' };

export class StubServer {
  readonly requests: RecordedRequest[] = [];
  private sendQueue: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly router: Router,
    readonly address: string,
    public handler: StubHandler,
  ) {}

  /** Bind to `address` (default: a free port on 127.0.0.1) and start serving. */
  static async start(handler: StubHandler = okHandler, address = 'tcp://127.0.0.1:*'): Promise<StubServer> {
    // A bracketed host is an IPv6 address, which ZeroMQ binds only with its ipv6 option.
    // handover: as our server, a client reconnecting under its routing id takes it over.
    const router = new Router({ linger: 0, handover: true, ...(address.includes('[') ? { ipv6: true } : {}) });
    try {
      await router.bind(address);
    } catch (err) {
      router.close();
      throw err;
    }
    const server = new StubServer(router, router.lastEndpoint ?? address, handler);
    server.loop = server.serve();
    return server;
  }

  /** Requests of one command, in arrival order. */
  commands(cmd: string): RecordedRequest[] {
    return this.requests.filter((r) => r.cmd === cmd);
  }

  async close(): Promise<void> {
    this.router.close();
    await this.loop;
  }

  private async serve(): Promise<void> {
    try {
      for await (const frames of this.router) {
        // Everything up to the empty delimiter is the envelope (routing id, request id).
        const delimiter = frames.findIndex((f, i) => i > 0 && f.length === 0);
        const envelope = frames.slice(0, delimiter + 1);
        const body = frames[delimiter + 1] ?? Buffer.alloc(0);
        const decoded = decode(body);
        const value: WireValue = decoded.ok ? decoded.value : null;
        const map = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as WireMap;
        const request: RecordedRequest = {
          cmd: String(map.cmd),
          payload: (map.payload ?? {}) as WireMap,
          bytes: Buffer.from(body),
          client: (envelope[0] ?? Buffer.alloc(0)).toString('hex'),
          envelope,
          at: performance.now(),
        };
        this.requests.push(request);
        void this.answer(request, envelope);
      }
    } catch {
      // The router was closed.
    }
  }

  private async answer(request: RecordedRequest, envelope: Buffer[]): Promise<void> {
    const reply = await this.handler(request);
    if (reply === undefined) return;
    this.sendQueue = this.sendQueue
      .then(() => this.router.send([...envelope, encode(withoutUndefined(reply))]))
      .catch(() => {
        // The client is gone or the router closed.
      });
  }
}

function withoutUndefined(reply: StubReply): WireMap {
  const map: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(reply)) if (value !== undefined) map[key] = value;
  return map;
}
