// Decodes one captured frame (link layer → IPv4/IPv6 → TCP or UDP) into plain header values; pure, never throws.
import type { DatagramHeaders, SegmentHeaders, TcpOptionValue } from '../../../core/protocol/events/packet.js';
import { ipv4Address, ipv6Address } from '../../../core/net/ipAddressText.js';

/** pcap LINKTYPE_* values the lab decodes (Linux and macOS loopback captures). */
export const LINK_TYPE = {
  NULL: 0, // BSD loopback: 4-byte address family in the capturing host's byte order
  EN10MB: 1, // Ethernet (Linux `lo` presents itself as Ethernet with zero MACs)
  LOOP: 108, // OpenBSD loopback: 4-byte address family, always big-endian
  LINUX_SLL: 113, // Linux "cooked" v1 (`-i any` on older libpcap)
  LINUX_SLL2: 276, // Linux "cooked" v2 (`-i any` on libpcap ≥ 1.10)
} as const;

export type LinkTypeName = keyof typeof LINK_TYPE;

const LINK_TYPE_NAMES: ReadonlyMap<number, LinkTypeName> = new Map(
  (Object.keys(LINK_TYPE) as LinkTypeName[]).map((name) => [LINK_TYPE[name], name]),
);

export function linkTypeName(linkType: number): LinkTypeName | null {
  return LINK_TYPE_NAMES.get(linkType) ?? null;
}

// The header shapes are the wire's (packet events carry them as they are), so they are defined once, in the protocol.
export type LinkHeader = SegmentHeaders['link'];
export type Ipv4Header = Extract<SegmentHeaders['ip'], { version: 4 }>;
export type Ipv6Header = Extract<SegmentHeaders['ip'], { version: 6 }>;
export type TcpOption = TcpOptionValue;
export type TcpHeader = SegmentHeaders['tcp'];
export type UdpHeader = DatagramHeaders['udp'];

/** TCP flag bits as they sit in byte 13 (plus NS from byte 12, shifted to bit 8). */
export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  NS: 0x100,
} as const;

export type TcpFlagName = keyof typeof TCP_FLAG;
const FLAG_ORDER: TcpFlagName[] = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'];

// 512 flag combinations: each list is built once and shared (treat the returned array as read-only).
const FLAG_NAME_LISTS: TcpFlagName[][] = Array.from({ length: 0x200 }, (_, flags) =>
  FLAG_ORDER.filter((name) => flags & TCP_FLAG[name]),
);

export function tcpFlagNames(flags: number): TcpFlagName[] {
  return FLAG_NAME_LISTS[flags & 0x1ff]!;
}

/** Byte ranges of each layer inside the captured frame, for hex highlighting. */
export interface FrameLayout {
  ipOffset: number;
  tcpOffset: number;
  payloadOffset: number;
  /** End of the captured payload (may stop short of the real payload when the snapshot length cut it). */
  capturedEnd: number;
}

export interface DecodedTcpFrame {
  ok: true;
  transport: 'tcp';
  link: LinkHeader;
  ip: Ipv4Header | Ipv6Header;
  tcp: TcpHeader;
  /** Payload length the IP header declares (what the peer sent), whatever was captured. */
  payloadLength: number;
  /** True when fewer payload bytes were captured than were sent. */
  payloadTruncated: boolean;
  layout: FrameLayout;
}

/** Byte ranges of a UDP datagram's layers inside the captured frame. */
export interface DatagramLayout {
  ipOffset: number;
  udpOffset: number;
  payloadOffset: number;
  /** End of the captured payload (may stop short of the datagram when the snapshot length cut it). */
  capturedEnd: number;
}

export interface DecodedUdpFrame {
  ok: true;
  transport: 'udp';
  link: LinkHeader;
  ip: Ipv4Header | Ipv6Header;
  udp: UdpHeader;
  /** Payload length the UDP header declares (what the peer sent), whatever was captured. */
  payloadLength: number;
  /** True when fewer payload bytes were captured than were sent. */
  payloadTruncated: boolean;
  layout: DatagramLayout;
}

/**
 * Why a frame was not decoded: `notIp`, `notTcpOrUdp` and `ipFragment` are normal traffic the lab ignores; the others
 * mean broken input.
 */
export type FrameSkipReason =
  | 'notIp'
  | 'notTcpOrUdp'
  | 'ipFragment'
  | 'truncatedLink'
  | 'truncatedIp'
  | 'truncatedTcp'
  | 'truncatedUdp'
  | 'badIpHeader'
  | 'badTcpHeader'
  | 'badUdpHeader'
  | 'unsupportedLinkType';

