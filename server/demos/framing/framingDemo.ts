// The framing demo of lesson 3: three real TCP servers, one per framing (fixed length, delimiter, length prefix),
// that decode frames, echo them framed the same way and publish every frame, the decoder's state and bad frames.
// Browsers can open clients to them and send messages, pieces of frames or raw (bad) bytes.
import { createEncoder, describeFraming } from '../../../core/framing/framingConfig.js';
import type { FramingError } from '../../../core/framing/framingError.js';
import { SessionClients, type SessionClient } from '../../net/sessionClients.js';
import { SocketEventReporter } from '../../net/socketEvents.js';
import {
  FRAMING_DEMO,
  FRAMING_COMMANDS,
  FRAMING_SERVER_CONFIGS,
  type FramingSendArgs,
  type FramingSendRawArgs,
  type FramingConnectResult,
  type FramingSendResult,
} from '../../../core/protocol/demos/framing.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { FramingServerMode } from '../../../core/protocol/events/frame.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { FrameEventReporter } from './frameEventReporter.js';
import { FramingServer } from './framingServer.js';

export const FRAMING_MODES: readonly FramingServerMode[] = ['fixed', 'delimiter', 'length-prefix'];
const ID_PREFIX: Record<FramingServerMode, string> = { fixed: 'fx', delimiter: 'dl', 'length-prefix': 'lp' };
const MAX_CLIENTS_PER_SESSION = 12;
const STATS_INTERVAL_MS = 250;
const utf8 = new TextEncoder();

interface LabClient extends SessionClient {
  mode: FramingServerMode;
}

export class FramingDemo implements Demo {
  readonly id = FRAMING_DEMO;
  readonly title = { en: 'Framing servers', zh: '分帧服务器' };
  readonly portCount = FRAMING_MODES.length;

