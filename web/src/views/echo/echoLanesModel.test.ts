import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import { CLOSED_LANES_KEPT, echoLanesFold, MESSAGES_PER_LANE } from './echoLanesModel';

let seq = 0;
const at = (body: LabEventBody, demo = 'echo'): LabEvent => ({ ...body, seq: ++seq, t: 1000 + seq, demo }) as LabEvent;
const ep = (port: number) => ({ host: '127.0.0.1', port });
const b64 = (s: string) => Buffer.from(s).toString('base64');

function run(events: LabEvent[]) {
  const fold = echoLanesFold('echo');
  const state = fold.init();
  for (const e of events) fold.step(state, e);
  return state;
}

describe('echo lanes fold', () => {
  it('makes one lane per server-side connection and labels the lab clients by port, whichever open comes first', () => {
    const state = run([
      at({ kind: 'socket.open', source: 'observed', conn: 's1', side: 'server', local: ep(7401), remote: ep(50001) }),
      at({
        kind: 'socket.open',
        source: 'observed',
        conn: 'client-1',
        side: 'client',
        local: ep(50001),
        remote: ep(7401),
        label: 'client-1',
      }),
      at({
        kind: 'socket.open',
        source: 'observed',
        conn: 'client-2',
        side: 'client',
        local: ep(50002),
        remote: ep(7401),
        label: 'client-2',
      }),
      at({ kind: 'socket.open', source: 'observed', conn: 's2', side: 'server', local: ep(7401), remote: ep(50002) }),
      at({ kind: 'socket.open', source: 'observed', conn: 's3', side: 'server', local: ep(7401), remote: ep(60000) }),
    ]);
    expect([...state.open.values()].map((l) => [l.conn, l.clientLabel])).toEqual([
      ['s1', 'client-1'],
      ['s2', 'client-2'],
      ['s3', undefined],
    ]);
  });

  it('records reads and writes per lane, keeps the newest messages, and ignores other demos', () => {
    const events = [
      at({ kind: 'socket.open', source: 'observed', conn: 's1', side: 'server', local: ep(1), remote: ep(2) }),
    ];
    for (let i = 0; i < MESSAGES_PER_LANE + 5; i++) {
      events.push(
        at({
          kind: 'socket.data',
          source: 'observed',
          conn: 's1',
          dir: i % 2 ? 'out' : 'in',
          len: 3,
          b64: b64('abc'),
          clipped: false,
        }),
      );
    }
    events.push(
      at({ kind: 'socket.data', source: 'observed', conn: 's1', dir: 'in', len: 99, b64: '', clipped: false }, 'other'),
    );
    const lane = run(events).open.get('s1')!;
    expect(lane.messages).toHaveLength(MESSAGES_PER_LANE);
    expect(lane.readsIn + lane.writesOut).toBe(MESSAGES_PER_LANE + 5);
    expect(lane.bytesIn).toBe(3 * 23);
  });

  it('takes exact counters from socket.stats even when data events were sampled away', () => {
    const state = run([
      at({ kind: 'socket.open', source: 'observed', conn: 's1', side: 'server', local: ep(1), remote: ep(2) }),
      at({ kind: 'socket.data', source: 'observed', conn: 's1', dir: 'in', len: 10, b64: '', clipped: false }),
      at({
        kind: 'socket.stats',
        source: 'observed',
        conns: [{ conn: 's1', bytesIn: 5000, bytesOut: 4990, readsIn: 50, writesOut: 49, unreported: 0 }],
      }),
    ]);
    expect(state.open.get('s1')).toMatchObject({ bytesIn: 5000, bytesOut: 4990, readsIn: 50, writesOut: 49 });
  });

  it('moves closed lanes to the closed list with reason and totals, newest first, bounded', () => {
    const events: LabEvent[] = [];
    for (let i = 0; i < CLOSED_LANES_KEPT + 3; i++) {
      events.push(
        at({
          kind: 'socket.open',
          source: 'observed',
          conn: `s${i}`,
          side: 'server',
          local: ep(1),
          remote: ep(1000 + i),
        }),
      );
      events.push(
        at({ kind: 'socket.close', source: 'observed', conn: `s${i}`, reason: 'eof', bytesIn: i, bytesOut: i }),
      );
    }
    const state = run(events);
    expect(state.open.size).toBe(0);
    expect(state.closed).toHaveLength(CLOSED_LANES_KEPT);
    expect(state.closed[0]).toMatchObject({
      conn: `s${CLOSED_LANES_KEPT + 2}`,
      closeReason: 'eof',
      bytesIn: CLOSED_LANES_KEPT + 2,
    });
  });

  it('shows a paused lane until reading resumes', () => {
    const open = at({
      kind: 'socket.open',
      source: 'observed',
      conn: 's1',
      side: 'server',
      local: ep(1),
      remote: ep(2),
    });
    const paused = run([
      open,
      at({ kind: 'socket.pause', source: 'observed', conn: 's1', buffered: 300000, reason: 'x' }),
    ]);
    expect(paused.open.get('s1')!.paused).toBe(true);
    const resumed = run([
      open,
      at({ kind: 'socket.pause', source: 'observed', conn: 's1', buffered: 1, reason: 'x' }),
      at({ kind: 'socket.resume', source: 'observed', conn: 's1' }),
    ]);
    expect(resumed.open.get('s1')!.paused).toBe(false);
  });
});
