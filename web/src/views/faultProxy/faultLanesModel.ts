// The fault proxy view's state, folded from its events: one lane per proxied connection, holding what the page's own
// client sent and received on it (joined by port: the proxied connection's remote port is the client's local port)
// and every fault the proxy injected, in order; and the proxy's switches. Pure; tested in faultLanesModel.test.ts.
import type { LabEvent } from '@core/protocol/events';
import type { FaultAction } from '@core/protocol/events/fault';
import type { FaultType } from '@core/protocol/demos/faultProxy';

export const ITEMS_PER_LANE = 40;
export const CLOSED_LANES_KEPT = 10;

export type LaneItem =
  | { seq: number; t: number; kind: 'data'; dir: 'sent' | 'received'; len: number; b64: string }
  | {
      seq: number;
      t: number;
      kind: 'fault';
      dir: 'up' | 'down';
      fault: FaultType;
      action: FaultAction;
      bytes?: number;
    };

export interface FaultLane {
  /** The proxied connection's id (p1, p2, …). */
  conn: string;
  remotePort: number;
  /** The page's label of its client on this connection, when the client is one of the lab's. */
  client?: string;
  openedAt: number;
  closedAt?: number;
  items: LaneItem[];
  version: number;
}

export interface FaultLanesState {
  lanes: Map<string, FaultLane>;
  closed: FaultLane[];
  /** Clients the lab opened, by their local port: label and conn id. */
  clientsByPort: Map<number, { label: string; conn: string }>;
  /** Proxied connection of each client conn id. */
  laneOfClient: Map<string, string>;
  switches: { accepting: 'open' | 'refuse'; upstream: 'up' | 'down' };
}

function push(lane: FaultLane, item: LaneItem): void {
  lane.items.push(item);
  if (lane.items.length > ITEMS_PER_LANE) lane.items.splice(0, lane.items.length - ITEMS_PER_LANE);
  lane.version++;
}

function attach(state: FaultLanesState, lane: FaultLane): void {
  const client = state.clientsByPort.get(lane.remotePort);
  if (!client) return;
  lane.client = client.label;
  state.laneOfClient.set(client.conn, lane.conn);
  lane.version++;
}

export function faultLanesFold(demo: string) {
  return {
    init: (): FaultLanesState => ({
      lanes: new Map(),
      closed: [],
      clientsByPort: new Map(),
      laneOfClient: new Map(),
      switches: { accepting: 'open', upstream: 'up' },
    }),
    step(state: FaultLanesState, e: LabEvent): void {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'socket.open': {
          if (e.side === 'client') {
            if (!e.label) return;
            state.clientsByPort.set(e.local.port, { label: e.label, conn: e.conn });
            for (const lane of state.lanes.values()) if (lane.remotePort === e.local.port) attach(state, lane);
            return;
          }
          const lane: FaultLane = { conn: e.conn, remotePort: e.remote.port, openedAt: e.t, items: [], version: 0 };
          state.lanes.set(e.conn, lane);
          attach(state, lane);
          return;
        }
        case 'socket.data': {
          const lane = state.lanes.get(state.laneOfClient.get(e.conn) ?? '');
          if (!lane) return;
          const dir = e.dir === 'out' ? 'sent' : 'received';
          push(lane, { seq: e.seq, t: e.t, kind: 'data', dir, len: e.len, b64: e.b64 });
          return;
        }
        case 'fault.injected': {
          const lane = state.lanes.get(e.conn);
          if (!lane) return;
          const item: LaneItem = { seq: e.seq, t: e.t, kind: 'fault', dir: e.dir, fault: e.fault, action: e.action };
          if (e.bytes !== undefined) item.bytes = e.bytes;
          push(lane, item);
          return;
        }
        case 'socket.close': {
          const lane = state.lanes.get(e.conn);
          if (lane) {
            state.lanes.delete(e.conn);
            lane.closedAt = e.t;
            lane.version++;
            state.closed.unshift(lane);
            state.closed.length = Math.min(state.closed.length, CLOSED_LANES_KEPT);
            return;
          }
          const of = state.laneOfClient.get(e.conn);
          if (of !== undefined) state.laneOfClient.delete(e.conn);
          for (const [port, c] of state.clientsByPort) if (c.conn === e.conn) state.clientsByPort.delete(port);
          return;
        }
        case 'fault.switches':
          state.switches = { accepting: e.accepting, upstream: e.upstream };
          return;
        default:
          return;
      }
    },
  };
}
