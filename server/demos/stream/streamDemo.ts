// The stream demo of lesson 2 (sticky packets): a real sender process writes N messages over TCP (or UDP) to a real
// receiver in the lab that reads with a chosen buffer and pauses; every write and read is published as a byte span.
import { summarizeBoundaries } from '../../../core/framing/boundaryAlignment.js';
import { CaptureObserver } from '../../observers/capture/captureObserver.js';
import {
  STREAM_COMMANDS,
  STREAM_DEMO,
  StreamRunArgs,
  type StreamRunResult,
} from '../../../core/protocol/demos/stream.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { ByteSpan, StreamRunSettings } from '../../../core/protocol/events/stream.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { labErrorOf, mayStart, ownerOf, type RunOwner } from '../sharedControl.js';
import { openTcpReceiver, openUdpReceiver } from './streamReceiver.js';
import { StreamSenderLink } from './streamSenderLink.js';

/** Live stream.read / stream.write events per run; the run's end event always carries all spans. */
const LIVE_EVENTS_PER_RUN = 2000;
const MAX_CONCURRENT_RUNS = 3;
const RUN_DEADLINE_MS = 30_000;
/** UDP: how long the receiver waits for stragglers after the sender finished. */
const UDP_QUIET_MS = 300;
/** How long a run's end waits for the capture to deliver the sender's FIN (tcpdump is another process). */
const CAPTURE_LAG_MS = 2500;

type RunResult = StreamRunResult['runs'][number];

export class StreamDemo implements Demo {
  readonly id = STREAM_DEMO;
  readonly title = { en: 'Stream sender and receiver', zh: '字节流发送端与接收端' };
  readonly portCount = 1;

  private readonly sender = new StreamSenderLink();
  private host = '127.0.0.1';
  private emit: (body: LabEventBody) => void = () => {};
  private running = false;
  private nextRun = 1;
  /** Each going run's receiver close, with the page that started the run. */
  private readonly closers = new Map<() => void, RunOwner>();
  /** The pages whose runs are going (one entry per run). */
  private readonly owners: RunOwner[] = [];
  private capture: CaptureObserver | null = null;
  /** Payload segments captured per receiver port (the sender's data towards a run's receiver). */
  private readonly segmentCounts = new Map<number, number>();

