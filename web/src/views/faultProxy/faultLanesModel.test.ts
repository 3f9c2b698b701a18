import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import { faultLanesFold, ITEMS_PER_LANE } from './faultLanesModel';

let seq = 0;
const ev = (body: LabEventBody, demo = 'fault-proxy'): LabEvent => ({ ...body, seq: ++seq, t: seq, demo }) as LabEvent;
const ep = (port: number) => ({ host: '127.0.0.1', port });

function run(events: LabEvent[]) {
  const fold = faultLanesFold('fault-proxy');
  const state = fold.init();
  for (const e of events) fold.step(state, e);
  return state;
}

describe('faultLanesModel', () => {
  it('joins the page’s client to its proxied connection by port, whichever opens first', () => {
    for (const order of [0, 1]) {
      const proxied = ev({
        kind: 'socket.open',
        source: 'observed',
        conn: 'p1',
        side: 'server',
        local: ep(9000),
        remote: ep(5555),
      });
      const client = ev({
        kind: 'socket.open',
        source: 'observed',
        conn: 'client-1',
        side: 'client',
        local: ep(5555),
        remote: ep(9000),
        label: 'client-1',
      });
      const state = run(order === 0 ? [proxied, client] : [client, proxied]);
      expect(state.lanes.get('p1')?.client).toBe('client-1');
    }
  });

  it('puts the client’s bytes and the proxy’s faults on the lane, in order', () => {
    const state = run([
      ev({ kind: 'socket.open', source: 'observed', conn: 'p1', side: 'server', local: ep(9000), remote: ep(5555) }),
      ev({
        kind: 'socket.open',
        source: 'observed',
        conn: 'client-1',
        side: 'client',
        local: ep(5555),
        remote: ep(9000),
        label: 'client-1',
      }),
      ev({
        kind: 'socket.data',
        source: 'observed',
        conn: 'client-1',
        dir: 'out',
        len: 3,
        b64: 'aGkK',
        clipped: false,
      }),
      ev({
        kind: 'fault.injected',
        source: 'observed',
        conn: 'p1',
        dir: 'down',
        fault: 'stall',
        rule: 'f1',
        action: 'started',
      }),
      ev({ kind: 'socket.data', source: 'observed', conn: 'client-1', dir: 'in', len: 3, b64: 'aGkK', clipped: false }),
    ]);
    const items = state.lanes.get('p1')!.items;
    expect(items.map((i) => (i.kind === 'data' ? i.dir : `${i.fault} ${i.action}`))).toEqual([
      'sent',
      'stall started',
      'received',
    ]);
  });

  it('keeps a bounded number of items, moves closed lanes aside and follows the switches', () => {
    const events = [
      ev({ kind: 'socket.open', source: 'observed', conn: 'p1', side: 'server', local: ep(9000), remote: ep(1) }),
    ];
    for (let i = 0; i < ITEMS_PER_LANE + 5; i++)
      events.push(
        ev({
          kind: 'fault.injected',
          source: 'observed',
          conn: 'p1',
          dir: 'up',
          fault: 'latency',
          rule: 'f1',
          action: 'started',
        }),
      );
    events.push(ev({ kind: 'fault.switches', source: 'observed', accepting: 'refuse', upstream: 'down' }));
    let state = run(events);
    expect(state.lanes.get('p1')!.items).toHaveLength(ITEMS_PER_LANE);
    expect(state.switches).toEqual({ accepting: 'refuse', upstream: 'down' });
    state = run([
      ...events,
      ev({ kind: 'socket.close', source: 'observed', conn: 'p1', reason: 'eof', bytesIn: 0, bytesOut: 0 }),
    ]);
    expect(state.lanes.size).toBe(0);
    expect(state.closed.map((l) => l.conn)).toEqual(['p1']);
  });

  it('ignores other demos’ events', () => {
    const state = run([
      ev({ kind: 'socket.open', source: 'observed', conn: 'p1', side: 'server', local: ep(1), remote: ep(2) }, 'echo'),
    ]);
    expect(state.lanes.size).toBe(0);
  });
});
