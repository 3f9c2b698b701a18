// Per-session quotas of the socket bridge: how many sockets and listeners are open, control messages per second,
// and bytes per second in each direction (a rate budget in debt says how long to wait). Pure; the clock is passed in.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import type { BridgeLimits } from '../../core/protocol/bridge.js';
import { RateBudget, type Clock } from '@core/budget/rateBudget.js';

/** How much of the machine the bridge's sessions may take together, and each client (browser's address) alone. */
export interface LabWideLimits {
  maxSessions: number;
  maxSessionsPerClient: number;
  /** tcpdump processes (run as root) over every session. */
  maxCaptures: number;
  maxCapturesPerClient: number;
  /** Sessions whose sockets' kernel states are polled (one shared table read serves them all). */
  maxPollers: number;
  maxPollersPerClient: number;
}

export const DEFAULT_LAB_WIDE_LIMITS: LabWideLimits = {
  maxSessions: 256,
  maxSessionsPerClient: 32,
  maxCaptures: 32,
  maxCapturesPerClient: 8,
  maxPollers: 128,
  maxPollersPerClient: 16,
};

type Claim = 'session' | 'capture' | 'poller';

/** One count over the lab and one per client. */
class ClaimCount {
  total = 0;
  private readonly perClient = new Map<string, number>();
  claim(client: string): void {
    this.total++;
    this.perClient.set(client, this.of(client) + 1);
  }
  release(client: string): void {
    const n = this.of(client);
    if (n === 0) return;
    this.total--;
    if (n === 1) this.perClient.delete(client);
    else this.perClient.set(client, n - 1);
  }
  of(client: string): number {
    return this.perClient.get(client) ?? 0;
  }
}

/**
 * Counts shared by every session of the lab, so many sessions together stay within the machine's limits, and no
 * client (one browser machine, keyed by its address) takes them all.
 */
export class LabBridgeCounters {
  sockets = 0;
  readonly limits: LabWideLimits;
  private readonly counts: Record<Claim, ClaimCount> = {
    session: new ClaimCount(),
    capture: new ClaimCount(),
    poller: new ClaimCount(),
  };

  constructor(
    readonly maxSockets: number,
    limits: Partial<LabWideLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LAB_WIDE_LIMITS, ...limits };
  }

  /** Takes one session, capture or poller for `client`; the refusal when the lab or that client has its limit. */
  claim(kind: Claim, client: string): WireError | null {
    const [labMax, clientMax] = this.maxima(kind);
    const count = this.counts[kind];
    const what =
      kind === 'session' ? 'snippet sessions' : kind === 'capture' ? 'packet captures' : 'kernel-state pollers';
    if (count.total >= labMax)
      return wireError(
        kind === 'session' ? 'E_BRIDGE_BUSY' : 'E_BRIDGE_CAPTURE_BUSY',
        `the lab runs ${count.total} ${what}, its limit`,
      );
    if (count.of(client) >= clientMax) {
      return wireError(
        kind === 'session' ? 'E_BRIDGE_CLIENT_BUSY' : 'E_BRIDGE_CAPTURE_BUSY',
        `this browser's machine runs ${count.of(client)} ${what}; at most ${clientMax}`,
      );
    }
    count.claim(client);
    return null;
  }

  release(kind: Claim, client: string): void {
    this.counts[kind].release(client);
  }

  count(kind: Claim, client?: string): number {
    return client === undefined ? this.counts[kind].total : this.counts[kind].of(client);
  }

  private maxima(kind: Claim): [number, number] {
    const l = this.limits;
    if (kind === 'session') return [l.maxSessions, l.maxSessionsPerClient];
    if (kind === 'capture') return [l.maxCaptures, l.maxCapturesPerClient];
    return [l.maxPollers, l.maxPollersPerClient];
  }
}

/** One client's claims on the lab-wide counters, as a bridge session's capture takes and gives them back. */
export interface ObserverPermits {
  claim(kind: 'capture' | 'poller'): WireError | null;
  release(kind: 'capture' | 'poller'): void;
}

export function permitsFor(counters: LabBridgeCounters, client: string): ObserverPermits {
  return { claim: (kind) => counters.claim(kind, client), release: (kind) => counters.release(kind, client) };
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
      return wireError(
        'E_BRIDGE_TOO_MANY_SOCKETS',
        `${this.sockets} open; at most ${this.limits.maxSockets} per snippet`,
      );
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
      return wireError(
        'E_BRIDGE_TOO_MANY_LISTENERS',
        `${this.listeners} open; at most ${this.limits.maxListeners} per snippet`,
      );
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
