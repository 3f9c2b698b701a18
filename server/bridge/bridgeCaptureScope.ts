// Which captured segments and polled sockets belong to one bridge session, and the cap on how many of its connections
// are followed; pure. A demo port is shared by every session, so traffic there is the session's only when it is one of
// its dials, both ends matching (the kernel may give the same local port to another program's connection to another
// address at the same time); a session's own listener ports are its alone.

/** What to do with a captured segment or a polled socket. */
export type ScopeVerdict =
  /** One of the session's followed connections (or its listening socket): publish it. */
  | 'ours'
  /** The session's, but beyond the cap: counted, not published. */
  | 'skipped'
  /** Another session's or another program's: ignored. */
  | 'foreign';

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/** The same key for both directions of a connection. */
export function connectionKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

export class BridgeCaptureScope {
  private readonly listenerPorts = new Set<number>();
  /** Connection keys of the session's dials (local and remote `ip:port`), registered once connect() has been issued. */
  private readonly dials = new Set<string>();
  private readonly followed = new Set<string>();
  private readonly skippedKeys = new Set<string>();

  constructor(readonly maxConns: number) {}

  addListener(port: number): void {
    this.listenerPorts.add(port);
  }

  /** A closed listener's port may go to someone else; its connections already followed stay followed. */
  removeListener(port: number): void {
    this.listenerPorts.delete(port);
  }

  addDial(localEnd: string, remoteEnd: string): void {
    this.dials.add(connectionKey(localEnd, remoteEnd));
  }

  /** The dial's socket closed: its connection, if followed, stays followed by its key; the port may be reused. */
  removeDial(localEnd: string, remoteEnd: string): void {
    this.dials.delete(connectionKey(localEnd, remoteEnd));
  }

  /** Connections followed so far. */
  get followedCount(): number {
    return this.followed.size;
  }

  /** The session's connections that were not followed because the cap was reached. */
  get skippedCount(): number {
    return this.skippedKeys.size;
  }

  /** True once no further connection will be followed. */
  get full(): boolean {
    return this.followed.size >= this.maxConns;
  }

  /** Classifies one segment (from, to) or one socket-table row (local, remote); the first sightings fill the cap. */
  classify(a: string, b: string): ScopeVerdict {
    const key = connectionKey(a, b);
    if (this.followed.has(key)) return 'ours';
    const pa = portOf(a);
    const pb = portOf(b);
    // A listening socket in the kernel table (remote *:0) is not a connection and does not count.
    if (pb === 0) return this.listenerPorts.has(pa) ? 'ours' : 'foreign';
    if (pa === 0) return this.listenerPorts.has(pb) ? 'ours' : 'foreign';
    const mine = this.listenerPorts.has(pa) || this.listenerPorts.has(pb) || this.dials.has(key);
    if (!mine) return 'foreign';
    if (this.skippedKeys.has(key)) return 'skipped';
    if (this.followed.size < this.maxConns) {
      this.followed.add(key);
      return 'ours';
    }
    this.skippedKeys.add(key);
    return 'skipped';
  }
}
