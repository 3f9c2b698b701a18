// What the port-reuse view draws from a run's result: the bars of the spread and the short form of a listen's
// outcome. Pure, so it is tested without a browser.
import type { ListenOutcome } from '@core/protocol/demos/portReuse';

export interface SpreadBar {
  listener: number;
  count: number;
  /** Share of all answered connections, in percent (one decimal). */
  share: number;
  /** Bar length relative to the longest bar, 0..100. */
  length: number;
}

/** One bar per listener: its count, its share of the total, and its length against the largest count. */
export function spreadBars(counts: readonly number[]): SpreadBar[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const most = Math.max(0, ...counts);
  return counts.map((count, listener) => ({
    listener,
    count,
    share: total === 0 ? 0 : Math.round((count / total) * 1000) / 10,
    length: most === 0 ? 0 : Math.round((count / most) * 100),
  }));
}

/** 'listening', the errno's name (EADDRINUSE...), or 'failed' when the helper named none. */
export function outcomeWord(outcome: ListenOutcome): string {
  if (outcome.ok) return 'listening';
  return outcome.errno || 'failed';
}

/** Seconds left on the TIME_WAIT timer, rounded down (the kernel counts 60 s on Linux). */
export function timerSeconds(timerMs: number | null): number | null {
  return timerMs === null ? null : Math.floor(timerMs / 1000);
}
