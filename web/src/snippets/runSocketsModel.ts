// The "sockets of this run" list, folded from the socket events the bridge publishes under a run's demo id:
// each bridged connection with its ends, byte counts and whether it is still open. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { Endpoint } from '@core/protocol/events/socket';
import type { Fold } from '../store/eventFold';

export interface RunSocket {
  conn: string;
  side: 'client' | 'server';
  local: Endpoint;
  remote: Endpoint;
  bytesIn: number;
  bytesOut: number;
  open: boolean;
  closeReason?: 'eof' | 'local' | 'error';
}

export interface RunSocketsState {
  sockets: Map<string, RunSocket>;
  listeners: Endpoint[];
}

/** At most this many sockets are kept (a run may open a thousand); the oldest closed ones go first. */
export const RUN_SOCKETS_KEPT = 200;

export function runSocketsFold(demo: string): Fold<RunSocketsState> {
  return {
    init: () => ({ sockets: new Map(), listeners: [] }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'socket.listen':
          state.listeners.push(e.local);
          return;
        case 'socket.open':
          state.sockets.set(e.conn, {
            conn: e.conn,
            side: e.side,
            local: e.local,
            remote: e.remote,
            bytesIn: 0,
            bytesOut: 0,
            open: true,
          });
          if (state.sockets.size > RUN_SOCKETS_KEPT) {
            for (const [id, s] of state.sockets) {
              if (!s.open) {
                state.sockets.delete(id);
                break;
              }
            }
          }
          return;
        case 'socket.data': {
          const s = state.sockets.get(e.conn);
          if (s) {
            if (e.dir === 'in') s.bytesIn += e.len;
            else s.bytesOut += e.len;
          }
          return;
        }
        case 'socket.stats':
          for (const c of e.conns) {
            const s = state.sockets.get(c.conn);
            if (s) {
              s.bytesIn = c.bytesIn;
              s.bytesOut = c.bytesOut;
            }
          }
          return;
        case 'socket.close': {
          const s = state.sockets.get(e.conn);
          if (s) {
            s.open = false;
            s.closeReason = e.reason;
            s.bytesIn = e.bytesIn;
            s.bytesOut = e.bytesOut;
          }
          return;
        }
        default:
          return;
      }
    },
  };
}
