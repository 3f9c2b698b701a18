// The flow graph's rows (as in Wireshark's Flow Graph): one lifeline per endpoint, one row per segment with its
// flags, seq/ack (relative or absolute), length and the time since the previous segment; optionally the socket
// calls and the state changes between them. Pure; tested in flowGraphModel.test.ts.
import type { Recording, RecordingItem } from './handshakeRecording';

export interface Lifeline {
  endpoint: string;
  role: 'client' | 'server';
}

export interface FlowRow {
  /** Position in the recording's items (the replay cursor counts items). */
  item: number;
  kind: 'segment' | 'call' | 'state';
  at: number;
  /** Segments: ms since the previous segment (null for the first). */
  dtMs: number | null;
  fromCol: number;
  /** Equal to fromCol for calls and states (a note on one lifeline). */
  toCol: number;
  /** Segments: "SYN, ACK". Calls: "Close()". States: "TIME_WAIT". */
  title: string;
  /** Segments: ["seq=0", "ack=1", "len=0", "win=65483"]. */
  fields: string[];
  /** Segments that acknowledge a SYN or FIN: how the ack was made, e.g. "ack = 0 + 1". */
  ackNote?: string;
  /** Options on SYNs: "MSS=65495 WS=×1024 SACK_PERM TS". */
  options?: string;
  source?: 'captured' | 'polled' | 'modelled' | 'observed';
  /** Connection id for segments, client endpoint otherwise (for selection). */
  connection: string;
}

export interface FlowGraph {
  lifelines: Lifeline[];
  rows: FlowRow[];
}

export interface FlowGraphOptions {
  relative: boolean;
  calls: boolean;
  polledStates: boolean;
  modelledStates: boolean;
}

const CALL_TITLE: Record<string, (bytes?: number) => string> = {
  dial: () => 'Dial()',
  connected: () => 'Dial → conn',
  accept: () => 'Accept() → conn',
  write: (n) => `Write(${n ?? '?'} B)`,
  read: (n) => `Read → ${n ?? '?'} B`,
  eof: () => 'Read → io.EOF',
  closeWrite: () => 'CloseWrite()',
  close: () => 'Close()',
  error: () => 'error',
};

function optionsText(item: Extract<RecordingItem, { type: 'segment' }>): string | undefined {
  const e = item.event;
  if (!e.flags.includes('SYN')) return undefined;
  const parts: string[] = [];
  for (const o of e.headers.tcp.options) {
    if (o.kind === 'mss') parts.push(`MSS=${o.value}`);
    else if (o.kind === 'wscale') parts.push(`WS=×${2 ** o.shift}`);
    else if (o.kind === 'sackPermitted') parts.push('SACK_PERM');
    else if (o.kind === 'timestamps') parts.push('TS');
  }
  return parts.length ? parts.join(' ') : undefined;
}

export function buildFlowGraph(rec: Recording, options: FlowGraphOptions): FlowGraph {
  const clients: string[] = [];
  const servers: string[] = [];
  const addLifeline = (list: string[], endpoint: string) => {
    if (endpoint && !list.includes(endpoint)) list.push(endpoint);
  };
  for (const item of rec.items) {
    if (item.type === 'segment') {
      addLifeline(clients, item.event.client);
      addLifeline(servers, item.event.server);
    } else if (item.type === 'step') addLifeline(clients, item.event.client);
  }
  if (servers.length === 0 && rec.server) servers.push(rec.server);
  const lifelines: Lifeline[] = [
    ...clients.map((endpoint) => ({ endpoint, role: 'client' as const })),
    ...servers.map((endpoint) => ({ endpoint, role: 'server' as const })),
  ];
  const col = new Map(lifelines.map((l, i) => [l.endpoint, i]));
  const serverCol = clients.length; // the first server lifeline
  // Where each client's connection meets the server (the closed port's lifeline for a refused dial).
  const serverOf = new Map<string, number>();

  const rows: FlowRow[] = [];
  let previousSegmentAt: number | null = null;
  /** Per connection and role, the seq of its SYN/FIN awaiting acknowledgement. */
  const pendingAck = new Map<string, { seq: number; rel: number }>();

  rec.items.forEach((item, index) => {
    switch (item.type) {
      case 'segment': {
        const e = item.event;
        const fromCol = col.get(e.from) ?? 0;
        const toCol = col.get(e.to) ?? serverCol;
        serverOf.set(e.client, col.get(e.server) ?? serverCol);
        const seq = options.relative ? e.relSeq : e.seqNum;
        const fields = [`seq=${seq}`];
        let ackNote: string | undefined;
        if (e.flags.includes('ACK')) {
          const ack = options.relative ? (e.relAck ?? e.ackNum) : e.ackNum;
          fields.push(`ack=${ack}`);
          const peerRole = e.role === 'client' ? 'server' : 'client';
          const key = `${e.connection}/${peerRole}`;
          const pending = pendingAck.get(key);
          if (pending && e.ackNum === (pending.seq + 1) >>> 0) {
            ackNote = `ack = ${options.relative ? pending.rel : pending.seq} + 1`;
            pendingAck.delete(key);
          }
        }
        fields.push(`len=${e.len}`, `win=${e.window}`);
        if (e.flags.includes('SYN') || e.flags.includes('FIN')) {
          // SYN and FIN each take one sequence number: the ack that covers it is seq (+ data) + 1.
          const own = (e.seqNum + e.len) >>> 0;
          pendingAck.set(`${e.connection}/${e.role}`, { seq: own, rel: (e.relSeq + e.len) >>> 0 });
        }
        rows.push({
          item: index,
          kind: 'segment',
          at: item.at,
          dtMs: previousSegmentAt === null ? null : item.at - previousSegmentAt,
          fromCol,
          toCol,
          title: e.flags.join(', ') || 'none',
          fields,
          ...(ackNote ? { ackNote } : {}),
          ...(optionsText(item) ? { options: optionsText(item) } : {}),
          source: 'captured',
          connection: String(e.connection),
        });
        previousSegmentAt = item.at;
        return;
      }
      case 'step': {
        if (!options.calls) return;
        const e = item.event;
        const c = e.side === 'client' ? (col.get(e.client) ?? 0) : (serverOf.get(e.client) ?? serverCol);
        const detail = e.error?.detail ? `: ${e.error.detail}` : '';
        rows.push({
          item: index,
          kind: 'call',
          at: item.at,
          dtMs: null,
          fromCol: c,
          toCol: c,
          title: `${CALL_TITLE[e.call]?.(e.bytes) ?? e.call}${detail}`,
          fields: [],
          source: 'observed',
          connection: e.client,
        });
        return;
      }
      case 'polled':
      case 'inferred': {
        if (item.type === 'polled' ? !options.polledStates : !options.modelledStates) return;
        const e = item.event;
        const c = col.get(e.socket.local);
        if (c === undefined) return;
        rows.push({
          item: index,
          kind: 'state',
          at: item.at,
          dtMs: null,
          fromCol: c,
          toCol: c,
          title: e.to,
          fields: [],
          source: item.type === 'polled' ? 'polled' : 'modelled',
          connection: e.socket.local === rec.server ? e.socket.remote : e.socket.local,
        });
        return;
      }
    }
  });
  return { lifelines, rows };
}

/** Rows to draw for a scroll position: the window plus a margin, so scrolling never shows a gap. */
export function visibleRange(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): { from: number; to: number } {
  const from = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const to = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { from, to: Math.max(from, to) };
}

/** "12 µs", "3.4 ms", "1.20 s". */
export function formatDelta(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
