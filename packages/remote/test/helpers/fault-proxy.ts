/**
 * A fault-injecting proxy for tests, between a ZeroMQ client and its server on
 * this machine (TCP on loopback, or Unix domain sockets). It forwards bytes
 * and, on request, disturbs them as a real network does:
 *
 * - delay: every piece of data waits N ms, each way, in order;
 * - blackhole: nothing is read or delivered, new connections are held
 *   (accepted, never answered), until healed; then everything flows on;
 * - reset: every open connection is cut, both sides (RST on TCP);
 * - duplicate: a request is delivered twice, as a replay would;
 * - lose a reply: the server's answer to a chosen request is dropped and the
 *   connection cut, so the client has to send the request again.
 *
 * It reads ZeroMQ's framing (ZMTP 3, after the 64-byte greeting) to tell
 * messages apart, so it can duplicate or drop whole requests and replies and
 * record which commands went through. It never listens beyond loopback.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { decode, type WireMap } from '@scenario-execution/protocol';

/** Where to listen or connect: a TCP port on 127.0.0.1, or a Unix socket path. */
export type ProxyEndpoint = { readonly port: number } | { readonly path: string };

/** A request seen on its way to the server. */
export interface SeenRequest {
  readonly cmd: string;
  readonly actionId: string | undefined;
  /** Which proxied connection carried it (1, 2, … in order of acceptance). */
  readonly connection: number;
  /** `performance.now()` when it was read. */
  readonly at: number;
}

export type RequestFilter = (request: SeenRequest) => boolean;

const GREETING_BYTES = 64;
const FLAG_MORE = 0x01;
const FLAG_LONG = 0x02;
const FLAG_COMMAND = 0x04;

/** A piece of the stream: greeting bytes, a command, or a whole message (all of its frames). */
interface Unit {
  readonly bytes: Buffer;
  /** The last frame of a message: the msgpack body. Undefined for greeting bytes and commands. */
  readonly body?: Buffer;
}

/** Splits one direction of a ZMTP 3 stream into units. */
class ZmtpReader {
  private greetingLeft = GREETING_BYTES;
  private pending: Buffer = Buffer.alloc(0);
  private messageParts: Buffer[] = [];

  push(data: Buffer): Unit[] {
    const units: Unit[] = [];
    let rest = data;
    if (this.greetingLeft > 0) {
      // Forwarded as it comes: each side waits for part of the other's greeting before sending the rest.
      const greeting = rest.subarray(0, this.greetingLeft);
      this.greetingLeft -= greeting.length;
      units.push({ bytes: Buffer.from(greeting) });
      rest = rest.subarray(greeting.length);
    }
    this.pending = this.pending.length === 0 ? Buffer.from(rest) : Buffer.concat([this.pending, rest]);
    for (;;) {
      const frame = this.nextFrame();
      if (frame === undefined) return units;
      const { flags, raw, payload } = frame;
      if (flags & FLAG_COMMAND) {
        units.push({ bytes: raw });
        continue;
      }
      this.messageParts.push(raw);
      if (flags & FLAG_MORE) continue;
      units.push({ bytes: Buffer.concat(this.messageParts), body: payload });
      this.messageParts = [];
    }
  }

  private nextFrame(): { flags: number; raw: Buffer; payload: Buffer } | undefined {
    const buffer = this.pending;
    if (buffer.length < 2) return undefined;
    const flags = buffer[0] as number;
    const headerBytes = flags & FLAG_LONG ? 9 : 2;
    if (buffer.length < headerBytes) return undefined;
    const size = flags & FLAG_LONG ? Number(buffer.readBigUInt64BE(1)) : (buffer[1] as number);
    if (buffer.length < headerBytes + size) return undefined;
    const raw = Buffer.from(buffer.subarray(0, headerBytes + size));
    this.pending = buffer.subarray(headerBytes + size);
    return { flags, raw, payload: raw.subarray(headerBytes) };
  }
}

/** A map's text field, if it is one. */
function textField(map: WireMap | undefined, key: string): string | undefined {
  const value = map?.[key];
  return typeof value === 'string' ? value : undefined;
}

function asMap(value: unknown): WireMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
    ? (value as WireMap)
    : undefined;
}

