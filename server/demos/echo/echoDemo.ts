// The echo demo of lesson 1: a real echo server on loopback, observed, plus client connections a browser can open.
import { LabError } from '../../../core/protocol/errors.js';
import { ECHO_COMMANDS, ECHO_DEMO, type EchoConnectResult } from '../../../core/protocol/demos/echo.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { SessionClients } from '../../net/sessionClients.js';
import { SocketEventReporter } from '../../net/socketEvents.js';
import { turnNow } from '../../events/turnClock.js';
import { createRuntime, type Runtime } from '../../../core/runtime/index.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { EchoServer } from './echoServer.js';

const MAX_CLIENTS_PER_SESSION = 16;
const STATS_INTERVAL_MS = 250;
/** Wait cycles (block, unblock, run) each handler goroutine reports a second, and all of them together. */
const WAIT_CYCLES_PER_SECOND = 20;
const TOTAL_WAIT_CYCLES_PER_SECOND = 500;

export class EchoDemo implements Demo {
  readonly id = ECHO_DEMO;
  readonly title = { en: 'TCP echo server', zh: 'TCP 回显服务器' };
  readonly portCount = 1;

  private server: EchoServer | null = null;
  private reporter: SocketEventReporter | null = null;
  /** The connection handlers' goroutines (no deadlock detection: clients arrive from outside). */
  private runtime: Runtime | null = null;
  private readonly clients = new SessionClients(MAX_CLIENTS_PER_SESSION);
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.reporter?.flushStats(), publishOnStop: true },
    clients: this.clients,
  });
  private nextClient = 1;

  private get host(): string {
    return this.life.host;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const reporter = new SocketEventReporter(ctx.emit);
    this.reporter = reporter;
    // Busy connections would send three goroutine events per echo: report a few whole wait cycles a second each.
    this.runtime = createRuntime({
      onEvent: ctx.emit,
      detectDeadlock: false,
      sampleWaitCycles: { perGoroutine: WAIT_CYCLES_PER_SECOND, total: TOTAL_WAIT_CYCLES_PER_SECOND, now: turnNow },
    });
    const server = new EchoServer({
      runtime: this.runtime,
      host: ctx.host,
      port: ctx.port(0),
      flag: '--demo-ports',
      observer: reporter,
      onAccept: (conn) => reporter.opened(conn, 'server'),
      onHandlerError: (conn, err) =>
        ctx.emit({
          kind: 'demo.error',
          source: 'observed',
          conn: conn.id,
          error: new LabError('E_INTERNAL', String(err)).toWire(),
        }),
    });
    await server.listen();
    this.life.listening('echo', server.port);
    this.server = server;
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      const server = this.server;
      this.server = null;
      if (!server) return false;
      await server.close();
      this.runtime?.stop();
      this.runtime = null;
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const port = this.server.port;
    return [{ name: 'echo', protocol: 'tcp', host: this.host, port, tryWith: `nc ${this.host} ${port}` }];
  }

  readonly commands = demoCommands(ECHO_COMMANDS, {
    connect: (_args, caller) => this.connect(caller.session),
    send: (args, caller) => this.send(caller.session, args.client, args.newline ? `${args.text}\n` : args.text),
    close: (args, caller) => this.closeClient(caller.session, args.client),
  });

  sessionClosed(session: string): void {
    this.clients.closeSession(session);
  }

  /** Opens a real client connection to the echo server, owned by a browser session. */
  async connect(session: string): Promise<EchoConnectResult> {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the echo server is not running');
    const id = `client-${this.nextClient++}`;
    // The client side reports only open and close: its bytes are the server side's, mirrored.
    const client = await this.clients.open(
      session,
      {
        host: this.host,
        port: this.server.port,
        id,
        observer: { onClose: (c, reason, error) => this.reporter?.onClose(c, reason, error) },
      },
      {},
    );
    this.reporter?.opened(client.conn, 'client', id);
    return { client: id, localPort: client.localPort };
  }

  async send(session: string, clientId: string, text: string): Promise<{ bytes: number }> {
    const client = this.clients.owned(session, clientId);
    const [n, err] = await client.conn.write(new TextEncoder().encode(text));
    if (err) throw new LabError('E_ACTION_FAILED', err.message);
    return { bytes: n };
  }

  async closeClient(session: string, clientId: string): Promise<{ closed: string }> {
    const client = this.clients.owned(session, clientId);
    await client.conn.close();
    return { closed: clientId };
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
