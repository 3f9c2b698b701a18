// Graceful-shutdown demo events (lesson 16): a run's settings, the server's requests in flight over time, its
// phases, and what each shutdown lost, counted by the server and by the load generator. Shared by server and web.
import type { ShutdownMode, ShutdownRunArgs } from '../demos/gracefulShutdown.js';

/** What one shutdown did (source 'observed': the server's and the load generator's own counts). */
export interface ShutdownResult {
  mode: ShutdownMode;
  /** Requests the server read, and answered. */
  read: number;
  answered: number;
  /** Read by the server but never answered: work it threw away (the server's count). */
  lostInFlight: number;
  /** Of those, cut because the graceful deadline passed. */
  cutAtDeadline: number;
  /** Requests a client sent and never got an answer to (the clients' count; includes lostInFlight). */
  unanswered: number;
  /** Connects refused after the server stopped accepting. */
  refusedConnects: number;
  /** Milliseconds from the start of the shutdown until the server had closed its last connection. */
  drainMs: number;
}

export type GracefulShutdownEvent =
  | ({ kind: 'shutdown.runStart'; source: 'observed'; port: number } & ShutdownRunArgs)
  /** Load begins; the shutdown begins (atMs since load began); the server has closed its last connection. */
  | {
      kind: 'shutdown.phase';
      source: 'observed';
      mode: ShutdownMode;
      phase: 'load' | 'shutdown' | 'exited';
      atMs: number;
    }
  /** Every 100 ms: requests being worked on and open connections on the server. */
  | {
      kind: 'shutdown.sample';
      source: 'observed';
      mode: ShutdownMode;
      atMs: number;
      inFlight: number;
      connections: number;
    }
  | ({ kind: 'shutdown.result'; source: 'observed' } & ShutdownResult)
  | { kind: 'shutdown.runEnd'; source: 'observed'; stoppedEarly: boolean };