/** One direction of a proxied connection: units wait here until due (and until the blackhole heals). */
class Lane {
  private readonly queue: { due: number; bytes: Buffer }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: () => Socket | undefined,
    private readonly held: () => boolean,
  ) {}

  send(bytes: Buffer, delayMs: number): void {
    this.queue.push({ due: performance.now() + delayMs, bytes });
    this.flush();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const target = this.target();
    if (target === undefined || this.held()) return;
    while (this.queue.length > 0) {
      const head = this.queue[0] as { due: number; bytes: Buffer };
      const wait = head.due - performance.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.flush(), Math.ceil(wait));
        return;
      }
      this.queue.shift();
      if (!target.destroyed) target.write(head.bytes);
    }
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

class ProxiedConnection {
  upstream: Socket | undefined;
  readonly toServer: Lane;
  readonly toClient: Lane;
  private readonly fromClient = new ZmtpReader();
  private readonly fromServer = new ZmtpReader();
  /** The request whose reply is awaited (REQ sockets have one at a time). */
  private lastRequest: SeenRequest | undefined;
  closed = false;

  constructor(
    readonly id: number,
    readonly client: Socket,
    private readonly proxy: FaultProxy,
  ) {
    const held = () => proxy.blackholed;
    this.toServer = new Lane(() => this.upstream, held);
    this.toClient = new Lane(() => this.client, held);
  }

  fromClientData(data: Buffer): void {
    for (const unit of this.fromClient.push(data)) {
      const request = unit.body === undefined ? undefined : this.proxy.seeRequest(unit.body, this.id);
      if (request !== undefined) this.lastRequest = request;
      this.toServer.send(unit.bytes, this.proxy.delayMs);
      if (request !== undefined && this.proxy.shouldDuplicate(request)) {
        this.toServer.send(unit.bytes, this.proxy.delayMs);
      }
    }
  }

  fromServerData(data: Buffer): void {
    for (const unit of this.fromServer.push(data)) {
      const answered = unit.body === undefined ? undefined : this.lastRequest;
      if (answered !== undefined && this.proxy.shouldLoseReply(answered)) {
        this.cut();
        return;
      }
      this.toClient.send(unit.bytes, this.proxy.delayMs);
    }
  }

  /** Both sides at once: an RST on TCP, a close on a Unix socket. */
  cut(): void {
    if (this.closed) return;
    this.closed = true;
    this.toServer.clear();
    this.toClient.clear();
    for (const socket of [this.client, this.upstream]) {
      if (socket === undefined || socket.destroyed) continue;
      if (this.proxy.tcp) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.proxy.forget(this);
  }

  /** One side ended or failed: end the other the same way. */
  closeFrom(side: Socket, hadError: boolean): void {
    if (this.closed) return;
    if (hadError) {
      this.cut();
      return;
    }
    this.closed = true;
    const other = side === this.client ? this.upstream : this.client;
    other?.end();
    this.proxy.forget(this);
  }

  pauseReading(): void {
    this.client.pause();
    this.upstream?.pause();
  }

  resumeReading(): void {
    this.client.resume();
    this.upstream?.resume();
    this.toServer.flush();
    this.toClient.flush();
  }
}

export class FaultProxy {
  /** Every request seen on its way to the server, in order. */
  readonly requests: SeenRequest[] = [];
  /** Connections accepted so far. */
  accepted = 0;
  delayMs = 0;
  blackholed = false;
  readonly tcp: boolean;
  private readonly open = new Set<ProxiedConnection>();
  private healTimer: NodeJS.Timeout | undefined;
  private healed: (() => void) | undefined;
  private duplicate: RequestFilter | undefined;
  private loseReplies: { filter: RequestFilter; left: number } | undefined;

  private constructor(
    private readonly server: Server,
    private readonly upstream: ProxyEndpoint,
    /** For `remote(...)`: `127.0.0.1:PORT` or the socket path. */
    readonly endpoint: string,
    /** The ZeroMQ address clients connect to. */
    readonly address: string,
  ) {
    this.tcp = 'port' in upstream;
  }

  /**
   * Listen (on an ephemeral loopback port, or on `listen`) and forward every
   * connection to `upstream`.
   */
  static async start(upstream: ProxyEndpoint, listen?: ProxyEndpoint): Promise<FaultProxy> {
    const server = createServer();
    const where = listen ?? ('port' in upstream ? { port: 0 } : undefined);
    if (where === undefined) throw new Error('a Unix socket proxy needs a path to listen on');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if ('port' in where) server.listen(where.port, '127.0.0.1', resolve);
      else server.listen(where.path, resolve);
    });
    const bound = server.address();
    let endpoint: string;
    let address: string;
    if (typeof bound === 'object' && bound !== null) {
      endpoint = `127.0.0.1:${bound.port}`;
      address = `tcp://${endpoint}`;
    } else {
      endpoint = String(bound);
      address = `ipc://${endpoint}`;
    }
    const proxy = new FaultProxy(server, upstream, endpoint, address);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  /** Forward everything as it comes: no delay, no blackhole, no duplicates, no lost replies. */
  pass(): void {
    this.delayMs = 0;
    this.duplicate = undefined;
    this.loseReplies = undefined;
    this.heal();
  }

