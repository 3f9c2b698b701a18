// The lab's authoritative DNS server: one UDP socket and one TCP listener on the same port (as DNS servers do),
// answering from the LabZone, within a rate budget per source so one client's flood cannot take it from everyone.
import dgram from 'node:dgram';
import net from 'node:net';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { rcodeName, typeName } from '../../../core/dns/dnsMessage.js';
import type { DnsEvent } from '../../../core/protocol/events/dns.js';
import { SourceBudgets, type SourceBudgetOptions } from '../udp/sourceBudgets.js';
import type { LabZone } from './labZone.js';

export type ServedEvent = Extract<DnsEvent, { kind: 'dns.served' }>;

export interface DnsServerOptions {
  host: string;
  /** 0: a free port (the same number is then taken for TCP). */
  port: number;
  zone: LabZone;
  budgets: SourceBudgetOptions;
  /** What the server did with one query. */
  onServed(e: ServedEvent): void;
  /** A source went over its budget (at most once a second per source, with the drops since). */
  onFlooded(from: string, dropped: number): void;
}

/** Sees each query from one source: whether the budget admitted it, and what the server did with it. */
export type Tap = (admitted: boolean, served: ServedEvent | null) => void;

export interface DnsServerCounters {
  queries: number;
  answered: number;
  droppedByBudget: number;
}

/** TCP connections held at once, and how long an idle one stays (RFC 7766 suggests seconds). */
export const MAX_TCP_CONNECTIONS = 64;
const TCP_IDLE_MS = 10_000;
const FLOOD_REPORT_MS = 1000;
const MAX_FLOOD_NOTES = 256;
/** Tries at a shared UDP+TCP port number when the kernel picks it (TCP may hold the number UDP got). */
const BIND_TRIES = 20;

export class DnsServer {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly budgets: SourceBudgets;
  private readonly sockets = new Set<net.Socket>();
  private readonly floodNotes = new Map<string, { dropped: number; reportedAt: number }>();
  readonly counters: DnsServerCounters = { queries: 0, answered: 0, droppedByBudget: 0 };
  private boundPort = 0;
  private readonly taps = new Map<string, Tap>();

  constructor(private readonly options: DnsServerOptions) {
    this.budgets = new SourceBudgets(options.budgets);
  }

  get port(): number {
    return this.boundPort;
  }

  get endpoint(): string {
    return endpointName(this.options.host, this.boundPort);
  }

  async listen(): Promise<void> {
    for (let i = 0; i < BIND_TRIES; i++) {
      const udp = dgram.createSocket(this.options.host.includes(':') ? 'udp6' : 'udp4');
      udp.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.options.port, this.options.host, () => resolve());
      });
      const port = udp.address().port;
      const tcp = net.createServer((s) => this.onConnection(s));
      tcp.maxConnections = MAX_TCP_CONNECTIONS;
      const bound = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, this.options.host, () => resolve(true));
      });
      if (bound) {
        tcp.on('error', () => {});
        udp.on('message', (msg, rinfo) => this.onDatagram(udp, msg, rinfo));
        this.udp = udp;
        this.tcp = tcp;
        this.boundPort = port;
        return;
      }
      udp.close();
      if (this.options.port !== 0) throw new Error(`TCP port ${port} is in use`);
    }
    throw new Error('no port free for both UDP and TCP');
  }

  /** Calls `tap` for every query that arrives from `from` (`ip:port`) until the returned stop is called. */
  tap(from: string, tap: Tap): () => void {
    this.taps.set(from, tap);
    return () => this.taps.delete(from);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => {
        try {
          if (this.udp) this.udp.close(() => resolve());
          else resolve();
        } catch {
          resolve();
        }
      }),
    ]);
    this.udp = null;
    this.tcp = null;
  }

  private admit(from: string): boolean {
    this.counters.queries++;
    if (this.budgets.take(from) === 'ok') return true;
    this.taps.get(from)?.(false, null);
    this.counters.droppedByBudget++;
    this.noteFlood(from);
    return false;
  }

  private onDatagram(udp: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const from = endpointName(rinfo.address, rinfo.port);
    if (!this.admit(from)) return;
    const reply = this.serve(msg, 'udp', from);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    const from = endpointName(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    let held = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      // At most one message (65,535 bytes) and its length are ever held: DNS over TCP is 2-byte length + message.
      held = Buffer.concat([held, chunk]);
      while (held.length >= 2) {
        const len = held.readUInt16BE(0);
        if (held.length < 2 + len) break;
        const msg = held.subarray(2, 2 + len);
        held = held.subarray(2 + len);
        if (!this.admit(from)) continue;
        const reply = this.serve(msg, 'tcp', from);
        if (reply) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([head, reply]));
        }
      }
    });
  }

  /** The answer's bytes for one query, or null for none; reports what was done. */
  private serve(msg: Uint8Array, transport: 'udp' | 'tcp', from: string): Uint8Array | null {
    const d = this.options.zone.answer(msg, transport);
    const q = d.query?.questions[0];
    const event: ServedEvent = {
      kind: 'dns.served',
      source: 'observed',
      transport,
      from,
      to: this.endpoint,
      name: q?.name ?? null,
      type: q ? typeName(q.type) : null,
      action: d.kind === 'answer' ? d.action : 'silent',
      rcode: d.kind === 'answer' ? rcodeName(d.rcode) : null,
      bytes: d.kind === 'answer' ? d.bytes.length : 0,
      error: d.error,
    };
    this.options.onServed(event);
    this.taps.get(from)?.(true, event);
    if (d.kind !== 'answer') return null;
    this.counters.answered++;
    return d.bytes;
  }

  private noteFlood(from: string): void {
    const now = performance.now();
    let note = this.floodNotes.get(from);
    if (!note) {
      if (this.floodNotes.size >= MAX_FLOOD_NOTES) {
        const oldest = this.floodNotes.keys().next().value;
        if (oldest !== undefined) this.floodNotes.delete(oldest);
      }
      note = { dropped: 0, reportedAt: -Infinity };
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