  private readonly servers = new Map<FramingServerMode, FramingServer>();
  private sockets: SocketEventReporter | null = null;
  private readonly clients = new SessionClients<LabClient>(MAX_CLIENTS_PER_SESSION);
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.sockets?.flushStats(), publishOnStop: true },
    clients: this.clients,
  });
  private nextClient = 1;

  private get host(): string {
    return this.life.host;
  }

  private get emit(): DemoContext['emit'] {
    return this.life.emit;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const sockets = new SocketEventReporter(ctx.emit);
    this.sockets = sockets;
    try {
      for (const [i, mode] of FRAMING_MODES.entries()) {
        const frames = new FrameEventReporter(mode, ctx.emit);
        const server = new FramingServer({
          host: ctx.host,
          port: ctx.port(i),
          flag: '--demo-ports',
          config: FRAMING_SERVER_CONFIGS[mode],
          idPrefix: ID_PREFIX[mode],
          connObserver: sockets,
          observer: frames,
          farewell: mode === 'delimiter' ? farewellLine : undefined,
          onAccept: (conn) => sockets.opened(conn, 'server'),
          onClose: (conn) => frames.closed(conn.id),
          onHandlerError: (conn, err) =>
            ctx.emit({
              kind: 'demo.error',
              source: 'observed',
              conn: conn.id,
              error: new LabError('E_INTERNAL', String(err)).toWire(),
            }),
        });
        await server.listen();
        this.servers.set(mode, server);
        this.life.listening(mode, server.port);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      const servers = [...this.servers.values()];
      this.servers.clear();
      await Promise.all(servers.map((s) => s.close()));
      return servers.length > 0;
    });
  }

  endpoints(): DemoEndpoint[] {
    const shown = this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return FRAMING_MODES.flatMap((mode) => {
      const server = this.servers.get(mode);
      if (!server) return [];
      const port = server.port;
      const tryWith =
        mode === 'length-prefix' ? `go run lessons/03-framing/main.go -addr ${shown}:${port}` : `nc ${shown} ${port}`;
      return [{ name: mode, protocol: 'tcp' as const, host: this.host, port, tryWith }];
    });
  }

  readonly commands = demoCommands(FRAMING_COMMANDS, {
    connect: (args, caller) => this.connect(caller.session, args.mode),
    send: (args, caller) => this.send(caller.session, args),
    sendRaw: (args, caller) => this.sendRaw(caller.session, args),
    close: (args, caller) => this.closeClient(caller.session, args.client),
  });

  sessionClosed(session: string): void {
    this.clients.closeSession(session);
  }

  /** Opens a real client connection to one framing server, owned by a browser session. */
  async connect(session: string, mode: FramingServerMode): Promise<FramingConnectResult> {
    const server = this.servers.get(mode);
    if (!server) throw new LabError('E_ACTION_FAILED', 'the framing servers are not running');
    const id = `${ID_PREFIX[mode]}-client-${this.nextClient++}`;
    const { localPort } = await this.clients.open(session, { host: this.host, port: server.port, id }, { mode });
    // The server side's id, which the events carry: its accept may run a moment after our connect.
    let serverConn = server.connFromPort(localPort);
    for (let i = 0; !serverConn && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 10));
      serverConn = server.connFromPort(localPort);
    }
    return { client: id, mode, conn: serverConn?.id ?? null, localPort };
  }

  /** Frames the messages with the client's server's framing and writes them: in one write, or in chunks. */
  async send(session: string, args: FramingSendArgs): Promise<FramingSendResult> {
    const client = this.clients.owned(session, args.client);
    const encoder = createEncoder(FRAMING_SERVER_CONFIGS[client.mode]);
    const framed = args.messages.map((m) => encoder.encode(utf8.encode(m)));
    const wire = Buffer.concat(framed);
    const chunk = args.chunkBytes ?? wire.length;
    let writes = 0;
    for (let at = 0; at < wire.length; at += chunk) {
      if (writes > 0 && args.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, args.chunkDelayMs));
      const [, err] = await client.conn.write(wire.subarray(at, at + chunk));
      if (err) throw new LabError('E_ACTION_FAILED', err.message);
      writes++;
    }
    return { wireBytes: wire.length, payloadBytes: encoder.stats().payloadBytes, writes };
  }

  /** Writes raw bytes (bad frames on purpose), optionally closing the sending side after them. */
  async sendRaw(session: string, args: FramingSendRawArgs): Promise<{ bytes: number }> {
    const client = this.clients.owned(session, args.client);
    const unit = Buffer.from(args.hex, 'hex');
    const bytes = args.repeat === 1 ? unit : Buffer.alloc(unit.length * args.repeat, unit);
    if (bytes.length > 0) {
      const [, err] = await client.conn.write(bytes);
      // The server may close on a bad frame before all bytes are out: that is the point, not a failure here.
      if (err && !/EPIPE|ECONNRESET|closed/.test(err.message)) throw new LabError('E_ACTION_FAILED', err.message);
    }
    if (args.end) client.conn.closeWrite();
    return { bytes: bytes.length };
  }

  async closeClient(session: string, clientId: string): Promise<{ closed: string }> {
    const client = this.clients.owned(session, clientId);
    await client.conn.close();
    return { closed: clientId };
  }

  /**
   * Headless scenario: on each server, three messages in one write (they arrive stuck together and come out as
   * three frames), one message in 3-byte pieces; then the bad cases: a length prefix above 1 MiB, a line over
   * 4 KiB, a record cut off at EOF.
   */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const session = 'headless';
    const pause = () => new Promise((r) => setTimeout(r, 60));
    for (const mode of FRAMING_MODES) {
      if (signal.aborted) return;
      this.emit({
        kind: 'demo.note',
        source: 'observed',
        text: { en: describeFraming(FRAMING_SERVER_CONFIGS[mode]), zh: describeFraming(FRAMING_SERVER_CONFIGS[mode]) },
      });
      const c = await this.connect(session, mode);
      await this.send(session, { client: c.client, messages: ['hello', 'sticky', 'packets'], chunkDelayMs: 0 });
      await pause();
      await this.send(session, { client: c.client, messages: ['in pieces'], chunkBytes: 3, chunkDelayMs: 20 });
      await pause();
      await this.closeClient(session, c.client);
    }
    const bad: [FramingServerMode, string, number, boolean][] = [
      ['length-prefix', '00100001', 1, false], // 1 MiB + 1 announced
      ['delimiter', '61', 5000, false], // 5000 × 'a', no newline
      ['fixed', '616263', 1, true], // 3 bytes of a 16-byte record, then EOF
    ];
    for (const [mode, hex, repeat, end] of bad) {
      if (signal.aborted) return;
      const c = await this.connect(session, mode);
      await this.sendRaw(session, { client: c.client, hex, repeat, end });
      await pause();
    }
    await pause();
  }
}

/** The last line a delimiter-mode peer (nc) gets before the server closes: why. */
function farewellLine(error: FramingError): Uint8Array {
  return utf8.encode(`error ${error.code}: ${error.message}\n`);
}
