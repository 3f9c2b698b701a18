// Per-session quotas of the socket bridge: how many sockets and listeners are open, control messages per second,
// and bytes per second in each direction (a debt-based limiter that says how long to wait). Pure; time is passed in.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import type { BridgeLimits } from '../../core/protocol/bridge.js';
import { TokenBucket } from '@core/budget/tokenBucket.js';

/**
 * Lets bytes through at `ratePerSecond` on average with bursts up to `burst`. Never refuses: take() returns how many
 * milliseconds the caller should wait before moving more, so a fast snippet is slowed, not cut off.
 */
export class ByteRateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(bytes: number, now: number): number {
    this.refill(now);
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  /** Milliseconds until the limiter is out of debt. */
  delay(now: number): number {
    this.refill(now);
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
  }
}

/** Counts shared by every session of the lab, so many sessions together stay within the machine's limits. */
export class LabBridgeCounters {
  sockets = 0;
  constructor(readonly maxSockets: number) {}
}

export class SessionQuota {
  sockets = 0;
  listeners = 0;
  readonly bytesIn: ByteRateLimiter;
  readonly bytesOut: ByteRateLimiter;
  private readonly control: TokenBucket;

  constructor(
    readonly limits: BridgeLimits,
    private readonly lab: LabBridgeCounters,
    now: number,
  ) {
    // A burst of a quarter second's worth: short spikes pass, a sustained flood is slowed.
    this.bytesIn = new ByteRateLimiter(limits.bytesPerSecond, limits.bytesPerSecond / 4, now);
    this.bytesOut = new ByteRateLimiter(limits.bytesPerSecond, limits.bytesPerSecond / 4, now);
    this.control = new TokenBucket(limits.controlPerSecond, limits.controlPerSecond, now);
  }

  /** Claims a socket; returns the refusal when the session or the lab is full. */
  openSocket(): WireError | null {
    if (this.sockets >= this.limits.maxSockets) {
      return wireError('E_BRIDGE_TOO_MANY_SOCKETS', `${this.sockets} open; at most ${this.limits.maxSockets} per snippet`);
    }
    if (this.lab.sockets >= this.lab.maxSockets) {
      return wireError('E_BRIDGE_TOO_MANY_SOCKETS', `the lab has ${this.lab.sockets} bridged sockets open, its limit`);
    }
    this.sockets++;
    this.lab.sockets++;
    return null;
  }

  closeSocket(): void {
    if (this.sockets > 0) {
      this.sockets--;
      this.lab.sockets--;
    }
  }

  openListener(): WireError | null {
    if (this.listeners >= this.limits.maxListeners) {
      return wireError('E_BRIDGE_TOO_MANY_LISTENERS', `${this.listeners} open; at most ${this.limits.maxListeners} per snippet`);
    }
    this.listeners++;
    return null;
  }

  closeListener(): void {
    if (this.listeners > 0) this.listeners--;
  }

  /** One control message (dial, listen, close…); false when the session sends them faster than allowed. */
  takeControl(now: number): boolean {
    return this.control.take(now);
  }

  /** Gives back every socket this session still holds (the session ended). */
  releaseAll(): void {
    this.lab.sockets -= this.sockets;
    this.sockets = 0;
    this.listeners = 0;
  }
}
