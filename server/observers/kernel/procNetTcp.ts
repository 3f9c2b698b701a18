// Parses Linux's /proc/net/tcp and /proc/net/tcp6 text into kernel sockets; pure, never throws.
import { endpointName, type TcpStateName } from '../../../core/protocol/events/tcpState.js';
import { ipv6Address } from '../../../core/net/ipAddressText.js';
import type { KernelSocket, SocketTableParse } from './kernelSocket.js';

/** include/net/tcp_states.h. NEW_SYN_RECV (a request socket) is what a listener's half-open connection is. */
const LINUX_STATES: ReadonlyMap<number, TcpStateName> = new Map([
  [0x01, 'ESTABLISHED'],
  [0x02, 'SYN_SENT'],
  [0x03, 'SYN_RECV'],
  [0x04, 'FIN_WAIT1'],
  [0x05, 'FIN_WAIT2'],
  [0x06, 'TIME_WAIT'],
  [0x07, 'CLOSED'],
  [0x08, 'CLOSE_WAIT'],
  [0x09, 'LAST_ACK'],
  [0x0a, 'LISTEN'],
  [0x0b, 'CLOSING'],
  [0x0c, 'SYN_RECV'],
]);

export interface ProcNetTcpOptions {
  /**
   * The kernel prints each 32-bit address word as the host sees it, so the byte order of the text
   * depends on the machine (x86 and arm64 are little-endian).
   */
  littleEndian: boolean;
  /** USER_HZ: the unit of the timer column (100 on every mainstream Linux). */
  clockTicksPerSecond?: number;
}

function wordBytes(hex: string, littleEndian: boolean): number[] | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const v = parseInt(hex, 16);
  const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return littleEndian ? bytes.reverse() : bytes;
}

/** `0100007F` → 127.0.0.1; 32 hex digits (four host-order words) → an IPv6 address. */
export function decodeProcAddress(hex: string, littleEndian: boolean): string | null {
  if (hex.length === 8) {
    const b = wordBytes(hex, littleEndian);
    return b ? b.join('.') : null;
  }
  if (hex.length !== 32) return null;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) {
    const b = wordBytes(hex.slice(i, i + 8), littleEndian);
    if (!b) return null;
    bytes.push(...b);
  }
  // IPv4-mapped (::ffff:a.b.c.d) is how a dual-stack socket shows an IPv4 peer; print it as the kernel tools do.
  if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  return ipv6Address(bytes, 0);
}

function decodeProcEndpoint(text: string, littleEndian: boolean): { ip: string; port: number } | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const ip = decodeProcAddress(text.slice(0, colon), littleEndian);
  const portHex = text.slice(colon + 1);
  if (ip === null || !/^[0-9A-Fa-f]{4}$/.test(portHex)) return null;
  return { ip, port: parseInt(portHex, 16) };
}

/**
 * Parses the whole text of /proc/net/tcp or /proc/net/tcp6 (header line included).
 * @example parseProcNetTcp('  sl  local_address ...\n   0: 0100007F:1F90 00000000:0000 0A ...', { littleEndian: true })
 */
export function parseProcNetTcp(text: string, options: ProcNetTcpOptions): SocketTableParse {
  const ticks = options.clockTicksPerSecond ?? 100;
  const sockets: KernelSocket[] = [];
  const badLines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('sl')) continue;
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = line.split(/\s+/);
    const local = f.length >= 10 ? decodeProcEndpoint(f[1]!, options.littleEndian) : null;
    const remote = f.length >= 10 ? decodeProcEndpoint(f[2]!, options.littleEndian) : null;
    const state = f.length >= 10 ? LINUX_STATES.get(parseInt(f[3]!, 16)) : undefined;
    const queues = f[4]?.split(':') ?? [];
    const timer = f[5]?.split(':') ?? [];
    if (!local || !remote || !state || queues.length !== 2 || timer.length !== 2) {
      badLines.push(raw);
      continue;
    }
    const timerKind = parseInt(timer[0]!, 16);
    // The "when" column counts down in clock ticks; a timer that has already fired can print as a huge unsigned value.
    const when = parseInt(timer[1]!, 16);
    const timerMs = timerKind === 0 || !Number.isFinite(when) || when > 0x7fffffff ? 0 : (when * 1000) / ticks;
    sockets.push({
      local: endpointName(local.ip, local.port),
      remote: endpointName(remote.ip, remote.port),
      localPort: local.port,
      remotePort: remote.port,
      state,
      timerKind,
      timerMs,
      sendQueue: parseInt(queues[0]!, 16) || 0,
      receiveQueue: parseInt(queues[1]!, 16) || 0,
      inode: Number(f[9]) || 0,
    });
  }
  return { sockets, badLines };
}