export interface SkippedFrame {
  ok: false;
  reason: FrameSkipReason;
  detail: string;
}

export type FrameDecodeResult = DecodedTcpFrame | DecodedUdpFrame | SkippedFrame;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const UDP_HEADER_LENGTH = 8;

function skip(reason: FrameSkipReason, detail: string): SkippedFrame {
  return { ok: false, reason, detail };
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function macAddress(b: Uint8Array, o: number, length: number): string {
  if (length === 0) return '';
  let text = HEX[b[o]!]!;
  for (let i = 1; i < length; i++) text += `:${HEX[b[o + i]!]!}`;
  return text;
}

interface NetworkStart {
  link: LinkHeader;
  /** 4, 6 or 0 when the link layer carries something else. */
  ipVersion: 0 | 4 | 6;
  ipOffset: number;
  etherType: number;
}

/** BSD address-family values for IPv4/IPv6 (IPv6 differs between BSDs). */
const AF_INET = 2;
const AF_INET6_VALUES = new Set([10, 24, 28, 30]);

function byteSwap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function etherTypeVersion(etherType: number): 0 | 4 | 6 {
  return etherType === ETHERTYPE_IPV4 ? 4 : etherType === ETHERTYPE_IPV6 ? 6 : 0;
}

function decodeLink(frame: Uint8Array, linkType: number): NetworkStart | SkippedFrame {
  switch (linkType) {
    case LINK_TYPE.EN10MB: {
      if (frame.length < 14) return skip('truncatedLink', `Ethernet header needs 14 bytes, got ${frame.length}`);
      let etherType = u16(frame, 12);
      let ipOffset = 14;
      // One 802.1Q tag is enough for any loopback or lab capture.
      if (etherType === ETHERTYPE_VLAN) {
        if (frame.length < 18) return skip('truncatedLink', 'VLAN tag cut short');
        etherType = u16(frame, 16);
        ipOffset = 18;
      }
      return {
        link: {
          type: 'ethernet',
          destination: macAddress(frame, 0, 6),
          source: macAddress(frame, 6, 6),
          etherType,
        },
        ipVersion: etherTypeVersion(etherType),
        ipOffset,
        etherType,
      };
    }
    case LINK_TYPE.NULL:
    case LINK_TYPE.LOOP: {
      if (frame.length < 4) return skip('truncatedLink', `loopback header needs 4 bytes, got ${frame.length}`);
      const raw = u32(frame, 0);
      // NULL is in the writer's byte order, which the file does not record; small values tell us which.
      const family = linkType === LINK_TYPE.LOOP || raw < 0x100 ? raw : byteSwap32(raw);
      const ipVersion = family === AF_INET ? 4 : AF_INET6_VALUES.has(family) ? 6 : 0;
      return {
        link: { type: linkType === LINK_TYPE.LOOP ? 'loop' : 'null', addressFamily: family },
        ipVersion,
        ipOffset: 4,
        etherType: ipVersion === 4 ? ETHERTYPE_IPV4 : ipVersion === 6 ? ETHERTYPE_IPV6 : 0,
      };
    }
    case LINK_TYPE.LINUX_SLL: {
      if (frame.length < 16) return skip('truncatedLink', `SLL header needs 16 bytes, got ${frame.length}`);
      const addressLength = Math.min(u16(frame, 4), 8);
      const protocol = u16(frame, 14);
      return {
        link: {
          type: 'sll',
          packetType: u16(frame, 0),
          arphrdType: u16(frame, 2),
          address: macAddress(frame, 6, addressLength),
          protocol,
        },
        ipVersion: etherTypeVersion(protocol),
        ipOffset: 16,
        etherType: protocol,
      };
    }
    case LINK_TYPE.LINUX_SLL2: {
      if (frame.length < 20) return skip('truncatedLink', `SLL2 header needs 20 bytes, got ${frame.length}`);
      const protocol = u16(frame, 0);
      const addressLength = Math.min(frame[11]!, 8);
      return {
        link: {
          type: 'sll2',
          protocol,
          interfaceIndex: u32(frame, 4),
          arphrdType: u16(frame, 8),
          packetType: frame[10]!,
          address: macAddress(frame, 12, addressLength),
        },
        ipVersion: etherTypeVersion(protocol),
        ipOffset: 20,
        etherType: protocol,
      };
    }
    default:
      return skip('unsupportedLinkType', `link type ${linkType} is not decoded`);
  }
}

function decodeTcpOptions(b: Uint8Array, start: number, end: number): TcpOption[] {
  const options: TcpOption[] = [];
  let o = start;
  while (o < end) {
    const type = b[o]!;
    if (type === 0) {
      options.push({ kind: 'eol' });
      break;
    }
    if (type === 1) {
      options.push({ kind: 'nop' });
      o++;
      continue;
    }
    if (o + 1 >= end) {
      options.push({ kind: 'malformed', type, offset: o - start });
      break;
    }
    const length = b[o + 1]!;
    if (length < 2 || o + length > end) {
      options.push({ kind: 'malformed', type, offset: o - start });
      break;
    }
    if (type === 2 && length === 4) options.push({ kind: 'mss', value: u16(b, o + 2) });
    else if (type === 3 && length === 3) options.push({ kind: 'wscale', shift: b[o + 2]! });
    else if (type === 4 && length === 2) options.push({ kind: 'sackPermitted' });
    else if (type === 5 && length >= 10 && (length - 2) % 8 === 0) {
      const blocks: Array<[number, number]> = [];
      for (let p = o + 2; p < o + length; p += 8) blocks.push([u32(b, p), u32(b, p + 4)]);
      options.push({ kind: 'sack', blocks });
    } else if (type === 8 && length === 10) {
      options.push({ kind: 'timestamps', value: u32(b, o + 2), echoReply: u32(b, o + 6) });
    } else options.push({ kind: 'unknown', type, length });
    o += length;
  }
  return options;
}

const IPV6_EXTENSION_HEADERS = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;

/**
 * Decodes a captured frame of the given pcap link type down to TCP or UDP.
 * `frame` is the captured bytes of one record (caplen), which may be shorter than the packet that was sent.
 */
export function decodeFrame(frame: Uint8Array, linkType: number): FrameDecodeResult {
  const start = decodeLink(frame, linkType);
  if ('ok' in start) return start;
  if (start.ipVersion === 0) {
    return skip('notIp', `link layer carries ethertype/family 0x${start.etherType.toString(16)}`);
  }
  const ipOffset = start.ipOffset;
  let ip: Ipv4Header | Ipv6Header;
  let transportOffset: number;
  let ipEnd: number; // end of the IP packet as declared by its header
  let transport: number;

  if (start.ipVersion === 4) {
    if (frame.length < ipOffset + 20) return skip('truncatedIp', 'IPv4 header cut short');
    const versionIhl = frame[ipOffset]!;
    if (versionIhl >> 4 !== 4) return skip('badIpHeader', `IP version ${versionIhl >> 4} where 4 was expected`);
    const headerLength = (versionIhl & 0x0f) * 4;
    if (headerLength < 20) return skip('badIpHeader', `IPv4 header length ${headerLength} < 20`);
    if (frame.length < ipOffset + headerLength) return skip('truncatedIp', 'IPv4 options cut short');
    const totalLength = u16(frame, ipOffset + 2);
    if (totalLength < headerLength) return skip('badIpHeader', `IPv4 total length ${totalLength} < header`);
    const flagsFragment = u16(frame, ipOffset + 6);
    const protocol = frame[ipOffset + 9]!;
    ip = {
      version: 4,
      headerLength,
      dscp: frame[ipOffset + 1]! >> 2,
      ecn: frame[ipOffset + 1]! & 0x03,
      totalLength,
      identification: u16(frame, ipOffset + 4),
      dontFragment: (flagsFragment & 0x4000) !== 0,
      moreFragments: (flagsFragment & 0x2000) !== 0,
      fragmentOffset: (flagsFragment & 0x1fff) * 8,
      ttl: frame[ipOffset + 8]!,
      protocol,
      checksum: u16(frame, ipOffset + 10),
      source: ipv4Address(frame, ipOffset + 12),
      destination: ipv4Address(frame, ipOffset + 16),
    };
    if (ip.moreFragments || ip.fragmentOffset !== 0) return skip('ipFragment', 'IPv4 fragment');
    if (protocol !== IPPROTO_TCP && protocol !== IPPROTO_UDP) return skip('notTcpOrUdp', `IP protocol ${protocol}`);
    transport = protocol;
    transportOffset = ipOffset + headerLength;
    ipEnd = ipOffset + totalLength;
  } else {
    if (frame.length < ipOffset + 40) return skip('truncatedIp', 'IPv6 header cut short');
    const first = u32(frame, ipOffset);
    if (first >>> 28 !== 6) return skip('badIpHeader', `IP version ${first >>> 28} where 6 was expected`);
    const payloadLength = u16(frame, ipOffset + 4);
    let nextHeader = frame[ipOffset + 6]!;
    let o = ipOffset + 40;
    while (IPV6_EXTENSION_HEADERS.has(nextHeader)) {
      if (frame.length < o + 8) return skip('truncatedIp', 'IPv6 extension header cut short');
      const following = frame[o]!;
      o += (frame[o + 1]! + 1) * 8;
      nextHeader = following;
    }
    ip = {
      version: 6,
      headerLength: o - ipOffset,
      trafficClass: (first >>> 20) & 0xff,
      flowLabel: first & 0xfffff,
      payloadLength,
      nextHeader,
      hopLimit: frame[ipOffset + 7]!,
      source: ipv6Address(frame, ipOffset + 8),
      destination: ipv6Address(frame, ipOffset + 24),
    };
    if (nextHeader === IPV6_FRAGMENT) return skip('ipFragment', 'IPv6 fragment');
    if (nextHeader !== IPPROTO_TCP && nextHeader !== IPPROTO_UDP) {
      return skip('notTcpOrUdp', `IPv6 next header ${nextHeader}`);
    }
    transport = nextHeader;
    transportOffset = o;
    ipEnd = ipOffset + 40 + payloadLength;
    if (ipEnd < transportOffset) return skip('badIpHeader', 'IPv6 payload length shorter than its extension headers');
  }

  if (transport === IPPROTO_UDP) return decodeUdp(frame, start.link, ip, ipOffset, transportOffset, ipEnd);
  if (frame.length < transportOffset + 20) return skip('truncatedTcp', 'TCP header cut short');
  const dataOffset = frame[transportOffset + 12]! >> 4;
  const headerLength = dataOffset * 4;
  if (headerLength < 20) return skip('badTcpHeader', `TCP data offset ${dataOffset} < 5`);
  if (transportOffset + headerLength > ipEnd) return skip('badTcpHeader', 'TCP header longer than the IP packet');
  if (frame.length < transportOffset + headerLength) return skip('truncatedTcp', 'TCP options cut short');
  const payloadOffset = transportOffset + headerLength;
  const payloadLength = ipEnd - payloadOffset;
  // Ethernet may pad short frames; the IP length, not the frame length, bounds the payload.
  const capturedEnd = Math.min(frame.length, ipEnd);

  const tcp: TcpHeader = {
    sourcePort: u16(frame, transportOffset),
    destinationPort: u16(frame, transportOffset + 2),
    seq: u32(frame, transportOffset + 4),
    ack: u32(frame, transportOffset + 8),
    dataOffset,
    headerLength,
    flags: frame[transportOffset + 13]! | ((frame[transportOffset + 12]! & 0x01) << 8),
    window: u16(frame, transportOffset + 14),
    checksum: u16(frame, transportOffset + 16),
    urgentPointer: u16(frame, transportOffset + 18),
    options: headerLength > 20 ? decodeTcpOptions(frame, transportOffset + 20, payloadOffset) : [],
  };

  return {
    ok: true,
    transport: 'tcp',
    link: start.link,
    ip,
    tcp,
    payloadLength,
    payloadTruncated: capturedEnd - payloadOffset < payloadLength,
    layout: { ipOffset, tcpOffset: transportOffset, payloadOffset, capturedEnd },
  };
}

/** The UDP part of decodeFrame: the 8-byte header, and a length that must fit inside the IP packet. */
function decodeUdp(
  frame: Uint8Array,
  link: LinkHeader,
  ip: Ipv4Header | Ipv6Header,
  ipOffset: number,
  udpOffset: number,
  ipEnd: number,
): DecodedUdpFrame | SkippedFrame {
  if (frame.length < udpOffset + UDP_HEADER_LENGTH) return skip('truncatedUdp', 'UDP header cut short');
  const length = u16(frame, udpOffset + 4);
  if (length < UDP_HEADER_LENGTH) return skip('badUdpHeader', `UDP length ${length} < 8`);
  // A UDP length longer than the IP packet would make the reader run past the datagram.
  if (udpOffset + length > ipEnd) {
    return skip('badUdpHeader', `UDP length ${length} is longer than the IP packet's ${ipEnd - udpOffset} bytes`);
  }
  const payloadOffset = udpOffset + UDP_HEADER_LENGTH;
  const datagramEnd = udpOffset + length;
  const capturedEnd = Math.min(frame.length, datagramEnd);
  const payloadLength = length - UDP_HEADER_LENGTH;
  return {
    ok: true,
    transport: 'udp',
    link,
    ip,
    udp: {
      sourcePort: u16(frame, udpOffset),
      destinationPort: u16(frame, udpOffset + 2),
      length,
      checksum: u16(frame, udpOffset + 6),
    },
    payloadLength,
    payloadTruncated: Math.max(0, capturedEnd - payloadOffset) < payloadLength,
    layout: { ipOffset, udpOffset, payloadOffset, capturedEnd },
  };
}
