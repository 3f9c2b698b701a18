// A Go program's sockets as the kernel shows them: given the socket inodes of its open fds and the kernel's TCP table,
// which listeners and connections it has, as the lab's socket events: listen/open/close polled from the table, or
// open/close from the capture for connections shorter than a poll; data from captured segments' payload. Pure: the
// watcher (goProgramWatcher.ts) does the reading.
import type { ConnCounters, SocketEvent, Endpoint } from '../../core/protocol/events/socket.js';
import type { TcpStateName } from '../../core/protocol/events/tcpState.js';
import type { KernelSocket } from '../observers/kernel/kernelSocket.js';

/** Bytes of payload a socket.data event carries (as the lab's own sockets' events do). */
const DATA_PREVIEW_BYTES = 256;
/** Payload seen before the fd poll found its connection is held this long, then dropped. */
const PENDING_MS = 2000;
const MAX_PENDING = 512;
/** Closed connections remembered for their TIME_WAIT rows. */
const MAX_PAST_ENDS = 4096;

/** The socket inodes among `readlink /proc/PID/fd/*` results ("socket:[12345]"). */
export function socketInodes(links: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const l of links) {
    const m = /^socket:\[(\d+)\]$/.exec(l);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/** "127.0.0.1:80" / "[::1]:80" as an endpoint; an IPv4-mapped IPv6 address (a dual-stack socket) as plain IPv4. */
export function parseEndpointName(name: string): Endpoint {
  const at = name.lastIndexOf(':');
  const host = name
    .slice(0, at)
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/^::ffff:(?=\d)/, '');
  return { host, port: Number(name.slice(at + 1)) };
}

function endsKey(local: string, remote: string): string {
  const a = parseEndpointName(local);
  const b = parseEndpointName(remote);
  return `${a.host}:${a.port}|${b.host}:${b.port}`;
}

interface Conn {
  conn: string;
  /** 0 until a poll finds it among the program's fds (a connection first seen in the capture). */
  inode: number;
  local: Endpoint;
  remote: Endpoint;
  /** The table's names, for matching the poller's sockets after the inode is gone (TIME_WAIT). */
  localName: string;
  remoteName: string;
  lastState: TcpStateName;
  bytesIn: number;
  bytesOut: number;
  /** Segments with payload each way (the capture sees segments, not the program's reads and writes). */
  segmentsIn: number;
  segmentsOut: number;
  unreported: number;
  /** Counters changed since the last stats(). */
  changed: boolean;
  /** FINs seen in the capture, each way, and which came first (the peer's first: it closed, 'eof'). */
  finOut: boolean;
  finIn: boolean;
  firstFin: 'in' | 'out' | null;
}

/** One captured segment, as the watcher hands it over. */
export interface CapturedSegment {
  from: string;
  to: string;
  flags: readonly string[];
  /** Payload length on the wire. */
  len: number;
  /** The captured payload bytes (may be fewer than len). */
  bytes: Uint8Array;
  at: number;
}

export class ProgramSockets {
  private readonly listeners = new Map<number, { listener: string; local: Endpoint }>();
  /** Connections found in the program's fds, by inode. */
  private readonly conns = new Map<number, Conn>();
  /** Every open connection (found by a poll or by a captured SYN to a listener), by its ends. */
  private readonly byEnds = new Map<string, Conn>();
  /** Ends of connections that were the program's, kept so their TIME_WAIT (inode 0) is still attributed. */
  private readonly pastEnds = new Set<string>();
  private pending: CapturedSegment[] = [];
  private next = 1;

