/** Endpoints: what `remote(endpoint)` means, and where a server binds. */

/** Port of `scenario_execution_server` when none is given. */
export const DEFAULT_PORT = 7613;

/**
 * The ZeroMQ address a `remote(endpoint)` argument stands for:
 * - `tcp://…` or `ipc://…`: as is;
 * - starting with `/` or `./`: a Unix domain socket, `ipc://<endpoint>`;
 * - containing `:`: `host:port`, `tcp://<endpoint>`;
 * - anything else: a host, `tcp://<endpoint>:7613`.
 */
export function parseEndpoint(endpoint: string): string {
  if (endpoint.startsWith('tcp://') || endpoint.startsWith('ipc://')) return endpoint;
  if (endpoint.startsWith('/') || endpoint.startsWith('./')) return `ipc://${endpoint}`;
  if (endpoint.includes(':')) return `tcp://${endpoint}`;
  return `tcp://${endpoint}:${DEFAULT_PORT}`;
}

/** Where a server binds: a Unix socket path wins over a TCP port. */
export interface BindOptions {
  readonly port?: number;
  /** Interface to bind for TCP; `*` (all interfaces) by default. */
  readonly host?: string;
  readonly socketPath?: string;
}

/** `ipc://<socketPath>` or `tcp://<host>:<port>` (default `tcp://*:7613`). */
export function bindAddress(options: BindOptions = {}): string {
  if (options.socketPath) return `ipc://${options.socketPath}`;
  const host = options.host ?? '*';
  // A bare IPv6 address needs brackets in a ZeroMQ TCP address.
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `tcp://${hostPart}:${options.port ?? DEFAULT_PORT}`;
}
