// Turns raw pcap bytes into lab event bodies: decoded segments and datagrams (captured), decode errors and inferred states (modelled); pure.
import { wireError } from '../../../core/protocol/errors.js';
import type { PacketDatagramEvent, PacketEvent, PacketSegmentEvent } from '../../../core/protocol/events/packet.js';
import { endpointName, type TcpStateEvent } from '../../../core/protocol/events/tcpState.js';
import { tcpFlagNames } from './frameDecoder.js';
import {
  PcapStreamDecoder,
  type PcapDatagram,
  type PcapPacket,
  type PcapStreamItem,
  type PcapStreamStats,
} from './pcapDecoder.js';
import { TcpSequenceTracker } from './tcpSequenceTracker.js';
import { TcpStateModel, type InferredTransition } from './tcpStateModel.js';

export type CaptureEventBody = PacketEvent | TcpStateEvent;

export interface CaptureProcessorOptions {
  /** Also emit 'modelled' state transitions inferred from the segments (default true). */
  inferStates?: boolean;
  /** Frame bytes kept per segment for the hex view (default 2048). */
  maxHexBytes?: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Node's Buffer writes hex natively (about half again as fast); the table loop serves anywhere else. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function bytesToHex(bytes: Uint8Array, limit: number): string {
  const n = Math.min(bytes.length, limit);
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, n).toString('hex');
  let out = '';
  for (let i = 0; i < n; i++) out += HEX[bytes[i]!];
  return out;
}

const SYN = 0x02;

export class CaptureProcessor {
  private readonly decoder = new PcapStreamDecoder();
  private readonly tracker = new TcpSequenceTracker();
  private readonly model: TcpStateModel | null;
  private readonly maxHexBytes: number;
  /** Window-scale shift each endpoint announced in its SYN (keyed by `ip:port`). */
  private readonly windowShifts = new Map<string, number>();
  private linkTypeText: string | null = null;
  /** Reused for each segment's inferred transitions. */
  private readonly inferred: InferredTransition[] = [];

  constructor(options: CaptureProcessorOptions = {}) {
    this.model = options.inferStates === false ? null : new TcpStateModel();
    this.maxHexBytes = options.maxHexBytes ?? 2048;
  }

  get stats(): PcapStreamStats {
    return this.decoder.stats;
  }

  get linkType(): string | null {
    const h = this.decoder.globalHeader;
    return h ? (h.linkTypeName ?? String(h.linkType)) : null;
  }

  /** True once the stream is unreadable (a fatal decode error was reported). */
  get hasFailed(): boolean {
    return this.decoder.hasFailed;
  }

  push(chunk: Uint8Array): CaptureEventBody[] {
    return this.translate(this.decoder.push(chunk));
  }

  /** The capture ended: reports a half-written last record, if any. */
  end(): CaptureEventBody[] {
    return this.translate(this.decoder.end());
  }

  private translate(items: PcapStreamItem[]): CaptureEventBody[] {
    const out: CaptureEventBody[] = [];
    for (const item of items) {
      if (item.kind === 'packet') this.segment(item.packet, out);
      else if (item.kind === 'datagram') out.push(this.datagram(item.datagram));
      else if (item.kind === 'error') {
        const e = item.error;
        const event: CaptureEventBody = {
          kind: 'packet.decodeError',
          source: 'captured',
          error: wireError(e.code, e.detail),
          fatal: e.fatal,
        };
        if (e.recordIndex !== undefined) event.recordIndex = e.recordIndex;
        out.push(event);
      }
      // 'header' is reflected in linkType; 'skipped' (neither TCP nor UDP) only counts in stats.
    }
    return out;
  }

  /** A datagram stands alone: no connection to track, no state to infer. */
  private datagram(d: PcapDatagram): PacketDatagramEvent {
    const { ip, udp } = d.decoded;
    return {
      kind: 'packet.datagram',
      source: 'captured',
      index: d.index,
      tsSec: d.tsSec,
      tsNsec: d.tsNsec,
      at: d.tsSec * 1000 + d.tsNsec / 1e6,
      from: endpointName(ip.source, udp.sourcePort),
      to: endpointName(ip.destination, udp.destinationPort),
      len: d.decoded.payloadLength,
      payloadTruncated: d.decoded.payloadTruncated,
      headers: { link: d.decoded.link, ip, udp },
      hex: bytesToHex(d.frame, this.maxHexBytes),
      hexClipped: d.frame.length > this.maxHexBytes,
      layout: d.decoded.layout,
      capturedLength: d.capturedLength,
      originalLength: d.originalLength,
      linkType: (this.linkTypeText ??= this.linkType ?? 'unknown'),
    };
  }

  private segment(p: PcapPacket, out: CaptureEventBody[]): void {
    const { ip, tcp, payloadLength, layout } = p.decoded;
    const tracked = this.tracker.observe({
      sourceIp: ip.source,
      sourcePort: tcp.sourcePort,
      destinationIp: ip.destination,
      destinationPort: tcp.destinationPort,
      flags: tcp.flags,
      seq: tcp.seq,
      ack: tcp.ack,
    });
    const from = tracked.senderRole === 'client' ? tracked.client : tracked.server;
    const to = tracked.senderRole === 'client' ? tracked.server : tracked.client;
    if (tcp.flags & SYN) {
      const ws = tcp.options.find((o) => o.kind === 'wscale');
      if (ws && ws.kind === 'wscale') this.windowShifts.set(from, ws.shift);
      else this.windowShifts.delete(from);
    }
    const at = p.tsSec * 1000 + p.tsNsec / 1e6;
    const event: PacketSegmentEvent = {
      kind: 'packet.segment',
      source: 'captured',
      index: p.index,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      at,
      connection: tracked.connectionId,
      client: tracked.client,
      server: tracked.server,
      from,
      to,
      role: tracked.senderRole,
      handshakeSeen: tracked.handshakeSeen,
      flags: tcpFlagNames(tcp.flags),
      seqNum: tcp.seq,
      ackNum: tcp.ack,
      relSeq: tracked.relativeSeq,
      relAck: tracked.relativeAck,
      len: payloadLength,
      window: tcp.window,
      windowShift: this.windowShifts.get(from) ?? null,
      headers: { link: p.decoded.link, ip, tcp },
      hex: bytesToHex(p.frame, this.maxHexBytes),
      hexClipped: p.frame.length > this.maxHexBytes,
      layout,
      capturedLength: p.capturedLength,
      originalLength: p.originalLength,
      linkType: (this.linkTypeText ??= this.linkType ?? 'unknown'),
    };
    out.push(event);
    if (!this.model) return;
    const inferred = this.inferred;
    inferred.length = 0;
    this.model.observe(
      {
        connection: tracked.connectionId,
        role: tracked.senderRole,
        client: tracked.client,
        server: tracked.server,
        flags: tcp.flags,
        relSeq: tracked.relativeSeq,
        relAck: tracked.relativeAck,
        len: payloadLength,
        handshakeSeen: tracked.handshakeSeen,
        at,
      },
      inferred,
    );
    for (const t of inferred) out.push({ kind: 'tcpState.inferred', source: 'modelled', ...t });
  }
}
