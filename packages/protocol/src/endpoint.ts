/** Endpoints: what `remote(endpoint)` means, and where a server binds. */

/** Port of `scenario_execution_server` when none is given. */
export const DEFAULT_PORT = 7613;

/** A bare IPv6 address (`::1`, `fe80::1%eth0`): hex digits with two colons or more, no brackets. */
const BARE_IPV6 = /^[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?$/;

function isBareIpv6(host: string): boolean {
  return BARE_IPV6.test(host);
}

/** `tcp://<host>:<port>`; a bare IPv6 host is bracketed, as ZeroMQ needs it (`tcp://[::1]:7613`). */
function tcpAddress(host: string, port: number | string): string {
  return `tcp://${isBareIpv6(host) ? `[${host}]` : host}:${port}`;
}

const HOST_NAME = /^[A-Za-z0-9._%:-]+$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?\]$/;

/**
 * Why ZeroMQ cannot connect to `address`, or undefined. Checked before
 * connecting, so the message can name the endpoint as the scenario wrote it
 * (ZeroMQ itself only says "Invalid argument").
 */
function addressProblem(address: string): string | undefined {
  if (address.startsWith('ipc://')) {
    return address.length > 'ipc://'.length ? undefined : 'no socket path after ipc://';
  }
  if (!address.startsWith('tcp://')) return "expected 'tcp://host:port' or 'ipc://path'";
  const hostPort = address.slice('tcp://'.length);
  const colon = hostPort.lastIndexOf(':');
  const host = colon < 0 ? '' : hostPort.slice(0, colon);
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  if (colon < 0 || port === '') return `no port in ${address}`;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `port '${port}' is not a number from 1 to 65535`;
  }
  if (host === '') return `no host in ${address}`;
  if (!(host.startsWith('[') ? BRACKETED_IPV6.test(host) : HOST_NAME.test(host))) {
    return `'${host}' is not a host name or IP address`;
  }
  return undefined;
}

/**
 * The ZeroMQ address a `remote(endpoint)` argument stands for:
 * - `tcp://…` or `ipc://…`: as is;
 * - starting with `/` or `./`: a Unix domain socket, `ipc://<endpoint>`;
 * - a bare IPv6 address (`::1`) or a bracketed one without port (`[::1]`):
 *   `tcp://[<address>]:7613` (give a port with brackets: `[::1]:7000`);
 * - containing `:`: `host:port`, `tcp://<endpoint>`;
 * - anything else: a host, `tcp://<endpoint>:7613`.
 *
 * Throws an `Error` saying what is wrong when ZeroMQ could not connect to the
 * result (see {@link addressProblem}).
 */
export function parseEndpoint(endpoint: string): string {
  const address = endpointAddress(endpoint);
  const problem = addressProblem(address);
  if (problem !== undefined) throw new Error(problem);
  return address;
}

function endpointAddress(endpoint: string): string {
  if (endpoint.startsWith('tcp://') || endpoint.startsWith('ipc://')) return endpoint;
  const transport = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(endpoint)?.[0];
  if (transport !== undefined) throw new Error(`unsupported transport '${transport}' (use tcp:// or ipc://)`);
  if (endpoint.startsWith('/') || endpoint.startsWith('./')) return `ipc://${endpoint}`;
  if (isBareIpv6(endpoint)) return tcpAddress(endpoint, DEFAULT_PORT);
  if (endpoint.startsWith('[') && endpoint.endsWith(']')) return tcpAddress(endpoint, DEFAULT_PORT);
  if (endpoint.includes(':')) return `tcp://${endpoint}`;
  return tcpAddress(endpoint, DEFAULT_PORT);
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
  return tcpAddress(options.host ?? '*', options.port ?? DEFAULT_PORT);
}

/** The host of a `tcp://host:port` address (IPv6 in brackets as written), or undefined for other transports. */
export function tcpHost(address: string): string | undefined {
  if (!address.startsWith('tcp://')) return undefined;
  const hostPort = address.slice('tcp://'.length);
  return hostPort.slice(0, hostPort.lastIndexOf(':'));
}

/**
 * True when the host of a TCP address is an IPv6 address (`tcp://[::1]:7613`,
 * or unbracketed as written, `tcp://::1:7613`): a socket then needs ZeroMQ's
 * `ipv6` option, without which it resolves IPv4 only. Host names keep the
 * default, so `localhost` still reaches a server bound on IPv4 only.
 */
export function needsIpv6(address: string): boolean {
  const host = tcpHost(address);
  return host !== undefined && (host.startsWith('[') || host.includes(':'));
}
