// The event log's state: the newest events of the lesson's demos and the recent event rate. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { Fold } from '../../store/eventFold';

export const LOG_ROWS = 80;

export interface EventLogState {
  rows: LabEvent[];
  total: number;
  /** Events per second over the last full second of event time. */
  rate: number;
  windowStart: number;
  windowCount: number;
}

export function eventLogFold(demos: readonly string[]): Fold<EventLogState> {
  const wanted = new Set(demos);
  return {
    init: () => ({ rows: [], total: 0, rate: 0, windowStart: 0, windowCount: 0 }),
    step(state, e) {
      if (!wanted.has(e.demo)) return;
      state.total++;
      state.rows.push(e);
      if (state.rows.length > LOG_ROWS * 2) state.rows.splice(0, state.rows.length - LOG_ROWS);
      if (e.t - state.windowStart >= 1000) {
        state.rate = e.t - state.windowStart < 2000 ? state.windowCount : 0;
        state.windowStart = e.t;
        state.windowCount = 0;
      }
      state.windowCount++;
    },
  };
}

/** A one-line summary of an event's own fields. */
export function summarizeEvent(e: LabEvent): string {
  const { seq: _s, t: _t, demo: _d, kind: _k, source: _src, ...rest } = e as LabEvent & Record<string, unknown>;
  const text = JSON.stringify(rest);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
