// The connection-pool view's state, folded from the demo's events: the last run of each mode (dial per request and
// pool) with its windows, the proxy's resets and its totals, so both modes are drawn side by side. Pure; tested beside it.
import type { LabEvent } from '@core/protocol/events';
import type { PoolMode, PoolRunArgs } from '@core/protocol/demos/connectionPool';
import type { PoolCaptureInfo, PoolRunTotals, PoolStats } from '@core/protocol/events/connectionPool';
import type { Fold } from '../../store/eventFold';

/** Windows kept per run: a run lasts at most 10 s, four windows a second. */
export const MAX_SAMPLES = 80;

export interface PoolRunRecord {
  args: PoolRunArgs;
  capture: PoolCaptureInfo;
  samples: PoolStats[];
  resets: { atMs: number; connections: number }[];
  totals?: PoolRunTotals;
  durationMs?: number;
  stoppedEarly?: boolean;
}

export interface ConnectionPoolState {
  runs: Partial<Record<PoolMode, PoolRunRecord>>;
  running: PoolMode | null;
  version: number;
}

export function connectionPoolFold(demo: string): Fold<ConnectionPoolState> {
  return {
    init: () => ({ runs: {}, running: null, version: 0 }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      const current = s.running ? s.runs[s.running] : undefined;
      switch (e.kind) {
        case 'pool.runStart':
          s.runs[e.args.mode] = { args: e.args, capture: e.capture, samples: [], resets: [] };
          s.running = e.args.mode;
          break;
        case 'pool.stats':
          if (!current || current.totals) return;
          current.samples.push(e);
          if (current.samples.length > MAX_SAMPLES) current.samples.splice(0, current.samples.length - MAX_SAMPLES);
          break;
        case 'pool.reset':
          current?.resets.push({ atMs: e.atMs, connections: e.connections });
          break;
        case 'pool.runEnd': {
          const run = s.runs[e.mode];
          if (run) Object.assign(run, { totals: e.totals, durationMs: e.durationMs, stoppedEarly: e.stoppedEarly });
          s.running = null;
          break;
        }
        default:
          return;
      }
      s.version++;
    },
  };
}

/** Whether the capture's count of the callers' handshakes equals the pool's dials (null: no capture, or no totals). */
export function handshakesAgree(totals: PoolRunTotals | undefined): boolean | null {
  if (!totals?.capturedHandshakes) return null;
  return totals.capturedHandshakes.toProxy === totals.counters.dials;
}

/** Requests per handshake over a run: how many requests each TCP handshake served (null before any dial). */
export function requestsPerHandshake(totals: PoolRunTotals | undefined): number | null {
  if (!totals) return null;
  const handshakes = totals.capturedHandshakes?.toProxy ?? totals.counters.dials;
  return handshakes === 0 ? null : totals.ok / handshakes;
}

/** The most callers seen waiting for a connection at one statistics tick of a run (0 before any tick). */
export function peakWaiting(run: PoolRunRecord | undefined): number {
  let peak = 0;
  for (const s of run?.samples ?? []) peak = Math.max(peak, s.waiting);
  return peak;
}
