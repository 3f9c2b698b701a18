// The UDP echo server: one unconnected socket that sends each datagram back to whoever sent it, within a rate budget
// per source; the lab's runs can watch what it received from one client (a "tap").
import dgram from 'node:dgram';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { SourceBudgets, type SourceBudgetOptions } from './sourceBudgets.js';

export interface UdpEchoCounters {
  received: number;
  echoed: number;
  droppedByBudget: number;
}

export interface UdpEchoServerOptions {
  host: string;
  port: number;
  budgets: SourceBudgetOptions;
  /** A source went over its budget (called at most once a second per source, with the drops since). */
  onFlooded(from: string, dropped: number): void;
}

/** Sees each datagram from one source: its size, and whether the budget let the server answer it. */
type Tap = (bytes: number, answered: boolean) => void;

const FLOOD_REPORT_MS = 1000;
/** Sources whose unreported drops are remembered at most (a flood from many ports must not grow this without end). */
const MAX_FLOOD_NOTES = 256;

export class UdpEchoServer {
  private readonly socket: dgram.Socket;
  private readonly budgets: SourceBudgets;
  readonly counters: UdpEchoCounters = { received: 0, echoed: 0, droppedByBudget: 0 };
  private readonly taps = new Map<string, Tap>();
  private readonly floodNotes = new Map<string, { dropped: number; reportedAt: number }>();
  private boundPort = 0;

  constructor(private readonly options: UdpEchoServerOptions) {
    this.budgets = new SourceBudgets(options.budgets);
    this.socket = dgram.createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    // A send that failed (the peer's port is closed: ICMP unreachable) must not end the server.
    this.socket.on('error', () => {});
  }

  get port(): number {
    return this.boundPort;
  }

  get sources(): number {
    return this.budgets.sources;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.options.port, this.options.host, () => {
        this.socket.off('error', reject);
        this.boundPort = this.socket.address().port;
        resolve();
      });
    });
  }

  /** Calls `tap` for every datagram that arrives from `from` (`ip:port`) until the returned stop is called. */
  tap(from: string, tap: Tap): () => void {
    this.taps.set(from, tap);
    return () => this.taps.delete(from);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const from = endpointName(rinfo.address, rinfo.port);
    this.counters.received++;
    const verdict = this.budgets.take(from);
    this.taps.get(from)?.(msg.length, verdict === 'ok');
    if (verdict !== 'ok') {
      this.counters.droppedByBudget++;
      this.noteDrop(from);
      return;
    }
    this.socket.send(msg, rinfo.port, rinfo.address, (err) => {
      if (!err) this.counters.echoed++;
    });
  }

  private noteDrop(from: string): void {
    const now = performance.now();
    let note = this.floodNotes.get(from);
    if (!note) {
      if (this.floodNotes.size >= MAX_FLOOD_NOTES) this.floodNotes.clear();
      note = { dropped: 0, reportedAt: now - FLOOD_REPORT_MS };
      this.floodNotes.set(from, note);
    }
    note.dropped++;
    if (now - note.reportedAt >= FLOOD_REPORT_MS) {
      this.options.onFlooded(from, note.dropped);
      note.dropped = 0;
      note.reportedAt = now;
    }
  }
}

/** `127.0.0.1:5000` / `[::1]:5000` → host and port. */
export function splitEndpoint(text: string): [string, number] {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[|\]$/g, '');
  return [host, Number(text.slice(colon + 1))];
}
