// Loss analysis figures: segments per second through the analysis (retransmissions, dup ACKs, SACK, back-off,
// throughput, RTT) on a long lossy capture made by repeating the lab's own 256 KB lossy capture, and through the
// pcap decoder first; beside them, the segment rate of the lab's own recorded 2 MB lossy run, the rate the
// analysis has to keep up with.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePcap } from '../server/observers/capture/pcapDecoder.js';
import { analyseLoss, segmentFromPacket, type LossSegment } from '../server/demos/tcpLoss/lossAnalysis.js';
import { loadRecording } from '../server/demos/tcpLoss/tcpLossDemo.js';

const FIXTURE = fileURLToPath(new URL('../server/demos/tcpLoss/fixtures/lossy-256k.pcap', import.meta.url));
const TARGET = 200_000;

/** The capture again and again as one long transfer: each copy's seqs, acks and TSvals follow on from the last. */
function longCapture(base: readonly LossSegment[], target: number): LossSegment[] {
  const span = 1 << 20;
  const duration = base.at(-1)!.t - base[0]!.t + 0.001;
  const body = base.filter((s) => (s.flags & 0x02) === 0); // no handshake in the copies
  const out: LossSegment[] = [...base];
  for (let copy = 1; out.length < target; copy++) {
    for (const s of body) {
      if (out.length >= target) break;
      const shift = (v: number) => (v + copy * span) >>> 0;
      out.push({
        ...s,
        t: s.t + copy * duration,
        seq: s.from === base[0]!.from ? shift(s.seq) : s.seq,
        ack: s.from === base[0]!.from ? s.ack : shift(s.ack),
        options: s.options.map((o) =>
          o.kind === 'timestamps'
            ? { ...o, value: o.value + copy * 100_000, echoReply: o.echoReply + copy * 100_000 }
            : o,
        ),
      });
    }
  }
  return out;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

export async function run(): Promise<void> {
  const bytes = readFileSync(FIXTURE);
  const [base, decodeMs] = timed(() =>
    decodePcap(bytes).flatMap((i) => (i.kind === 'packet' ? [segmentFromPacket(i.packet)] : [])),
  );
  const segments = longCapture(base, TARGET);
  analyseLoss(segments.slice(0, 20_000)); // warm up
  const [a, ms] = timed(() => analyseLoss(segments));
  const lossy = loadRecording().lossy;
  const recorded = lossy.analysis!.dataSegments + lossy.analysis!.ackSegments;
  const liveRate = recorded / lossy.analysis!.duration;
  console.log('tcp-loss analysis');
  console.log(
    `  decode + read the lab's 256 KB lossy capture: ${base.length} segments in ${decodeMs.toFixed(1)} ms` +
      ` (${Math.round(base.length / (decodeMs / 1000)).toLocaleString('en')} segments/s)`,
  );
  console.log(
    `  analysis of ${segments.length.toLocaleString('en')} segments: ${ms.toFixed(0)} ms = ` +
      `${Math.round(segments.length / (ms / 1000)).toLocaleString('en')} segments/s ` +
      `(${a.retransmissions.length.toLocaleString('en')} retransmissions, ${a.duplicateAcks.toLocaleString('en')} dup ACKs)`,
  );
  console.log(
    `  beside it: the recorded 2 MB run at 20 % loss captured ${recorded} segments in ${lossy.analysis!.duration.toFixed(2)} s` +
      ` = ${Math.round(liveRate).toLocaleString('en')} segments/s; the analysis is ${Math.round(segments.length / (ms / 1000) / liveRate)}× faster`,
  );
}
