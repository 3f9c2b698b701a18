// A circuit breaker: closed (calls pass, failures are counted in a sliding window) → open after too many failures
// (calls fail fast, no upstream call at all) → half-open after a cool-down (a few probe calls pass) → closed when the
// probes succeed, open again when one fails. Every transition is reported. Pure: the clock is injected.
import type { Clock } from '../budget/rateBudget.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures within `windowMs` that open the breaker. */
  failureThreshold: number;
  /** The sliding window failures are counted in, in milliseconds (kept as `WINDOW_BUCKETS` buckets). */
  windowMs: number;
  /** How long the breaker stays open before letting probes through. */
  openMs: number;
  /** Probe calls let through at once while half-open; this many successes in a row close it. */
  halfOpenProbes: number;
  clock: Clock;
  /** Called on every change of state, after the change. */
  onTransition?: (t: BreakerTransition) => void;
}

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  /** Clock time of the change. */
  at: number;
  /** Failures in the window when it opened; probe successes when it closed. */
  count: number;
  reason: 'failures' | 'cool-down-over' | 'probe-failed' | 'probes-succeeded';
}

/** The sliding window is this many buckets: counting costs O(1) per call, summing O(buckets) per failure. */
export const WINDOW_BUCKETS = 10;

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  /** Bumped on every transition: a result from an earlier generation is ignored (it was let in under other rules). */
  private generation = 0;
  private openedAt = 0;
  private probesOut = 0;
  private probeSuccesses = 0;
  private readonly bucketMs: number;
  private readonly failures = new Float64Array(WINDOW_BUCKETS);
  private readonly bucketIds = new Float64Array(WINDOW_BUCKETS).fill(-1);
  private readonly options: BreakerOptions;
  /** Calls refused without calling (fail fast), since the breaker was made. */
  rejected = 0;

  constructor(options: BreakerOptions) {
    for (const key of ['failureThreshold', 'halfOpenProbes'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1)
        throw new RangeError(`${key} must be an integer ≥ 1, got ${options[key]}`);
    }
    for (const key of ['windowMs', 'openMs'] as const) {
      if (!(options[key] > 0) || !Number.isFinite(options[key]))
        throw new RangeError(`${key} must be a finite number > 0, got ${options[key]}`);
    }
    this.options = options;
    this.bucketMs = options.windowMs / WINDOW_BUCKETS;
  }

  /** The state at `now` (an open breaker whose cool-down is over reads half-open, and becomes it). */
  state(now = this.options.clock()): BreakerState {
    if (this.current === 'open' && now - this.openedAt >= this.options.openMs)
      this.transition('half-open', now, 0, 'cool-down-over');
    return this.current;
  }

  /**
   * Asks to make a call. Returns a ticket to hand to `done`, or null: the breaker is open (or half-open with its
   * probes out) and the caller must fail fast without calling.
   */
  allow(now = this.options.clock()): number | null {
    const state = this.state(now);
    if (state === 'closed') return this.generation;
    if (state === 'half-open' && this.probesOut < this.options.halfOpenProbes) {
      this.probesOut++;
      return this.generation;
    }
    this.rejected++;
    return null;
  }

  /** Reports how the call with this ticket ended. */
  done(ticket: number, ok: boolean, now = this.options.clock()): void {
    if (ticket !== this.generation) return;
    if (this.current === 'closed') {
      if (ok) return;
      if (this.countFailure(now) >= this.options.failureThreshold) {
        this.openedAt = now;
        this.transition('open', now, this.failuresInWindow(now), 'failures');
      }
      return;
    }
    if (this.current !== 'half-open') return;
    this.probesOut--;
    if (!ok) {
      this.openedAt = now;
      this.transition('open', now, 0, 'probe-failed');
      return;
    }
    this.probeSuccesses++;
    if (this.probeSuccesses >= this.options.halfOpenProbes) {
      const count = this.probeSuccesses;
      this.transition('closed', now, count, 'probes-succeeded');
    }
  }

  /** Failures counted in the sliding window ending at `now`. */
  failuresInWindow(now = this.options.clock()): number {
    const id = Math.floor(now / this.bucketMs);
    let sum = 0;
    for (let i = 0; i < WINDOW_BUCKETS; i++) {
      if (this.bucketIds[i] > id - WINDOW_BUCKETS) sum += this.failures[i];
    }
    return sum;
  }

  private countFailure(now: number): number {
    const id = Math.floor(now / this.bucketMs);
    const slot = ((id % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS;
    if (this.bucketIds[slot] !== id) {
      this.bucketIds[slot] = id;
      this.failures[slot] = 0;
    }
    this.failures[slot]++;
    return this.failuresInWindow(now);
  }

  private transition(to: BreakerState, at: number, count: number, reason: BreakerTransition['reason']): void {
    const from = this.current;
    this.current = to;
    this.generation++;
    this.probesOut = 0;
    this.probeSuccesses = 0;
    // A breaker that closes starts with an empty window: the failures that opened it are history.
    if (to === 'closed') this.bucketIds.fill(-1);
    this.options.onTransition?.({ from, to, at, count, reason });
  }
}
