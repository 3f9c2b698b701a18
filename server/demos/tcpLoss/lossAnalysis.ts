// Reads one bulk transfer's captured segments: retransmissions (the same bytes sent again), duplicate ACKs, SACK
// blocks, RTO back-off, throughput over time and RTT samples from the timestamps option. Pure; never throws.
import type { TcpOptionValue } from '../../../core/protocol/events/packet.js';
import type {
  BackoffChain,
  LossAnalysis,
  Retransmission,
  SackAck,
  SeqPoint,
} from '../../../core/protocol/demos/tcpLoss.js';
import { TCP_FLAG } from '../../observers/capture/frameDecoder.js';
import type { PcapPacket } from '../../observers/capture/pcapDecoder.js';

/** One captured TCP segment, as the analysis needs it. */
export interface LossSegment {
  /** Seconds (capture clock). */
  t: number;
  /** `ip:port` of each end. */
  from: string;
  to: string;
  seq: number;
  ack: number;
  flags: number;
  /** The advertised window as sent (unscaled): a changed window makes an ACK a window update, not a duplicate. */
  window: number;
  /** Payload bytes the segment carried. */
  len: number;
  options: readonly TcpOptionValue[];
}

export interface AnalysisLimits {
  /** Data segments kept for the sequence/time plot (all retransmissions are kept besides). */
  seqPoints: number;
  sackAcks: number;
  rttSamples: number;
}

const DEFAULT_LIMITS: AnalysisLimits = { seqPoints: 3000, sackAcks: 300, rttSamples: 3000 };
/** Width of a throughput bin, in seconds. */
export const THROUGHPUT_BIN = 0.1;
/** Duplicate ACKs (RFC 5681) that trigger a fast retransmit. */
const DUPACK_THRESHOLD = 3;

export function segmentFromPacket(packet: PcapPacket): LossSegment {
  const { ip, tcp, payloadLength } = packet.decoded;
  const host = (a: string) => (a.includes(':') ? `[${a}]` : a);
  return {
    t: packet.tsSec + packet.tsNsec / 1e9,
    from: `${host(ip.source)}:${tcp.sourcePort}`,
    to: `${host(ip.destination)}:${tcp.destinationPort}`,
    seq: tcp.seq,
    ack: tcp.ack,
    flags: tcp.flags,
    window: tcp.window,
    len: payloadLength,
    options: tcp.options,
  };
}

/** Capture times carry microseconds at best: rounded there, they stay exact and the JSON stays short. */
const micro = (x: number) => Math.round(x * 1e6) / 1e6;
const rel = (value: number, base: number) => (value - base) >>> 0;
const has = (s: LossSegment, flag: number) => (s.flags & flag) !== 0;

function timestamps(s: LossSegment): { value: number; echoReply: number } | null {
  for (const o of s.options) if (o.kind === 'timestamps') return o;
  return null;
}

function sackBlocks(s: LossSegment): Array<[number, number]> {
  for (const o of s.options) if (o.kind === 'sack') return o.blocks;
  return [];
}

/** The end that sent the most payload bytes is the sender; its peer is the receiver. */
function findSender(segments: readonly LossSegment[]): { sender: string; receiver: string } | null {
  const bytes = new Map<string, { n: number; to: string }>();
  for (const s of segments) {
    const entry = bytes.get(s.from) ?? { n: 0, to: s.to };
    entry.n += s.len;
    bytes.set(s.from, entry);
  }
  let best: { sender: string; receiver: string; n: number } | null = null;
  for (const [from, { n, to }] of bytes) if (n > 0 && (!best || n > best.n)) best = { sender: from, receiver: to, n };
  return best && { sender: best.sender, receiver: best.receiver };
}

export function emptyAnalysis(): LossAnalysis {
  return {
    dataSegments: 0,
    ackSegments: 0,
    retransmissions: [],
    duplicateAcks: 0,
    sackAcks: [],
    sackAckCount: 0,
    backoff: [],
    throughput: [],
    rtt: [],
    seqPoints: [],
    ackPoints: [],
    duration: 0,
  };
}

/** What the receiver said, kept to tell a fast retransmit from a timer's. */
interface AckEvidence {
  t: number;
  /** Highest byte the ACK covers: its cumulative ack, or the right edge of its highest SACK block. */
  top: number;
  /** The cumulative ack, when this ACK was a duplicate. */
  dupOf: number | null;
}

