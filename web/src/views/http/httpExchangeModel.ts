// The HTTP views' state, folded from the HTTP demo's events: per connection its bytes in each direction (as the
// socket carried them), llhttp's requests, responses and refusals, and the captured segments of its client end;
// per request the middleware's spans. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { HttpEvent, MiddlewareLayer } from '@core/protocol/events/http';
import type { PacketSegmentEvent } from '@core/protocol/events/packet';
import type { LocalizedText } from '@core/protocol/errors';
import { splitHttpStream, type ByteRange, type HttpStreamSplit } from '@core/http/httpMessageSplit';
import type { Fold } from '../../store/eventFold';
import { bytesFromBase64 } from '../common/bytesFormat';

/** Connections and requests kept (the newest); older ones leave the view. */
export const CONNS_KEPT = 40;
export const REQUESTS_KEPT = 40;

export interface StreamBytes {
  /** The bytes shown, from offset 0 (a connection shows its first few KiB). */
  bytes: Uint8Array;
  /** Bytes the socket carried in all. */
  total: number;
  /** When each read or write of the shown bytes happened: its first offset and time. */
  marks: { offset: number; at: number }[];
}

/** Marks kept per stream (enough for the first few KiB of reads and writes). */
export const MARKS_KEPT = 400;

/** When the byte at `offset` crossed the socket (the read or write that carried it); null when not shown. */
export function timeAt(stream: StreamBytes, offset: number): number | null {
  let found: number | null = null;
  for (const m of stream.marks) {
    if (m.offset > offset) break;
    found = m.at;
  }
  return found;
}

export interface HttpConnView {
  conn: string;
  client: string;
  server: string;
  openedAt: number;
  closed: boolean;
  in: StreamBytes;
  out: StreamBytes;
  requests: { index: number; id: string; method: string; url: string }[];
  responses: { index: number; status: number; keepAlive: boolean }[];
  rejected: { parserCode: string; reason: string; status: number | null; why: LocalizedText; offset: number } | null;
}

export interface SpanView {
  layer: MiddlewareLayer;
  depth: number;
  start: number;
  end: number;
  status: number;
  stopped: boolean;
  note?: string;
}

export interface RequestTrace {
  id: string;
  conn: string;
  method: string;
  path: string;
  spans: SpanView[];
}

export interface HttpViewState {
  conns: Map<string, HttpConnView>;
  /** Captured segments by the client end of their connection ("127.0.0.1:41056"). */
  segments: Map<string, PacketSegmentEvent[]>;
  traces: Map<string, RequestTrace>;
  version: number;
}

function append(stream: StreamBytes, offset: number, len: number, bytes: Uint8Array, at: number): StreamBytes {
  const total = Math.max(stream.total, offset + len);
  // Only bytes that continue what is shown are added: a gap (bytes beyond the lab's limit) ends what is shown.
  if (offset !== stream.bytes.length || bytes.length === 0) return { ...stream, total };
  const joined = new Uint8Array(stream.bytes.length + bytes.length);
  joined.set(stream.bytes);
  joined.set(bytes, stream.bytes.length);
  const marks = stream.marks.length < MARKS_KEPT ? [...stream.marks, { offset, at }] : stream.marks;
  return { bytes: joined, total, marks };
}

function trim<K, V>(map: Map<K, V>, keep: number): void {
  while (map.size > keep) map.delete(map.keys().next().value as K);
}

export function httpFold(demo: string): Fold<HttpViewState> {
  return {
    init: () => ({ conns: new Map(), segments: new Map(), traces: new Map(), version: 0 }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      if (e.kind === 'packet.segment') {
        const list = state.segments.get(e.client) ?? [];
        list.push(e);
        state.segments.set(e.client, list);
        trim(state.segments, CONNS_KEPT * 2);
        state.version++;
        return;
      }
      if (!e.kind.startsWith('http.')) return;
      stepHttp(state, e as HttpEvent);
      state.version++;
    },
  };
}

