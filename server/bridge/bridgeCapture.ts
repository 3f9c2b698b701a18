// Packet capture (tcpdump, 'captured') and kernel states (/proc/net/tcp, 'polled') for one bridge session's sockets,
// published under the session's demo id; started by the session's first socket, stopped when the session closes.
//
// How the capture sees a connection from its first SYN while tcpdump's filter is fixed when it starts:
// - a filter per *port the session needs*, not per connection: its listeners' ports (known when listen() returns,
//   before the browser learns them, so before any of its dials can reach them) and the demo ports it dials (known
//   before connect()). The socket waits until that port's tcpdump says it is listening (20-50 ms, once per port).
// - a demo port is shared with every other session, so its traffic is narrowed in-process to the local ends of this
//   session's dials (registered right after connect() is issued, before the event loop can read tcpdump's pipe).
// Restarting one tcpdump with a wider filter would lose or double the segments of the switch-over and restart its
// relative sequence numbers mid-connection; a second small tcpdump for the new port loses nothing. The number of
// tcpdumps (ports) and of followed connections per session are capped, and the session says when it skips some.
import type { LabEventBody } from '../../core/protocol/events.js';
import { wireError, type WireError } from '../../core/protocol/errors.js';
import { endpointName } from '../../core/protocol/events/tcpState.js';
import {
  CaptureObserver,
  type CaptureObserverOptions,
  type CaptureOutcome,
} from '../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../observers/capture/captureProcessor.js';
import { KernelStateObserver, type SocketTableSource } from '../observers/kernel/kernelStateObserver.js';
import type { ObserverPermits } from './bridgeQuota.js';
import { BridgeCaptureScope, type ScopeVerdict } from './bridgeCaptureScope.js';

/** Connections of one session whose segments and states are published; the rest are counted. */
export const FOLLOWED_CONNS_PER_SESSION = 16;
/** tcpdump processes per session (one per listener or dialled port). */
export const CAPTURES_PER_SESSION = 4;
/**
 * Ordinary data and ACK segments published per second per session: a bulk stream sends thousands, and an event
 * each would cost the stream a third of its speed. SYN, FIN, RST and zero windows are always published.
 */
export const SEGMENTS_PER_SECOND = 400;
/** Headers are enough for the flow graph; the snap length keeps a 50 MB/s stream from being copied through tcpdump. */
const SNAP_LENGTH = 192;
/** Loopback states last milliseconds: poll fast; faster still when the poller is all there is. */
const POLL_MS = 10;
const POLL_WITHOUT_CAPTURE_MS = 4;
/**
 * How long a closed dial stays the session's: its last segments may still be in tcpdump's pipe when its socket
 * closes (a fast round trip closes within a millisecond of its FIN), and they must not count as someone else's.
 */
const DIAL_GRACE_MS = 2000;

export interface BridgeCaptureOptions {
  /** How tcpdump is run (tests take the no-permission and missing-tcpdump paths with these). */
  observer?: Pick<CaptureObserverOptions, 'runAsUser' | 'tcpdump' | 'env'>;
  /** False: neither capture nor poll (the lab was started without observers). Default true. */
  enabled?: boolean;
  maxConns?: number;
  maxCaptures?: number;
  /** Ordinary data segments published a second (SYN, FIN, RST and zero windows always are). */
  segmentsPerSecond?: number;
  /** The lab-wide and per-client counts of tcpdumps and pollers this session's capture claims from. */
  permits?: ObserverPermits;
  /** Where the poller reads the kernel's table: the lab's one shared reader. */
  table?: SocketTableSource;
}

interface Capture {
  observer: CaptureObserver;
  /** Index of the observer, so its connection numbers can be made unique in the session. */
  index: number;
}

