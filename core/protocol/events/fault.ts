// Fault proxy events (issue 15): what the proxy did to a connection's bytes, and its own switches. Always 'observed':
// the proxy is the one doing it.
import type { FaultType } from '../demos/faultProxy.js';

/** What a fault did at that moment. */
export type FaultAction =
  /** A rule began acting on this direction (its trigger fired, or it was set). */
  | 'started'
  /** A rule stopped acting (cleared, or the connection ended). */
  | 'ended'
  /** Bytes were held back (stall) or dropped (timeout). */
  | 'held'
  | 'dropped'
  /** A real RST went out on both sockets. */
  | 'reset'
  /** FIN onward (half_close), or both ways (limit_data, timeout's close). */
  | 'half-closed'
  | 'closed'
  /** A FIN was passed on late (slow_close). */
  | 'fin-delayed';

export type FaultEvent =
  | {
      kind: 'fault.injected';
      source: 'observed';
      /** The proxied connection (its socket.open names the client's endpoint). */
      conn: string;
      /** up: client → upstream; down: upstream → client. */
      dir: 'up' | 'down';
      fault: FaultType;
      /** The rule's id. */
      rule: string;
      action: FaultAction;
      /** Bytes concerned (held, dropped, passed before the trigger), when it says something. */
      bytes?: number;
    }
  | {
      /** The proxy's own switches changed: new connections refused, upstream taken down (a server restart). */
      kind: 'fault.switches';
      source: 'observed';
      accepting: 'open' | 'refuse';
      upstream: 'up' | 'down';
    }
  | {
      /** A new connection arrived while refusing or with the upstream down (refusals are real: the listener is closed). */
      kind: 'fault.refused';
      source: 'observed';
      conn: string;
      reason: 'upstream-down';
    };