export function analyseLoss(segments: readonly LossSegment[], limits: AnalysisLimits = DEFAULT_LIMITS): LossAnalysis {
  const ends = findSender(segments);
  if (!ends) return emptyAnalysis();
  const { sender, receiver } = ends;
  const flow = segments.filter(
    (s) => (s.from === sender && s.to === receiver) || (s.from === receiver && s.to === sender),
  );
  const t0 = flow[0]!.t;
  const firstFromSender = flow.find((s) => s.from === sender)!;
  const isn = has(firstFromSender, TCP_FLAG.SYN) ? (firstFromSender.seq + 1) >>> 0 : firstFromSender.seq;

  const out = emptyAnalysis();
  const sends = new Map<number, number[]>(); // relative seq → send times
  const originals: Array<{ seq: number; end: number; t: number }> = []; // first sends, in seq order
  const evidence: AckEvidence[] = [];
  const tsSent = new Map<number, number>(); // TSval → time first seen on a data segment
  const binBytes: number[] = [];
  const allSeqPoints: SeqPoint[] = [];
  let highestEnd = 0;
  let highestAck = 0;
  let lastAck: number | null = null;
  let lastWindow = -1;

  const firstSendCovering = (seq: number): number | null => {
    let lo = 0;
    let hi = originals.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = originals[mid]!;
      if (seq < o.seq) hi = mid - 1;
      else if (seq >= o.end) lo = mid + 1;
      else return o.t;
    }
    return null;
  };

  // Fast retransmit evidence: since the last send of `seq`, three ACKs said bytes above it arrived (dup ACKs at
  // `seq`, or SACK blocks beyond it).
  const causeOf = (seq: number, since: number): Retransmission['cause'] => {
    let count = 0;
    for (let i = evidence.length - 1; i >= 0 && evidence[i]!.t >= since; i--) {
      const e = evidence[i]!;
      if (e.dupOf === seq || e.top > seq) count++;
      if (count >= DUPACK_THRESHOLD) return 'dupacks';
    }
    return 'timer';
  };

  for (const s of flow) {
    const t = micro(s.t - t0);
    if (s.from === sender) {
      if (s.len === 0) continue;
      out.dataSegments++;
      const seq = rel(s.seq, isn);
      const end = seq + s.len;
      const ts = timestamps(s);
      if (ts && !tsSent.has(ts.value)) tsSent.set(ts.value, t);
      const previous = sends.get(seq);
      const retransmit = seq < highestEnd;
      if (retransmit) {
        const last = previous?.at(-1) ?? firstSendCovering(seq) ?? t;
        out.retransmissions.push({
          t,
          seq,
          len: s.len,
          previousSends: previous?.length ?? 1,
          gap: micro(t - last),
          cause: causeOf(seq, last),
        });
      } else {
        originals.push({ seq, end, t });
      }
      if (previous) previous.push(t);
      else sends.set(seq, [t]);
      highestEnd = Math.max(highestEnd, end);
      allSeqPoints.push({ t, seq, len: s.len, retransmit });
      continue;
    }
    // From the receiver.
    if (!has(s, TCP_FLAG.ACK) || has(s, TCP_FLAG.SYN) || has(s, TCP_FLAG.RST)) continue;
    out.ackSegments++;
    const ack = Math.min(rel(s.ack, isn), highestEnd);
    const blocks = sackBlocks(s).map(([l, r]): [number, number] => [rel(l, isn), rel(r, isn)]);
    if (blocks.length > 0) {
      out.sackAckCount++;
      if (out.sackAcks.length < limits.sackAcks) out.sackAcks.push({ t, ack, blocks } satisfies SackAck);
    }
    let dupOf: number | null = null;
    if (ack > highestAck) {
      const bin = Math.floor(t / THROUGHPUT_BIN);
      binBytes[bin] = (binBytes[bin] ?? 0) + (ack - highestAck);
      highestAck = ack;
      out.ackPoints.push({ t, ack });
      const ts = timestamps(s);
      const sentAt = ts ? tsSent.get(ts.echoReply) : undefined;
      if (sentAt !== undefined) {
        if (out.rtt.length < limits.rttSamples) out.rtt.push({ t, ms: micro((t - sentAt) * 1000) });
        tsSent.delete(ts!.echoReply); // the first echo only: later ones measure the receiver's delay, not the path's
      }
    } else if (
      s.len === 0 &&
      !has(s, TCP_FLAG.FIN) &&
      ack === lastAck &&
      highestEnd > ack &&
      (s.window === lastWindow || blocks.length > 0)
    ) {
      // RFC 5681's duplicate ACK: nothing new acknowledged, no data, same window (or new SACK information).
      out.duplicateAcks++;
      dupOf = ack;
    }
    const top = Math.max(ack, ...blocks.map(([, r]) => r));
    evidence.push({ t, top, dupOf });
    lastAck = ack;
    lastWindow = s.window;
  }

  out.duration = micro(flow.at(-1)!.t - t0);
  const bins = Math.max(binBytes.length, Math.ceil(out.duration / THROUGHPUT_BIN));
  for (let i = 0; i < bins; i++) out.throughput.push({ t: +(i * THROUGHPUT_BIN).toFixed(3), bytes: binBytes[i] ?? 0 });
  const causes = new Map<number, Retransmission['cause'][]>();
  for (const r of out.retransmissions) causes.set(r.seq, [...(causes.get(r.seq) ?? []), r.cause]);
  for (const [seq, times] of sends) {
    if (times.length < 3) continue;
    const gaps = times.slice(1).map((x, i) => micro(x - times[i]!));
    out.backoff.push({ seq, sends: times, gaps, causes: causes.get(seq) ?? [] } satisfies BackoffChain);
  }
  out.backoff.sort((a, b) => a.sends[0]! - b.sends[0]!);
  out.seqPoints = thinSeqPoints(allSeqPoints, limits.seqPoints);
  return out;
}

/** At most `max` first sends, evenly spread, plus every retransmission: the plot keeps its shape and all losses. */
export function thinSeqPoints(points: readonly SeqPoint[], max: number): SeqPoint[] {
  const firsts = points.filter((p) => !p.retransmit).length;
  if (firsts <= max) return [...points];
  const every = Math.ceil(firsts / max);
  let i = 0;
  return points.filter((p) => p.retransmit || i++ % every === 0);
}