export class BridgeCapture {
  private readonly scope: BridgeCaptureScope;
  private readonly segmentsPerSecond: number;
  private readonly covered = new Map<number, Promise<void>>();
  private readonly captures: Capture[] = [];
  private readonly connectionIds = new Map<string, number>();
  private readonly dialsClosing = new Set<NodeJS.Timeout>();
  private poller: KernelStateObserver | null = null;
  private pollerStarting: Promise<void> | null = null;
  /** Set once tcpdump could not start: the session does not try again for every port. */
  private unavailable: CaptureOutcome | null = null;
  private stopped = false;
  private limitNoted = false;
  private portLimitNoted = false;
  private sampledNoted = false;
  private busyNoted = false;
  private claimedCaptures = 0;
  private claimedPoller = false;
  private segmentBucket = { second: -1, count: 0 };
  /** Ordinary segments of followed connections not published because of the budget. */
  sampledOut = 0;

  constructor(
    private readonly emit: (body: LabEventBody) => void,
    private readonly notice: (error: WireError) => void,
    private readonly options: BridgeCaptureOptions = {},
  ) {
    this.scope = new BridgeCaptureScope(options.maxConns ?? FOLLOWED_CONNS_PER_SESSION);
    this.segmentsPerSecond = options.segmentsPerSecond ?? SEGMENTS_PER_SECOND;
  }

  get enabled(): boolean {
    return this.options.enabled !== false;
  }

  /** tcpdump processes running for this session. */
  get captureCount(): number {
    return this.captures.filter((c) => c.observer.running).length;
  }

  get followedCount(): number {
    return this.scope.followedCount;
  }

  get skippedCount(): number {
    return this.scope.skippedCount;
  }

  /**
   * Resolves once segments to or from `port` are captured (or capture cannot be had): call it before the socket
   * that uses the port can send its SYN. Cheap after the first call for a port.
   */
  cover(port: number): Promise<void> {
    if (!this.enabled || this.stopped) return Promise.resolve();
    const known = this.covered.get(port);
    if (known) return known;
    const ready = Promise.all([this.startPoller(), this.startCapture(port)]).then(
      () => undefined,
      // An observer that cannot even be spawned has reported why; the socket goes ahead unwatched.
      () => undefined,
    );
    this.covered.set(port, ready);
    return ready;
  }

  addListener(port: number): void {
    this.scope.addListener(port);
  }

  removeListener(port: number): void {
    this.scope.removeListener(port);
  }

  addDial(localHost: string, localPort: number, remoteHost: string, remotePort: number): void {
    this.scope.addDial(endpointName(localHost, localPort), endpointName(remoteHost, remotePort));
  }

  /** The dial's socket closed: after DIAL_GRACE_MS its ends may belong to someone else. */
  removeDial(localHost: string, localPort: number, remoteHost: string, remotePort: number): void {
    const timer = setTimeout(() => {
      this.dialsClosing.delete(timer);
      this.scope.removeDial(endpointName(localHost, localPort), endpointName(remoteHost, remotePort));
    }, DIAL_GRACE_MS);
    timer.unref();
    this.dialsClosing.add(timer);
  }

  /** Stops every tcpdump and the poller; resolves when they have exited. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.dialsClosing) clearTimeout(timer);
    this.dialsClosing.clear();
    // A start still in flight stops its own observer when it sees `stopped`; wait for those too.
    await Promise.allSettled([...this.covered.values()]);
    await Promise.all([...this.captures.map((c) => c.observer.stop()), this.poller?.stop()]);
    for (; this.claimedCaptures > 0; this.claimedCaptures--) this.options.permits?.release('capture');
    if (this.claimedPoller) this.options.permits?.release('poller');
    this.claimedPoller = false;
  }

  /** Claims a tcpdump or the poller from the lab-wide counts; says once why when refused. */
  private claim(kind: 'capture' | 'poller'): boolean {
    const refusal = this.options.permits?.claim(kind) ?? null;
    if (!refusal) return true;
    if (!this.busyNoted) {
      this.busyNoted = true;
      this.emit({ kind: 'demo.error', source: 'observed', error: refusal });
      this.notice(refusal);
    }
    return false;
  }