  async start(ctx: DemoContext): Promise<void> {
    this.host = ctx.host === '0.0.0.0' ? '127.0.0.1' : ctx.host === '::' ? '::1' : ctx.host;
    this.emit = ctx.emit;
    // The sender listens on loopback only: its peers are the lab's receivers.
    await this.sender.start(this.host, ctx.port(0));
    this.running = true;
    ctx.emit({
      kind: 'socket.listen',
      source: 'observed',
      listener: 'stream-sender',
      local: { host: this.host, port: this.sender.tcpPort },
    });
    // Segments between writes and reads, when the machine lets the lab capture (else a captureStatus says why).
    const senderPort = this.sender.tcpPort;
    const capture = new CaptureObserver({
      ports: [senderPort],
      inferStates: false,
      // libpcap's immediate mode was seen to drop segments of fast bursts on lo (8 of 20 captured where tcpdump's
      // buffered mode and an independent text capture saw all 20); buffered mode costs up to ~1 s of delay.
      immediate: false,
      emit: (e) => {
        if (e.kind === 'packet.segment' && e.len > 0 && portOf(e.from) === senderPort) {
          const receiver = portOf(e.to);
          if (this.segmentCounts.has(receiver)) this.segmentCounts.set(receiver, this.segmentCounts.get(receiver)! + 1);
        }
        ctx.emit(e);
      },
    });
    this.capture = capture;
    await capture.start();
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const close of this.closers.keys()) close();
    this.closers.clear();
    await this.capture?.stop();
    this.capture = null;
    await this.sender.stop();
    this.emit({ kind: 'demo.stopped', source: 'observed' });
  }

  endpoints(): DemoEndpoint[] {
    return this.running ? [{ name: 'sender', protocol: 'tcp', host: this.host, port: this.sender.tcpPort }] : [];
  }

  readonly commands = demoCommands(STREAM_COMMANDS, {
    run: (args, caller) => this.run(args, caller),
  });

  /** The page that started runs left: their receivers close (the runs end with an error nobody waits for). */
  sessionClosed(session: string): void {
    for (const [close, owner] of this.closers) if (owner.session === session) close();
  }

  /**
   * Runs TCP, UDP or both (one after the other, same messages) and resolves with their summaries. Runs belong to the
   * page that started them: another page's going run refuses a new one (sharedControl.ts); one page may overlap its own.
   */
  async run(args: StreamRunArgs, caller: CommandCaller = { session: 'headless' }): Promise<StreamRunResult> {
    if (!this.running) throw new LabError('E_ACTION_FAILED', 'the stream demo is not running');
    const other = this.owners.find((o) => o.session !== caller.session) ?? null;
    const refusal = mayStart(other, caller, 'a stream run');
    if (refusal) throw labErrorOf(refusal);
    if (this.owners.length >= MAX_CONCURRENT_RUNS)
      throw new LabError('E_ACTION_FAILED', 'other runs are in progress; try again in a moment');
    const owner = ownerOf(caller);
    this.owners.push(owner);
    try {
      const transports: ('tcp' | 'udp')[] = args.transport === 'both' ? ['tcp', 'udp'] : [args.transport];
      const runs: RunResult[] = [];
      for (const transport of transports) runs.push(await this.runOne({ ...args, transport }, owner));
      return { runs };
    } finally {
      this.owners.splice(this.owners.indexOf(owner), 1);
    }
  }

  private async runOne(requested: StreamRunSettings, owner: RunOwner): Promise<RunResult> {
    // Node's dgram sockets cannot stop reading, so a UDP receiver takes datagrams as they come (said in runStart).
    const settings = requested.transport === 'udp' ? { ...requested, readDelayMs: 0 } : requested;
    const run = `${settings.transport}-${this.nextRun++}`;
    const started = performance.now();
    const writes: ByteSpan[] = [];
    const reads: ByteSpan[] = [];
    let liveWrites = 0;
    let liveReads = 0;
    const onWrites = (records: { index: number; offset: number; len: number; batch: number; at: number }[]) => {
      for (const w of records) {
        writes.push({ offset: w.offset, len: w.len });
        if (liveWrites++ < LIVE_EVENTS_PER_RUN) this.emit({ kind: 'stream.write', source: 'observed', run, ...w });
      }
    };
    const onRead = (r: { offset: number; len: number; at: number; index?: number }) => {
      reads.push({ offset: r.offset, len: r.len });
      if (liveReads++ < LIVE_EVENTS_PER_RUN) this.emit({ kind: 'stream.read', source: 'observed', run, ...r });
    };

    let lost: number | undefined;
    let error: LabError | undefined;
    let receiverPort = 0;
    if (settings.transport === 'tcp') {
      const receiver = await openTcpReceiver({
        host: this.host,
        port: this.sender.tcpPort,
        readBuffer: settings.readBuffer,
        readDelayMs: settings.readDelayMs,
        onRead,
      });
      this.closers.set(receiver.close, owner);
      receiverPort = receiver.localPort;
      if (this.capture?.running) this.segmentCounts.set(receiverPort, 0);
      this.emit({
        kind: 'stream.runStart',
        source: 'observed',
        run,
        settings,
        sender: { host: this.host, port: this.sender.tcpPort },
        receiver: { host: this.host, port: receiver.localPort },
      });
      const deadline = setTimeout(() => receiver.close(), RUN_DEADLINE_MS);
      try {
        await Promise.all([this.sender.runTcp(run, receiver.localPort, settings, onWrites), receiver.done]);
      } catch (err) {
        receiver.close();
        error =
          err instanceof LabError
            ? err
            : new LabError('E_ACTION_FAILED', String(err instanceof Error ? err.message : err));
      } finally {
        clearTimeout(deadline);
        this.closers.delete(receiver.close);
      }
    } else {
      // Each datagram's offset is its message's place in the sequence, so lost or reordered ones show as such.
      const receiver = await openUdpReceiver({
        host: this.host,
        onRead: (r) => onRead(r.index === undefined ? r : { ...r, offset: r.index * settings.size }),
      });
      this.closers.set(receiver.close, owner);
      this.emit({
        kind: 'stream.runStart',
        source: 'observed',
        run,
        settings,
        sender: { host: this.host, port: 0 },
        receiver: { host: this.host, port: receiver.port },
      });
      try {
        await this.sender.runUdp(run, { host: this.host, port: receiver.port }, settings, onWrites);
        await receiver.settle(settings.count, UDP_QUIET_MS);
        lost = settings.count - receiver.reads.length;
      } catch (err) {
        error = err instanceof LabError ? err : new LabError('E_ACTION_FAILED', String(err));
      } finally {
        receiver.close();
        this.closers.delete(receiver.close);
      }
    }

    let segments: number | undefined;
    if (this.segmentCounts.has(receiverPort)) {
      const senderPort = this.sender.tcpPort;
      await this.capture?.waitFor(
        (e) =>
          e.kind === 'packet.segment' &&
          e.flags.includes('FIN') &&
          portOf(e.from) === senderPort &&
          portOf(e.to) === receiverPort,
        CAPTURE_LAG_MS,
      );
      segments = this.segmentCounts.get(receiverPort);
      this.segmentCounts.delete(receiverPort);
    }
    const sortedReads = [...reads].sort((a, b) => a.offset - b.offset);
    const summary = summarizeBoundaries(writes, sortedReads);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.emit({
      kind: 'stream.runEnd',
      source: 'observed',
      run,
      transport: settings.transport,
      writes,
      reads,
      summary,
      durationMs,
      ...(lost === undefined ? {} : { lost }),
      ...(segments === undefined ? {} : { segments }),
      ...(error ? { error: error.toWire() } : {}),
    });
    if (error) throw error;
    return {
      run,
      transport: settings.transport,
      summary,
      durationMs,
      ...(lost === undefined ? {} : { lost }),
      ...(segments === undefined ? {} : { segments }),
    };
  }

  /**
   * Headless scenario: the same small messages read promptly, then by a slow reader (coalesced), with Nagle on,
   * one big message through a small read buffer (split), and the slow-reader run over UDP (boundaries kept).
   */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const base = StreamRunArgs.parse({});
    const plans: StreamRunArgs[] = [
      { ...base, count: 10, size: 16, intervalMs: 20 },
      { ...base, count: 20, size: 16, readDelayMs: 30 },
      { ...base, count: 50, size: 16, noDelay: false },
      { ...base, count: 2, size: 100_000, readBuffer: 4096 },
      { ...base, transport: 'udp', count: 20, size: 16, readDelayMs: 30 },
    ];
    for (const plan of plans) {
      if (signal.aborted) return;
      await this.run(plan);
    }
  }
}

/** The port of an "address:port" (IPv4 or IPv6) as the capture writes it. */
function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}
