// The handshake demo of lesson 4: scenarios on real loopback connections (open, close either way, refuse, half-close, leak CLOSE_WAIT, pile up TIME_WAIT), watched by the packet capture and the kernel-state poller.
import net from 'node:net';
import { LabError, wireError } from '../../../core/protocol/errors.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { HandshakeCall } from '../../../core/protocol/events/handshake.js';
import type { PacketSegmentEvent } from '../../../core/protocol/events/packet.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import {
  HANDSHAKE_DEMO,
  HANDSHAKE_SCENARIOS,
  HANDSHAKE_COMMANDS,
  type HandshakeRunArgs,
  type HandshakeCaptureInfo,
  type HandshakeRunResult,
  type HandshakeScenario,
  type HandshakeStatus,
} from '../../../core/protocol/demos/handshake.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { CaptureObserver, type CaptureObserverOptions } from '../../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../../observers/capture/captureProcessor.js';
import { KernelStateObserver } from '../../observers/kernel/kernelStateObserver.js';
import { wallClockNow } from '../../observers/wallClock.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { labErrorOf, mayStart, mayStop, ownerOf, type RunOwner } from '../sharedControl.js';
import { HandshakeServer, type ServerBehaviour } from './handshakeServer.js';
import { summariseRun } from './runSummary.js';
import { freePort } from '../../net/freePort.js';
import { startReportedCapture } from '../reportedCapture.js';

/** Poll fast while a scenario runs (states on loopback last milliseconds), slowly in between (TIME_WAIT lasts 60 s). */
const POLL_DURING_RUN_MS = 2;
const POLL_IDLE_MS = 50;

const BEHAVIOUR: Record<HandshakeScenario, ServerBehaviour> = {
  'client-closes': 'echo',
  'time-wait': 'echo',
  'server-closes': 'closeFirst',
  refused: 'echo',
  'half-close': 'replyAfterEof',
  'close-wait-pileup': 'neverClose',
};

interface ActiveRun {
  run: number;
  scenario: HandshakeScenario;
  clients: string[];
  segments: PacketSegmentEvent[];
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HandshakeDemo implements Demo {
  readonly id = HANDSHAKE_DEMO;
  readonly title = { en: 'Three-way handshake and teardown', zh: '三次握手与四次挥手' };
  readonly portCount = 2;

  private emit: (body: LabEventBody) => void = () => {};
  private server: HandshakeServer | null = null;
  private capture: CaptureObserver | null = null;
  private poller: KernelStateObserver | null = null;
  private captureInfo: HandshakeCaptureInfo = { status: 'unavailable' };
  private polling = false;
  /** Where the lab's clients connect: loopback, even when the lab listens on every interface. */
  private dialHost = '127.0.0.1';
  private host = '127.0.0.1';
  private closedPort = 0;
  private active: ActiveRun | null = null;
  /** The page whose run is going, and the page whose CLOSE_WAIT pile-up left the leaked sockets. */
  private activeOwner: RunOwner | null = null;
  private leakOwner: RunOwner | null = null;
  private runs = 0;
  private stopped = false;
  private readonly clientSockets = new Set<net.Socket>();

  /** `capture` adjusts how tcpdump is run (tests use it to take the no-permission and missing-tcpdump paths). */
  constructor(
    private readonly options: { capture?: Pick<CaptureObserverOptions, 'runAsUser' | 'tcpdump' | 'env'> } = {},
  ) {}

  async start(ctx: DemoContext): Promise<void> {
    this.emit = ctx.emit;
    this.host = ctx.host;
    this.dialHost = ctx.host.includes(':') ? '::1' : '127.0.0.1';
    this.stopped = false;
    const server = new HandshakeServer({
      host: ctx.host,
      port: ctx.port(0),
      onStep: (s) => this.step('server', s.client, s.call, s.bytes, s.detail),
    });
    await server.listen();
    this.server = server;
    this.closedPort = ctx.port(1) || (await freePort(this.dialHost));
    ctx.emit({
      kind: 'socket.listen',
      source: 'observed',
      listener: 'handshake',
      local: { host: ctx.host, port: server.port },
    });

    const ports = [server.port, this.closedPort];
    this.capture = new CaptureObserver({ ...this.options.capture, ports, emit: (e) => this.onCaptureEvent(e) });
    const outcome = await startReportedCapture(this.capture, ctx);
    this.captureInfo = { status: outcome.status };
    if (outcome.error) this.captureInfo.error = outcome.error;
    if (outcome.howToEnable) this.captureInfo.howToEnable = outcome.howToEnable;
    if (outcome.enableCommand) this.captureInfo.enableCommand = outcome.enableCommand;
    if (outcome.status !== 'capturing') this.capture = null;

    this.poller = new KernelStateObserver({ ports, emit: (e) => this.emit(e), intervalMs: POLL_IDLE_MS });
    this.polling = await this.poller.start();
    if (!this.polling) this.poller = null;
    ctx.setCapability?.('kernel TCP states', {
      available: this.polling,
      ...(this.polling
        ? {}
        : { reason: { en: 'no /proc/net/tcp or netstat here', zh: '这里没有 /proc/net/tcp 或 netstat' } }),
    });
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.clientSockets) s.destroy();
    this.clientSockets.clear();
    await Promise.all([this.capture?.stop(), this.poller?.stop(), this.server?.close()]);
    const wasRunning = this.server !== null;
    this.capture = null;
    this.poller = null;
    this.server = null;
    if (wasRunning) this.emit({ kind: 'demo.stopped', source: 'observed' });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const port = this.server.port;
    return [
      { name: 'handshake', protocol: 'tcp', host: this.host, port, tryWith: `nc ${this.dialHost} ${port}` },
      {
        name: 'closed-port',
        protocol: 'tcp',
        host: this.dialHost,
        port: this.closedPort,
        tryWith: `nc ${this.dialHost} ${this.closedPort}   (nobody listens: refused)`,
      },
    ];
  }