  private startPoller(): Promise<void> {
    this.pollerStarting ??= (async () => {
      if (!this.claim('poller')) return;
      this.claimedPoller = true;
      const poller = new KernelStateObserver({
        ports: [],
        accepts: (s) => this.verdict(s.local, s.remote) === 'ours',
        emit: (e) => this.emit(e),
        intervalMs: POLL_MS,
        ...(this.options.table ? { source: this.options.table } : {}),
      });
      if (!(await poller.start())) return;
      if (this.stopped) {
        await poller.stop();
        return;
      }
      this.poller = poller;
      if (this.unavailable) poller.setInterval(POLL_WITHOUT_CAPTURE_MS);
    })();
    return this.pollerStarting;
  }

  private async startCapture(port: number): Promise<void> {
    if (this.unavailable) return;
    if (this.scope.full) return; // nothing more would be published
    const maxCaptures = this.options.maxCaptures ?? CAPTURES_PER_SESSION;
    if (this.captures.length >= maxCaptures) {
      if (!this.portLimitNoted) {
        this.portLimitNoted = true;
        this.limitReached(`port ${port} not captured: ${maxCaptures} ports per run are`);
      }
      return;
    }
    if (!this.claim('capture')) return;
    this.claimedCaptures++;
    const index = this.captures.length;
    const observer = new CaptureObserver({
      ...this.options.observer,
      ports: [port],
      extraArgs: ['-s', String(SNAP_LENGTH)],
      emit: (e) => this.onCaptured(index, e),
    });
    const capture: Capture = { observer, index };
    this.captures.push(capture);
    const outcome = await observer.start();
    if (outcome.status !== 'capturing') {
      this.unavailable = outcome;
      this.poller?.setInterval(POLL_WITHOUT_CAPTURE_MS);
      return;
    }
    if (this.stopped) await observer.stop();
  }

  private verdict(a: string, b: string): ScopeVerdict {
    const v = this.scope.classify(a, b);
    if (v === 'skipped' && !this.limitNoted) {
      this.limitNoted = true;
      this.limitReached(`${this.scope.maxConns} connections per run are followed`);
    }
    return v;
  }

  private limitReached(detail: string): void {
    const error = wireError('E_BRIDGE_CAPTURE_LIMIT', detail);
    this.emit({ kind: 'demo.error', source: 'observed', error });
    this.notice(error);
  }

  private onCaptured(index: number, e: CaptureEventBody): void {
    switch (e.kind) {
      case 'packet.segment':
        if (this.verdict(e.from, e.to) !== 'ours') return;
        if (!this.withinBudget(e.flags, e.window, e.at)) return;
        this.emit({ ...e, connection: this.connectionId(index, e.connection) });
        return;
      case 'tcpState.inferred':
        if (this.verdict(e.socket.local, e.socket.remote) !== 'ours') return;
        this.emit(e.connection === undefined ? e : { ...e, connection: this.connectionId(index, e.connection) });
        return;
      case 'tcpState.change':
      case 'tcpState.timeWaitEnded':
        if (this.verdict(e.socket.local, e.socket.remote) !== 'ours') return;
        this.emit(e);
        return;
      default:
        this.emit(e);
    }
  }

  private withinBudget(flags: readonly string[], window: number, at: number): boolean {
    if (window === 0 || flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST')) return true;
    const second = Math.floor(at / 1000);
    const bucket = this.segmentBucket;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.count = 0;
    }
    if (++bucket.count <= this.segmentsPerSecond) return true;
    this.sampledOut++;
    if (!this.sampledNoted) {
      this.sampledNoted = true;
      const error = wireError('E_BRIDGE_CAPTURE_SAMPLED', `at most ${this.segmentsPerSecond} data segments a second`);
      this.emit({ kind: 'demo.error', source: 'observed', error });
      this.notice(error);
    }
    return false;
  }

  /** Each tcpdump numbers its connections from 1; the session's views need one numbering. */
  private connectionId(index: number, connection: number): number {
    const key = `${index}:${connection}`;
    let id = this.connectionIds.get(key);
    if (id === undefined) {
      id = this.connectionIds.size + 1;
      this.connectionIds.set(key, id);
    }
    return id;
  }
}
