// Parses macOS/BSD `netstat -anv -p tcp` output into kernel sockets, the same shape as the /proc/net/tcp reader; pure, never throws.
import { endpointName, type TcpStateName } from '../../../core/protocol/events/tcpState.js';
import type { KernelSocket, SocketTableParse } from './kernelSocket.js';

const BSD_STATES: ReadonlyMap<string, TcpStateName> = new Map([
  ['CLOSED', 'CLOSED'],
  ['LISTEN', 'LISTEN'],
  ['SYN_SENT', 'SYN_SENT'],
  ['SYN_RCVD', 'SYN_RECV'],
  ['SYN_RECEIVED', 'SYN_RECV'],
  ['ESTABLISHED', 'ESTABLISHED'],
  ['CLOSE_WAIT', 'CLOSE_WAIT'],
  ['FIN_WAIT_1', 'FIN_WAIT1'],
  ['CLOSING', 'CLOSING'],
  ['LAST_ACK', 'LAST_ACK'],
  ['FIN_WAIT_2', 'FIN_WAIT2'],
  ['TIME_WAIT', 'TIME_WAIT'],
]);

/** netstat writes `host.port`, `*.port`, `*.*`, and IPv6 hosts with a zone: `fe80::1%lo0.8080`. */
function parseBsdEndpoint(text: string, ipv6: boolean): { ip: string; port: number } | null {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return null;
  const host = text.slice(0, dot);
  const portText = text.slice(dot + 1);
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  const ip = host === '*' ? (ipv6 ? '::' : '0.0.0.0') : host.replace(/%.*$/, '');
  return { ip, port };
}

/**
 * Parses `netstat -anv -p tcp` (macOS). Only the first six columns are read: their layout is the same
 * across macOS releases, while the columns after the state (buffer sizes, pid...) vary.
 */
export function parseNetstatTcp(text: string): SocketTableParse {
  const sockets: KernelSocket[] = [];
  const badLines: string[] = [];
  for (const raw of text.split('\n')) {
    const f = raw.trim().split(/\s+/);
    if (!f[0] || !/^tcp(4|6|46)?$/.test(f[0])) continue; // headings, other protocols
    const ipv6 = f[0] === 'tcp6' || f[0] === 'tcp46';
    const local = f[3] ? parseBsdEndpoint(f[3], ipv6) : null;
    const remote = f[4] ? parseBsdEndpoint(f[4], ipv6) : null;
    const state = f[5] ? BSD_STATES.get(f[5]) : undefined;
    if (!local || !remote || !state) {
      badLines.push(raw);
      continue;
    }
    sockets.push({
      local: endpointName(local.ip, local.port),
      remote: endpointName(remote.ip, remote.port),
      localPort: local.port,
      remotePort: remote.port,
      state,
      receiveQueue: Number(f[1]) || 0,
      sendQueue: Number(f[2]) || 0,
    });
  }
  return { sockets, badLines };
}
