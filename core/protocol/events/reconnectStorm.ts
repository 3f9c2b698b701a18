// Reconnect-storm demo events (lesson 15): a run's settings, each policy's phases, connection attempts per 100 ms
// as the lab's clients made them, and each policy's outcome. Shared by server and web.
import type { BackoffPolicy } from '../../backoff/backoffPolicy.js';
import type { ReconnectStormRunArgs } from '../demos/reconnectStorm.js';

/** What one policy did, measured by the lab's clients (source 'observed'). */
export interface StormPolicyResult {
  policy: BackoffPolicy;
  clients: number;
  /** Connection attempts from the moment the server went down until every client was back (or the run ended). */
  attempts: number;
  /** Attempts refused while the server was down. */
  failed: number;
  /** The most attempts in one 100 ms bucket, and that bucket's index (0: the 100 ms after the server went down). */
  peakPerBucket: number;
  peakBucket: number;
  /** Milliseconds from the server coming back to the last client connected; null if not every client got back. */
  recoverMs: number | null;
  /** Clients connected at the end. */
  connected: number;
  /** The attempt cap was reached: retries stopped early. */
  capped: boolean;
}

export type ReconnectStormEvent =
  /** A run begins; views reset their charts. */
  | ({ kind: 'storm.runStart'; source: 'observed'; bucketMs: number; port: number } & ReconnectStormRunArgs)
  /**
   * A policy's phase changed: its clients are connecting; the server went down (bucket 0 starts here);
   * the server is back (at `bucket`, from `atMs` after it went down).
   */
  | {
      kind: 'storm.phase';
      source: 'observed';
      policy: BackoffPolicy;
      phase: 'connecting' | 'down' | 'up';
      atMs: number;
    }
  /** One 100 ms bucket of a policy: attempts started in it, refused ones, and clients connected at its end. */
  | {
      kind: 'storm.bucket';
      source: 'observed';
      policy: BackoffPolicy;
      index: number;
      attempts: number;
      failed: number;
      connected: number;
    }
  | ({ kind: 'storm.policyEnd'; source: 'observed' } & StormPolicyResult)
  | { kind: 'storm.runEnd'; source: 'observed'; stoppedEarly: boolean };
