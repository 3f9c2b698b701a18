// UDP demo events: the relay's decisions, the echo server's budget, and each run's outcome. Shared by server and web.
import type { UdpRunResult } from '../demos/udp.js';

export type UdpEvent =
  | {
      /** What the lossy relay did with one datagram on its way to the echo server (seeded, so replayable). */
      kind: 'udp.relay';
      source: 'observed';
      /** The client the datagram came from (`ip:port`). */
      from: string;
      action: 'forward' | 'drop' | 'hold' | 'release';
      /** The sequence number at the start of the payload, when it has one (`#7 ...`). (Not `seq`: that is the bus's.) */
      number: number | null;
      bytes: number;
      seed: number;
    }
  | {
      /** The echo server's counters since it started; sent a few times a second while they change. */
      kind: 'udp.stats';
      source: 'observed';
      received: number;
      echoed: number;
      droppedByBudget: number;
      /** Sources the server holds a budget for (bounded). */
      sources: number;
      /** Captured datagrams and segments not forwarded to pages (a flood would swamp them), counted here. */
      captureSuppressed: number;
      /** Relay decisions not forwarded to pages, for the same reason. */
      relaySuppressed: number;
    }
  | {
      /** One source went over its budget; sent at most once a second per source. */
      kind: 'udp.flooded';
      source: 'observed';
      from: string;
      dropped: number;
    }
  | {
      kind: 'udp.runEnd';
      source: 'observed' | 'polled';
      /** The run's (first) client socket, `ip:port`: the run is its page's, as that socket is. */
      client: string;
      result: UdpRunResult;
    };
