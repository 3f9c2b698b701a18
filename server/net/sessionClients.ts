// Client connections the lab opens on a browser's behalf: owned by that browser's session, limited per session,
// draining what the server sends back (so it never blocks on them), and closed when the session leaves.
import net from 'node:net';
import { LabError } from '../../core/protocol/errors.js';
import { connectionOwners, pageOwner } from './connectionOwners.js';
import { GoConn, type ConnObserver } from './goConn.js';

/** How long a closed client's endpoint stays its session's (see the close handler). */
const RELEASE_GRACE_MS = 2000;

export interface SessionClient {
  id: string;
  session: string;
  conn: GoConn;
  /** The client's own port: the server side sees it as the remote port. */
  localPort: number;
}

export interface OpenClientOptions {
  host: string;
  port: number;
  id: string;
  observer?: ConnObserver;
}

export class SessionClients<C extends SessionClient = SessionClient> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly maxPerSession: number) {}

  /** Connects a real client and keeps it for the session; `extra` holds what the demo wants to remember of it. */
  async open(session: string, options: OpenClientOptions, extra: Omit<C, keyof SessionClient>): Promise<C> {
    let owned = 0;
    for (const c of this.clients.values()) if (c.session === session) owned++;
    if (owned >= this.maxPerSession)
      throw new LabError('E_TOO_MANY_CLIENTS', `at most ${this.maxPerSession} clients per browser`);
    const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port: options.port, noDelay: true });
      // The socket is the session's from its first segment: connect() is issued on the next tick and the local end is
      // known the tick after, before the event loop can let the server accept it and publish its socket.open.
      let claimed: { host: string; port: number } | null = null;
      const claim = () => {
        if (claimed || s.localPort === undefined || s.localAddress === undefined) return;
        claimed = { host: s.localAddress, port: s.localPort };
        connectionOwners.claim(claimed.host, claimed.port, pageOwner(session));
      };
      process.nextTick(() => process.nextTick(claim));
      s.once('close', () => {
        // Its last segments may still be on their way through the capture: they stay the session's a moment longer.
        const ended = claimed;
        if (ended)
          setTimeout(
            () => connectionOwners.release(ended.host, ended.port, pageOwner(session)),
            RELEASE_GRACE_MS,
          ).unref();
      });
      s.once('connect', () => {
        claim();
        resolve(s);
      });
      s.once('error', reject);
    });
    const conn = new GoConn(socket, { id: options.id, ...(options.observer ? { observer: options.observer } : {}) });
    const client = { ...extra, id: options.id, session, conn, localPort: socket.localPort ?? 0 } as C;
    this.clients.set(client.id, client);
    socket.once('close', () => this.clients.delete(client.id));
    void drain(conn);
    return client;
  }

  /** The client, if this session owns it; otherwise E_NO_SUCH_CLIENT (another browser's clients stay private). */
  owned(session: string, id: string): C {
    const client = this.clients.get(id);
    if (!client || client.session !== session) throw new LabError('E_NO_SUCH_CLIENT', id);
    return client;
  }

  closeSession(session: string): void {
    for (const c of this.clients.values()) if (c.session === session) c.conn.destroy();
  }

  closeAll(): void {
    for (const c of this.clients.values()) c.conn.destroy();
    this.clients.clear();
  }
}

/** Reads and drops whatever arrives until the connection ends. */
async function drain(conn: GoConn): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const [, err] = await conn.read(buf);
    if (err) return;
  }
}