  readonly commands = demoCommands(HANDSHAKE_COMMANDS, {
    // A run, and the sockets its pile-up leaked, belong to the page that started it (sharedControl.ts).
    run: (args, caller) => {
      const leaks = args.scenario === 'close-wait-pileup' && this.server?.leakedCount ? this.leakOwner : null;
      const refusal =
        mayStart(this.activeOwner, caller, 'a handshake scenario') ?? mayStart(leaks, caller, 'a CLOSE_WAIT pile-up');
      if (refusal) throw labErrorOf(refusal);
      return this.run(args, caller);
    },
    closeLeaked: (_args, caller) => {
      const refusal =
        this.leakOwner && this.server?.leakedCount ? mayStop(this.leakOwner, caller, 'the leaked connections') : null;
      if (refusal) throw labErrorOf(refusal);
      return { closed: this.closeLeaked() };
    },
    status: () => this.status(),
  });

  /** The page that left: its leaked sockets are closed (nobody is left to press the fix). */
  sessionClosed(session: string): void {
    if (this.leakOwner?.session === session) this.closeLeaked();
  }

  status(): HandshakeStatus {
    return {
      capture: this.captureInfo,
      polling: this.polling,
      ports: { listen: this.server?.port ?? 0, closed: this.closedPort },
      running: this.active?.scenario ?? null,
      leaked: this.server?.leakedCount ?? 0,
    };
  }

  /** The fix for the CLOSE_WAIT pile-up: the server finally closes the sockets whose peers left. */
  closeLeaked(): number {
    return this.server?.closeLeaked() ?? 0;
  }

