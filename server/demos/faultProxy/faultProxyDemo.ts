// The fault proxy demo (issue 15): a real TCP proxy on loopback in front of the lab's own echo server, with faults
// set live from the page (commands), from a snippet or nc (the control endpoint, one JSON line per request) and from
// the headless CLI (--fault). A page's faults reach only its own connections and are cleared when it leaves; a
// control connection's faults when it closes.
import net from 'node:net';
import {
  FAULT_PROXY_COMMANDS,
  FAULT_PROXY_DEMO,
  parseFaultRule,
  type FaultProxyState,
  type FaultRuleInput,
} from '../../../core/protocol/demos/faultProxy.js';
import { LabError, type WireError } from '../../../core/protocol/errors.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { connectionOwners, machineOwner, pageOwner } from '../../net/connectionOwners.js';
import { admitConnection, DEMO_CONNECTION_LIMITS } from '../../net/connectionLimits.js';
import { boundPort, listenTcp } from '../../net/listen.js';
import { SessionClients } from '../../net/sessionClients.js';
import { SocketEventReporter } from '../../net/socketEvents.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { EchoServer } from '../echo/echoServer.js';
import { labErrorOf, mayChangeShared } from '../sharedControl.js';
import { MAX_CONTROL_LINE, parseControlLine, replyLine } from './faultControlLine.js';
import { FaultProxy } from './faultProxy.js';
import type { FaultCaller } from './faultRuleBook.js';

const MAX_CLIENTS_PER_SESSION = 16;
const STATS_INTERVAL_MS = 250;

/** What the headless run does when no --fault is given: each fault for a while, on a client sending lines. */
const DEFAULT_SCENARIO: readonly FaultRuleInput[] = [
  { fault: { type: 'latency', ms: 150, jitterMs: 30 }, direction: 'down' },
  { fault: { type: 'stall' }, direction: 'down' },
  { fault: { type: 'reset_peer' }, trigger: { onMessage: 2 } },
];

/** A page's reach: its own clients, its machine's snippet dials, and outside connections when on the lab's machine. */
export function pageCaller(caller: CommandCaller): FaultCaller {
  const owns = [pageOwner(caller.session)];
  if (caller.address) owns.push(machineOwner(caller.address));
  return { owns, outside: caller.local !== false };
}

/** A control connection's reach, from who opened it (a snippet's bridge dial, nc on this machine or another). */
export function controlCaller(host: string, port: number): FaultCaller {
  const owned = connectionOwners.ownerOf(host, port);
  if (owned) return { owns: [owned], outside: false };
  const loopback = host === '::1' || /^(::ffff:)?127\./.test(host);
  return loopback ? { owns: [], outside: true } : { owns: [machineOwner(host)], outside: false };
}

export class FaultProxyDemo implements Demo {
  readonly id = FAULT_PROXY_DEMO;
  readonly title = { en: 'Fault proxy', zh: '故障代理' };
  readonly portCount = 2;

