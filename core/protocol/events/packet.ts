// Packet events: TCP segments and UDP datagrams decoded from a real capture (source 'captured') and the capture's own status. Shared by server and web.
import type { LocalizedText, WireError } from '../errors.js';

export type TcpOptionValue =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamps'; value: number; echoReply: number }
  | { kind: 'unknown'; type: number; length: number }
  | { kind: 'malformed'; type: number; offset: number };

/** Every header field of one captured segment, layer by layer, for the detail pane. */
export interface SegmentHeaders {
  link:
    | { type: 'ethernet'; destination: string; source: string; etherType: number }
    | { type: 'null' | 'loop'; addressFamily: number }
    | { type: 'sll'; packetType: number; arphrdType: number; address: string; protocol: number }
    | {
        type: 'sll2';
        protocol: number;
        interfaceIndex: number;
        arphrdType: number;
        packetType: number;
        address: string;
      };
  ip:
    | {
        version: 4;
        headerLength: number;
        dscp: number;
        ecn: number;
        totalLength: number;
        identification: number;
        dontFragment: boolean;
        moreFragments: boolean;
        fragmentOffset: number;
        ttl: number;
        protocol: number;
        checksum: number;
        source: string;
        destination: string;
      }
    | {
        version: 6;
        headerLength: number;
        trafficClass: number;
        flowLabel: number;
        payloadLength: number;
        nextHeader: number;
        hopLimit: number;
        source: string;
        destination: string;
      };
  tcp: {
    sourcePort: number;
    destinationPort: number;
    seq: number;
    ack: number;
    dataOffset: number;
    headerLength: number;
    flags: number;
    window: number;
    checksum: number;
    urgentPointer: number;
    options: TcpOptionValue[];
  };
}

/** Every header field of one captured UDP datagram (link and IP as for a segment). */
export interface DatagramHeaders {
  link: SegmentHeaders['link'];
  ip: SegmentHeaders['ip'];
  udp: {
    sourcePort: number;
    destinationPort: number;
    /** The UDP length field: 8 header bytes plus the payload. */
    length: number;
    checksum: number;
  };
}

/**
 * One UDP datagram from the capture: no connection, no sequence numbers, just who sent how many bytes to whom.
 * @example { kind: 'packet.datagram', source: 'captured', from: '127.0.0.1:51234', to: '127.0.0.1:7420', len: 5, ... }
 */
export interface PacketDatagramEvent {
  kind: 'packet.datagram';
  source: 'captured';
  /** Position in this capture (0-based pcap record index). */
  index: number;
  tsSec: number;
  tsNsec: number;
  /** Capture time as wall-clock ms. */
  at: number;
  from: string;
  to: string;
  /** Payload bytes the datagram carried (from the UDP length field). */
  len: number;
  /** True when the capture kept fewer payload bytes than were sent (tcpdump's snapshot length). */
  payloadTruncated: boolean;
  headers: DatagramHeaders;
  /** Captured frame bytes in hex (at most the processor's limit; see hexClipped). */
  hex: string;
  hexClipped: boolean;
  layout: { ipOffset: number; udpOffset: number; payloadOffset: number; capturedEnd: number };
  capturedLength: number;
  originalLength: number;
  linkType: string;
}

/**
 * One TCP segment from the capture.
 * @example { kind: 'packet.segment', source: 'captured', connection: 1, from: '127.0.0.1:41056', to: '127.0.0.1:7100',
 *   role: 'client', flags: ['SYN'], seqNum: 1730411970, ackNum: 0, relSeq: 0, relAck: null, len: 0, window: 65495, ... }
 */
export interface PacketSegmentEvent {
  kind: 'packet.segment';
  source: 'captured';
  /** Position in this capture (0-based pcap record index). */
  index: number;
  /** Kernel capture time, seconds since the epoch + nanoseconds: exact. */
  tsSec: number;
  tsNsec: number;
  /** The same time as wall-clock ms (what the bus's `t` uses), for aligning with other events. */
  at: number;
  /** 1, 2, 3... per capture; a new handshake on a reused 4-tuple is a new connection. */
  connection: number;
  client: string;
  server: string;
  from: string;
  to: string;
  /** Which side sent it. */
  role: 'client' | 'server';
  /** False when the capture began after the handshake (relative numbers then count from the first segment seen). */
  handshakeSeen: boolean;
  flags: string[];
  /** Absolute sequence number. (Not `seq`: every event's `seq` is the bus's event counter.) */
  seqNum: number;
  /** Absolute acknowledgement number (meaningful when flags include ACK). */
  ackNum: number;
  relSeq: number;
  /** Null when the ACK flag is not set. */
  relAck: number | null;
  /** Payload bytes the segment carried. */
  len: number;
  /** Raw window field. */
  window: number;
  /** The sender's window-scale shift, when its SYN was seen (the real window is window << shift, except on SYNs). */
  windowShift: number | null;
  headers: SegmentHeaders;
  /** Captured frame bytes in hex (at most 2048 bytes' worth; see hexClipped). */
  hex: string;
  hexClipped: boolean;
  /** Byte offsets inside the frame: where IP, TCP and the payload start, and where the capture stops. */
  layout: { ipOffset: number; tcpOffset: number; payloadOffset: number; capturedEnd: number };
  capturedLength: number;
  originalLength: number;
  /** Link type name of the capture (EN10MB on Linux lo, NULL on macOS lo0...). */
  linkType: string;
}

export type CaptureStatus =
  /** tcpdump is running and the pcap header arrived. */
  | 'capturing'
  /** Capture cannot run here (no permission, no tcpdump): the lab goes on with polled states and models. */
  | 'unavailable'
  /** The lab stopped it. */
  | 'stopped'
  /** It died or its output could not be read. */
  | 'failed';

export type PacketEvent =
  | PacketSegmentEvent
  | PacketDatagramEvent
  | {
      kind: 'packet.captureStatus';
      source: 'observed';
      status: CaptureStatus;
      /** The tcpdump filter, e.g. "tcp and (port 7100 or port 7101)" or "udp and (port 7420)". */
      filter: string;
      interface: string;
      /** Why capture is unavailable or failed. */
      error?: WireError;
      /** How to enable capture on this machine, when the lab knows. */
      howToEnable?: LocalizedText;
      /** A command that would enable it, shown verbatim. */
      enableCommand?: string;
      linkType?: string;
      stats?: { records: number; tcpPackets: number; udpDatagrams?: number; skipped: number; malformed: number };
    }
  | {
      /** A decode problem: a malformed packet (skipped) or a broken stream (capture stops). */
      kind: 'packet.decodeError';
      source: 'captured';
      error: WireError;
      fatal: boolean;
      recordIndex?: number;
    };