  /** Runs one scenario to its end and publishes it as a recording (runStart … runEnd). One run at a time. */
  async run(args: HandshakeRunArgs, caller: CommandCaller = { session: 'headless' }): Promise<HandshakeRunResult> {
    const server = this.server;
    if (!server || this.stopped) throw new LabError('E_ACTION_FAILED', 'the handshake demo is not running');
    if (this.active) throw new LabError('E_ACTION_FAILED', `the "${this.active.scenario}" scenario is still running`);
    const run: ActiveRun = { run: ++this.runs, scenario: args.scenario, clients: [], segments: [] };
    this.active = run;
    this.activeOwner = ownerOf(caller);
    if (args.scenario === 'close-wait-pileup') this.leakOwner = this.activeOwner;
    server.behaviour = BEHAVIOUR[args.scenario];
    server.stepDelayMs = args.stepDelayMs;
    this.poller?.setInterval(POLL_DURING_RUN_MS);
    this.emit({
      kind: 'handshake.runStart',
      source: 'observed',
      run: run.run,
      scenario: args.scenario,
      server: endpointName(this.dialHost, server.port),
      closedPort: this.closedPort,
      stepDelayMs: args.stepDelayMs,
      capture: this.captureInfo,
      polling: this.polling,
    });
    let error: LabError | null = null;
    try {
      await this.script(run, args);
      await this.settle(run);
    } catch (err) {
      error = err instanceof LabError ? err : new LabError('E_ACTION_FAILED', String(err));
    } finally {
      server.behaviour = 'echo';
      this.poller?.setInterval(POLL_IDLE_MS);
      this.active = null;
      this.activeOwner = null;
    }
    const clients = new Set(run.clients);
    const serverEnd = endpointName(this.dialHost, server.port);
    const segments = run.segments.filter((s) => clients.has(s.client));
    const summary = summariseRun(segments, this.poller?.current() ?? [], run.clients, serverEnd);
    this.emit({
      kind: 'handshake.runEnd',
      source: 'observed',
      run: run.run,
      scenario: run.scenario,
      clients: run.clients,
      summary,
      ...(error ? { error: error.toWire() } : {}),
    });
    if (error) throw error;
    return { run: run.run, clients: run.clients };
  }

  /** Headless twin: every scenario once, in the lesson's order. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    for (const scenario of HANDSHAKE_SCENARIOS) {
      if (signal.aborted || this.stopped) return;
      await this.run({ scenario, stepDelayMs: 100, clients: 3 });
    }
    this.closeLeaked();
    await delay(100);
  }

  // ------------------------------------------------------------------ scenario scripts (the client's side)

  private async script(run: ActiveRun, args: HandshakeRunArgs): Promise<void> {
    const pause = () => delay(args.stepDelayMs);
    const port = this.server!.port;
    switch (args.scenario) {
      case 'client-closes': {
        const c = await this.dial(run, port);
        await this.exchange(c, 'hello\n');
        await pause();
        await this.closeAndWait(c);
        return;
      }
      case 'time-wait': {
        // Three short connections, each closed by the client first: each leaves one TIME_WAIT socket on the client's side.
        for (let i = 0; i < 3; i++) {
          const c = await this.dial(run, port);
          await this.exchange(c, `request ${i + 1}\n`);
          await pause();
          await this.closeAndWait(c);
        }
        return;
      }
      case 'server-closes': {
        const c = await this.dial(run, port);
        await this.readUntilEof(c);
        // The client sits in CLOSE_WAIT only until its own close: sample it before a late poll timer misses it.
        await this.poller?.sampleNow();
        await pause();
        await this.closeAndWait(c);
        return;
      }
      case 'refused': {
        await this.dial(run, this.closedPort).then(
          (c) => {
            c.socket.destroy();
            throw new LabError('E_ACTION_FAILED', `something is listening on port ${this.closedPort}`);
          },
          (err: unknown) => {
            if (err instanceof LabError) throw err;
          },
        );
        return;
      }
      case 'half-close': {
        const c = await this.dial(run, port);
        c.socket.write('request\n');
        this.step('client', c.client, 'write', 8);
        await pause();
        // CloseWrite: our FIN says "no more requests", while the reply can still flow the other way.
        const reply = this.readUntilEof(c);
        this.step('client', c.client, 'closeWrite');
        c.socket.end();
        await reply;
        this.step('client', c.client, 'close');
        await this.closed(c.socket);
        return;
      }
      case 'close-wait-pileup': {
        for (let i = 0; i < args.clients; i++) {
          const c = await this.dial(run, port);
          c.socket.write('hello\n');
          this.step('client', c.client, 'write', 6);
          await pause();
          // The client closes and leaves (Go's Close); the server sees EOF but never closes its side.
          this.step('client', c.client, 'close');
          c.socket.end();
          c.socket.destroySoon();
        }
        return;
      }
    }
  }

  /** Waits for the capture (and the poller) to have seen the end of every connection of the run. */
  private async settle(run: ActiveRun): Promise<void> {
    const capture = this.capture;
    const serverEnd = endpointName(this.dialHost, this.server?.port ?? 0);
    if (capture) {
      for (const client of run.clients) {
        // The last segment each scenario ends with, as the model reads it.
        const last = (e: CaptureEventBody): boolean => {
          if (e.kind !== 'tcpState.inferred') return false;
          switch (run.scenario) {
            case 'server-closes':
            case 'refused':
              return e.socket.local === client && e.to === 'CLOSED';
            case 'close-wait-pileup':
              return e.socket.local === client && e.to === 'FIN_WAIT2';
            default:
              return e.socket.local === serverEnd && e.socket.remote === client && e.to === 'CLOSED';
          }
        };
        await capture.waitFor(last, 2000);
      }
    }
    await this.poller?.sampleNow();
  }

