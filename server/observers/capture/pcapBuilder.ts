// Builds pcap bytes from header values (the inverse of pcapDecoder), for hand-made test packets and the capture benchmark.
import { LINK_TYPE } from './frameDecoder.js';

export type TcpOptionSpec =
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamps'; value: number; echoReply: number }
  | { kind: 'raw'; bytes: number[] };

export interface TcpPacketSpec {
  source?: string;
  destination?: string;
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  options?: TcpOptionSpec[];
  payload?: Uint8Array;
  ttl?: number;
  identification?: number;
}

export function ipv4Bytes(text: string): number[] {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`not an IPv4 address: ${text}`);
  }
  return parts;
}

export function ipv6Bytes(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) throw new RangeError(`not an IPv6 address: ${text}`);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function optionBytes(options: TcpOptionSpec[]): number[] {
  const out: number[] = [];
  for (const o of options) {
    switch (o.kind) {
      case 'nop':
        out.push(1);
        break;
      case 'eol':
        out.push(0);
        break;
      case 'mss':
        out.push(2, 4, o.value >> 8, o.value & 0xff);
        break;
      case 'wscale':
        out.push(3, 3, o.shift);
        break;
      case 'sackPermitted':
        out.push(4, 2);
        break;
      case 'sack':
        out.push(5, 2 + o.blocks.length * 8, ...o.blocks.flatMap(([l, r]) => [...be32(l), ...be32(r)]));
        break;
      case 'timestamps':
        out.push(8, 10, ...be32(o.value), ...be32(o.echoReply));
        break;
      case 'raw':
        out.push(...o.bytes);
        break;
    }
  }
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function le32(v: number): number[] {
  return be32(v).reverse();
}

function ipv4Checksum(header: number[]): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i]! << 8) | header[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function tcpHeader(spec: TcpPacketSpec): number[] {
  const options = optionBytes(spec.options ?? []);
  const dataOffset = 5 + options.length / 4;
  const window = spec.window ?? 65535;
  return [
    spec.sourcePort >> 8,
    spec.sourcePort & 0xff,
    spec.destinationPort >> 8,
    spec.destinationPort & 0xff,
    ...be32(spec.seq),
    ...be32(spec.ack ?? 0),
    (dataOffset << 4) | ((spec.flags >> 8) & 0x01),
    spec.flags & 0xff,
    window >> 8,
    window & 0xff,
    0,
    0, // checksum: the decoder does not verify it (loopback offloads it anyway)
    0,
    0,
    ...options,
  ];
}

/** An IPv4 or IPv6 packet (picked from the address form) carrying one TCP segment. */
export function buildTcpIpPacket(spec: TcpPacketSpec): Uint8Array {
  return ipPacket(spec, 6, tcpHeader(spec), spec.payload ?? new Uint8Array(0));
}

export interface UdpPacketSpec {
  source?: string;
  destination?: string;
  sourcePort: number;
  destinationPort: number;
  payload?: Uint8Array;
  /** The UDP length field; default 8 + the payload's length (set it to build a lying header). */
  udpLength?: number;
  ttl?: number;
  identification?: number;
}

/** An IPv4 or IPv6 packet carrying one UDP datagram. */
export function buildUdpIpPacket(spec: UdpPacketSpec): Uint8Array {
  const payload = spec.payload ?? new Uint8Array(0);
  const length = spec.udpLength ?? 8 + payload.length;
  const udp = [
    spec.sourcePort >> 8,
    spec.sourcePort & 0xff,
    spec.destinationPort >> 8,
    spec.destinationPort & 0xff,
    (length >> 8) & 0xff,
    length & 0xff,
    0,
    0, // checksum: not verified, as for TCP
  ];
  return ipPacket(spec, 17, udp, payload);
}

interface IpSpec {
  source?: string;
  destination?: string;
  ttl?: number;
  identification?: number;
}

function ipPacket(spec: IpSpec, protocol: number, transport: number[], payload: Uint8Array): Uint8Array {
  const source = spec.source ?? '127.0.0.1';
  const destination = spec.destination ?? '127.0.0.1';
  const out = (header: number[]): Uint8Array => {
    const bytes = new Uint8Array(header.length + transport.length + payload.length);
    bytes.set(header);
    bytes.set(transport, header.length);
    bytes.set(payload, header.length + transport.length);
    return bytes;
  };
  if (source.includes(':')) {
    const payloadLength = transport.length + payload.length;
    return out([
      0x60,
      0,
      0,
      0,
      payloadLength >> 8,
      payloadLength & 0xff,
      protocol,
      spec.ttl ?? 64,
      ...ipv6Bytes(source),
      ...ipv6Bytes(destination),
    ]);
  }
  const totalLength = 20 + transport.length + payload.length;
  const id = spec.identification ?? 0;
  const header = [
    0x45,
    0,
    totalLength >> 8,
    totalLength & 0xff,
    id >> 8,
    id & 0xff,
    0x40,
    0,
    spec.ttl ?? 64,
    protocol,
    0,
    0,
    ...ipv4Bytes(source),
    ...ipv4Bytes(destination),
  ];
  const checksum = ipv4Checksum(header);
  header[10] = checksum >> 8;
  header[11] = checksum & 0xff;
  return out(header);
}

/** Puts a link-layer header for `linkType` in front of an IP packet. */
export function wrapInLinkLayer(ipPacket: Uint8Array, linkType: number, nullLittleEndian = true): Uint8Array {
  const version = ipPacket[0]! >> 4;
  const etherType = version === 6 ? [0x86, 0xdd] : [0x08, 0x00];
  let head: number[];
  switch (linkType) {
    case LINK_TYPE.EN10MB:
      head = [...Array<number>(12).fill(0), ...etherType];
      break;
    case LINK_TYPE.NULL: {
      const family = version === 6 ? 30 : 2; // macOS AF_INET6 is 30
      head = nullLittleEndian ? le32(family) : be32(family);
      break;
    }
    case LINK_TYPE.LOOP:
      head = be32(version === 6 ? 24 : 2);
      break;
    case LINK_TYPE.LINUX_SLL:
      head = [0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, ...etherType];
      break;
    case LINK_TYPE.LINUX_SLL2:
      head = [...etherType, 0, 0, ...be32(1), 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
      break;
    default:
      head = [];
  }
  const out = new Uint8Array(head.length + ipPacket.length);
  out.set(head, 0);
  out.set(ipPacket, head.length);
  return out;
}

export interface PcapFileSpec {
  linkType: number;
  byteOrder?: 'big' | 'little';
  nanosecond?: boolean;
  snapLength?: number;
}

export interface PcapRecordSpec {
  tsSec: number;
  /** Microseconds or nanoseconds, matching the file's resolution. */
  tsFraction: number;
  frame: Uint8Array;
  /** Defaults to the frame length; larger means the frame was cut by the snapshot length. */
  originalLength?: number;
}

export function buildPcap(file: PcapFileSpec, records: PcapRecordSpec[]): Uint8Array {
  const little = (file.byteOrder ?? 'little') === 'little';
  const w32 = little ? le32 : be32;
  const w16 = (v: number): number[] => (little ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  const magic = file.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4;
  const parts: Uint8Array[] = [
    Uint8Array.from([
      ...w32(magic),
      ...w16(2),
      ...w16(4),
      ...w32(0),
      ...w32(0),
      ...w32(file.snapLength ?? 262144),
      ...w32(file.linkType),
    ]),
  ];
  for (const r of records) {
    parts.push(
      Uint8Array.from([
        ...w32(r.tsSec),
        ...w32(r.tsFraction),
        ...w32(r.frame.length),
        ...w32(r.originalLength ?? r.frame.length),
      ]),
    );
    parts.push(r.frame);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
