// Reconnect policies as pure functions: how long a client waits before its n-th retry. No backoff (retry at
// once), capped exponential backoff, and capped exponential backoff with full jitter. Random and clock are injected.

export const BackoffPolicies = ['none', 'exponential', 'jitter'] as const;
export type BackoffPolicy = (typeof BackoffPolicies)[number];

export interface BackoffOptions {
  /** The first wait, in milliseconds (retry 0 waits up to this). */
  baseMs: number;
  /** No wait is longer than this, in milliseconds. */
  capMs: number;
}

/**
 * The wait before retry number `retry` (0 for the first retry after a failure), in milliseconds.
 * - none: 0, every time (the reconnect storm);
 * - exponential: min(cap, base·2^retry), the same for every client (they retry in lock step);
 * - jitter ("full jitter"): a uniform draw in [0, min(cap, base·2^retry)), so clients spread out.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(retry) || retry < 0) throw new RangeError(`retry must be a whole number ≥ 0, not ${retry}`);
  if (!(options.baseMs >= 0) || !(options.capMs >= options.baseMs)) {
    throw new RangeError(`need 0 ≤ baseMs ≤ capMs, got baseMs=${options.baseMs} capMs=${options.capMs}`);
  }
  if (policy === 'none') return 0;
  // 2^retry overflows to Infinity for large retries; min() with the cap keeps it finite.
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  if (policy === 'exponential') return ceiling;
  return Math.floor(random() * ceiling);
}

/**
 * One client's retry schedule, as a small state machine: `next()` says how long to wait before the next attempt,
 * `reset()` after a successful connection starts the schedule over.
 */
export class Backoff {
  private retry = 0;

  constructor(
    readonly policy: BackoffPolicy,
    readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    backoffDelay('exponential', 0, options); // validates the options once, without drawing a random number
  }

  /** Retries so far since the last reset. */
  get retries(): number {
    return this.retry;
  }

  next(): number {
    return backoffDelay(this.policy, this.retry++, this.options, this.random);
  }

  reset(): void {
    this.retry = 0;
  }
}

/**
 * Counts events into fixed-width time buckets (attempts per 100 ms), from a start time; `now` is injected.
 * Returns the counts so far; buckets with no event are zeros, so the series has no gaps.
 */
export class BucketCounter {
  private readonly counts: number[] = [];

  constructor(
    readonly bucketMs: number,
    private readonly startedAt: number,
    private readonly now: () => number,
    /** The most buckets kept: events after the last one are counted in it (a bounded series). */
    readonly maxBuckets = 600,
  ) {}

  /** Counts one event at the current time. */
  add(n = 1): void {
    const index = Math.min(this.maxBuckets - 1, Math.max(0, Math.floor((this.now() - this.startedAt) / this.bucketMs)));
    while (this.counts.length <= index) this.counts.push(0);
    this.counts[index] += n;
  }

  /** The counts, one per bucket, up to the current time (or the last event, whichever is later). */
  series(): number[] {
    const upTo = Math.min(this.maxBuckets, Math.floor((this.now() - this.startedAt) / this.bucketMs) + 1);
    const out = this.counts.slice();
    while (out.length < upTo) out.push(0);
    return out;
  }
}
