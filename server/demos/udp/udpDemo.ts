// The UDP demo of lesson 26: a UDP echo server with a budget per source, a relay that drops and reorders on purpose,
// a TCP listener to compare the same writes with, the capture of all three, and the kernel's socket table.
import dgram from 'node:dgram';
import net from 'node:net';
import { RateBudget } from '../../../core/budget/rateBudget.js';
import { LabError, wireError } from '../../../core/protocol/errors.js';
import {
  MAX_UDP_PAYLOAD_IPV4,
  UDP_COMMANDS,
  UDP_DEMO,
  type KernelRow,
  type RelaySettings,
  type UdpCompareResult,
  type UdpExchangeResult,
  type UdpFloodResult,
  type UdpRunResult,
  type UdpSizeResult,
  type UdpSocketsResult,
} from '../../../core/protocol/demos/udp.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { turnNow } from '../../events/turnClock.js';
import { CaptureObserver } from '../../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../../observers/capture/captureProcessor.js';
import { readTcpSockets, readUdpSockets } from '../../observers/kernel/procNetUdp.js';
import { PageClaims } from '../../net/connectionOwners.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { LossyRelay, type RelayDecision } from './lossyRelay.js';
import { SourceBudgets, type SourceBudgetOptions } from './sourceBudgets.js';
import { TcpSlowSink } from './tcpSlowSink.js';
import { UdpEchoServer } from './udpEchoServer.js';
import { startReportedCapture } from '../reportedCapture.js';

/** One source may send 500 datagrams a second (bursts of 100); all together 5,000 (bursts of 1,000). */
export const UDP_BUDGETS: Omit<SourceBudgetOptions, 'clock'> = {
  perSource: { perSecond: 500, burst: 100 },
  total: { perSecond: 5000, burst: 1000 },
  maxSources: 1024,
};
/** Captured packets forwarded to pages a second (a flood is counted, not drawn packet by packet). */
const CAPTURE_EVENTS_PER_SECOND = 400;
const CAPTURE_EVENTS_BURST = 800;
/** Runs at once, over all pages: each holds a few sockets for at most a few seconds. */
const MAX_RUNS = 8;
/** The lab's capture log kept for counting a run's own packets. */
const CAPTURE_LOG = 8192;
const STATS_INTERVAL_MS = 250;
/** How long a run's sockets stay claimed for its page after the run (its last captured packets). */
const CLAIM_LINGER_MS = 3000;
/** 25 ms apart: up to 4 s for the capture to catch up with a run on a busy machine. */
const SETTLE_TRIES = 160;

/** Claims a run's client socket (`host`, local `port`) for the run's page; returns its `ip:port`. */
type Claim = (host: string, port: number) => string;

type RelayCounts = { forwarded: number; dropped: number; held: number };

interface CapturedNote {
  from: string;
  to: string;
  len: number;
  transport: 'udp' | 'tcp';
}

export interface UdpDemoOptions {
  /** Turn the capture off (tests of the demo without tcpdump). */
  capture?: boolean;
}

export class UdpDemo implements Demo {
  readonly id = UDP_DEMO;
  readonly title = { en: 'UDP echo server', zh: 'UDP 回显服务器' };
  readonly portCount = 2;

