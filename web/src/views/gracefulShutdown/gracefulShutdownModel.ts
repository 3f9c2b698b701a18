// The graceful-shutdown view's state, folded from the demo's events: the run's settings, per mode the server's
// requests in flight over time, when the shutdown began and ended, and what it lost. Pure; tested beside.
import type { ShutdownMode, ShutdownRunArgs } from '@core/protocol/demos/gracefulShutdown';
import type { LabEvent } from '@core/protocol/events';
import type { ShutdownResult } from '@core/protocol/events/gracefulShutdown';
import type { Fold } from '../../store/eventFold';

/** Samples kept per mode (100 ms each: the longest run, 10 s of load and a 10 s deadline, fits). */
export const MAX_SAMPLES = 250;

export interface ModeSeries {
  mode: ShutdownMode;
  samples: { atMs: number; inFlight: number; connections: number }[];
  shutdownAtMs: number | null;
  exitedAtMs: number | null;
  result: ShutdownResult | null;
}

export interface ShutdownState {
  args: ShutdownRunArgs | null;
  modes: ModeSeries[];
  running: boolean;
  stoppedEarly: boolean;
  version: number;
}

export function gracefulShutdownFold(demo: string): Fold<ShutdownState> {
  return {
    init: () => ({ args: null, modes: [], running: false, stoppedEarly: false, version: 0 }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      const series = (mode: ShutdownMode): ModeSeries => {
        let m = s.modes.find((x) => x.mode === mode);
        if (!m) {
          m = { mode, samples: [], shutdownAtMs: null, exitedAtMs: null, result: null };
          s.modes.push(m);
        }
        return m;
      };
      switch (e.kind) {
        case 'shutdown.runStart': {
          const { modes, clients, workMs, loadMs, deadlineMs } = e;
          s.args = { modes, clients, workMs, loadMs, deadlineMs };
          s.modes = [];
          s.running = true;
          s.stoppedEarly = false;
          break;
        }
        case 'shutdown.phase': {
          const m = series(e.mode);
          if (e.phase === 'shutdown') m.shutdownAtMs = e.atMs;
          if (e.phase === 'exited') m.exitedAtMs = e.atMs;
          break;
        }
        case 'shutdown.sample': {
          const m = series(e.mode);
          if (m.samples.length < MAX_SAMPLES)
            m.samples.push({ atMs: e.atMs, inFlight: e.inFlight, connections: e.connections });
          break;
        }
        case 'shutdown.result': {
          const { seq: _seq, t: _t, demo: _demo, kind: _kind, source: _source, ...result } = e;
          series(e.mode).result = result;
          break;
        }
        case 'shutdown.runEnd':
          s.running = false;
          s.stoppedEarly = e.stoppedEarly;
          break;
        default:
          return;
      }
      s.version++;
    },
  };
}

/** The chart's extent: the longest mode's time, and the most requests in flight (at least the clients). */
export function shutdownScale(s: ShutdownState): { spanMs: number; yMax: number } {
  const spanMs = Math.max(1000, ...s.modes.flatMap((m) => m.samples.map((x) => x.atMs)));
  const yMax = Math.max(s.args?.clients ?? 1, ...s.modes.flatMap((m) => m.samples.map((x) => x.inFlight)));
  return { spanMs, yMax };
}
