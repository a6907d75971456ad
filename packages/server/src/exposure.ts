/**
 * Who can reach this server and what they may do, said out loud at start:
 * the server runs programs for whoever gets through, so every set-up that lets
 * more than the server's own user through gets one WARNING line naming it.
 */
import { isIP } from 'node:net';
import { tcpHost } from '@scenario-execution/protocol';

export interface Exposure {
  /** The ZeroMQ address bound (`tcp://host:port`, `ipc://path`). */
  readonly address: string;
  /** CURVE encryption is on. */
  readonly curve: boolean;
  /** A client allow-list is in force (only with CURVE). */
  readonly authorizedClients: boolean;
  /** Mode of the Unix socket file. */
  readonly socketMode: number;
  /** `--allow-actions` or `--allow-programs` is given. */
  readonly restricted: boolean;
}

/** Whether a TCP bind host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  // `::ffff:127.0.0.1` is IPv4's loopback seen through IPv6.
  return /^::ffff:127\./i.test(bare);
}

/** The warnings for this set-up, each one line; none when only this user (or loopback with keys) gets in. */
export function exposureWarnings(exposure: Exposure): string[] {
  const warnings: string[] = [];
  const host = tcpHost(exposure.address);
  if (host !== undefined && !isLoopbackHost(host) && !exposure.curve) {
    const what = exposure.restricted ? 'the allowed actions' : 'programs';
    warnings.push(
      `Listening on ${host === '*' ? 'every network interface' : host} without CURVE: anyone who can reach ` +
        `this port can run ${what} as this user. Bind to 127.0.0.1, use --socket, or use ` +
        '--curve-secret-key-file with --curve-authorized-keys.',
    );
  }
  if (exposure.curve && !exposure.authorizedClients) {
    warnings.push(
      'CURVE without --curve-authorized-keys: the connection is encrypted, but any client that holds ' +
        "the server's public key may connect.",
    );
  }
  if (exposure.address.startsWith('ipc://') && (exposure.socketMode & 0o007) !== 0) {
    warnings.push(
      `Socket mode 0${exposure.socketMode.toString(8)} lets every local user connect and run programs as this user.`,
    );
  }
  return warnings;
}
