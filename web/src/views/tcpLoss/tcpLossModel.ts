// The loss view's figures from runs: the latest progress from the event stream, throughput in MB/s per bin, the
// summary rows of a clean and a lossy run side by side, the back-off chains worth showing, and the sequence plot's
// geometry. Pure; tested in tcpLossModel.test.ts.
import type { LabEvent } from '@core/protocol/events';
import type { TcpLossRunResult, TcpLossSettings } from '@core/protocol/demos/tcpLoss';
import type { Fold } from '../../store/eventFold';
import type { SeriesPoint } from '../common/timeSeriesPaths';

export interface LossProgress {
  run: string;
  settings: TcpLossSettings;
  elapsedMs: number;
  received: number;
  done: boolean;
}

/** The newest run's progress (a run's end marks it done). */
export const tcpLossFold: Fold<{ progress: LossProgress | null }> = {
  init: () => ({ progress: null }),
  step(state, e: LabEvent) {
    if (e.kind === 'tcpLoss.progress') {
      state.progress = { run: e.run, settings: e.settings, elapsedMs: e.elapsedMs, received: e.received, done: false };
    } else if (e.kind === 'tcpLoss.runEnd' && state.progress?.run === e.run) {
      state.progress = { ...state.progress, done: true };
    }
  },
};

const BIN_SECONDS = 0.1;

/** MB/s in each 100 ms bin: bytes newly acknowledged in the bin, over the bin's length. */
export function throughputSeries(result: TcpLossRunResult): SeriesPoint[] {
  return (result.analysis?.throughput ?? []).map((b) => [b.t, b.bytes / BIN_SECONDS / 1e6] as const);
}

export function counterDelta(result: TcpLossRunResult | null, name: string): number | null {
  const c = result?.counters.find((x) => x.name === name);
  return c ? c.after - c.before : null;
}

export interface SummaryFigures {
  seconds: number;
  /** Average goodput: bytes the receiver read over the run's time, MB/s. */
  mbPerSecond: number;
  retransmissionsCaptured: number | null;
  retransSegsKernel: number | null;
  timeouts: number | null;
  fastRetransmits: number | null;
  duplicateAcks: number | null;
  sackAcks: number | null;
  droppedByRule: number | null;
}

export function summary(result: TcpLossRunResult): SummaryFigures {
  const a = result.analysis;
  return {
    seconds: result.elapsedMs / 1000,
    mbPerSecond: result.elapsedMs > 0 ? result.bytesReceived / (result.elapsedMs / 1000) / 1e6 : 0,
    retransmissionsCaptured: a ? a.retransmissions.length : null,
    retransSegsKernel: counterDelta(result, 'Tcp:RetransSegs'),
    timeouts: counterDelta(result, 'TcpExt:TCPTimeouts'),
    fastRetransmits: counterDelta(result, 'TcpExt:TCPFastRetrans'),
    duplicateAcks: a ? a.duplicateAcks : null,
    sackAcks: a ? a.sackAckCount : null,
    droppedByRule: result.droppedByRule,
  };
}

/** How many times slower the lossy run was (null until both exist). */
export function slowdown(clean: TcpLossRunResult | null, lossy: TcpLossRunResult | null): number | null {
  if (!clean || !lossy || clean.elapsedMs <= 0) return null;
  return lossy.elapsedMs / clean.elapsedMs;
}

export interface BackoffRow {
  seq: number;
  /** Gaps between the sends, in ms, each with what sent the resend. */
  gaps: Array<{ ms: number; cause: 'dupacks' | 'timer' }>;
  /** True when two timer gaps in a row grew by about ×2 (1.5–2.5): the RTO doubling. */
  doubled: boolean;
}

/** Seqs the retransmission timer resent more than once first (the doubling shows there), then the rest; bounded. */
export function backoffRows(result: TcpLossRunResult, max = 8): BackoffRow[] {
  const rows = (result.analysis?.backoff ?? []).map((c): BackoffRow => {
    const gaps = c.gaps.map((g, i) => ({ ms: g * 1000, cause: c.causes[i] ?? ('timer' as const) }));
    let doubled = false;
    for (let i = 1; i < gaps.length; i++) {
      const [a, b] = [gaps[i - 1]!, gaps[i]!];
      if (a.cause === 'timer' && b.cause === 'timer' && b.ms / a.ms >= 1.5 && b.ms / a.ms <= 2.5) doubled = true;
    }
    return { seq: c.seq, gaps, doubled };
  });
  const timerCount = (r: BackoffRow) => r.gaps.filter((g) => g.cause === 'timer').length;
  return rows.sort((a, b) => Number(b.doubled) - Number(a.doubled) || timerCount(b) - timerCount(a)).slice(0, max);
}

/** A readable axis top for the sequence plot (bytes) and time (s). */
export function seqPlotExtent(result: TcpLossRunResult): { maxSeq: number; maxT: number } {
  const a = result.analysis;
  if (!a) return { maxSeq: 1, maxT: 1 };
  const maxSeq = Math.max(1, ...a.seqPoints.map((p) => p.seq + p.len), ...a.ackPoints.map((p) => p.ack));
  return { maxSeq, maxT: Math.max(a.duration, 1e-3) };
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(n / 1024)} KB`;
}
