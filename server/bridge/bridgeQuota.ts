// Per-session quotas of the socket bridge: how many sockets and listeners are open, control messages per second,
// and bytes per second in each direction (a rate budget in debt says how long to wait). Pure; the clock is passed in.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import type { BridgeLimits } from '../../core/protocol/bridge.js';
import { RateBudget, type Clock } from '@core/budget/rateBudget.js';

/** Counts shared by every session of the lab, so many sessions together stay within the machine's limits. */
export class LabBridgeCounters {
  sockets = 0;
  constructor(readonly maxSockets: number) {}
}

export class SessionQuota {
  sockets = 0;
  listeners = 0;
  /** Bytes per second in each direction: never refused, the debt says how long the sender waits (RateBudget.owe). */
  readonly bytesIn: RateBudget;
  readonly bytesOut: RateBudget;
  private readonly control: RateBudget;

  constructor(
    readonly limits: BridgeLimits,
    private readonly lab: LabBridgeCounters,
    clock: Clock,
  ) {
    // A burst of a quarter second's worth: short spikes pass, a sustained flood is slowed.
    const bytes = { perSecond: limits.bytesPerSecond, burst: limits.bytesPerSecond / 4, clock };
    this.bytesIn = new RateBudget(bytes);
    this.bytesOut = new RateBudget(bytes);
    this.control = new RateBudget({ perSecond: limits.controlPerSecond, burst: limits.controlPerSecond, clock });
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
  takeControl(): boolean {
    return this.control.take();
  }

  /** Gives back every socket this session still holds (the session ended). */
  releaseAll(): void {
    this.lab.sockets -= this.sockets;
    this.sockets = 0;
    this.listeners = 0;
  }
}
