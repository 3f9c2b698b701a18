// The HTTP views' fold on events recorded from the lab's server (a kept-alive connection, a chunked answer, a
// refusal, the onion's spans) and on captured segments: bytes joined in order, messages split, segments placed on
// the streams, one handshake counted, times read off the writes, stops found.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { PacketSegmentEvent } from '@core/protocol/events/packet';
import {
  handshakeCount,
  httpFold,
  onionOf,
  segmentSpans,
  segmentsOver,
  splitConn,
  timeAt,
  type HttpViewState,
} from './httpExchangeModel';

const REQUEST = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1:46247\r\n\r\n';
const HEAD =
  'HTTP/1.1 200 OK\r\nX-Request-Id: 39f698-000001\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n' +
  'Date: Sun, 06 Dec 2026 22:31:46 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n';

let seq = 0;
const b64 = (s: string) => btoa(s);
function ev(body: Record<string, unknown>, demo = 'http'): LabEvent {
  return { seq: ++seq, t: 1000 + seq, demo, source: 'observed', ...body } as unknown as LabEvent;
}

function run(events: LabEvent[]): HttpViewState {
  const fold = httpFold('http');
  const state = fold.init();
  for (const e of events) fold.step(state, e);
  return state;
}

/** A kept-alive connection as the server reported it: each request read, then its answer written in two writes. */
function keptAlive(requests: number): LabEvent[] {
  const out: LabEvent[] = [
    ev({ kind: 'http.conn', conn: 'h1', phase: 'open', client: '127.0.0.1:41000', server: '127.0.0.1:46247', at: 0 }),
  ];
  let inOff = 0;
  let outOff = 0;
  for (let i = 1; i <= requests; i++) {
    out.push(
      ev({
        kind: 'http.bytes',
        conn: 'h1',
        dir: 'in',
        offset: inOff,
        len: REQUEST.length,
        b64: b64(REQUEST),
        clipped: false,
        at: i * 10,
      }),
    );
    inOff += REQUEST.length;
    out.push(
      ev({
        kind: 'http.request',
        conn: 'h1',
        index: i,
        id: `r${i}`,
        method: 'GET',
        url: '/hello',
        httpVersion: '1.1',
        framing: 'none',
        at: i * 10,
      }),
    );
    out.push(
      ev({
        kind: 'http.bytes',
        conn: 'h1',
        dir: 'out',
        offset: outOff,
        len: HEAD.length,
        b64: b64(HEAD),
        clipped: false,
        at: i * 10 + 1,
      }),
    );
    outOff += HEAD.length;
    out.push(
      ev({
        kind: 'http.bytes',
        conn: 'h1',
        dir: 'out',
        offset: outOff,
        len: 6,
        b64: b64('hello\n'),
        clipped: false,
        at: i * 10 + 1,
      }),
    );
    outOff += 6;
    out.push(
      ev({
        kind: 'http.response',
        conn: 'h1',
        index: i,
        id: `r${i}`,
        status: 200,
        framing: 'content-length',
        keepAlive: true,
        at: i * 10 + 1,
      }),
    );
  }
  return out;
}

function segment(fields: Partial<PacketSegmentEvent>): PacketSegmentEvent {
  return {
    kind: 'packet.segment',
    source: 'captured',
    index: 0,
    tsSec: 0,
    tsNsec: 0,
    at: 0,
    connection: 1,
    client: '127.0.0.1:41000',
    server: '127.0.0.1:46247',
    from: '',
    to: '',
    role: 'client',
    handshakeSeen: true,
    flags: ['ACK'],
    seqNum: 0,
    ackNum: 0,
    relSeq: 1,
    relAck: 1,
    len: 0,
    window: 0,
    windowShift: 7,
    headers: {} as PacketSegmentEvent['headers'],
    hex: '',
    hexClipped: false,
    layout: { ipOffset: 14, tcpOffset: 34, payloadOffset: 66, capturedEnd: 66 },
    capturedLength: 66,
    originalLength: 66,
    linkType: 'EN10MB',
    ...fields,
  };
}