  private echo: UdpEchoServer | null = null;
  private relay: LossyRelay | null = null;
  private sink: TcpSlowSink | null = null;
  private capture: CaptureObserver | null = null;
  private readonly captureBudget = new RateBudget({
    perSecond: CAPTURE_EVENTS_PER_SECOND,
    burst: CAPTURE_EVENTS_BURST,
    clock: turnNow,
  });
  private captureSuppressed = 0;
  /** Relay decisions forwarded to pages a second: a flood through the relay is counted, not drawn. */
  private readonly relayEventBudget = new RateBudget({
    perSecond: CAPTURE_EVENTS_PER_SECOND,
    burst: CAPTURE_EVENTS_BURST,
    clock: turnNow,
  });
  private relaySuppressed = 0;
  private captureLog: CapturedNote[] = [];
  private activeRuns = 0;
  private readonly relayWatchers = new Map<string, RelayCounts>();
  private lastStats = '';
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.publishStats(), publishOnStop: true },
  });

  constructor(private readonly options: UdpDemoOptions = {}) {}

  private get host(): string {
    return this.life.host;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const budgets = { ...UDP_BUDGETS, clock: turnNow };
    const echo = new UdpEchoServer({
      host: ctx.host,
      port: ctx.port(0),
      budgets,
      onFlooded: (from, dropped) => this.life.emit({ kind: 'udp.flooded', source: 'observed', from, dropped }),
    });
    await echo.listen();
    this.echo = echo;
    this.life.listening('udp-echo', echo.port);
    const relayBudgets = new SourceBudgets(budgets);
    const relay = new LossyRelay({
      host: ctx.host,
      port: ctx.port(1),
      upstream: { host: ctx.host, port: echo.port },
      defaults: { lossPercent: 10, reorderPercent: 10 },
      admit: (from) => relayBudgets.take(from) === 'ok',
      onDecision: (d) => this.onRelayDecision(d),
    });
    await relay.listen();
    this.relay = relay;
    this.life.listening('udp-relay', relay.port);
    const sink = new TcpSlowSink(ctx.host);
    await sink.listen();
    this.sink = sink;
    this.life.listening('tcp-compare', sink.port);

    if (this.options.capture !== false) {
      const capture = new CaptureObserver({
        ports: [echo.port, relay.port, sink.port],
        protocols: ['tcp', 'udp'],
        inferStates: false,
        emit: (e) => this.onCaptured(e),
      });
      const outcome = await startReportedCapture(capture, ctx);
      this.capture = outcome.status === 'capturing' ? capture : null;
    }
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      if (!this.echo) return false;
      await Promise.all([this.capture?.stop(), this.relay?.close(), this.sink?.close(), this.echo.close()]);
      this.capture = null;
      this.relay = null;
      this.sink = null;
      this.echo = null;
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.echo || !this.relay) return [];
    const host = this.host;
    return [
      { name: 'echo', protocol: 'udp', host, port: this.echo.port, tryWith: `nc -u ${host} ${this.echo.port}` },
      {
        name: 'lossy relay',
        protocol: 'udp',
        host,
        port: this.relay.port,
        tryWith: `nc -u ${host} ${this.relay.port}`,
      },
    ];
  }

  readonly commands = demoCommands(UDP_COMMANDS, {
    exchange: (args, caller) =>
      this.run(caller.session, (own) => this.exchange(own, args.count, args.size, args.via, args.relay, args.waitMs)),
    compare: (args, caller) => this.run(caller.session, (own) => this.compare(own, args.count, args.size)),
    size: (args, caller) => this.run(caller.session, (own) => this.sendSize(own, args.size)),
    flood: (args, caller) => this.run(caller.session, (own) => this.flood(own, args.count)),
    sockets: (_args, caller) => this.run(caller.session, (own) => this.sockets(own)),
  });

  /**
   * Runs one bounded run for a page and publishes its outcome. Every client socket the run opens is claimed for
   * that page (`own`), so its captured packets and the relay's decisions reach that page only.
   */
  private async run<R extends UdpRunResult>(session: string, body: (own: Claim) => Promise<R>): Promise<R> {
    if (!this.echo) throw new LabError('E_ACTION_FAILED', 'the UDP demo is not running');
    if (this.activeRuns >= MAX_RUNS) throw new LabError('E_DEMO_IN_USE', `${MAX_RUNS} UDP runs are going already`);
    this.activeRuns++;
    const claims = new PageClaims(session);
    const own: Claim = (host, port) => claims.claim(host, port);
    try {
      const result = await body(own);
      const [host, port] = claims.first() ?? [this.host, 0];
      this.life.emit({
        kind: 'udp.runEnd',
        source: result.run === 'sockets' ? 'polled' : 'observed',
        client: endpointName(host, port),
        result,
      });
      return result;
    } finally {
      this.activeRuns--;
      // Kept a little longer: the capture hands over the run's last packets a moment after it ends.
      claims.releaseAfter(CLAIM_LINGER_MS);
    }
  }

  /** Numbered datagrams, direct or through the relay; which echoes came back, and in what order. */
  async exchange(
    own: Claim,
    count: number,
    size: number,
    via: 'direct' | 'relay',
    settings: RelaySettings,
    waitMs: number,
  ): Promise<UdpExchangeResult> {
    const socket = await bindClient(this.host);
    const client = own(this.host, socket.address().port);
    const target = via === 'relay' ? this.relay!.port : this.echo!.port;
    const seed = via === 'relay' ? this.relay!.register(client, settings) : null;
    const decisions = { forwarded: 0, dropped: 0, held: 0 };
    const unsubscribe = this.watchRelay(client, decisions);
    const arrivals: number[] = [];
    let lastArrival: () => void = () => {};
    socket.on('message', (msg) => {
      const seq = Number(/^#(\d+)/.exec(msg.toString('latin1'))?.[1] ?? NaN);
      if (Number.isInteger(seq)) arrivals.push(seq);
      if (arrivals.length === count) lastArrival();
    });
    try {
      for (let seq = 1; seq <= count; seq++) {
        await send(socket, numbered(seq, size), target, this.host);
        // A little gap, so a held datagram can be overtaken by the next one rather than by the timer.
        await delay(2);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        lastArrival = () => {
          clearTimeout(timer);
          resolve();
        };
        if (arrivals.length === count) lastArrival();
      });
    } finally {
      unsubscribe();
      if (via === 'relay') this.relay?.unregister(client);
      socket.close();
    }
    const seen = new Set(arrivals);
    let highest = 0;
    let reordered = 0;
    for (const seq of arrivals) {
      if (seq < highest) reordered++;
      highest = Math.max(highest, seq);
    }
    return {
      run: 'exchange',
      via,
      client,
      sent: count,
      arrivals,
      lost: Array.from({ length: count }, (_, i) => i + 1).filter((s) => !seen.has(s)),
      reordered,
      seed,
      relay: via === 'relay' ? decisions : null,
    };
  }

  /** The same writes over UDP (to the echo server) and over TCP (to a reader that starts late). */
  async compare(own: Claim, count: number, size: number): Promise<UdpCompareResult> {
    const host = this.host;
    const udp = await bindClient(host);
    const udpClient = own(host, udp.address().port);
    const udpReads: number[] = [];
    const untap = this.echo!.tap(udpClient, (bytes) => udpReads.push(bytes));
    const tcp = net.connect(this.sink!.port, host);
    tcp.setNoDelay(true);
    tcp.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('connect', resolve);
        tcp.once('error', reject);
      });
      const tcpClient = own(host, tcp.localPort!);
      await this.sink!.accepted(tcpClient);
      const message = (i: number): Buffer => Buffer.from(numbered(i, size));
      for (let i = 1; i <= count; i++) {
        await send(udp, message(i), this.echo!.port, host);
        await new Promise<void>((resolve) => tcp.write(message(i), () => resolve()));
      }
      await delay(60);
      const tcpReads = await this.sink!.release(tcpClient, count * size, 2000);
      const sinkEnd = endpointName(host, this.sink!.port);
      await this.settleCapture(() => {
        const mine = this.captureLog.filter((n) => n.from === udpClient || (n.from === tcpClient && n.to === sinkEnd));
        const datagrams = mine.filter((n) => n.transport === 'udp').length;
        const tcpBytes = mine.reduce((sum, n) => sum + (n.transport === 'tcp' ? n.len : 0), 0);
        return datagrams >= count && tcpBytes >= count * size;
      });
      return {
        run: 'compare',
        count,
        size,
        udpReads,
        tcpReads,
        udpDatagramsCaptured: this.capture ? this.countCaptured('udp', udpClient, this.echo!.port) : null,
        tcpSegmentsCaptured: this.capture ? this.countCaptured('tcp', tcpClient, this.sink!.port) : null,
        udpClient,
        tcpClient,
      };
    } finally {
      untap();
      udp.close();
      tcp.destroy();
    }
  }

  /** One datagram of `size` bytes: the kernel refuses more than 65,507 over IPv4. */
  async sendSize(own: Claim, size: number): Promise<UdpSizeResult> {
    const socket = await bindClient(this.host);
    own(this.host, socket.address().port);
    try {
      const echoed = new Promise<number>((resolve) => socket.once('message', (m) => resolve(m.length)));
      const err = await sendOrError(socket, new Uint8Array(size), this.echo!.port, this.host);
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const error =
          code === 'EMSGSIZE'
            ? wireError('E_UDP_DATAGRAM_TOO_LARGE', `${size} bytes: ${err.message}`)
            : wireError('E_ACTION_FAILED', err.message);
        return { run: 'size', size, sent: false, echoed: null, error };
      }
      const back = await Promise.race([echoed, delay(1000).then(() => null)]);
      return { run: 'size', size, sent: true, echoed: back };
    } finally {
      socket.close();
    }
  }

  /** One client sends `count` datagrams as fast as it can; the per-source budget answers only some. */
  async flood(own: Claim, count: number): Promise<UdpFloodResult> {
    const socket = await bindClient(this.host);
    const client = own(this.host, socket.address().port);
    let received = 0;
    let dropped = 0;
    let echoes = 0;
    socket.on('message', () => echoes++);
    const untap = this.echo!.tap(client, (_bytes, answered) => {
      received++;
      if (!answered) dropped++;
    });
    try {
      const payload = Buffer.from('flood');
      await Promise.all(Array.from({ length: count }, () => sendOrError(socket, payload, this.echo!.port, this.host)));
      // The last echoes are on their way: wait until the count holds still.
      let last = -1;
      for (let i = 0; i < 20 && last !== echoes + received; i++) {
        last = echoes + received;
        await delay(50);
      }
    } finally {
      untap();
      socket.close();
    }
    return {
      run: 'flood',
      client,
      sent: count,
      receivedByServer: received,
      echoed: echoes,
      droppedByBudget: dropped,
      budget: { ...UDP_BUDGETS.perSource },
    };
  }

  /** A connected and an unconnected UDP client and a TCP connection, as the kernel's tables list them. */
  async sockets(own: Claim): Promise<UdpSocketsResult> {
    const host = this.host;
    const echoPort = this.echo!.port;
    const unconnected = await bindClient(host);
    own(host, unconnected.address().port);
    const connected = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    connected.on('error', () => {});
    await new Promise<void>((resolve) => connected.connect(echoPort, host, () => resolve()));
    own(host, connected.address().port);
    const tcp = net.connect(this.sink!.port, host);
    tcp.on('error', () => {});
    try {
      await new Promise<void>((resolve) => tcp.once('connect', () => resolve()));
      own(host, tcp.localPort!);
      await send(unconnected, Buffer.from('hello'), echoPort, host);
      const rows: KernelRow[] = [];
      let from = '/proc/net/udp, /proc/net/udp6, /proc/net/tcp, /proc/net/tcp6';
      try {
        const [udpRows, tcpRows] = await Promise.all([readUdpSockets(), readTcpSockets()]);
        const echoEnd = endpointName(host, echoPort);
        const sinkEnd = endpointName(host, this.sink!.port);
        const tcpEnd = endpointName(host, tcp.localPort!);
        const wanted: Array<{ role: string; protocol: 'udp' | 'tcp'; local: string; remote?: string }> = [
          { role: 'echo server', protocol: 'udp', local: echoEnd },
          { role: 'unconnected client', protocol: 'udp', local: endpointName(host, unconnected.address().port) },
          { role: 'connected client', protocol: 'udp', local: endpointName(host, connected.address().port) },
          { role: 'TCP listener', protocol: 'tcp', local: sinkEnd, remote: '0.0.0.0:0' },
          { role: 'TCP client', protocol: 'tcp', local: tcpEnd, remote: sinkEnd },
          { role: 'TCP server side', protocol: 'tcp', local: sinkEnd, remote: tcpEnd },
        ];
        for (const w of wanted) {
          const table = w.protocol === 'udp' ? udpRows : tcpRows;
          const row = table.find((r) => r.local === w.local && (w.remote === undefined || r.remote === w.remote));
          if (row) {
            rows.push({
              protocol: w.protocol,
              role: w.role,
              local: row.local,
              remote: row.remote,
              state: row.state,
              inode: row.inode ?? 0,
            });
          }
        }
      } catch (err) {
        from = (err as Error).message;
      }
      return { run: 'sockets', rows, from };
    } finally {
      unconnected.close();
      connected.close();
      tcp.destroy();
    }
  }

  /** Headless scenario: every run once, with a fixed seed for the relay. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const relay = { lossPercent: 20, reorderPercent: 20, seed: 7 };
    const me = 'headless';
    const steps: Array<() => Promise<unknown>> = [
      () => this.run(me, (own) => this.exchange(own, 5, 16, 'direct', relay, 300)),
      () => this.run(me, (own) => this.exchange(own, 20, 16, 'relay', relay, 400)),
      () => this.run(me, (own) => this.compare(own, 10, 32)),
      () => this.run(me, (own) => this.sendSize(own, MAX_UDP_PAYLOAD_IPV4)),
      () => this.run(me, (own) => this.sendSize(own, MAX_UDP_PAYLOAD_IPV4 + 1)),
      () => this.run(me, (own) => this.flood(own, 1000)),
      () => this.run(me, (own) => this.sockets(own)),
    ];
    for (const step of steps) {
      if (signal.aborted) return;
      await step();
    }
    await delay(STATS_INTERVAL_MS + 50);
  }

  /** Counts the relay's decisions for one client while a run goes. */
  private watchRelay(client: string, counts: RelayCounts): () => void {
    this.relayWatchers.set(client, counts);
    return () => this.relayWatchers.delete(client);
  }

  private onRelayDecision(d: RelayDecision): void {
    const counts = this.relayWatchers.get(d.from);
    if (counts) {
      if (d.action === 'drop') counts.dropped++;
      else if (d.action === 'hold') counts.held++;
      else counts.forwarded++;
    }
    if (this.relayEventBudget.take()) this.life.emit({ kind: 'udp.relay', source: 'observed', ...d });
    else this.relaySuppressed++;
  }

  private onCaptured(e: CaptureEventBody): void {
    if (e.kind === 'packet.datagram' || e.kind === 'packet.segment') {
      this.captureLog.push({
        from: e.from,
        to: e.to,
        len: e.len,
        transport: e.kind === 'packet.datagram' ? 'udp' : 'tcp',
      });
      if (this.captureLog.length > CAPTURE_LOG) this.captureLog = this.captureLog.slice(-CAPTURE_LOG / 2);
      if (!this.captureBudget.take()) {
        this.captureSuppressed++;
        return;
      }
    }
    this.life.emit(e);
  }

  private countCaptured(transport: 'udp' | 'tcp', from: string, toPort: number): number {
    const to = endpointName(this.host, toPort);
    return this.captureLog.filter((n) => n.transport === transport && n.from === from && n.to === to && n.len > 0)
      .length;
  }

  /** Waits (at most a few seconds) until the capture has handed over a run's packets: tcpdump is a moment behind. */
  private async settleCapture(done: () => boolean): Promise<void> {
    if (!this.capture) return;
    for (let i = 0; i < SETTLE_TRIES && !done(); i++) await delay(25);
  }

  private publishStats(): void {
    const echo = this.echo;
    if (!echo) return;
    const body = {
      kind: 'udp.stats' as const,
      source: 'observed' as const,
      ...echo.counters,
      sources: echo.sources,
      captureSuppressed: this.captureSuppressed,
      relaySuppressed: this.relaySuppressed,
    };
    const text = JSON.stringify(body);
    if (text === this.lastStats) return;
    this.lastStats = text;
    this.life.emit(body);
  }
}

/** `#7 ......`: the sequence number first, padded to `size` bytes, so the relay and the page can read it back. */
function numbered(seq: number, size: number): Uint8Array {
  const head = `#${seq} `;
  return new TextEncoder().encode(head.padEnd(Math.max(size, head.length), '.').slice(0, Math.max(size, head.length)));
}

function bindClient(host: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  return new Promise((resolve) => socket.bind(0, host, () => resolve(socket)));
}

function sendOrError(socket: dgram.Socket, bytes: Uint8Array, port: number, host: string): Promise<Error | null> {
  return new Promise((resolve) => {
    try {
      socket.send(bytes, port, host, (err) => resolve(err ?? null));
    } catch (err) {
      resolve(err as Error);
    }
  });
}

async function send(socket: dgram.Socket, bytes: Uint8Array, port: number, host: string): Promise<void> {
  const err = await sendOrError(socket, bytes, port, host);
  if (err) throw new LabError('E_ACTION_FAILED', err.message);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