  private proxy: FaultProxy | null = null;
  private upstream: EchoServer | null = null;
  private upstreamPort = 0;
  private control: net.Server | null = null;
  private readonly controlSockets = new Set<net.Socket>();
  private reporter: SocketEventReporter | null = null;
  /** The page that last changed the switches: when it leaves, they go back to open and up. */
  private switchedBy: string | null = null;
  private nextControl = 1;
  private nextClient = 1;
  private readonly clients = new SessionClients(MAX_CLIENTS_PER_SESSION);
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.reporter?.flushStats(), publishOnStop: true },
    clients: this.clients,
  });

  /** Faults the headless run applies (--fault), as JSON texts; checked when the scenario starts. */
  scenarioFaults: string[] = [];

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    this.reporter = new SocketEventReporter(ctx.emit);
    await this.startUpstream(0);
    const proxy = new FaultProxy({
      host: ctx.host,
      port: ctx.port(0),
      flag: '--demo-ports',
      upstream: { host: '127.0.0.1', port: this.upstreamPort },
      emit: ctx.emit,
      upstreamControl: {
        down: async () => {
          await this.upstream?.close();
          this.upstream = null;
        },
        up: () => this.startUpstream(this.upstreamPort),
      },
    });
    await proxy.listen();
    this.proxy = proxy;
    this.life.listening('fault-proxy', proxy.port);
    const control = net.createServer((socket) => this.controlConnection(socket));
    await listenTcp(control, { host: ctx.host, port: ctx.port(1), flag: '--demo-ports' });
    this.control = control;
    this.life.listening('fault-control', boundPort(control));
    this.life.started();
  }

  /** The upstream echo server, on a port of its own (the same one again after a restart). */
  private async startUpstream(port: number): Promise<void> {
    const server = new EchoServer({ host: '127.0.0.1', port, flag: '--demo-ports' });
    await server.listen();
    this.upstream = server;
    this.upstreamPort = server.port;
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      const proxy = this.proxy;
      this.proxy = null;
      if (!proxy) return false;
      for (const s of this.controlSockets) s.destroy();
      const control = this.control;
      this.control = null;
      await Promise.all([
        proxy.close(),
        this.upstream?.close(),
        control && new Promise<void>((resolve) => control.close(() => resolve())),
      ]);
      this.upstream = null;
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    const host = this.life.host;
    if (!this.proxy || !this.control) return [];
    const proxyPort = this.proxy.port;
    const controlPort = boundPort(this.control);
    return [
      { name: 'fault-proxy', protocol: 'tcp', host, port: proxyPort, tryWith: `nc ${host} ${proxyPort}` },
      {
        name: 'fault-control',
        protocol: 'tcp',
        host,
        port: controlPort,
        tryWith: `echo '{"action":"list"}' | nc ${host} ${controlPort}`,
      },
    ];
  }

  readonly commands = demoCommands(FAULT_PROXY_COMMANDS, {
    connect: (_args, caller) => this.connect(caller.session),
    send: (args, caller) => this.send(caller.session, args.client, args.newline ? `${args.text}\n` : args.text),
    close: (args, caller) => this.closeClient(caller.session, args.client),
    set: (args, caller) => {
      const rule = parseFaultRule(args.rule);
      if (!rule.ok) throw labErrorOf(rule.error);
      return { id: this.running().addRule(pageOwner(caller.session), pageCaller(caller), rule.rule) };
    },
    clear: (args, caller) => ({ cleared: this.running().clearRules(pageOwner(caller.session), args.id) }),
    list: (_args, caller) => this.state(pageOwner(caller.session), pageCaller(caller)),
    switch: async (args, caller) => {
      const refused = mayChangeShared(caller, 'the fault proxy’s switches');
      if (refused) throw labErrorOf(refused);
      this.switchedBy = caller.session;
      return this.running().setSwitches(args);
    },
  });

  sessionClosed(session: string): void {
    this.clients.closeSession(session);
    this.proxy?.clearRules(pageOwner(session));
    if (this.switchedBy === session) {
      this.switchedBy = null;
      void this.proxy?.setSwitches({ accepting: 'open', upstream: 'up' });
    }
  }

  private running(): FaultProxy {
    if (!this.proxy) throw new LabError('E_ACTION_FAILED', 'the fault proxy is not running');
    return this.proxy;
  }

  private state(holder: string, caller: FaultCaller): FaultProxyState {
    const proxy = this.running();
    return { rules: proxy.listRules(holder), switches: proxy.state, conns: proxy.connsFor(caller) };
  }

  /** Opens a real client connection through the proxy, owned by a browser session. */
  async connect(session: string): Promise<{ client: string; localPort: number }> {
    const proxy = this.running();
    const id = `client-${this.nextClient++}`;
    const reporter = this.reporter;
    const client = await this.clients.open(
      session,
      { host: this.life.host, port: proxy.port, id, ...(reporter ? { observer: reporter } : {}) },
      {},
    );
    reporter?.opened(client.conn, 'client', id);
    return { client: id, localPort: client.localPort };
  }

  async send(session: string, clientId: string, text: string): Promise<{ bytes: number }> {
    const client = this.clients.owned(session, clientId);
    const [n, err] = await client.conn.write(new TextEncoder().encode(text));
    if (err) throw new LabError('E_ACTION_FAILED', err.message);
    return { bytes: n };
  }

  async closeClient(session: string, clientId: string): Promise<{ closed: string }> {
    await this.clients.owned(session, clientId).conn.close();
    return { closed: clientId };
  }

  /** A control connection: JSON lines in, JSON lines out; its faults are cleared when it closes. */
  private controlConnection(socket: net.Socket): void {
    if (!admitConnection(socket, this.controlSockets.size, DEMO_CONNECTION_LIMITS)) return;
    this.controlSockets.add(socket);
    const holder = `control:${this.nextControl++}`;
    const caller = controlCaller(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.once('close', () => {
      this.controlSockets.delete(socket);
      this.proxy?.clearRules(holder);
    });
    socket.on('data', (text: string) => {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) socket.write(replyLine(this.controlRequest(holder, caller, line)));
      }
      if (pending.length > MAX_CONTROL_LINE) {
        socket.end(
          replyLine(
            new LabError('E_MESSAGE_TOO_LARGE', `a control line is at most ${MAX_CONTROL_LINE} bytes`).toWire(),
          ),
        );
        pending = '';
      }
    });
  }

  private controlRequest(holder: string, caller: FaultCaller, line: string): Record<string, unknown> | WireError {
    const parsed = parseControlLine(line);
    if (!parsed.ok) return parsed.error;
    try {
      const proxy = this.running();
      const r = parsed.request;
      if (r.action === 'set') return { id: proxy.addRule(holder, caller, r.rule) };
      if (r.action === 'clear') return { cleared: proxy.clearRules(holder, r.id) };
      return this.state(holder, caller);
    } catch (err) {
      return err instanceof LabError ? err.toWire() : new LabError('E_INTERNAL', String(err)).toWire();
    }
  }

  /**
   * Headless scenario: a client sends a line every 100 ms through the proxy while each fault (the --fault ones, or a
   * latency, a stall and a reset on the 2nd message) is on for a second; the events show what each did.
   */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const holder = 'headless';
    const caller: FaultCaller = { owns: [pageOwner(holder)], outside: true };
    const rules = this.scenarioFaults.length > 0 ? this.scenarioFaults.map(parseJson) : DEFAULT_SCENARIO;
    for (const input of rules) {
      if (signal.aborted) return;
      const parsed = parseFaultRule(input);
      if (!parsed.ok) throw labErrorOf(parsed.error);
      const client = (await this.connect(holder)).client;
      const id = this.running().addRule(holder, caller, parsed.rule);
      for (let i = 1; i <= 10 && !signal.aborted; i++) {
        await this.send(holder, client, `line ${i}\n`).catch(() => {});
        await delay(100);
      }
      this.running().clearRules(holder, id);
      await this.closeClient(holder, client).catch(() => {});
      await delay(100);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new LabError('E_FAULT_BAD', `--fault needs a JSON rule, e.g. '{"fault":{"type":"stall"}}' (got ${text})`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
