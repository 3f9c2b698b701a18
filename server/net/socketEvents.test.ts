// The socket event reporter: every read and write counted exactly, a sample of them reported as data events
// (per connection and for all connections together), counters flushed as one stats event.
import { describe, expect, it } from 'vitest';
import type { LabEventBody } from '../../core/protocol/events.js';
import type { GoConn } from './goConn.js';
import { SocketEventReporter } from './socketEvents.js';

function fakeConn(id: string): GoConn {
  return { id, bytesIn: 0, bytesOut: 0, readsIn: 0, writesOut: 0 } as unknown as GoConn;
}

function setup(perConn: number, total: number) {
  let t = 0;
  const events: LabEventBody[] = [];
  const reporter = new SocketEventReporter(
    (e) => events.push(e),
    perConn,
    total,
    () => t,
  );
  const dataEvents = (conn?: string) =>
    events.filter((e) => e.kind === 'socket.data' && (!conn || e.conn === conn)).length;
  return { reporter, events, dataEvents, advance: (ms: number) => (t += ms) };
}

describe('SocketEventReporter', () => {
  it('reports a busy connection up to its budget a second and counts the rest as unreported', () => {
    const { reporter, events, dataEvents, advance } = setup(5, 1000);
    const a = fakeConn('a');
    const bytes = new TextEncoder().encode('ping\n');
    for (let i = 0; i < 20; i++) reporter.onRead(a, bytes);
    expect(dataEvents('a')).toBe(5);
    const first = events.find((e) => e.kind === 'socket.data');
    expect(first).toMatchObject({
      conn: 'a',
      dir: 'in',
      len: 5,
      b64: Buffer.from('ping\n').toString('base64'),
      clipped: false,
    });
    reporter.flushStats();
    expect(events.at(-1)).toMatchObject({
      kind: 'socket.stats',
      conns: [expect.objectContaining({ conn: 'a', unreported: 15 })],
    });
    advance(1000);
    reporter.onWrite(a, bytes);
    expect(dataEvents('a')).toBe(6);
  });

  it('holds all connections together to the total budget', () => {
    const { reporter, dataEvents, advance } = setup(5, 8);
    const conns = ['a', 'b', 'c', 'd'].map(fakeConn);
    const bytes = new Uint8Array(64);
    for (let i = 0; i < 5; i++) for (const c of conns) reporter.onRead(c, bytes);
    // 20 reads, each connection within its own 5, but only 8 in all.
    expect(dataEvents()).toBe(8);
    expect(['a', 'b', 'c', 'd'].map((id) => dataEvents(id))).toEqual([2, 2, 2, 2]);
    advance(500);
    for (const c of conns) reporter.onRead(c, bytes);
    expect(dataEvents()).toBe(12);
  });

  it('clips the preview of a large chunk but reports its full length', () => {
    const { reporter, events } = setup(5, 10);
    reporter.onWrite(fakeConn('a'), new Uint8Array(10_000));
    expect(events[0]).toMatchObject({ kind: 'socket.data', dir: 'out', len: 10_000, clipped: true });
    expect(Buffer.from((events[0] as { b64: string }).b64, 'base64')).toHaveLength(256);
  });
});