function stepHttp(state: HttpViewState, e: HttpEvent): void {
  if (e.kind === 'http.span') {
    let trace = state.traces.get(e.id);
    if (!trace) {
      trace = { id: e.id, conn: e.conn, method: e.method, path: e.path, spans: [] };
      state.traces.set(e.id, trace);
      trim(state.traces, REQUESTS_KEPT);
    }
    const { layer, depth, start, end, status, stopped } = e;
    trace.spans = [...trace.spans, { layer, depth, start, end, status, stopped, ...(e.note ? { note: e.note } : {}) }];
    return;
  }
  if (e.kind === 'http.conn' && e.phase === 'open') {
    state.conns.set(e.conn, {
      conn: e.conn,
      client: e.client,
      server: e.server,
      openedAt: e.at,
      closed: false,
      in: { bytes: new Uint8Array(0), total: 0, marks: [] },
      out: { bytes: new Uint8Array(0), total: 0, marks: [] },
      requests: [],
      responses: [],
      rejected: null,
    });
    trim(state.conns, CONNS_KEPT);
    return;
  }
  const c = state.conns.get(e.conn);
  if (!c) return;
  const next: HttpConnView = { ...c };
  switch (e.kind) {
    case 'http.conn':
      next.closed = true;
      break;
    case 'http.bytes':
      next[e.dir] = append(c[e.dir], e.offset, e.len, bytesFromBase64(e.b64), e.at);
      break;
    case 'http.request':
      next.requests = [...c.requests, { index: e.index, id: e.id, method: e.method, url: e.url }];
      break;
    case 'http.response':
      next.responses = [...c.responses, { index: e.index, status: e.status, keepAlive: e.keepAlive }];
      break;
    case 'http.rejected':
      next.rejected = { parserCode: e.parserCode, reason: e.reason, status: e.status, why: e.why, offset: e.offset };
      break;
  }
  state.conns.set(e.conn, next);
}

/** A connection's two streams split into messages (requests by the bytes, responses knowing the methods). */
export function splitConn(c: HttpConnView): { requests: HttpStreamSplit; responses: HttpStreamSplit } {
  const requests = splitHttpStream(c.in.bytes, 'request');
  const methods = c.requests.map((r) => r.method);
  const responses = splitHttpStream(c.out.bytes, 'response', {
    requestMethods: methods,
    closed: c.closed && c.out.bytes.length === c.out.total,
  });
  return { requests, responses };
}

/** One captured segment's payload as a range of its direction's stream. */
export interface SegmentSpan extends ByteRange {
  /** Position in the capture (its index), for naming it. */
  index: number;
  dir: 'in' | 'out';
}

/**
 * Where each captured data segment's payload lies in the connection's streams: relative sequence numbers count from
 * the SYN, so a payload at relSeq n starts at stream offset n − 1. Segments of a capture that missed the SYN are left
 * out (their numbers do not give offsets).
 */
export function segmentSpans(segments: readonly PacketSegmentEvent[]): SegmentSpan[] {
  return segments
    .filter((s) => s.len > 0 && s.handshakeSeen)
    .map((s) => ({
      index: s.index,
      dir: s.role === 'client' ? ('in' as const) : ('out' as const),
      start: s.relSeq - 1,
      end: s.relSeq - 1 + s.len,
    }));
}

/** Handshakes (SYNs the client sent) in a connection's capture: one for any number of keep-alive requests. */
export function handshakeCount(segments: readonly PacketSegmentEvent[]): number {
  return segments.filter((s) => s.role === 'client' && s.flags.includes('SYN') && !s.flags.includes('ACK')).length;
}

/** The segments a byte range lies in (any overlap). */
export function segmentsOver(spans: readonly SegmentSpan[], dir: 'in' | 'out', range: ByteRange): SegmentSpan[] {
  return spans.filter((s) => s.dir === dir && s.start < Math.max(range.end, range.start + 1) && s.end > range.start);
}

/** A request's onion: the outer span's time, each layer's share of it, and the layer that answered instead. */
export function onionOf(trace: RequestTrace): {
  start: number;
  end: number;
  layers: SpanView[];
  stoppedBy: SpanView | null;
  status: number;
} {
  const layers = [...trace.spans].sort((a, b) => a.depth - b.depth);
  const start = Math.min(...layers.map((s) => s.start));
  const end = Math.max(...layers.map((s) => s.end));
  const outer = layers[0];
  return {
    start,
    end,
    layers,
    stoppedBy: layers.find((s) => s.stopped) ?? null,
    status: outer?.status ?? 0,
  };
}
