// The byte ruler's state, folded from stream-demo events (and captured segments when capture runs): per run, the
// sender's writes, the receiver's reads and the TCP segments, as spans of one byte stream. Pure; see the test.
import type { LabEvent } from '@core/protocol/events';
import type { Endpoint } from '@core/protocol/events/socket';
import type { BoundarySummary, ByteSpan, StreamRunSettings } from '@core/protocol/events/stream';
import type { WireError } from '@core/protocol/errors';
import type { Fold } from '../../store/eventFold';

/** Runs kept in memory; older ones are dropped. */
export const RUNS_KEPT = 8;
/** Captured segments kept per connection (by ports). */
const SEGMENTS_KEPT = 20_000;

export interface WriteMark extends ByteSpan {
  index: number;
  batch: number;
}

export interface ReadMark extends ByteSpan {
  /** UDP: the message number the datagram carried. */
  index?: number;
}

export interface RunView {
  run: string;
  transport: 'tcp' | 'udp';
  settings: StreamRunSettings;
  sender: Endpoint;
  receiver: Endpoint;
  startedAt: number;
  writes: WriteMark[];
  reads: ReadMark[];
  ended: boolean;
  summary?: BoundarySummary;
  durationMs?: number;
  lost?: number;
  /** Captured payload segments, as counted by the demo when the run ended. */
  segments?: number;
  error?: WireError;
  version: number;
}

export interface CaptureInfo {
  status: 'capturing' | 'unavailable' | 'stopped' | 'failed';
  /** Why capture is off; told in the student's language when shown. */
  error?: WireError;
}

export interface StreamRunsState {
  runs: Map<string, RunView>;
  /** Run ids, oldest first. */
  order: string[];
  latest: { tcp?: string; udp?: string };
  /** Payload-carrying segments by "senderPort>receiverPort": byte spans of the stream (captured). */
  segments: Map<string, ByteSpan[]>;
  capture: CaptureInfo | null;
  version: number;
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

export function segmentKey(senderPort: number, receiverPort: number): string {
  return `${senderPort}>${receiverPort}`;
}

/** The captured segments of a run's connection, if capture saw it. */
export function segmentsOf(state: StreamRunsState, run: RunView): ByteSpan[] | undefined {
  return run.transport === 'tcp' ? state.segments.get(segmentKey(run.sender.port, run.receiver.port)) : undefined;
}

export function streamRunsFold(demo: string): Fold<StreamRunsState> {
  return {
    init: () => ({ runs: new Map(), order: [], latest: {}, segments: new Map(), capture: null, version: 0 }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      // The stream demo runs its own capture of the sender's port: its segments are published under our id too.
      if (e.kind === 'packet.segment') {
        if (e.len === 0 || !e.handshakeSeen) return;
        const key = segmentKey(portOf(e.from), portOf(e.to));
        // Only connections of a run are kept (runStart makes their entry; capture lags behind it).
        const list = state.segments.get(key);
        if (!list) return;
        // Relative sequence numbers start at 1 for the first payload byte (the SYN took 0).
        if (list.length < SEGMENTS_KEPT) list.push({ offset: e.relSeq - 1, len: e.len });
        state.version++;
        return;
      }
      if (e.kind === 'packet.captureStatus') {
        state.capture = { status: e.status, ...(e.error ? { error: e.error } : {}) };
        state.version++;
        return;
      }
      switch (e.kind) {
        case 'stream.runStart': {
          const run: RunView = {
            run: e.run,
            transport: e.settings.transport,
            settings: e.settings,
            sender: e.sender,
            receiver: e.receiver,
            startedAt: e.t,
            writes: [],
            reads: [],
            ended: false,
            version: 0,
          };
          state.runs.set(e.run, run);
          state.order.push(e.run);
          state.latest[run.transport] = e.run;
          while (state.order.length > RUNS_KEPT) {
            const old = state.runs.get(state.order.shift()!);
            if (!old) continue;
            state.runs.delete(old.run);
            state.segments.delete(segmentKey(old.sender.port, old.receiver.port));
          }
          if (run.transport === 'tcp') state.segments.set(segmentKey(run.sender.port, run.receiver.port), []);
          state.version++;
          return;
        }
        case 'stream.write': {
          const run = state.runs.get(e.run);
          if (!run) return;
          run.writes.push({ offset: e.offset, len: e.len, index: e.index, batch: e.batch });
          run.version++;
          state.version++;
          return;
        }
        case 'stream.read': {
          const run = state.runs.get(e.run);
          if (!run) return;
          run.reads.push(
            e.index === undefined ? { offset: e.offset, len: e.len } : { offset: e.offset, len: e.len, index: e.index },
          );
          run.version++;
          state.version++;
          return;
        }
        case 'stream.runEnd': {
          const run = state.runs.get(e.run);
          if (!run) return;
          // The end event is the full record: live events may have been capped or sampled.
          if (e.writes.length > run.writes.length) {
            run.writes = e.writes.map((s, i) => ({ ...s, index: i, batch: run.writes[i]?.batch ?? i }));
          }
          if (e.reads.length > run.reads.length) run.reads = e.reads.map((s) => ({ ...s }));
          run.ended = true;
          run.summary = e.summary;
          run.durationMs = e.durationMs;
          if (e.lost !== undefined) run.lost = e.lost;
          if (e.segments !== undefined) run.segments = e.segments;
          if (e.error) run.error = e.error;
          run.version++;
          state.version++;
          return;
        }
        default:
          return;
      }
    },
  };
}

/** How one read relates to the messages: which it holds whole, which it starts, ends or cuts through. */
export interface ReadContents {
  whole: number[];
  /** Messages the read has only a part of. */
  partial: number[];
}

export function readContents(writes: readonly WriteMark[], read: ByteSpan): ReadContents {
  const end = read.offset + read.len;
  const whole: number[] = [];
  const partial: number[] = [];
  // Writes are in stream order: binary search the first one ending after the read starts.
  let lo = 0;
  let hi = writes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (writes[mid].offset + writes[mid].len <= read.offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < writes.length && writes[i].offset < end; i++) {
    const w = writes[i];
    if (w.offset >= read.offset && w.offset + w.len <= end) whole.push(w.index);
    else partial.push(w.index);
  }
  return { whole, partial };
}
