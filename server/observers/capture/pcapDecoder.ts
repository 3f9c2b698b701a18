// Streaming pcap reader: fed chunks of any size (e.g. `tcpdump -U -w -` stdout), yields decoded TCP segments, UDP datagrams and error values; pure, never throws.
import {
  decodeFrame,
  linkTypeName,
  type DecodedTcpFrame,
  type DecodedUdpFrame,
  type FrameSkipReason,
  type LinkTypeName,
} from './frameDecoder.js';

export interface PcapGlobalHeader {
  byteOrder: 'big' | 'little';
  /** True for the nanosecond-resolution variant (magic 0xa1b23c4d). */
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snapLength: number;
  linkType: number;
  /** Null when the lab does not decode this link type. */
  linkTypeName: LinkTypeName | null;
}

export interface PcapRecordMeta {
  /** 0-based position of the record in the stream. */
  index: number;
  tsSec: number;
  /** Fraction of the second in nanoseconds (microsecond files are scaled up). */
  tsNsec: number;
  capturedLength: number;
  originalLength: number;
  /**
   * The captured bytes. A view into a chunk that was pushed (or into a joined copy);
   * callers must not mutate chunks after pushing them.
   */
  frame: Uint8Array;
}

export interface PcapPacket extends PcapRecordMeta {
  decoded: DecodedTcpFrame;
}

export interface PcapDatagram extends PcapRecordMeta {
  decoded: DecodedUdpFrame;
}

/** Codes of the problems the reader reports; each has an en+zh message in core/protocol/errors.ts. */
export type PcapErrorCode =
  | 'E_PCAP_BAD_MAGIC'
  | 'E_PCAP_UNSUPPORTED_LINK_TYPE'
  | 'E_PCAP_CORRUPT_RECORD'
  | 'E_PCAP_TRUNCATED_RECORD'
  | 'E_PACKET_MALFORMED';

export interface PcapStreamError {
  code: PcapErrorCode;
  detail: string;
  /** True when the stream cannot be read further (pcap has no resync points). */
  fatal: boolean;
  recordIndex?: number;
}

export type PcapStreamItem =
  | { kind: 'header'; header: PcapGlobalHeader }
  | { kind: 'packet'; packet: PcapPacket }
  | { kind: 'datagram'; datagram: PcapDatagram }
  /** A well-formed record that is neither TCP nor UDP (ARP, ICMP, a fragment...): normal, and ignored by the lab. */
  | { kind: 'skipped'; record: PcapRecordMeta; reason: FrameSkipReason; detail: string }
  | { kind: 'error'; error: PcapStreamError };

export interface PcapStreamStats {
  bytes: number;
  records: number;
  tcpPackets: number;
  udpDatagrams: number;
  skipped: number;
  malformed: number;
}

const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** Bigger than any snapshot length tcpdump uses; a record beyond it means the stream is garbage. */
const MAX_RECORD_LENGTH = 262144 * 4;

const MALFORMED_REASONS: ReadonlySet<FrameSkipReason> = new Set([
  'truncatedLink',
  'truncatedIp',
  'truncatedTcp',
  'truncatedUdp',
  'badIpHeader',
  'badTcpHeader',
  'badUdpHeader',
]);

function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * A small state machine: waiting for the global header, then for record after record.
 * Chunks are kept in a list until a whole unit is present, so feeding one byte at a time stays linear.
 */
