// Which page may see which connection's events: a connection the lab opened for a page (its echo or framing
// clients, and the server side of them) is that page's alone; a snippet's sockets, and the demo side of its dials,
// are its browser machine's; a Go run's events are its page's; a connection from outside the lab (nc, a Go program) is shown to pages on the lab's own
// machine only. Events that carry no connection are everyone's. Owners come from server/net/connectionOwners.ts and
// are fixed when the connection's socket.open is published.
import type { LabEvent } from '../../core/protocol/events.js';
import type { Endpoint } from '../../core/protocol/events/socket.js';
import { SNIPPET_DEMO_PREFIX } from '../../core/protocol/bridge.js';
import { isGoRunDemo } from '../../core/protocol/demos/goRun.js';
import { machineOwner, pageOwner } from '../net/connectionOwners.js';

/** A page: its /ws session id, its machine's address, and whether that is the lab's own machine. */
export interface Viewer {
  session: string;
  address: string;
  local: boolean;
}

/** What the scope reads from the owners' registry. */
export interface OwnerLookup {
  ownerOf(host: string, port: number): string | undefined;
  snippetOwner(demo: string): string | undefined;
  runOwner(demo: string): string | undefined;
}

/** A connection's owner (pageOwner / machineOwner), or null for a connection from outside the lab. */
type Owner = string | null;
const OUTSIDE: Owner = null;
/** A closed connection's owner is kept this long, for its last counters and segments. */
const FORGET_AFTER_MS = 5000;

export class ConnectionScope {
  /** Owner of each connection the bus has announced, by demo and conn id. */
  private readonly owners = new Map<string, Owner>();

  constructor(private readonly lookup: OwnerLookup) {}

  /** Learns owners from the bus: call once per published event, before any page sees it. */
  observe(event: LabEvent): void {
    if (event.kind === 'socket.open') {
      this.owners.set(
        key(event.demo, event.conn),
        this.endpointOwner(event.local) ?? this.endpointOwner(event.remote) ?? OUTSIDE,
      );
    } else if (event.kind === 'socket.close') {
      const k = key(event.demo, event.conn);
      setTimeout(() => this.owners.delete(k), FORGET_AFTER_MS).unref();
    }
  }

  /** The event as this viewer may see it: itself, a copy narrowed to the viewer's connections, or null. */
  visible(event: LabEvent, viewer: Viewer): LabEvent | null {
    if (event.demo.startsWith(SNIPPET_DEMO_PREFIX))
      return this.may(this.lookup.snippetOwner(event.demo) ?? OUTSIDE, viewer) ? event : null;
    // A Go run's events are its page's alone; a run nobody owns (the headless CLI's) is the lab machine's.
    if (isGoRunDemo(event.demo)) return this.may(this.lookup.runOwner(event.demo) ?? OUTSIDE, viewer) ? event : null;
    if (event.kind === 'socket.stats') {
      const conns = event.conns.filter((c) => this.may(this.connOwner(event.demo, c.conn), viewer));
      if (conns.length === event.conns.length) return event;
      return conns.length === 0 ? null : { ...event, conns };
    }
    if (event.kind === 'packet.segment' || event.kind === 'packet.datagram')
      return this.may(this.segmentOwner(event.from, event.to), viewer) ? event : null;
    // The UDP demo's events name the client datagrams came from; its runs' clients are claimed by their page.
    if (event.kind === 'udp.relay' || event.kind === 'udp.flooded' || event.kind === 'udp.runEnd') {
      const from = event.kind === 'udp.runEnd' ? event.client : event.from;
      return this.may(this.segmentOwner(from, from), viewer) ? event : null;
    }
    // The DNS demo's packets and queries name their client; a run's clients are claimed by its page.
    if (event.kind === 'dns.packet' || event.kind === 'dns.served' || event.kind === 'dns.flooded')
      return this.may(this.segmentOwner(event.from, event.kind === 'dns.flooded' ? event.from : event.to), viewer)
        ? event
        : null;
    if (event.kind === 'dns.runEnd')
      return this.may(this.segmentOwner(event.client, event.client), viewer) ? event : null;
    // The TLS demo's events name the connection's client and server; its runs' clients are claimed by their page.
    if (event.kind === 'tls.record' || event.kind === 'tls.streamError' || event.kind === 'tls.roundTrips') {
      const { client, server } = event.kind === 'tls.record' ? event.record : event;
      return this.may(this.segmentOwner(client, server), viewer) ? event : null;
    }
    if (event.kind === 'tls.runEnd') {
      const client = event.result.client;
      return client === null || this.may(this.segmentOwner(client, client), viewer) ? event : null;
    }
    const conn = (event as { conn?: unknown }).conn;
    if (typeof conn !== 'string') return event;
    return this.may(this.connOwner(event.demo, conn), viewer) ? event : null;
  }

  private may(owner: Owner, viewer: Viewer): boolean {
    if (owner === OUTSIDE) return viewer.local;
    return owner === pageOwner(viewer.session) || owner === machineOwner(viewer.address);
  }

  private connOwner(demo: string, conn: string): Owner {
    return this.owners.get(key(demo, conn)) ?? OUTSIDE;
  }

  private endpointOwner(e: Endpoint): string | undefined {
    return this.lookup.ownerOf(e.host, e.port);
  }

  private segmentOwner(from: string, to: string): Owner {
    for (const name of [from, to]) {
      const at = name.lastIndexOf(':');
      const owner = this.lookup.ownerOf(name.slice(0, at).replace(/^\[|\]$/g, ''), Number(name.slice(at + 1)));
      if (owner !== undefined) return owner;
    }
    return OUTSIDE;
  }
}

function key(demo: string, conn: string): string {
  return `${demo}\u0000${conn}`;
}
