// The TLS view's state from the event stream: per connection, the TCP handshake's segments and then the TLS records
// in capture order (a record opened later, once its keys came, replaces its first report in place), round trips and
// stream errors; the capture's status. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { CaptureStatus } from '@core/protocol/events/packet';
import type { TlsRecordFields } from '@core/protocol/events/tls';
import type { Fold } from '../../store/eventFold';

export interface TcpRow {
  kind: 'tcp';
  from: 'client' | 'server';
  flags: string[];
}

export interface RecordRow {
  kind: 'record';
  record: TlsRecordFields;
}

export interface StreamErrorRow {
  kind: 'error';
  from: 'client' | 'server';
  code: string;
  text: string | null;
  bytesHex: string;
}

export type LadderRow = TcpRow | RecordRow | StreamErrorRow;

export interface TlsConnectionView {
  id: number;
  client: string;
  server: string;
  rows: LadderRow[];
  roundTrips: { version: string; roundTrips: number; helloRetry: boolean } | null;
}

export interface TlsViewState {
  capture: CaptureStatus | 'unknown';
  /** Newest last; at most KEEP_CONNECTIONS. */
  connections: TlsConnectionView[];
}

const KEEP_CONNECTIONS = 24;
/** Rows kept per connection (a long session's records beyond these are not drawn). */
const KEEP_ROWS = 80;
const HANDSHAKE_FLAGS = new Set(['SYN', 'FIN', 'RST']);

function connectionOf(s: TlsViewState, id: number, client: string, server: string): TlsConnectionView {
  // Connection ids restart when the demo restarts: the client's address tells two connections apart too.
  let c = s.connections.find((x) => x.id === id && x.client === client);
  if (!c) {
    c = { id, client, server, rows: [], roundTrips: null };
    s.connections.push(c);
    if (s.connections.length > KEEP_CONNECTIONS) s.connections.shift();
  }
  return c;
}

function push(c: TlsConnectionView, row: LadderRow): void {
  if (c.rows.length < KEEP_ROWS) c.rows.push(row);
}

export const tlsViewFold: Fold<TlsViewState> = {
  init: () => ({ capture: 'unknown', connections: [] }),
  step(s, e: LabEvent) {
    if (e.demo !== 'tls') return;
    if (e.kind === 'packet.captureStatus') s.capture = e.status;
    else if (e.kind === 'packet.segment') {
      // The TCP handshake and teardown frame the records: SYN, SYN-ACK, the ACK that completes it, FIN and RST.
      const c = connectionOf(s, e.connection, e.client, e.server);
      const opening = c.rows.length === 2 && c.rows.every((r) => r.kind === 'tcp') && e.len === 0;
      if (e.flags.some((f) => HANDSHAKE_FLAGS.has(f)) || opening)
        push(c, { kind: 'tcp', from: e.role, flags: e.flags });
    } else if (e.kind === 'tls.record') {
      const r = e.record;
      const c = connectionOf(s, r.connection, r.client, r.server);
      const at = c.rows.findIndex((x) => x.kind === 'record' && x.record.from === r.from && x.record.index === r.index);
      if (at >= 0) c.rows[at] = { kind: 'record', record: r };
      else push(c, { kind: 'record', record: r });
    } else if (e.kind === 'tls.roundTrips') {
      const c = connectionOf(s, e.connection, e.client, e.server);
      c.roundTrips = { version: e.version, roundTrips: e.roundTrips, helloRetry: e.helloRetry };
    } else if (e.kind === 'tls.streamError') {
      const c = connectionOf(s, e.connection, e.client, e.server);
      push(c, { kind: 'error', from: e.from, code: e.error.code, text: e.text, bytesHex: e.bytesHex });
    }
  },
};

/** The connection whose client is `client` (a run's), or the newest one. */
export function pickConnection(s: TlsViewState, client: string | null): TlsConnectionView | null {
  if (client) {
    for (let i = s.connections.length - 1; i >= 0; i--)
      if (s.connections[i]!.client === client) return s.connections[i]!;
  }
  return s.connections.at(-1) ?? null;
}

/** A record's one-line reading: what it carries, as far as the lab could see. */
export function recordLabel(r: TlsRecordFields): string {
  if (r.decrypted) {
    const inner = r.decrypted.messages.length > 0 ? r.decrypted.messages.join(', ') : r.decrypted.innerType;
    return r.decrypted.alert ? `alert: ${r.decrypted.alert.level} ${r.decrypted.alert.description}` : inner;
  }
  if (r.alert) return `alert: ${r.alert.level} ${r.alert.description}`;
  if (r.messages.length > 0) return r.messages.join(', ');
  return r.contentType;
}

/** Hex as spaced byte pairs, 16 to a line. Pure. */
export function hexLines(hex: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) lines.push(hex.slice(i, i + 32).replace(/(..)(?!$)/g, '$1 '));
  return lines;
}
