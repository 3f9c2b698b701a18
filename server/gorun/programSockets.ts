// A Go program's sockets as the kernel shows them: given the socket inodes of its open fds and the kernel's TCP table,
// which listeners and connections it has, as the lab's socket events (listen/open/close polled from the table; data
// from captured segments' payload). Pure: the watcher (goProgramWatcher.ts) does the reading.
import type { SocketEvent, Endpoint } from '../../core/protocol/events/socket.js';
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
  inode: number;
  local: Endpoint;
  remote: Endpoint;
  /** The table's names, for matching the poller's sockets after the inode is gone (TIME_WAIT). */
  localName: string;
  remoteName: string;
  lastState: TcpStateName;
  bytesIn: number;
  bytesOut: number;
}

/** One captured segment's payload, as the watcher hands it over. */
export interface SegmentPayload {
  from: string;
  to: string;
  /** Payload length on the wire. */
  len: number;
  /** The captured payload bytes (may be fewer than len). */
  bytes: Uint8Array;
  at: number;
}

export class ProgramSockets {
  private readonly listeners = new Map<number, { listener: string; local: Endpoint }>();
  private readonly conns = new Map<number, Conn>();
  private readonly byEnds = new Map<string, Conn>();
  /** Ends of connections that were the program's, kept so their TIME_WAIT (inode 0) is still attributed. */
  private readonly pastEnds = new Set<string>();
  private pending: SegmentPayload[] = [];
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
      };
      this.conns.set(s.inode, c);
      const key = endsKey(s.local, s.remote);
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
      this.byEnds.delete(endsKey(c.localName, c.remoteName));
      events.push({
        kind: 'socket.close',
        source: 'polled',
        conn: c.conn,
        // The table cannot say who closed; a socket last seen in CLOSE_WAIT had its peer's FIN first.
        reason: c.lastState === 'CLOSE_WAIT' ? 'eof' : 'local',
        bytesIn: c.bytesIn,
        bytesOut: c.bytesOut,
      });
    }
    for (const inode of [...this.listeners.keys()]) if (!seen.has(inode)) this.listeners.delete(inode);
    // Data captured before this poll found its connection.
    const waiting = this.pending;
    this.pending = [];
    for (const p of waiting) {
      if (now - p.at > PENDING_MS) continue;
      const e = this.payload(p);
      if (e) events.push(e);
    }
    return events;
  }

  /**
   * A captured segment with payload: a socket.data event on the program's connection it belongs to ('in' when the
   * program received it), or null (held a while when its connection is not known yet, e.g. the first bytes of a
   * connection accepted since the last poll).
   */
  payload(p: SegmentPayload): SocketEvent | null {
    if (p.len <= 0) return null;
    const out = this.byEnds.get(endsKey(p.from, p.to));
    const into = out ? undefined : this.byEnds.get(endsKey(p.to, p.from));
    const c = out ?? into;
    if (!c) {
      if (this.isOurs(p.from) || this.isOurs(p.to)) {
        this.pending.push(p);
        if (this.pending.length > MAX_PENDING) this.pending.shift();
      }
      return null;
    }
    const dir = out ? 'out' : 'in';
    if (dir === 'out') c.bytesOut += p.len;
    else c.bytesIn += p.len;
    const shown = p.bytes.subarray(0, DATA_PREVIEW_BYTES);
    return {
      kind: 'socket.data',
      source: 'captured',
      conn: c.conn,
      dir,
      len: p.len,
      b64: Buffer.from(shown).toString('base64'),
      clipped: p.len > shown.length,
    };
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
    return this.update([], Number.POSITIVE_INFINITY).filter((e) => e.kind === 'socket.close');
  }

  private isOurs(name: string): boolean {
    const port = parseEndpointName(name).port;
    return this.listeningPorts().includes(port);
  }
}