  // ------------------------------------------------------------------ client sockets, with every call reported

  private step(
    side: 'client' | 'server',
    client: string,
    call: HandshakeCall,
    bytes?: number,
    detail?: string,
    at = wallClockNow(),
  ): void {
    const run = this.active;
    if (!run) return; // connections outside a run (a student's nc) are captured, not narrated
    this.emit({
      kind: 'handshake.step',
      source: 'observed',
      run: run.run,
      side,
      client,
      call,
      ...(bytes !== undefined ? { bytes } : {}),
      ...(detail !== undefined ? { error: wireError('E_ACTION_FAILED', detail) } : {}),
      at,
    });
  }

  private dial(run: ActiveRun, port: number): Promise<{ socket: net.Socket; client: string }> {
    return new Promise((resolve, reject) => {
      // On loopback the kernel may finish the whole handshake inside connect(): date the call from before it.
      const calledAt = wallClockNow();
      const socket = net.connect({ host: this.dialHost, port, allowHalfOpen: true, noDelay: true });
      this.clientSockets.add(socket);
      socket.once('close', () => this.clientSockets.delete(socket));
      let client = '';
      // The local port is known as soon as connect() is issued, before it succeeds or is refused.
      const learn = () => {
        if (client || socket.localPort === undefined) return;
        client = endpointName(this.dialHost, socket.localPort);
        run.clients.push(client);
        this.step('client', client, 'dial', undefined, undefined, calledAt);
      };
      process.nextTick(() => process.nextTick(learn));
      socket.once('connect', () => {
        learn();
        this.step('client', client, 'connected');
        socket.removeListener('error', onError);
        socket.on('error', (err) => this.step('client', client, 'error', undefined, err.message));
        // Sample before the script goes on: on a busy machine the poll timer can fire late enough to miss a short
        // ESTABLISHED altogether, and without capture the polled states are all the student sees.
        const sampled = this.poller?.sampleNow() ?? Promise.resolve();
        void sampled.then(() => resolve({ socket, client }));
      });
      const onError = (err: Error) => {
        learn();
        this.step('client', client, 'error', undefined, err.message);
        reject(err);
      };
      socket.once('error', onError);
    });
  }

  private async exchange(c: { socket: net.Socket; client: string }, text: string): Promise<void> {
    const echoed = new Promise<Buffer>((resolve) => c.socket.once('data', resolve));
    c.socket.write(text);
    this.step('client', c.client, 'write', Buffer.byteLength(text));
    const data = await echoed;
    this.step('client', c.client, 'read', data.length);
  }

  private readUntilEof(c: { socket: net.Socket; client: string }): Promise<void> {
    return new Promise((resolve) => {
      c.socket.on('data', (d: Buffer) => this.step('client', c.client, 'read', d.length));
      c.socket.once('end', () => {
        this.step('client', c.client, 'eof');
        resolve();
      });
      c.socket.once('close', () => resolve());
    });
  }

  private async closeAndWait(c: { socket: net.Socket; client: string }): Promise<void> {
    this.step('client', c.client, 'close');
    const done = this.closed(c.socket);
    c.socket.end();
    // Like Go's Close, stop reading too: whatever the peer still sends is not ours to read.
    c.socket.resume();
    await done;
  }

  private closed(socket: net.Socket): Promise<void> {
    return socket.destroyed ? Promise.resolve() : new Promise((r) => socket.once('close', () => r()));
  }

  private onCaptureEvent(e: CaptureEventBody): void {
    if (this.active && e.kind === 'packet.segment') this.active.segments.push(e);
    this.emit(e);
  }
}
