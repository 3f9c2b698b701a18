// Turns captured TCP segments (packet.segment events) into the in-order payload bytes of each direction that the
// TLS decoder reads: drops retransmitted bytes, trims overlaps; pure.
import type { PacketSegmentEvent } from '../../../../core/protocol/events/packet.js';
import type { TlsSegment } from './tlsFlowDecoder.js';

/** Directions remembered at once (two per connection); the oldest is forgotten first. */
const MAX_DIRECTIONS = 1024;

export class TlsSegmentTap {
  /** Next relative sequence number expected per `connection:role`. */
  private readonly next = new Map<string, number>();

  /** The segment's new payload bytes as a TlsSegment, or null when it carries none (or only bytes seen before). */
  take(e: PacketSegmentEvent): TlsSegment | null {
    if (e.len === 0 || e.hexClipped) return e.len === 0 ? null : this.clipped(e);
    const start = e.layout.payloadOffset * 2;
    const end = e.layout.capturedEnd * 2;
    let payload: Uint8Array = Buffer.from(e.hex.slice(start, end), 'hex');
    const key = `${e.connection}:${e.role}`;
    const expected = this.next.get(key);
    if (expected !== undefined) {
      const behind = expected - e.relSeq;
      if (behind >= payload.length) return null; // a retransmission of bytes already read
      if (behind > 0) payload = payload.subarray(behind);
    } else if (this.next.size >= MAX_DIRECTIONS) {
      this.next.delete(this.next.keys().next().value!);
    }
    this.next.set(key, Math.max(expected ?? 0, e.relSeq + e.len));
    return { connection: e.connection, client: e.client, server: e.server, from: e.role, payload, at: e.at };
  }

  /** A frame whose hex was clipped cannot be read; the caller asked for whole frames, so this is a setup slip. */
  private clipped(e: PacketSegmentEvent): null {
    this.next.set(`${e.connection}:${e.role}`, e.relSeq + e.len);
    return null;
  }

  forget(connection: number): void {
    this.next.delete(`${connection}:client`);
    this.next.delete(`${connection}:server`);
  }
}
