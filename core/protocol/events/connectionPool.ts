// Connection-pool demo events (lesson 19): a run's settings, its figures four times a second (requests measured by
// the callers, dials counted by the pool, handshakes counted from the packet capture), the proxy's resets and the
// run's totals. Shared by server and web.
import type { PoolCounters, PoolGauges } from '../../pool/connectionPool.js';
import type { PoolMode, PoolRunArgs } from '../demos/connectionPool.js';
import type { WireError } from '../errors.js';

/** Whether handshakes are counted from a packet capture here, and why not when they are not. */
export interface PoolCaptureInfo {
  capturing: boolean;
  error?: WireError;
  enableCommand?: string;
}

/** One statistics window of a run. */
export interface PoolStats extends PoolGauges {
  mode: PoolMode;
  /** Milliseconds since the run started, at the window's end. */
  atMs: number;
  windowMs: number;
  okPerSec: number;
  failedPerSec: number;
  /** New connections the pool dialled, per second (its own counter). */
  dialsPerSec: number;
  /** SYNs to the proxy's port seen by the capture, per second; null without a capture. */
  handshakesPerSec: number | null;
  /** Median time of the requests that ended in the window (checkout included); null when none ended. */
  p50Ms: number | null;
}

export interface PoolRunTotals {
  ok: number;
  failed: number;
  /** Requests that failed because a dead connection was handed out (no health check), and other failures. */
  failedOnDeadConn: number;
  counters: PoolCounters;
  /** SYNs the capture saw to the proxy (the callers' handshakes) and to the server (the proxy's); null without. */
  capturedHandshakes: { toProxy: number; toServer: number } | null;
  /** Successful requests per second over the whole run. */
  requestsPerSec: number;
}

export type ConnectionPoolEvent =
  | {
      kind: 'pool.runStart';
      source: 'observed';
      args: PoolRunArgs;
      capture: PoolCaptureInfo;
      proxyPort: number;
      serverPort: number;
    }
  | ({ kind: 'pool.stats'; source: 'observed' } & PoolStats)
  /** The proxy reset the pool's idle connections (a real RST on each). */
  | { kind: 'pool.reset'; source: 'observed'; atMs: number; connections: number }
  | {
      kind: 'pool.runEnd';
      source: 'observed';
      mode: PoolMode;
      stoppedEarly: boolean;
      durationMs: number;
      totals: PoolRunTotals;
    };
