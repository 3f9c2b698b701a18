// Messages between the lesson page and the snippet worker (postMessage), in both directions.
import type { ErrorCode, LocalizedText, WireError } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import type { DemoAddress, OutputStream } from './gonet/host';
import type { CheckResult, RunOutcome, RunRequest } from './snippetRunner';

export interface RunLimits {
  maxOutputBytes: number;
  maxGoroutines: number;
}

export type ToWorker =
  /** Opens the bridge now, so a Run does not wait for it. */
  | { type: 'init'; bridgeUrl: string; language: 'en' | 'zh' }
  | {
      type: 'run';
      request: RunRequest;
      demos: { id: string; endpoints: DemoAddress[] }[];
      limits: RunLimits;
      language: 'en' | 'zh';
      /** Forward the run's goroutine events to the page (the lesson shows the goroutine views). */
      instrument?: boolean;
    };

export type FromWorker =
  /** The bridge is open; `demo` is the id its socket events are published under. */
  | { type: 'ready'; demo: string }
  | { type: 'bridgeFailed'; error: WireError }
  /** Sent every ALIVE_INTERVAL_MS while the worker's event loop turns; silence means a busy loop or a crash. */
  | { type: 'alive' }
  | { type: 'output'; stream: OutputStream; text: string }
  /** A batch of the run's goroutine events, stamped under the run's demo id (see runEventForwarder). */
  | { type: 'events'; events: LabEvent[] }
  | { type: 'notice'; error: WireError }
  | { type: 'checkStarted'; index: number; name: LocalizedText }
  | { type: 'check'; result: CheckResult }
  /** A limit ended the run (the worker stops itself; the page terminates it). */
  | { type: 'limit'; code: ErrorCode; detail: string }
  | { type: 'done'; outcome: RunOutcome; ms: number };

export const ALIVE_INTERVAL_MS = 250;
