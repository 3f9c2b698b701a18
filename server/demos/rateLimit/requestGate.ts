// The rate-limit demo's decision for one request: it needs a token from its client's bucket and one from the global
// bucket; it takes both or neither (a request refused by one bucket must not spend the other's token). Pure.
import type { TokenBucket } from '../../../core/limits/tokenBucket.js';

export type GateVerdict =
  | { accepted: true }
  /** Which bucket said no, and when the request would pass if sent again (the reply's retry-after). */
  | { accepted: false; by: 'client' | 'global'; retryAfterMs: number };

export function admitRequest(client: TokenBucket, global: TokenBucket, now: number): GateVerdict {
  // The client's own bucket speaks first: one noisy client is told about itself, not about everyone.
  if (client.level(now) < 1) return { accepted: false, by: 'client', retryAfterMs: client.delayFor(1, now) };
  if (!global.allow(1, now)) return { accepted: false, by: 'global', retryAfterMs: global.delayFor(1, now) };
  client.allow(1, now);
  return { accepted: true };
}
