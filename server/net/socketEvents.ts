// Turns a GoConn's hooks into socket events, and gathers per-connection counters for periodic socket.stats events.
// A busy connection reports a sample of its reads and writes (a per-connection budget, and one for all connections
// together); its counters stay exact.
import { turnNow } from '../events/turnClock.js';
import type { LabEventBody } from '../../core/protocol/events.js';
import { RateBudget, refill } from '@core/budget/rateBudget.js';
import type { ConnCounters } from '../../core/protocol/events/socket.js';
import type { ConnObserver, GoConn } from './goConn.js';

const PREVIEW_BYTES = 256;

/** Data events a connection may report per second, with bursts up to the same number. Students read far fewer. */
export const DATA_EVENTS_PER_SECOND = 50;
/** Data events all connections of one reporter may report per second: a hundred busy connections still read well. */
export const TOTAL_DATA_EVENTS_PER_SECOND = 1000;

/** A per-connection rate budget (rateBudget.ts's refill), kept inline on the connection: this runs on every read and write. */
interface ReportBudget {
  tokens: number;
  last: number;
  unreported: number;
  /** Counters moved since the last socket.stats (the connection is in `changed`). */
  dirty: boolean;
}

function preview(bytes: Uint8Array): { b64: string; clipped: boolean } {
  const clipped = bytes.length > PREVIEW_BYTES;
  const head = clipped ? bytes.subarray(0, PREVIEW_BYTES) : bytes;
  return { b64: Buffer.from(head.buffer, head.byteOffset, head.length).toString('base64'), clipped };
}

export class SocketEventReporter implements ConnObserver {
  private readonly changed = new Set<GoConn>();

  private readonly total: RateBudget;

  constructor(
    private readonly emit: (body: LabEventBody) => void,
    private readonly dataEventsPerSecond = DATA_EVENTS_PER_SECOND,
    totalDataEventsPerSecond = TOTAL_DATA_EVENTS_PER_SECOND,
    private readonly now: () => number = turnNow,
  ) {
    this.total = new RateBudget({ perSecond: totalDataEventsPerSecond, burst: totalDataEventsPerSecond, clock: now });
  }

  private budget(conn: GoConn): ReportBudget {
    let b = conn.observerState as ReportBudget | undefined;
    if (b === undefined) {
      b = { tokens: this.dataEventsPerSecond, last: this.now(), unreported: 0, dirty: false };
      conn.observerState = b;
    }
    return b;
  }

  /** Marks the connection's counters as moved, and says whether it may report one more data event now. */
  private spend(conn: GoConn): boolean {
    const b = this.budget(conn);
    if (!b.dirty) {
      b.dirty = true;
      this.changed.add(conn);
    }
    const now = this.now();
    b.tokens = refill(b.tokens, b.last, now, this.dataEventsPerSecond, this.dataEventsPerSecond);
    b.last = now;
    if (b.tokens >= 1 && this.total.take()) {
      b.tokens -= 1;
      return true;
    }
    b.unreported++;
    return false;
  }

  opened(conn: GoConn, side: 'server' | 'client', label?: string): void {
    this.emit({
      kind: 'socket.open',
      source: 'observed',
      conn: conn.id,
      side,
      local: conn.localAddr,
      remote: conn.remoteAddr,
      ...(label ? { label } : {}),
    });
  }

  onRead(conn: GoConn, chunk: Uint8Array): void {
    if (!this.spend(conn)) return;
    const { b64, clipped } = preview(chunk);
    this.emit({ kind: 'socket.data', source: 'observed', conn: conn.id, dir: 'in', len: chunk.length, b64, clipped });
  }

  onWrite(conn: GoConn, data: Uint8Array): void {
    if (!this.spend(conn)) return;
    const { b64, clipped } = preview(data);
    this.emit({ kind: 'socket.data', source: 'observed', conn: conn.id, dir: 'out', len: data.length, b64, clipped });
  }

  onPause(conn: GoConn, buffered: number): void {
    this.emit({ kind: 'socket.pause', source: 'observed', conn: conn.id, buffered, reason: 'reader fell behind' });
  }

  onResume(conn: GoConn): void {
    this.emit({ kind: 'socket.resume', source: 'observed', conn: conn.id });
  }

  onClose(conn: GoConn, reason: 'eof' | 'local' | 'error', error?: Error): void {
    this.changed.delete(conn);
    this.budget(conn).dirty = false;
    this.emit({
      kind: 'socket.close',
      source: 'observed',
      conn: conn.id,
      reason,
      ...(error ? { error: error.message } : {}),
      bytesIn: conn.bytesIn,
      bytesOut: conn.bytesOut,
    });
  }

  /** Emits one socket.stats event for the connections whose counters moved since the last call. */
  flushStats(): void {
    if (this.changed.size === 0) return;
    const conns: ConnCounters[] = [];
    for (const c of this.changed) {
      const b = this.budget(c);
      b.dirty = false;
      conns.push({
        conn: c.id,
        bytesIn: c.bytesIn,
        bytesOut: c.bytesOut,
        readsIn: c.readsIn,
        writesOut: c.writesOut,
        unreported: b.unreported,
      });
    }
    this.changed.clear();
    this.emit({ kind: 'socket.stats', source: 'observed', conns });
  }
}