describe('httpFold', () => {
  it('joins the bytes of a kept-alive connection in order and splits three requests and three answers', () => {
    const state = run(keptAlive(3));
    const c = state.conns.get('h1')!;
    expect(c.in.total).toBe(3 * REQUEST.length);
    expect(c.out.bytes.length).toBe(3 * (HEAD.length + 6));
    const { requests, responses } = splitConn(c);
    expect(requests.messages.map((m) => m.firstLine)).toEqual(Array(3).fill('GET /hello HTTP/1.1'));
    expect(responses.messages.map((m) => m.framing)).toEqual(Array(3).fill('content-length'));
    expect(c.requests.map((r) => r.index)).toEqual([1, 2, 3]);
    // The second answer's head was written at 21 ms.
    expect(timeAt(c.out, responses.messages[1]!.start)).toBe(21);
  });

  it('ignores other demos, and shows only bytes that continue what it has (a gap ends the shown bytes)', () => {
    const events = keptAlive(1);
    events.push(
      ev({
        kind: 'http.bytes',
        conn: 'h1',
        dir: 'in',
        offset: 9999,
        len: 5,
        b64: b64('later'),
        clipped: false,
        at: 99,
      }),
    );
    events.push(ev({ kind: 'http.conn', conn: 'h9', phase: 'open', client: 'x', server: 'y', at: 0 }, 'echo'));
    const state = run(events);
    expect([...state.conns.keys()]).toEqual(['h1']);
    const c = state.conns.get('h1')!;
    expect(c.in.bytes.length).toBe(REQUEST.length);
    expect(c.in.total).toBe(10004);
  });

  it('keeps the refusal with its code, status and reason', () => {
    const state = run([
      ev({ kind: 'http.conn', conn: 'h2', phase: 'open', client: 'c', server: 's', at: 0 }),
      ev({
        kind: 'http.rejected',
        conn: 'h2',
        parserCode: 'HPE_INVALID_METHOD',
        reason: 'Invalid method encountered',
        status: 400,
        why: { en: 'no', zh: '不' },
        offset: 23,
        at: 1,
      }),
      ev({ kind: 'http.conn', conn: 'h2', phase: 'close', client: 'c', server: 's', at: 2 }),
    ]);
    const c = state.conns.get('h2')!;
    expect(c.rejected).toMatchObject({ parserCode: 'HPE_INVALID_METHOD', status: 400, offset: 23 });
    expect(c.closed).toBe(true);
  });
});

describe('segments on the streams', () => {
  it('places each data segment by its relative sequence number and counts one handshake', () => {
    const segs = [
      segment({ index: 0, flags: ['SYN'], relSeq: 0 }),
      segment({ index: 1, role: 'server', flags: ['SYN', 'ACK'], relSeq: 0 }),
      segment({ index: 2, flags: ['ACK'] }),
      segment({ index: 3, flags: ['PSH', 'ACK'], relSeq: 1, len: 46 }),
      segment({ index: 4, role: 'server', flags: ['PSH', 'ACK'], relSeq: 1, len: 199 }),
      segment({ index: 5, flags: ['PSH', 'ACK'], relSeq: 47, len: 46 }),
      segment({ index: 6, flags: ['PSH', 'ACK'], relSeq: 93, len: 10, handshakeSeen: false }),
    ];
    expect(handshakeCount(segs)).toBe(1);
    const spans = segmentSpans(segs);
    expect(spans).toEqual([
      { index: 3, dir: 'in', start: 0, end: 46 },
      { index: 4, dir: 'out', start: 0, end: 199 },
      { index: 5, dir: 'in', start: 46, end: 92 },
    ]);
    expect(segmentsOver(spans, 'in', { start: 40, end: 50 }).map((s) => s.index)).toEqual([3, 5]);
    expect(segmentsOver(spans, 'out', { start: 197, end: 199 }).map((s) => s.index)).toEqual([4]);
  });

  it('keeps segments by their client end, for the connection that has it', () => {
    const state = run([ev({ ...segment({ index: 7, len: 5, relSeq: 1 }), source: 'captured' })]);
    expect(state.segments.get('127.0.0.1:41000')!.map((s) => s.index)).toEqual([7]);
  });
});

describe('onionOf', () => {
  it('nests the spans outermost first and finds the layer that stopped the request', () => {
    const span = (layer: string, depth: number, start: number, end: number, stopped = false) =>
      ev({
        kind: 'http.span',
        id: 'r7',
        conn: 'h3',
        method: 'GET',
        path: '/admin',
        layer,
        depth,
        start,
        end,
        status: 401,
        stopped,
      });
    // As the server reports them: innermost first, each when its layer returns.
    const state = run([
      span('auth', 3, 3, 4, true),
      span('request-id', 2, 2, 4.5),
      span('recovery', 1, 1, 5),
      span('logging', 0, 0, 6),
    ]);
    const onion = onionOf(state.traces.get('r7')!);
    expect(onion.layers.map((l) => l.layer)).toEqual(['logging', 'recovery', 'request-id', 'auth']);
    expect(onion.stoppedBy?.layer).toBe('auth');
    expect([onion.start, onion.end, onion.status]).toEqual([0, 6, 401]);
  });
});