  /**
   * One poll: `sockets` are the table's rows whose inode is one of the program's fds. Returns the events of what
   * appeared and disappeared since the last poll (and data captured before its connection was found).
   */
  update(sockets: readonly KernelSocket[], now: number): SocketEvent[] {
    const events: SocketEvent[] = [];
    const seen = new Set<number>();
    for (const s of sockets) {
      if (!s.inode) continue;
      seen.add(s.inode);
      if (s.state === 'LISTEN') {
        if (this.listeners.has(s.inode)) continue;
        const listener = `l${this.next++}`;
        const local = parseEndpointName(s.local);
        this.listeners.set(s.inode, { listener, local });
        events.push({ kind: 'socket.listen', source: 'polled', listener, local });
        continue;
      }
      const known = this.conns.get(s.inode);
      if (known) {
        known.lastState = s.state;
        continue;
      }
      const key = endsKey(s.local, s.remote);
      const captured = this.byEnds.get(key);
      if (captured && captured.inode === 0) {
        // First seen in the capture: now the poll knows its socket, and closes it when it leaves the fds.
        captured.inode = s.inode;
        captured.lastState = s.state;
        this.conns.set(s.inode, captured);
        continue;
      }
      const local = parseEndpointName(s.local);
      const c: Conn = {
        conn: `g${this.next++}`,
        inode: s.inode,
        local,
        remote: parseEndpointName(s.remote),
        localName: s.local,
        remoteName: s.remote,
        lastState: s.state,
        bytesIn: 0,
        bytesOut: 0,
        segmentsIn: 0,
        segmentsOut: 0,
        unreported: 0,
        changed: false,
        finOut: false,
        finIn: false,
        firstFin: null,
      };
      this.conns.set(s.inode, c);
      this.byEnds.set(key, c);
      this.pastEnds.add(key);
      if (this.pastEnds.size > MAX_PAST_ENDS) this.pastEnds.delete(this.pastEnds.values().next().value!);
      // Accepted from one of the program's listeners (same port): its server side; anything else it dialled.
      const side = [...this.listeners.values()].some((l) => l.local.port === local.port) ? 'server' : 'client';
      events.push({ kind: 'socket.open', source: 'polled', conn: c.conn, side, local: c.local, remote: c.remote });
    }
    for (const [inode, c] of this.conns) {
      if (seen.has(inode)) continue;
      this.conns.delete(inode);
      events.push(this.close(c, 'polled', c.lastState === 'CLOSE_WAIT' ? 'eof' : 'local'));
    }
    for (const inode of [...this.listeners.keys()]) if (!seen.has(inode)) this.listeners.delete(inode);
    // Data captured before this poll found its connection.
    const waiting = this.pending;
    this.pending = [];
    for (const p of waiting) if (now - p.at <= PENDING_MS) events.push(...this.segment(p));
    return events;
  }

  /**
   * A captured segment of one of the program's ports: a SYN to one of its listeners opens the accepted connection
   * at once (the capture sees connections too short for any poll); payload becomes socket.data on its connection
   * ('in' when the program received it); a connection no poll ever found closes when both FINs (or an RST) went by.
   * A segment of a connection not known yet is held a while (a dial the program made since the last poll).
   */
  segment(p: CapturedSegment): SocketEvent[] {
    const events: SocketEvent[] = [];
    let c = this.byEnds.get(endsKey(p.from, p.to));
    let dir: 'in' | 'out' = 'out';
    if (!c) {
      c = this.byEnds.get(endsKey(p.to, p.from));
      dir = 'in';
    }
    const syn = p.flags.includes('SYN') && !p.flags.includes('ACK');
    if (!c && syn && this.isListener(p.to)) {
      c = this.openCaptured(p.to, p.from);
      dir = 'in';
      events.push({
        kind: 'socket.open',
        source: 'captured',
        conn: c.conn,
        side: 'server',
        local: c.local,
        remote: c.remote,
      });
    }
    if (!c) {
      if (this.isListener(p.from) || this.isListener(p.to) || p.len > 0) {
        this.pending.push(p);
        if (this.pending.length > MAX_PENDING) this.pending.shift();
      }
      return events;
    }
    if (p.len > 0) {
      if (dir === 'out') {
        c.bytesOut += p.len;
        c.segmentsOut++;
      } else {
        c.bytesIn += p.len;
        c.segmentsIn++;
      }
      c.changed = true;
      const shown = p.bytes.subarray(0, DATA_PREVIEW_BYTES);
      events.push({
        kind: 'socket.data',
        source: 'captured',
        conn: c.conn,
        dir,
        len: p.len,
        b64: Buffer.from(shown).toString('base64'),
        clipped: p.len > shown.length,
      });
    }
    if (p.flags.includes('FIN')) {
      if (dir === 'out') c.finOut = true;
      else c.finIn = true;
      c.firstFin ??= dir;
    }
    if (c.inode === 0 && ((c.finIn && c.finOut) || p.flags.includes('RST')))
      events.push(this.close(c, 'captured', p.flags.includes('RST') ? 'error' : c.firstFin === 'in' ? 'eof' : 'local'));
    return events;
  }

