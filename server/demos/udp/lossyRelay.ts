// A UDP relay that drops and reorders datagrams on their way to the echo server, on purpose and seeded, and says what
// it did with each: loss and reordering made visible on loopback, where they almost never happen by themselves.
import dgram from 'node:dgram';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { randomSeed } from '../../../core/runtime/seededRandom.js';
import type { RelaySettings } from '../../../core/protocol/demos/udp.js';
import { RelayDecider, sequenceOf, type RelayAction } from './relayDecider.js';
import { splitEndpoint } from './udpEchoServer.js';

export interface RelayDecision {
  from: string;
  action: RelayAction | 'release';
  /** The datagram's own sequence number (`#7 ...`), when it has one. */
  number: number | null;
  bytes: number;
  seed: number;
}

export interface LossyRelayOptions {
  host: string;
  port: number;
  /** Where datagrams go (the echo server). */
  upstream: { host: string; port: number };
  /** Settings for clients that did not register any (a student's nc): mild, with a fresh seed each. */
  defaults: { lossPercent: number; reorderPercent: number };
  onDecision(decision: RelayDecision): void;
  /** Whether a datagram from this client may pass at all (the same per-source budget as the echo server's). */
  admit(from: string): boolean;
}

/** How long a held datagram waits for a next one to overtake it before it goes out anyway. */
const HOLD_MS = 40;
/** Clients the relay keeps an upstream socket for; the oldest is closed first. */
const MAX_CLIENTS = 64;

interface ClientLink {
  upstream: dgram.Socket;
  decider: RelayDecider;
  held: { payload: Buffer; seq: number | null; timer: ReturnType<typeof setTimeout> } | null;
}

export class LossyRelay {
  private readonly socket: dgram.Socket;
  private readonly links = new Map<string, ClientLink>();
  private readonly registered = new Map<string, RelaySettings>();
  private boundPort = 0;
  counts = { forwarded: 0, dropped: 0, held: 0 };

  constructor(private readonly options: LossyRelayOptions) {
    this.socket = dgram.createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.fromClient(msg, endpointName(rinfo.address, rinfo.port)));
    this.socket.on('error', () => {});
  }

  get port(): number {
    return this.boundPort;
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

  /** The next datagrams from `client` follow these settings (a lab run registers its client before sending). */
  register(client: string, settings: RelaySettings): number {
    const seed = settings.seed ?? randomSeed();
    this.registered.set(client, { ...settings, seed });
    this.dropLink(client);
    return seed;
  }

  unregister(client: string): void {
    this.registered.delete(client);
    this.dropLink(client);
  }

  async close(): Promise<void> {
    for (const client of [...this.links.keys()]) this.dropLink(client);
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  private link(client: string): ClientLink {
    let link = this.links.get(client);
    if (link) return link;
    if (this.links.size >= MAX_CLIENTS) this.dropLink(this.links.keys().next().value!);
    const settings = this.registered.get(client);
    const seed = settings?.seed ?? randomSeed();
    const decider = new RelayDecider(
      seed,
      settings?.lossPercent ?? this.options.defaults.lossPercent,
      settings?.reorderPercent ?? this.options.defaults.reorderPercent,
    );
    // One upstream socket per client, so the echo server's replies can be told apart and sent back to the right one.
    const upstream = dgram.createSocket({ type: this.options.upstream.host.includes(':') ? 'udp6' : 'udp4' });
    upstream.on('error', () => {});
    upstream.on('message', (msg) => {
      const [host, port] = splitEndpoint(client);
      this.socket.send(msg, port, host);
    });
    link = { upstream, decider, held: null };
    this.links.set(client, link);
    return link;
  }

  private dropLink(client: string): void {
    const link = this.links.get(client);
    if (!link) return;
    if (link.held) clearTimeout(link.held.timer);
    this.links.delete(client);
    try {
      link.upstream.close();
    } catch {
      // already closed
    }
  }

  private fromClient(msg: Buffer, from: string): void {
    if (!this.options.admit(from)) return;
    const link = this.link(from);
    const seq = sequenceOf(msg);
    const action = link.decider.next();
    this.report(from, action, seq, msg.length, link.decider.seed);
    if (action === 'drop') {
      this.counts.dropped++;
      return;
    }
    if (action === 'hold') {
      this.counts.held++;
      const timer = setTimeout(() => this.release(from, link), HOLD_MS);
      link.held = { payload: msg, seq, timer };
      return;
    }
    this.counts.forwarded++;
    this.send(link, msg);
    this.release(from, link);
  }

  private release(from: string, link: ClientLink): void {
    const held = link.held;
    if (!held) return;
    clearTimeout(held.timer);
    link.held = null;
    link.decider.released();
    this.counts.forwarded++;
    this.report(from, 'release', held.seq, held.payload.length, link.decider.seed);
    this.send(link, held.payload);
  }

  private send(link: ClientLink, payload: Buffer): void {
    link.upstream.send(payload, this.options.upstream.port, this.options.upstream.host);
  }

  private report(from: string, action: RelayDecision['action'], seq: number | null, bytes: number, seed: number): void {
    this.options.onDecision({ from, action, number: seq, bytes, seed });
  }
}
