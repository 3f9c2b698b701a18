import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINK_TYPE, TCP_FLAG } from '../../observers/capture/frameDecoder.js';
import {
  buildPcap,
  buildTcpIpPacket,
  wrapInLinkLayer,
  type TcpOptionSpec,
} from '../../observers/capture/pcapBuilder.js';
import { decodePcap } from '../../observers/capture/pcapDecoder.js';
import { analyseLoss, segmentFromPacket, thinSeqPoints, THROUGHPUT_BIN, type LossSegment } from './lossAnalysis.js';

const { SYN, ACK, PSH } = TCP_FLAG;
const S_ISN = 1000;
const R_ISN = 5000;

interface Hand {
  t: number;
  dir: 'S' | 'R';
  flags: number;
  seq?: number; // relative to the sender's first byte (S) / absolute (R unused)
  ack?: number; // relative to the sender's first byte (R)
  len?: number;
  ts?: [number, number];
  sack?: Array<[number, number]>;
}

/** Builds real pcap bytes from a hand-written exchange, then decodes them the way a run does. */
function capture(hand: Hand[]): LossSegment[] {
  const records = hand.map((h) => {
    const options: TcpOptionSpec[] = [];
    if (h.ts)
      options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', value: h.ts[0], echoReply: h.ts[1] });
    if (h.sack)
      options.push(
        { kind: 'nop' },
        { kind: 'nop' },
        { kind: 'sack', blocks: h.sack.map(([l, r]) => [S_ISN + 1 + l, S_ISN + 1 + r]) },
      );
    const fromSender = h.dir === 'S';
    const ip = buildTcpIpPacket({
      source: '127.0.0.1',
      destination: '127.0.0.1',
      sourcePort: fromSender ? 40000 : 5001,
      destinationPort: fromSender ? 5001 : 40000,
      seq: fromSender ? (h.flags & SYN ? S_ISN : S_ISN + 1 + (h.seq ?? 0)) : h.flags & SYN ? R_ISN : R_ISN + 1,
      ack: fromSender ? R_ISN + 1 : S_ISN + 1 + (h.ack ?? 0),
      flags: h.flags,
      options,
      payload: new Uint8Array(h.len ?? 0),
    });
    const us = Math.round(h.t * 1e6);
    return { tsSec: 1000 + Math.floor(us / 1e6), tsFraction: us % 1e6, frame: wrapInLinkLayer(ip, LINK_TYPE.EN10MB) };
  });
  return decodePcap(buildPcap({ linkType: LINK_TYPE.EN10MB }, records)).flatMap((i) =>
    i.kind === 'packet' ? [segmentFromPacket(i.packet)] : [],
  );
}

const data = (t: number, seq: number, tsval: number): Hand => ({
  t,
  dir: 'S',
  flags: PSH | ACK,
  seq,
  len: 100,
  ts: [tsval, 1],
});
const ackOf = (t: number, ack: number, echo: number, sack?: Array<[number, number]>): Hand => ({
  t,
  dir: 'R',
  flags: ACK,
  ack,
  ts: [1, echo],
  ...(sack ? { sack } : {}),
});

// One loss repaired by fast retransmit (three SACKed duplicate ACKs), then one repaired only by the timer: sent
// four times, 200, 400 and 800 ms apart.
const EXCHANGE: Hand[] = [
  { t: 0, dir: 'S', flags: SYN, ts: [5, 0] },
  { t: 0.001, dir: 'R', flags: SYN | ACK, ack: 0 },
  { t: 0.002, dir: 'S', flags: ACK },
  data(0.01, 0, 10),
  data(0.011, 100, 11), // lost
  data(0.012, 200, 12),
  data(0.013, 300, 13),
  ackOf(0.02, 100, 10),
  ackOf(0.021, 100, 12, [[200, 300]]),
  ackOf(0.022, 100, 13, [[200, 400]]),
  ackOf(0.023, 100, 13, [[200, 400]]),
  data(0.024, 100, 24), // fast retransmit
  ackOf(0.03, 400, 24),
  data(0.04, 400, 40), // lost, and lost again
  data(0.24, 400, 240),
  data(0.64, 400, 640),
  data(1.44, 400, 1440),
  ackOf(1.45, 500, 1440),
];