  /**
   * Whether a captured segment is the program's: to or from one of its listening ends, or on one of its
   * connections (open, or closed and remembered). A capture on a port the program dials (a demo's) also sees other
   * clients of that port, whose segments are not the program's and must not reach its page.
   */
  ownsSegment(from: string, to: string): boolean {
    if (this.isListener(from) || this.isListener(to)) return true;
    return this.pastEnds.has(endsKey(from, to)) || this.pastEnds.has(endsKey(to, from));
  }

  /** A socket.data event the watcher did not publish (over its budget): counted in the connection's stats. */
  unreported(conn: string): void {
    for (const c of this.byEnds.values())
      if (c.conn === conn) {
        c.unreported++;
        c.changed = true;
        return;
      }
  }

  /** Counters of the open connections that changed since the last call (exact even when data events were not sent). */
  stats(): ConnCounters[] {
    const out: ConnCounters[] = [];
    for (const c of this.byEnds.values()) {
      if (!c.changed) continue;
      c.changed = false;
      out.push({
        conn: c.conn,
        bytesIn: c.bytesIn,
        bytesOut: c.bytesOut,
        readsIn: c.segmentsIn,
        writesOut: c.segmentsOut,
        unreported: c.unreported,
      });
    }
    return out;
  }

  /** Whether a row of the kernel's table is the program's: one of its fds now, or one of its connections before. */
  owns(s: KernelSocket): boolean {
    if (s.inode && (this.conns.has(s.inode) || this.listeners.has(s.inode))) return true;
    return this.pastEnds.has(endsKey(s.local, s.remote));
  }

  /** Ports the program listens on now. */
  listeningPorts(): number[] {
    return [...new Set([...this.listeners.values()].map((l) => l.local.port))];
  }

  /** Remote ports of connections the program dialled. */
  dialledPorts(): number[] {
    const listening = new Set(this.listeningPorts());
    return [...new Set([...this.conns.values()].filter((c) => !listening.has(c.local.port)).map((c) => c.remote.port))];
  }

  /** The program's connections still open, as their close events (the run ended). */
  closeAll(): SocketEvent[] {
    const events: SocketEvent[] = this.update([], Number.POSITIVE_INFINITY).filter((e) => e.kind === 'socket.close');
    for (const c of [...this.byEnds.values()]) events.push(this.close(c, 'captured', 'local'));
    return events;
  }

  /** Whether `name` is one of the program's listening ends (a wildcard listener takes any address on its port). */
  private isListener(name: string): boolean {
    const e = parseEndpointName(name);
    for (const l of this.listeners.values())
      if (l.local.port === e.port && (l.local.host === e.host || l.local.host === '0.0.0.0' || l.local.host === '::'))
        return true;
    return false;
  }

  private openCaptured(local: string, remote: string): Conn {
    const key = endsKey(local, remote);
    const c: Conn = {
      conn: `g${this.next++}`,
      inode: 0,
      local: parseEndpointName(local),
      remote: parseEndpointName(remote),
      localName: local,
      remoteName: remote,
      lastState: 'SYN_RECV',
      bytesIn: 0,
      bytesOut: 0,
      segmentsIn: 0,
      segmentsOut: 0,
      unreported: 0,
      changed: false,
      finOut: false,
      finIn: false,
      firstFin: null,
    };
    this.byEnds.set(key, c);
    this.pastEnds.add(key);
    if (this.pastEnds.size > MAX_PAST_ENDS) this.pastEnds.delete(this.pastEnds.values().next().value!);
    return c;
  }

  private close(c: Conn, source: 'polled' | 'captured', reason: 'eof' | 'local' | 'error'): SocketEvent {
    this.byEnds.delete(endsKey(c.localName, c.remoteName));
    return { kind: 'socket.close', source, conn: c.conn, reason, bytesIn: c.bytesIn, bytesOut: c.bytesOut };
  }
}
