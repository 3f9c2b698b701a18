// The UDP view's state from the event stream: captured datagrams (newest few, with their payload text), the capture's
// status, the echo server's counters and the relay's latest decisions; and pure helpers for the panels. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { CaptureStatus } from '@core/protocol/events/packet';
import type { Fold } from '../../store/eventFold';

export interface DatagramRow {
  index: number;
  from: string;
  to: string;
  len: number;
  ipVersion: 4 | 6;
  /** The first payload bytes as text (control bytes shown as dots). */
  preview: string;
  truncated: boolean;
}

export interface RelayRow {
  from: string;
  action: 'forward' | 'drop' | 'hold' | 'release';
  number: number | null;
}

export interface UdpViewState {
  capture: CaptureStatus | 'unknown';
  datagrams: DatagramRow[];
  /** Datagrams captured in all (the list keeps the newest only). */
  datagramCount: number;
  relay: RelayRow[];
  stats: { received: number; echoed: number; droppedByBudget: number; sources: number } | null;
}

const KEEP_DATAGRAMS = 12;
const KEEP_RELAY = 40;
const PREVIEW_BYTES = 24;

/** Printable ASCII of the payload's first bytes, from the frame's hex. */
export function payloadPreview(hex: string, payloadOffset: number, capturedEnd: number, limit = PREVIEW_BYTES): string {
  let text = '';
  const end = Math.min(capturedEnd, payloadOffset + limit);
  for (let i = payloadOffset; i < end; i++) {
    const byte = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (Number.isNaN(byte)) break;
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
  }
  return text;
}

export const udpViewFold: Fold<UdpViewState> = {
  init: () => ({ capture: 'unknown', datagrams: [], datagramCount: 0, relay: [], stats: null }),
  step(s, e: LabEvent) {
    if (e.demo !== 'udp') return;
    if (e.kind === 'packet.captureStatus') s.capture = e.status;
    else if (e.kind === 'packet.datagram') {
      s.datagramCount++;
      s.datagrams.unshift({
        index: e.index,
        from: e.from,
        to: e.to,
        len: e.len,
        ipVersion: e.headers.ip.version,
        preview: payloadPreview(e.hex, e.layout.payloadOffset, e.layout.capturedEnd),
        truncated: e.payloadTruncated,
      });
      if (s.datagrams.length > KEEP_DATAGRAMS) s.datagrams.length = KEEP_DATAGRAMS;
    } else if (e.kind === 'udp.relay') {
      s.relay.push({ from: e.from, action: e.action, number: e.number });
      if (s.relay.length > KEEP_RELAY) s.relay.splice(0, s.relay.length - KEEP_RELAY);
    } else if (e.kind === 'udp.stats') {
      s.stats = { received: e.received, echoed: e.echoed, droppedByBudget: e.droppedByBudget, sources: e.sources };
    }
  },
};

/** What one arrival strip shows: each echo in arrival order, marked when it came after a higher number. */
export function arrivalMarks(arrivals: readonly number[]): Array<{ seq: number; late: boolean }> {
  let highest = 0;
  return arrivals.map((seq) => {
    const late = seq < highest;
    highest = Math.max(highest, seq);
    return { seq, late };
  });
}

/**
 * What Go's ReadFrom returns on Linux for a datagram of `size` bytes read into a `buffer`-byte slice: n is at most
 * the buffer, the rest of the datagram is discarded, and err is nil. (Inferred from the kernel's recvfrom without
 * MSG_TRUNC, which Go uses; the lesson's Go program shows it for real.)
 */
export function readFromResult(size: number, buffer: number): { n: number; discarded: number } {
  const n = Math.min(size, buffer);
  return { n, discarded: size - n };
}
