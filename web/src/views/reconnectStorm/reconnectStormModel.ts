// The reconnect-storm view's state, folded from the demo's events: the run's settings, and per policy its attempts,
// refusals and connected clients per 100 ms, when the server came back, and its outcome. Pure; tested beside.
import type { BackoffPolicy } from '@core/backoff/backoffPolicy';
import type { ReconnectStormRunArgs } from '@core/protocol/demos/reconnectStorm';
import type { LabEvent } from '@core/protocol/events';
import type { StormPolicyResult } from '@core/protocol/events/reconnectStorm';
import type { Fold } from '../../store/eventFold';

/** Buckets kept per policy: the longest run (5 s down, then up to 2 caps + 3 s to recover) fits with room. */
export const MAX_BUCKETS = 300;

export interface PolicySeries {
  policy: BackoffPolicy;
  attempts: number[];
  failed: number[];
  connected: number[];
  /** Milliseconds after the server went down at which it came back; null until then. */
  upAtMs: number | null;
  result: StormPolicyResult | null;
  /** Most attempts in one bucket so far. */
  peak: number;
  /** Bumped on every change to this series: a row of the chart re-renders only when its own series changed. */
  version: number;
}

export interface StormState {
  args: ReconnectStormRunArgs | null;
  bucketMs: number;
  /** In the order they ran. */
  policies: PolicySeries[];
  running: boolean;
  stoppedEarly: boolean;
  /** Bumped on every change (the fold mutates in place). */
  version: number;
}

export function reconnectStormFold(demo: string): Fold<StormState> {
  return {
    init: () => ({ args: null, bucketMs: 100, policies: [], running: false, stoppedEarly: false, version: 0 }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      const series = (policy: BackoffPolicy): PolicySeries => {
        let p = s.policies.find((x) => x.policy === policy);
        if (!p) {
          p = { policy, attempts: [], failed: [], connected: [], upAtMs: null, result: null, peak: 0, version: 0 };
          s.policies.push(p);
        }
        return p;
      };
      switch (e.kind) {
        case 'storm.runStart': {
          const { clients, policies, downMs, baseMs, capMs } = e;
          s.args = { clients, policies, downMs, baseMs, capMs };
          s.bucketMs = e.bucketMs;
          s.policies = [];
          s.running = true;
          s.stoppedEarly = false;
          break;
        }
        case 'storm.phase': {
          const p = series(e.policy);
          if (e.phase === 'up') p.upAtMs = e.atMs;
          p.version++;
          break;
        }
        case 'storm.bucket': {
          const p = series(e.policy);
          if (e.index >= MAX_BUCKETS) return;
          // Buckets arrive in order; a gap (events sampled away) is filled with zeros so indexes stay times.
          while (p.attempts.length < e.index) {
            p.attempts.push(0);
            p.failed.push(0);
            p.connected.push(p.connected.at(-1) ?? 0);
          }
          p.attempts[e.index] = e.attempts;
          p.failed[e.index] = e.failed;
          p.connected[e.index] = e.connected;
          p.peak = Math.max(p.peak, e.attempts);
          p.version++;
          break;
        }
        case 'storm.policyEnd': {
          const { seq: _seq, t: _t, demo: _demo, kind: _kind, source: _source, ...result } = e;
          const p = series(e.policy);
          p.result = result;
          p.version++;
          break;
        }
        case 'storm.runEnd':
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

export interface ChartScale {
  /** Buckets on the x axis (the longest policy's). */
  buckets: number;
  /** Per policy, the top of its y axis: its own peak, never below the number of clients (the "all at once" line). */
  yMax: Map<BackoffPolicy, number>;
}

export function chartScale(s: StormState): ChartScale {
  const clients = s.args?.clients ?? 1;
  const buckets = Math.max(10, ...s.policies.map((p) => p.attempts.length));
  const yMax = new Map(s.policies.map((p) => [p.policy, Math.max(clients, p.peak)] as const));
  return { buckets, yMax };
}
