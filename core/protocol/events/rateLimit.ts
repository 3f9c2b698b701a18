// Rate-limit demo events (lesson 17): the limiter's settings, statistics windows measured by the server, and the
// load run's steps. Shared by server and web.
import type { RateLimitConfig } from '../demos/rateLimit.js';

/** One statistics window, as the server saw it (source 'observed'). */
export interface RateLimitStats {
  windowMs: number;
  /** Requests read (all clients), accepted, and refused by the client's bucket or the global one, per second. */
  offeredPerSec: number;
  acceptedPerSec: number;
  refusedClientPerSec: number;
  refusedGlobalPerSec: number;
  /** Tokens in the global bucket at the end of the window, and the fewest seen at a request during it. */
  globalLevel: number;
  globalLevelMin: number;
  /** The rate the load generator is offering now (0: no run). */
  targetPerSec: number;
  connections: number;
  totalAccepted: number;
  totalRefused: number;
}

export type RateLimitEvent =
  | { kind: 'rateLimit.config'; source: 'observed'; config: RateLimitConfig; port: number }
  | ({ kind: 'rateLimit.stats'; source: 'observed' } & RateLimitStats)
  | { kind: 'rateLimit.loadStart'; source: 'observed'; connections: number; steps: number[]; stepMs: number }
  | {
      kind: 'rateLimit.loadEnd';
      source: 'observed';
      sent: number;
      accepted: number;
      refused: number;
      errors: number;
      seconds: number;
      stoppedEarly: boolean;
    };
