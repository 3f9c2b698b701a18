// The lab's token bucket, with golang.org/x/time/rate's three ways to ask (Allow, Reserve, Wait) on an injected
// millisecond clock. Used by the rate-limit demo, lesson 17 and the benchmarks; the arithmetic is rateBudget's.
import { refill, type Clock } from '../budget/rateBudget.js';

export interface TokenBucketOptions {
  /** Tokens added per second (x/time/rate's `r`); Infinity allows everything, as rate.Inf does. */
  perSecond: number;
  /** The most tokens it holds, and what it starts with (x/time/rate's `b`). */
  burst: number;
  clock: Clock;
}

/** What Reserve hands back: when the caller may act, and a way to give the tokens back (Reservation in Go). */
export interface Reservation {
  /** False when the request can never be met (n > burst): nothing was taken, as in Go. */
  readonly ok: boolean;
  /** Milliseconds from `now` until the reserved tokens exist (0: at once); Infinity when !ok. */
  delayFrom(now: number): number;
  /** Returns the tokens if the reservation has not come due yet; a no-op after (a simplification of Go's CancelAt). */
  cancel(): void;
}

/** Why a Wait returned without its tokens. */
export type WaitRefusal = 'exceeds-burst' | 'would-pass-deadline' | 'canceled';

export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly perSecond: number;
  readonly burst: number;
  private readonly clock: Clock;

  constructor(options: TokenBucketOptions) {
    if (!(options.perSecond >= 0)) throw new RangeError(`perSecond must be ≥ 0, got ${options.perSecond}`);
    if (!(options.burst >= 0) || !Number.isInteger(options.burst))
      throw new RangeError(`burst must be an integer ≥ 0, got ${options.burst}`);
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.clock = options.clock;
    this.tokens = options.burst;
    this.last = options.clock();
  }

  /** Tokens in the bucket now: below zero while reservations are outstanding. */
  level(now = this.clock()): number {
    if (this.perSecond === Infinity) return this.burst;
    return refill(this.tokens, this.last, now, this.perSecond, this.burst);
  }

  /** Milliseconds from `now` until n tokens are there (0: now; Infinity: never), for a refusal's retry-after. */
  delayFor(n = 1, now = this.clock()): number {
    if (this.perSecond === Infinity) return 0;
    if (n > this.burst || this.perSecond === 0) return this.level(now) >= n ? 0 : Infinity;
    return Math.max(0, ((n - this.level(now)) / this.perSecond) * 1000);
  }

  /** Allow / AllowN: takes n tokens if they are there now; otherwise takes nothing and says no (refuse at once). */
  allow(n = 1, now = this.clock()): boolean {
    if (this.perSecond === Infinity) return true;
    this.advance(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /**
   * Reserve / ReserveN: takes n tokens now even into debt and says how long to wait before acting on them.
   * Only n > burst is refused (ok false), as in Go.
   */
  reserve(n = 1, now = this.clock()): Reservation {
    if (this.perSecond === Infinity) return { ok: true, delayFrom: () => 0, cancel: () => undefined };
    if (n > this.burst) return { ok: false, delayFrom: () => Infinity, cancel: () => undefined };
    this.advance(now);
    this.tokens -= n;
    const dueAt = now + (this.tokens < 0 ? (-this.tokens / this.perSecond) * 1000 : 0);
    let cancelled = false;
    return {
      ok: true,
      delayFrom: (t) => Math.max(0, dueAt - t),
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        const t = this.clock();
        if (t >= dueAt) return;
        this.advance(t);
        this.tokens = Math.min(this.burst, this.tokens + n);
      },
    };
  }

  /**
   * Wait / WaitN: reserves n tokens and sleeps until they exist. Refuses without sleeping when n > burst or the wait
   * would end after `deadline` (Go checks the context's deadline the same way); gives the tokens back when
   * `signal` aborts mid-sleep. `sleep` is injected so tests and the goroutine runtime bring their own.
   */
  async wait(
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    options: { n?: number; deadline?: number; signal?: AbortSignal } = {},
  ): Promise<WaitRefusal | null> {
    const n = options.n ?? 1;
    if (options.signal?.aborted) return 'canceled';
    const now = this.clock();
    const r = this.reserve(n, now);
    if (!r.ok) return 'exceeds-burst';
    const delay = r.delayFrom(now);
    if (options.deadline !== undefined && now + delay > options.deadline) {
      r.cancel();
      return 'would-pass-deadline';
    }
    if (delay === 0) return null;
    await sleep(delay, options.signal);
    if (options.signal?.aborted) {
      r.cancel();
      return 'canceled';
    }
    return null;
  }

  private advance(now: number): void {
    this.tokens = refill(this.tokens, this.last, now, this.perSecond, this.burst);
    if (now > this.last) this.last = now;
  }
}
