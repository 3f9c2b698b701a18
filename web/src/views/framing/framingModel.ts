// The framing inspector's state, folded from the framing demo's socket and frame events: per server-side connection,
// its read chunks and frames as spans of its byte stream, the decoder's latest state, and its bad frame. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { DecoderState } from '@core/framing/frameCodec';
import type { FramingServerMode } from '@core/protocol/events/frame';
import type { Endpoint } from '@core/protocol/events/socket';
import type { ByteSpan } from '@core/protocol/events/stream';
import type { WireError } from '@core/protocol/errors';
import type { Fold } from '../../store/eventFold';

/** Spans and frames kept per connection (the newest); closed connections kept. */
export const SPANS_KEPT = 400;
export const FRAMES_LISTED = 50;
export const CLOSED_KEPT = 12;

export interface FrameRow {
  index: number;
  offset: number;
  wireLen: number;
  payloadLen: number;
  b64: string;
  clipped: boolean;
  zeroCopy: boolean;
  read: number;
}

export interface FramedConn {
  conn: string;
  mode: FramingServerMode | null;
  remote: Endpoint;
  openedAt: number;
  closed: boolean;
  reads: ByteSpan[];
  /** Bytes read so far, by the read events (or the decoder's count when some reads went unreported). */
  bytesSeen: number;
  /** True when the decoder had more bytes than the read events added up to. */
  readsMissing: boolean;
  frames: FrameRow[];
  frameSpans: ByteSpan[];
  framesTotal: number;
  elided: number;
  /** Over the frames seen as events: wire bytes minus payload bytes. */
  overheadBytes: number;
  payloadBytes: number;
  state: DecoderState | null;
  error: { error: WireError; offset: number } | null;
  version: number;
}

export interface FramingState {
  conns: Map<string, FramedConn>;
  /** Listening port → framing mode, from socket.listen. */
  modeByPort: Map<number, FramingServerMode>;
  version: number;
}

const MODES: readonly string[] = ['fixed', 'delimiter', 'length-prefix'];

function push<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  if (list.length > keep * 1.25) list.splice(0, list.length - keep);
}

export function framingFold(demo: string): Fold<FramingState> {
  const conn = (state: FramingState, id: string, t: number): FramedConn => {
    let c = state.conns.get(id);
    if (!c) {
      // Events can outlive their socket.open in the replayed history: start the connection from what is known.
      c = {
        conn: id,
        mode: null,
        remote: { host: '', port: 0 },
        openedAt: t,
        closed: false,
        reads: [],
        bytesSeen: 0,
        readsMissing: false,
        frames: [],
        frameSpans: [],
        framesTotal: 0,
        elided: 0,
        overheadBytes: 0,
        payloadBytes: 0,
        state: null,
        error: null,
        version: 0,
      };
      state.conns.set(id, c);
    }
    c.version++;
    state.version++;
    return c;
  };
  const prune = (state: FramingState) => {
    const closed = [...state.conns.values()].filter((c) => c.closed);
    for (const c of closed.slice(0, Math.max(0, closed.length - CLOSED_KEPT))) state.conns.delete(c.conn);
  };

  return {
    init: () => ({ conns: new Map(), modeByPort: new Map(), version: 0 }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'socket.listen':
          if (MODES.includes(e.listener)) state.modeByPort.set(e.local.port, e.listener as FramingServerMode);
          return;
        case 'socket.open': {
          if (e.side !== 'server') return;
          const c = conn(state, e.conn, e.t);
          c.remote = e.remote;
          c.openedAt = e.t;
          c.mode ??= state.modeByPort.get(e.local.port) ?? null;
          return;
        }
        case 'socket.data': {
          if (e.dir !== 'in' || !state.conns.has(e.conn)) return;
          const c = conn(state, e.conn, e.t);
          push(c.reads, { offset: c.bytesSeen, len: e.len }, SPANS_KEPT);
          c.bytesSeen += e.len;
          return;
        }
        case 'socket.close': {
          const c = state.conns.get(e.conn);
          if (!c) return;
          conn(state, e.conn, e.t).closed = true;
          prune(state);
          return;
        }
        case 'frame.decoded': {
          const c = conn(state, e.conn, e.t);
          c.mode ??= e.mode;
          const { index, offset, wireLen, payloadLen, b64, clipped, zeroCopy, read } = e;
          push(c.frames, { index, offset, wireLen, payloadLen, b64, clipped, zeroCopy, read }, FRAMES_LISTED);
          push(c.frameSpans, { offset, len: wireLen }, SPANS_KEPT);
          c.framesTotal = Math.max(c.framesTotal, index + 1);
          c.overheadBytes += wireLen - payloadLen;
          c.payloadBytes += payloadLen;
          return;
        }
        case 'frame.elided': {
          conn(state, e.conn, e.t).elided += e.count;
          return;
        }
        case 'frame.state': {
          const c = conn(state, e.conn, e.t);
          c.mode ??= e.mode;
          c.state = e.state;
          c.framesTotal = Math.max(c.framesTotal, e.state.framesOut);
          if (e.state.bytesIn > c.bytesSeen) {
            c.readsMissing = true;
            c.bytesSeen = e.state.bytesIn;
          }
          return;
        }
        case 'frame.error': {
          const c = conn(state, e.conn, e.t);
          c.mode ??= e.mode;
          c.error = { error: e.error, offset: e.offset };
          c.state = e.state;
          return;
        }
        default:
          return;
      }
    },
  };
}

/** The byte window a connection's strip shows: its newest frames and reads, up to the bytes seen. */
export function stripWindow(c: FramedConn, frames = 24): { from: number; to: number } {
  const to = Math.max(c.bytesSeen, 1);
  const firstFrame = c.frameSpans.length > frames ? c.frameSpans[c.frameSpans.length - frames].offset : 0;
  const firstRead = c.reads.length > frames ? c.reads[c.reads.length - frames].offset : 0;
  const from = c.error ? Math.min(firstFrame, firstRead, c.error.offset) : Math.min(firstFrame, firstRead);
  return { from: Math.min(from, to - 1), to };
}