  /** Every piece of data waits `ms` milliseconds, in each direction. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Deliver nothing, read nothing, and hold new connections. With `ms`, heal
   * after that long; the promise resolves when healed (also by {@link heal}).
   */
  blackhole(ms?: number): Promise<void> {
    if (!this.blackholed) {
      this.blackholed = true;
      for (const connection of this.open) connection.pauseReading();
    }
    const healed = new Promise<void>((resolve) => {
      const previous = this.healed;
      this.healed = () => {
        previous?.();
        resolve();
      };
    });
    if (ms !== undefined) {
      if (this.healTimer !== undefined) clearTimeout(this.healTimer);
      this.healTimer = setTimeout(() => this.heal(), ms);
    }
    return healed;
  }

  /** End the blackhole: what waited is delivered, in order. */
  heal(): void {
    if (this.healTimer !== undefined) clearTimeout(this.healTimer);
    this.healTimer = undefined;
    if (!this.blackholed) return;
    this.blackholed = false;
    for (const connection of this.open) connection.resumeReading();
    const healed = this.healed;
    this.healed = undefined;
    healed?.();
  }

  /** Cut every open connection (RST on TCP); returns how many were cut. */
  resetAll(): number {
    const connections = [...this.open];
    for (const connection of connections) connection.cut();
    return connections.length;
  }

  /** Deliver each request that `filter` selects twice (undefined: stop). */
  duplicateRequests(filter: RequestFilter | undefined): void {
    this.duplicate = filter;
  }

  /**
   * Drop the reply to the next `times` requests that `filter` selects, and
   * cut their connection: the server has run the request, the client never
   * hears of it.
   */
  loseReplyTo(filter: RequestFilter, times = 1): void {
    this.loseReplies = { filter, left: times };
  }

  /** The requests of one command seen so far. */
  seen(cmd: string): SeenRequest[] {
    return this.requests.filter((r) => r.cmd === cmd);
  }

  get openConnections(): number {
    return this.open.size;
  }

  async close(): Promise<void> {
    this.heal();
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal */
  seeRequest(body: Buffer, connection: number): SeenRequest | undefined {
    const decoded = decode(body);
    const map = decoded.ok ? asMap(decoded.value) : undefined;
    const cmd = textField(map, 'cmd');
    if (cmd === undefined) return undefined;
    const request: SeenRequest = {
      cmd,
      actionId: textField(asMap(map?.payload), 'action_id'),
      connection,
      at: performance.now(),
    };
    this.requests.push(request);
    return request;
  }

  /** @internal */
  shouldDuplicate(request: SeenRequest): boolean {
    return this.duplicate?.(request) ?? false;
  }

  /** @internal */
  shouldLoseReply(request: SeenRequest): boolean {
    const lose = this.loseReplies;
    if (lose === undefined || lose.left <= 0 || !lose.filter(request)) return false;
    lose.left--;
    return true;
  }

  /** @internal */
  forget(connection: ProxiedConnection): void {
    this.open.delete(connection);
  }

  private accept(client: Socket): void {
    this.accepted++;
    const connection = new ProxiedConnection(this.accepted, client, this);
    this.open.add(connection);
    client.on('data', (data: Buffer) => connection.fromClientData(data));
    client.on('error', () => undefined);
    client.on('close', (hadError) => connection.closeFrom(client, hadError));
    const upstream =
      'port' in this.upstream
        ? createConnection({ port: this.upstream.port, host: '127.0.0.1' })
        : createConnection({ path: this.upstream.path });
    upstream.on('connect', () => {
      connection.upstream = upstream;
      if (this.blackholed) upstream.pause();
      connection.toServer.flush();
    });
    upstream.on('data', (data: Buffer) => connection.fromServerData(data));
    upstream.on('error', () => undefined);
    upstream.on('close', (hadError) => connection.closeFrom(upstream, hadError));
    if (this.blackholed) client.pause();
  }
}