describe('analyseLoss on a hand-made capture', () => {
  const a = analyseLoss(capture(EXCHANGE));

  it('finds each retransmission, what came before it, and what sent it', () => {
    expect(a.retransmissions).toEqual([
      { t: 0.024, seq: 100, len: 100, previousSends: 1, gap: 0.013, cause: 'dupacks' },
      { t: 0.24, seq: 400, len: 100, previousSends: 1, gap: 0.2, cause: 'timer' },
      { t: 0.64, seq: 400, len: 100, previousSends: 2, gap: 0.4, cause: 'timer' },
      { t: 1.44, seq: 400, len: 100, previousSends: 3, gap: 0.8, cause: 'timer' },
    ]);
    expect(a.dataSegments).toBe(9);
  });

  it('sees the retransmission timer double', () => {
    expect(a.backoff).toEqual([
      { seq: 400, sends: [0.04, 0.24, 0.64, 1.44], gaps: [0.2, 0.4, 0.8], causes: ['timer', 'timer', 'timer'] },
    ]);
  });

  it('counts duplicate ACKs and reads their SACK blocks relative to the first byte', () => {
    expect(a.duplicateAcks).toBe(3);
    expect(a.sackAckCount).toBe(3);
    expect(a.sackAcks.map((s) => [s.ack, s.blocks])).toEqual([
      [100, [[200, 300]]],
      [100, [[200, 400]]],
      [100, [[200, 400]]],
    ]);
  });

  it('takes RTT samples from TSecr echoes on ACKs that move forward', () => {
    expect(a.rtt).toEqual([
      { t: 0.02, ms: 10 },
      { t: 0.03, ms: 6 },
      { t: 1.45, ms: 10 },
    ]);
  });

  it('bins newly acknowledged bytes per 100 ms, with the empty bins of the stall', () => {
    expect(a.throughput).toHaveLength(15);
    expect(a.throughput[0]).toEqual({ t: 0, bytes: 400 });
    expect(a.throughput.slice(1, 14).every((b) => b.bytes === 0)).toBe(true);
    expect(a.throughput[14]).toEqual({ t: 1.4, bytes: 100 });
    expect(a.ackPoints.map((p) => p.ack)).toEqual([100, 400, 500]);
    expect(a.duration).toBe(1.45);
  });

  it('marks retransmissions on the sequence/time plot', () => {
    expect(a.seqPoints.filter((p) => p.retransmit).map((p) => [p.t, p.seq])).toEqual([
      [0.024, 100],
      [0.24, 400],
      [0.64, 400],
      [1.44, 400],
    ]);
  });

  it('does not count a window update as a duplicate ACK', () => {
    const segments = capture(EXCHANGE.slice(0, 8));
    const update = { ...segments.at(-1)!, t: segments.at(-1)!.t + 0.001, window: 1000 };
    expect(analyseLoss([...segments, update]).duplicateAcks).toBe(0);
    expect(analyseLoss([...segments, { ...update, window: segments.at(-1)!.window }]).duplicateAcks).toBe(1);
  });

  it('returns an empty analysis when nothing carried data', () => {
    const a0 = analyseLoss(capture(EXCHANGE.slice(0, 3)));
    expect(a0.retransmissions).toEqual([]);
    expect(a0.dataSegments).toBe(0);
  });
});

describe('thinSeqPoints', () => {
  it('keeps every retransmission and at most the bound of first sends', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ t: i, seq: i * 10, len: 10, retransmit: i % 100 === 7 }));
    const thin = thinSeqPoints(points, 100);
    expect(thin.filter((p) => p.retransmit)).toHaveLength(10);
    expect(thin.filter((p) => !p.retransmit).length).toBeLessThanOrEqual(100);
    expect(thinSeqPoints(points.slice(0, 50), 100)).toHaveLength(50);
  });
});

describe("analyseLoss on the lab's own lossy capture (256 KB, 20 % of data segments dropped)", () => {
  const file = fileURLToPath(new URL('./fixtures/lossy-256k.pcap', import.meta.url));
  const segments = decodePcap(readFileSync(file)).flatMap((i) =>
    i.kind === 'packet' ? [segmentFromPacket(i.packet)] : [],
  );
  const a = analyseLoss(segments);

  it('finds real retransmissions, each of bytes sent before', () => {
    expect(a.retransmissions.length).toBeGreaterThan(0);
    const firstSends = a.seqPoints.filter((p) => !p.retransmit);
    for (const r of a.retransmissions) {
      expect(firstSends.some((p) => p.seq <= r.seq && r.seq < p.seq + p.len && p.t < r.t)).toBe(true);
    }
  });

  it('sees the receiver SACK the bytes after each hole, and every byte acknowledged by the end', () => {
    expect(a.sackAckCount).toBeGreaterThan(0);
    for (const s of a.sackAcks) {
      for (const [l, r] of s.blocks) {
        expect(l).toBeGreaterThanOrEqual(s.ack);
        expect(r).toBeGreaterThan(l);
      }
    }
    expect(a.throughput.reduce((n, b) => n + b.bytes, 0)).toBe(256 * 1024);
    expect(a.throughput.every((b, i) => Math.abs(b.t - i * THROUGHPUT_BIN) < 1e-9)).toBe(true);
  });

  it('measures RTT from the timestamps option', () => {
    expect(a.rtt.length).toBeGreaterThan(0);
    expect(a.rtt.every((s) => s.ms >= 0)).toBe(true);
  });
});
