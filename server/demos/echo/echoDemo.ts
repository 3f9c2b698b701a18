// The echo demo of lesson 1: a real echo server on loopback, observed, plus client connections a browser can open.
import net from 'node:net';
import type { LabEventBody } from '../../protocol/events.js';
import { LabError } from '../../protocol/errors.js';
import { EchoCloseArgs, EchoConnectArgs, EchoSendArgs, ECHO_DEMO, type EchoConnectResult } from '../../protocol/demos/echo.js';
import type { DemoEndpoint } from '../../protocol/wire.js';
import { GoConn } from '../../net/goConn.js';
import { SocketEventReporter } from '../../net/socketEvents.js';
import { command, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { EchoServer } from './echoServer.js';

const MAX_CLIENTS_PER_SESSION = 16;
const STATS_INTERVAL_MS = 250;

interface LabClient {
  id: string;
  session: string;
  conn: GoConn;
}

export class EchoDemo implements Demo {
  readonly id = ECHO_DEMO;
  readonly title = { en: 'TCP echo server', zh: 'TCP 回显服务器' };
  readonly portCount = 1;

  private server: EchoServer | null = null;
  private host = '127.0.0.1';
  private emit: (body: LabEventBody) => void = () => {};
  private reporter: SocketEventReporter | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private readonly clients = new Map<string, LabClient>();
  private nextClient = 1;

  async start(ctx: DemoContext): Promise<void> {
    this.host = ctx.host;
    this.emit = ctx.emit;
    const reporter = new SocketEventReporter(ctx.emit);
    this.reporter = reporter;
    const server = new EchoServer({
      host: ctx.host,
      port: ctx.port(0),
      flag: '--demo-ports',
      observer: reporter,
      onAccept: (conn) => reporter.opened(conn, 'server'),
      onHandlerError: (conn, err) =>
        ctx.emit({ kind: 'demo.error', source: 'observed', conn: conn.id, error: new LabError('E_INTERNAL', String(err)).toWire() }),
    });
    await server.listen();
    ctx.emit({ kind: 'socket.listen', source: 'observed', listener: 'echo', local: { host: ctx.host, port: server.port } });
    this.server = server;
    this.statsTimer = setInterval(() => reporter.flushStats(), STATS_INTERVAL_MS);
    this.statsTimer.unref();
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    for (const client of this.clients.values()) client.conn.destroy();
    this.clients.clear();
    const server = this.server;
    this.server = null;
    if (server) {
      await server.close();
      this.reporter?.flushStats();
      this.emit({ kind: 'demo.stopped', source: 'observed' });
    }
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const port = this.server.port;
    return [{ name: 'echo', protocol: 'tcp', host: this.host, port, tryWith: `nc ${this.host} ${port}` }];
  }

  readonly commands = {
    connect: command(EchoConnectArgs, (_args, caller) => this.connect(caller.session)),
    send: command(EchoSendArgs, (args, caller) => this.send(caller.session, args.client, args.newline ? `${args.text}\n` : args.text)),
    close: command(EchoCloseArgs, (args, caller) => this.closeClient(caller.session, args.client)),
  };

  sessionClosed(session: string): void {
    for (const client of this.clients.values()) {
      if (client.session === session) client.conn.destroy();
    }
  }

  /** Opens a real client connection to the echo server, owned by a browser session. */
  async connect(session: string): Promise<EchoConnectResult> {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the echo server is not running');
    let owned = 0;
    for (const c of this.clients.values()) if (c.session === session) owned++;
    if (owned >= MAX_CLIENTS_PER_SESSION) {
      throw new LabError('E_TOO_MANY_CLIENTS', `at most ${MAX_CLIENTS_PER_SESSION} clients per browser`);
    }
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.server!.port, noDelay: true });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const localPort = socket.localPort ?? 0;
    const id = `client-${this.nextClient++}`;
    // The client side reports only open and close: its bytes are the server side's, mirrored.
    const conn = new GoConn(socket, { id, observer: { onClose: (c, reason, error) => this.reporter?.onClose(c, reason, error) } });
    this.reporter?.opened(conn, 'client', id);
    this.clients.set(id, { id, session, conn });
    socket.once('close', () => this.clients.delete(id));
    void drain(conn);
    return { client: id, localPort };
  }

  async send(session: string, clientId: string, text: string): Promise<{ bytes: number }> {
    const client = this.ownedClient(session, clientId);
    const [n, err] = await client.conn.write(new TextEncoder().encode(text));
    if (err) throw new LabError('E_ACTION_FAILED', err.message);
    return { bytes: n };
  }

  async closeClient(session: string, clientId: string): Promise<{ closed: string }> {
    const client = this.ownedClient(session, clientId);
    await client.conn.close();
    return { closed: clientId };
  }

  private ownedClient(session: string, clientId: string): LabClient {
    const client = this.clients.get(clientId);
    if (!client || client.session !== session) throw new LabError('E_NO_SUCH_CLIENT', clientId);
    return client;
  }

  /** Headless scenario: two clients connect, each sends two lines and reads the echo, then both close. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const session = 'headless';
    const a = await this.connect(session);
    const b = await this.connect(session);
    for (const [client, words] of [
      [a.client, ['hello from A', 'bye from A']],
      [b.client, ['hello from B', 'bye from B']],
    ] as const) {
      for (const w of words) {
        if (signal.aborted) return;
        await this.send(session, client, `${w}\n`);
        await delay(20);
      }
    }
    await delay(50);
    await this.closeClient(session, a.client);
    await this.closeClient(session, b.client);
    await delay(50);
  }
}

/** The lab's clients read their echoes (and drop them) so the server never blocks on them. */
async function drain(conn: GoConn): Promise<void> {
  const buf = new Uint8Array(16 * 1024);
  for (;;) {
    const [, err] = await conn.read(buf);
    if (err) return;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
