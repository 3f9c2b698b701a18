// Go's time package for the goroutine runtime: Sleep, After, NewTimer, AfterFunc, NewTicker, Tick, Now, Since.
// Durations are milliseconds (multiply by the unit constants, as in Go: `time.sleep(100 * time.Millisecond)`).
import { Chan } from './channel.js';
import { PANIC, GoPanic } from './panic.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Waitable } from './goroutine.js';
import { never, parkPromise, readyVoid, resume, type Parked } from './handOff.js';
import { callerGoroutine } from './runningGoroutine.js';
import type { Runtime } from './scheduler.js';
import type { RuntimeTimer } from './timerQueue.js';

export const Nanosecond = 1e-6;
export const Microsecond = 1e-3;
export const Millisecond = 1;
export const Second = 1000;
export const Minute = 60_000;
export const Hour = 3_600_000;

/** Milliseconds on the run's clock (virtual time in a virtual-clock run). */
export function now(): number {
  return resolveRuntime().now();
}

export function since(t: number): number {
  return now() - t;
}

/** `time.Sleep(d)`: parks the goroutine for d; d ≤ 0 returns at once. */
export function sleep(ms: number): Promise<void> {
  const g = callerGoroutine();
  const rt = g?.rt ?? resolveRuntime();
  if (rt.stopped) return never();
  if (!(ms > 0)) return readyVoid(g);
  const holder: Parked = { resolve: () => {}, reject: () => {} };
  const p = parkPromise<void>(holder, g);
  // The timer first, so the deadlock detector sees it pending when the goroutine blocks.
  rt.addTimer(ms, () => {
    if (g !== null) rt.unblock(g, null);
    resume(holder, g, undefined);
  });
  if (g !== null) rt.block(g, 'sleep', null);
  return p;
}

/** `*time.Timer`: delivers the time on `c` once, after the duration. */
export class Timer {
  /** Null for a timer made by afterFunc, as in Go. */
  readonly c: Chan<number> | null;
  private readonly timer: RuntimeTimer;

  constructor(
    private readonly rt: Runtime,
    ms: number,
    fire: ((self: Timer) => void) | null,
  ) {
    this.c = fire === null ? new Chan<number>(rt, 1, { name: 'timer.C' }) : null;
    this.timer = rt.addTimer(ms, () => {
      if (fire !== null) fire(this);
      else this.c!.offer(rt.now(), null); // the buffer has room unless nobody read the last tick
    });
  }

  /** Prevents the timer from firing; false if it already fired or was stopped. */
  stop(): boolean {
    return this.rt.stopTimer(this.timer);
  }

  /** Re-arms the timer; returns whether it was still pending. */
  reset(ms: number): boolean {
    const pending = this.rt.timerPending(this.timer);
    this.rt.resetTimer(this.timer, ms);
    return pending;
  }
}

export function newTimer(ms: number): Timer {
  return new Timer(resolveRuntime(), ms, null);
}

/** `time.After(d)`: a channel that receives the time once d has passed. */
export function after(ms: number): Chan<number> {
  return newTimer(ms).c!;
}

/** `time.AfterFunc(d, f)`: runs f in its own goroutine after d. */
export function afterFunc(ms: number, fn: () => unknown): Timer {
  const rt = resolveRuntime();
  return new Timer(rt, ms, () => rt.go(fn));
}

/** `*time.Ticker`: delivers the time on `c` every period; a slow reader misses ticks rather than queueing them. */
export class Ticker implements Pick<Waitable, 'id'> {
  readonly c: Chan<number>;
  readonly id: number;
  private readonly timer: RuntimeTimer;
  private period: number;

  constructor(
    private readonly rt: Runtime,
    period: number,
  ) {
    if (!(period > 0)) throw new GoPanic(PANIC.nonPositiveTicker);
    this.period = period;
    this.c = new Chan<number>(rt, 1, { name: 'ticker.C' });
    this.id = this.c.id;
    this.timer = rt.addTimer(period, this.tick);
  }

  private readonly tick = (): void => {
    const now = this.rt.now();
    this.c.offer(now, null);
    // Keep the phase: the next tick is one period after this one was due (never in the past).
    this.rt.resetTimer(this.timer, Math.max(0, this.timer.when + this.period - now));
  };

  stop(): void {
    this.rt.stopTimer(this.timer);
  }

  reset(period: number): void {
    if (!(period > 0)) throw new GoPanic(PANIC.nonPositiveTicker);
    this.period = period;
    this.rt.resetTimer(this.timer, period);
  }
}

export function newTicker(period: number): Ticker {
  return new Ticker(resolveRuntime(), period);
}

/** `time.Tick(d)`: the ticker's channel (nil for d ≤ 0, as in Go). */
export function tick(period: number): Chan<number> | null {
  if (!(period > 0)) return null;
  return newTicker(period).c;
}
