// The echo lanes' state, folded from socket events: one lane per server-side connection with its counters and
// its latest messages. Pure; tested in echoLanesModel.test.ts.
import type { LabEvent } from '@core/protocol/events';
import type { Endpoint } from '@core/protocol/events/socket';
import type { Fold } from '../../store/eventFold';

export const MESSAGES_PER_LANE = 40;
export const CLOSED_LANES_KEPT = 20;

export interface LaneMessage {
  seq: number;
  t: number;
  dir: 'in' | 'out';
  len: number;
  b64: string;
  clipped: boolean;
}

export interface Lane {
  conn: string;
  remote: Endpoint;
  local: Endpoint;
  /** The browser's label when one of the lab's own clients is the peer. */
  clientLabel?: string;
  openedAt: number;
  closedAt?: number;
  closeReason?: 'eof' | 'local' | 'error';
  bytesIn: number;
  bytesOut: number;
  readsIn: number;
  writesOut: number;
  paused: boolean;
  messages: LaneMessage[];
  /** Bumped on every change, so a lane component can skip renders. */
  version: number;
}

export interface EchoLanesState {
  open: Map<string, Lane>;
  closed: Lane[];
  /** The lab's clients by their local port: their server-side lane has that remote port. */
  clientsByPort: Map<number, string>;
}

export function echoLanesFold(demo: string): Fold<EchoLanesState> {
  return {
    init: () => ({ open: new Map(), closed: [], clientsByPort: new Map() }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'socket.open': {
          if (e.side === 'client') {
            if (e.label) state.clientsByPort.set(e.local.port, e.label);
            for (const lane of state.open.values()) {
              if (lane.remote.port === e.local.port && e.label) {
                lane.clientLabel = e.label;
                lane.version++;
              }
            }
            return;
          }
          const label = state.clientsByPort.get(e.remote.port);
          state.open.set(e.conn, {
            conn: e.conn,
            remote: e.remote,
            local: e.local,
            ...(label ? { clientLabel: label } : {}),
            openedAt: e.t,
            bytesIn: 0,
            bytesOut: 0,
            readsIn: 0,
            writesOut: 0,
            paused: false,
            messages: [],
            version: 0,
          });
          return;
        }
        case 'socket.data': {
          const lane = state.open.get(e.conn);
          if (!lane) return;
          // Counters also come from socket.stats (exact even when data events were sampled away); never go back.
          if (e.dir === 'in') {
            lane.bytesIn += e.len;
            lane.readsIn++;
          } else {
            lane.bytesOut += e.len;
            lane.writesOut++;
          }
          lane.messages.push({ seq: e.seq, t: e.t, dir: e.dir, len: e.len, b64: e.b64, clipped: e.clipped });
          if (lane.messages.length > MESSAGES_PER_LANE)
            lane.messages.splice(0, lane.messages.length - MESSAGES_PER_LANE);
          lane.version++;
          return;
        }
        case 'socket.stats': {
          for (const c of e.conns) {
            const lane = state.open.get(c.conn);
            if (!lane) continue;
            lane.bytesIn = Math.max(lane.bytesIn, c.bytesIn);
            lane.bytesOut = Math.max(lane.bytesOut, c.bytesOut);
            lane.readsIn = Math.max(lane.readsIn, c.readsIn);
            lane.writesOut = Math.max(lane.writesOut, c.writesOut);
            lane.version++;
          }
          return;
        }
        case 'socket.pause':
        case 'socket.resume': {
          const lane = state.open.get(e.conn);
          if (!lane) return;
          lane.paused = e.kind === 'socket.pause';
          lane.version++;
          return;
        }
        case 'socket.close': {
          const lane = state.open.get(e.conn);
          if (!lane) {
            for (const [port, label] of state.clientsByPort) if (label === e.conn) state.clientsByPort.delete(port);
            return;
          }
          state.open.delete(e.conn);
          lane.closedAt = e.t;
          lane.closeReason = e.reason;
          lane.bytesIn = Math.max(lane.bytesIn, e.bytesIn);
          lane.bytesOut = Math.max(lane.bytesOut, e.bytesOut);
          lane.paused = false;
          lane.version++;
          state.closed.unshift(lane);
          if (state.closed.length > CLOSED_LANES_KEPT) state.closed.length = CLOSED_LANES_KEPT;
          return;
        }
        default:
          return;
      }
    },
  };
}