export class PcapStreamDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private header: PcapGlobalHeader | null = null;
  private little = false;
  private fractionScale = 1000;
  private failed = false;
  private linkTypeReported = false;
  private recordIndex = 0;
  readonly stats: PcapStreamStats = { bytes: 0, records: 0, tcpPackets: 0, udpDatagrams: 0, skipped: 0, malformed: 0 };

  get globalHeader(): PcapGlobalHeader | null {
    return this.header;
  }

  /** True after a fatal error: further input is ignored. */
  get hasFailed(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): PcapStreamItem[] {
    const items: PcapStreamItem[] = [];
    if (this.failed || chunk.length === 0) return items;
    this.stats.bytes += chunk.length;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.bytesNeeded()) return items;

    const buf = this.chunks.length === 1 ? this.chunks[0]! : joinChunks(this.chunks, this.buffered);
    let offset = 0;
    while (!this.failed) {
      const consumed =
        this.header === null ? this.readGlobalHeader(buf, offset, items) : this.readRecord(buf, offset, items);
      if (consumed === 0) break;
      offset += consumed;
    }
    if (this.failed || offset === buf.length) {
      this.chunks = [];
      this.buffered = 0;
    } else {
      // Copy the tail so a later join never aliases bytes that decoded frames still point into.
      const rest = buf.slice(offset);
      this.chunks = [rest];
      this.buffered = rest.length;
    }
    return items;
  }

  /** Call when the input ends (the capture process exited); reports a half-written record. */
  end(): PcapStreamItem[] {
    const items: PcapStreamItem[] = [];
    if (!this.failed && this.buffered > 0) {
      items.push({
        kind: 'error',
        error: {
          code: 'E_PCAP_TRUNCATED_RECORD',
          detail:
            this.header === null
              ? `stream ended after ${this.buffered} of ${GLOBAL_HEADER_LENGTH} global header bytes`
              : `stream ended inside record ${this.recordIndex} (${this.buffered} bytes left over)`,
          fatal: true,
          recordIndex: this.header === null ? undefined : this.recordIndex,
        },
      });
    }
    this.chunks = [];
    this.buffered = 0;
    this.failed = true;
    return items;
  }

  private bytesNeeded(): number {
    if (this.header === null) return GLOBAL_HEADER_LENGTH;
    if (this.buffered < RECORD_HEADER_LENGTH) return RECORD_HEADER_LENGTH;
    // The record header may itself span chunks; only join when the header is complete.
    const head = this.chunks.length === 1 ? this.chunks[0]! : joinChunks(this.chunks, RECORD_HEADER_LENGTH);
    const capturedLength = this.read32(head, 8);
    // An impossible length must reach readRecord (which reports it) rather than wait for bytes forever.
    return capturedLength > MAX_RECORD_LENGTH ? RECORD_HEADER_LENGTH : RECORD_HEADER_LENGTH + capturedLength;
  }

  private read32(b: Uint8Array, o: number): number {
    return this.little
      ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
      : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  private read16(b: Uint8Array, o: number): number {
    return this.little ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }

  private fail(items: PcapStreamItem[], error: Omit<PcapStreamError, 'fatal'>): number {
    this.failed = true;
    items.push({ kind: 'error', error: { ...error, fatal: true } });
    return 0;
  }

  private readGlobalHeader(buf: Uint8Array, offset: number, items: PcapStreamItem[]): number {
    if (buf.length - offset < GLOBAL_HEADER_LENGTH) return 0;
    const magic = ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
    let nanosecond: boolean;
    if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1) nanosecond = false;
    else if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) nanosecond = true;
    else {
      const hint = magic === 0x0a0d0d0a ? ' (this is pcapng; run tcpdump with -w, which writes classic pcap)' : '';
      return this.fail(items, { code: 'E_PCAP_BAD_MAGIC', detail: `not a pcap stream: magic ${hex32(magic)}${hint}` });
    }
    this.little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    this.fractionScale = nanosecond ? 1 : 1000;
    // The top bits of the link-type word carry FCS information; the type is the low 16 bits.
    const linkType = this.read32(buf, offset + 20) & 0xffff;
    const header: PcapGlobalHeader = {
      byteOrder: this.little ? 'little' : 'big',
      nanosecond,
      versionMajor: this.read16(buf, offset + 4),
      versionMinor: this.read16(buf, offset + 6),
      snapLength: this.read32(buf, offset + 16),
      linkType,
      linkTypeName: linkTypeName(linkType),
    };
    this.header = header;
    items.push({ kind: 'header', header });
    if (header.linkTypeName === null) {
      this.linkTypeReported = true;
      items.push({
        kind: 'error',
        error: {
          code: 'E_PCAP_UNSUPPORTED_LINK_TYPE',
          detail: `link type ${linkType} is not one the lab decodes (EN10MB, NULL, LOOP, LINUX_SLL, LINUX_SLL2); its records are skipped`,
          fatal: false,
        },
      });
    }
    return GLOBAL_HEADER_LENGTH;
  }

  private readRecord(buf: Uint8Array, offset: number, items: PcapStreamItem[]): number {
    const available = buf.length - offset;
    if (available < RECORD_HEADER_LENGTH) return 0;
    const header = this.header!;
    const tsSec = this.read32(buf, offset);
    const tsFraction = this.read32(buf, offset + 4);
    const capturedLength = this.read32(buf, offset + 8);
    const originalLength = this.read32(buf, offset + 12);
    const index = this.recordIndex;
    if (
      capturedLength > MAX_RECORD_LENGTH ||
      capturedLength > originalLength ||
      tsFraction >= 1e9 / this.fractionScale
    ) {
      return this.fail(items, {
        code: 'E_PCAP_CORRUPT_RECORD',
        detail: `record ${index} header is impossible (captured ${capturedLength}, original ${originalLength}, fraction ${tsFraction})`,
        recordIndex: index,
      });
    }
    const total = RECORD_HEADER_LENGTH + capturedLength;
    if (available < total) return 0;

    this.recordIndex++;
    this.stats.records++;
    const frame = buf.subarray(offset + RECORD_HEADER_LENGTH, offset + total);
    const meta: PcapRecordMeta = {
      index,
      tsSec,
      tsNsec: tsFraction * this.fractionScale,
      capturedLength,
      originalLength,
      frame,
    };
    const decoded = decodeFrame(frame, header.linkType);
    if (decoded.ok && decoded.transport === 'tcp') {
      this.stats.tcpPackets++;
      const packet = meta as PcapPacket;
      packet.decoded = decoded;
      items.push({ kind: 'packet', packet });
    } else if (decoded.ok) {
      this.stats.udpDatagrams++;
      const datagram = meta as PcapDatagram;
      datagram.decoded = decoded;
      items.push({ kind: 'datagram', datagram });
    } else if (MALFORMED_REASONS.has(decoded.reason)) {
      this.stats.malformed++;
      items.push({
        kind: 'error',
        error: {
          code: 'E_PACKET_MALFORMED',
          detail: `record ${index}: ${decoded.detail}`,
          fatal: false,
          recordIndex: index,
        },
      });
    } else {
      this.stats.skipped++;
      // An unsupported link type was already reported once at the header; per-record noise helps nobody.
      if (decoded.reason !== 'unsupportedLinkType' || !this.linkTypeReported) {
        items.push({ kind: 'skipped', record: meta, reason: decoded.reason, detail: decoded.detail });
      }
    }
    return total;
  }
}

function joinChunks(chunks: Uint8Array[], upTo: number): Uint8Array {
  const out = new Uint8Array(upTo);
  let o = 0;
  for (const c of chunks) {
    if (o >= upTo) break;
    const n = Math.min(c.length, upTo - o);
    out.set(n === c.length ? c : c.subarray(0, n), o);
    o += n;
  }
  return out;
}

/** Decodes a whole capture held in memory (a file, a test fixture). */
export function decodePcap(bytes: Uint8Array): PcapStreamItem[] {
  const decoder = new PcapStreamDecoder();
  return [...decoder.push(bytes), ...decoder.end()];
}
