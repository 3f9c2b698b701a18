// TCP state events: the kernel's socket table sampled (source 'polled') and states inferred from packets (source 'modelled'). Shared by server and web.
import type { WireError } from '../errors.js';

/** The TCP states the lab names (RFC 793 states, spelled as Linux's /proc/net/tcp and `ss` spell them). */
export const TCP_STATE_NAMES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;

export type TcpStateName = (typeof TCP_STATE_NAMES)[number];

/** A socket named by its two ends, `ip:port` (`[ip]:port` for IPv6); a listener's remote is `*:0` or `[::]:0`. */
export interface SocketName {
  local: string;
  remote: string;
}

/** Writes one end of a socket the way every tcpState and packet event names it. */
export function endpointName(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Why the model inferred a transition (the view words it in the reader's language). */
export type InferredCause =
  | 'sentSyn'
  | 'receivedSyn'
  | 'receivedSynAck'
  | 'receivedAck'
  | 'sentFin'
  | 'receivedFin'
  | 'receivedFinAck'
  | 'receivedAckOfFin'
  | 'sentRst'
  | 'receivedRst';

/** A time range: a poller only knows a change happened between two samples. */
export interface MsRange {
  min: number;
  max: number;
}

export type TcpStateEvent =
  | {
      /**
       * The kernel's socket table showed a socket in a new state (CLOSED = it disappeared from the table).
       * @example { kind: 'tcpState.change', source: 'polled', socket: { local: '127.0.0.1:41056', remote: '127.0.0.1:7100' }, from: 'ESTABLISHED', to: 'TIME_WAIT', sampledAt: 1763800000123.4, sinceMs: 2.1 }
       */
      kind: 'tcpState.change';
      source: 'polled';
      socket: SocketName;
      from: TcpStateName;
      to: TcpStateName;
      /** Wall-clock ms of the sample that saw the new state. */
      sampledAt: number;
      /** Ms since the previous sample: the change happened somewhere in this window. */
      sinceMs: number;
      /** How long the socket had been in `from` (bounds, from the sample times). Absent when it was first seen already in `from`. */
      stayedMs?: MsRange;
      /** Linux: the kernel timer still to run when first seen in this state (TIME_WAIT's 2MSL timer, retransmit...). */
      timerMs?: number;
      /** The socket already existed when polling began (from: 'CLOSED' then only means "not seen before"). */
      firstSample?: true;
    }
  | {
      /** A socket left TIME_WAIT: how long it stayed, measured by sampling. */
      kind: 'tcpState.timeWaitEnded';
      source: 'polled';
      socket: SocketName;
      stayedMs: MsRange;
      /** The kernel's TIME_WAIT timer when the socket was first seen in TIME_WAIT (Linux only). */
      timerAtEntryMs?: number;
    }
  | {
      /**
       * A state the lab inferred from captured packets (or from socket-API events) because the kernel
       * table showed it too briefly to sample. Never presented as real.
       */
      kind: 'tcpState.inferred';
      source: 'modelled';
      socket: SocketName;
      from: TcpStateName;
      to: TcpStateName;
      /** What drove the transition. */
      cause: InferredCause;
      /** Capture time (wall-clock ms) of the segment that drove it, when one did. */
      at: number;
      /** The captured segment's connection id (see packet.segment), when one drove it. */
      connection?: number;
    }
  | {
      /** The state poller started, or cannot read the kernel table (and why). */
      kind: 'tcpState.pollerStatus';
      source: 'observed';
      status: 'polling' | 'unavailable' | 'stopped';
      /** '/proc/net/tcp' or 'netstat'. */
      method: string;
      intervalMs: number;
      error?: WireError;
      samples?: number;
    };
