// Watches a running Go program's sockets as the lab watches its own demos: its listeners and connections found from
// the process's own fds (/proc/PID/fd socket inodes ↔ /proc/net/tcp{,6}), their kernel TCP states polled, and its
// segments captured by tcpdump on the ports it listens on or dials. Everything is published with the event types
// the built-in demos use (socket.*, tcpState.*, packet.*), under the run's demo id. Linux only: elsewhere it says
// so once and the run goes on unwatched.
import { readdir, readlink } from 'node:fs/promises';
import { wireError } from '../../core/protocol/errors.js';
import type { LabEventBody } from '../../core/protocol/events.js';
import type { PacketSegmentEvent } from '../../core/protocol/events/packet.js';
import { CaptureObserver } from '../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../observers/capture/captureProcessor.js';
import {
  KernelStateObserver,
  procNetTcpSource,
  type SocketTableSource,
} from '../observers/kernel/kernelStateObserver.js';
import { ProgramSockets, socketInodes } from './programSockets.js';

export interface GoProgramWatcherOptions {
  emit(body: LabEventBody): void;
  /** Where the kernel's TCP table is read (tests may pass their own). */
  table?: SocketTableSource;
  /** Pause between looks at the program's fds. */
  intervalMs?: number;
  /** False: no tcpdump (states and sockets only). */
  capture?: boolean;
  tcpdump?: string;
  /** tcpdump processes per run (one per port the program listens on or dials). */
  maxCaptures?: number;
  /** Ordinary data segments published a second (SYN, FIN, RST and zero windows always are). */
  segmentsPerSecond?: number;
  /** socket.data events published a second; the rest count in socket.stats as unreported. */
  dataEventsPerSecond?: number;
}

const DEFAULT_INTERVAL_MS = 25;
const DEFAULT_MAX_CAPTURES = 4;
const DEFAULT_SEGMENTS_PER_SECOND = 400;
const DEFAULT_DATA_EVENTS_PER_SECOND = 400;
/** How often changed connection counters are published (socket.stats), as the lab's own servers do. */
const STATS_MS = 250;
/** What tcpdump keeps of each packet: headers and the first bytes of payload a socket.data event shows. */
const SNAP_LENGTH = 400;
/** Captured segments not known as the program's wait this long for a poll to claim them, at most so many. */
const HOLD_MS = 500;
const MAX_HELD = 2000;

export class GoProgramWatcher {
  private readonly sockets = new ProgramSockets();
  private readonly table: SocketTableSource;
  private readonly captures = new Map<number, CaptureObserver>();
  private states: KernelStateObserver | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private running = false;
  private pids: () => readonly number[] = () => [];
  private budget = { second: 0, count: 0, noted: false };
  private dataBudget = { second: 0, count: 0 };
  private statsTimer: NodeJS.Timeout | null = null;
  private held: { e: CaptureEventBody; at: number }[] = [];
  private captureLimitNoted = false;

  constructor(private readonly options: GoProgramWatcherOptions) {
    this.table = options.table ?? procNetTcpSource();
  }

  /** Starts watching the processes `pids` names (read again on every look: a sandboxed program's pid can change). */
  async start(pids: () => readonly number[]): Promise<void> {
    if (this.running) return;
    if (process.platform !== 'linux') {
      this.options.emit({
        kind: 'tcpState.pollerStatus',
        source: 'observed',
        status: 'unavailable',
        method: '/proc/PID/fd',
        intervalMs: 0,
        samples: 0,
        error: wireError('E_STATE_POLL_UNAVAILABLE', `watching a Go program's sockets needs Linux's /proc`),
      });
      return;
    }
    this.running = true;
    this.pids = pids;
    this.states = new KernelStateObserver({
      ports: [],
      accepts: (s) => this.sockets.owns(s),
      emit: (e) => this.options.emit(e),
      intervalMs: 10,
      source: this.table,
    });
    await this.states.start();
    this.statsTimer = setInterval(() => this.publishStats(), STATS_MS);
    this.statsTimer.unref();
    this.schedule();
  }

  private publishStats(): void {
    const conns = this.sockets.stats();
    if (conns.length > 0) this.options.emit({ kind: 'socket.stats', source: 'observed', conns });
  }

  /** One look now (tests, and the end of a run); resolves when its events are published. */
  lookNow(): Promise<void> {
    this.polling = this.polling.then(() => this.look()).catch(() => undefined);
    return this.polling;
  }

  /** Stops polling and capturing; the program's connections still open are reported closed. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    await this.polling;
    await this.states?.stop();
    // tcpdump's last segments arrive after the program's sockets are gone: give them a moment, then stop.
    await Promise.all([...this.captures.values()].map((c) => c.stop()));
    this.captures.clear();
    this.publishStats();
    for (const e of this.sockets.closeAll()) this.options.emit(e);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.lookNow().then(() => this.schedule());
    }, this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  private async look(): Promise<void> {
    if (!this.running) return;
    const links: string[] = [];
    for (const pid of this.pids()) links.push(...(await fdLinks(pid)));
    const inodes = socketInodes(links);
    const table = await this.table.read();
    const mine = table.sockets.filter((s) => s.inode !== undefined && inodes.has(s.inode));
    for (const e of this.sockets.update(mine, Date.now())) this.options.emit(e);
    this.releaseHeld();
    if (this.options.capture !== false) this.captureNewPorts();
  }

  /** A tcpdump per port the program listens on or dials, up to the cap. */
  private captureNewPorts(): void {
    const max = this.options.maxCaptures ?? DEFAULT_MAX_CAPTURES;
    for (const port of [...this.sockets.listeningPorts(), ...this.sockets.dialledPorts()]) {
      if (this.captures.has(port)) continue;
      if (this.captures.size >= max) {
        if (!this.captureLimitNoted) {
          this.captureLimitNoted = true;
          this.options.emit({
            kind: 'demo.note',
            source: 'observed',
            text: {
              en: `The lab captures at most ${max} of the program's ports; port ${port} and later ones are not captured.`,
              zh: `实验室最多捕获该程序的 ${max} 个端口；端口 ${port} 及之后的端口不再捕获。`,
            },
          });
        }
        return;
      }
      const observer = new CaptureObserver({
        ports: [port],
        emit: (e) => this.onCapture(e),
        extraArgs: ['-s', String(SNAP_LENGTH)],
        ...(this.options.tcpdump ? { tcpdump: this.options.tcpdump } : {}),
      });
      this.captures.set(port, observer);
      void observer.start();
    }
  }

  private onCapture(e: CaptureEventBody): void {
    // Only the program's own segments and inferred states: a capture on a port it dials also sees other clients.
    if (e.kind === 'tcpState.inferred' && !this.sockets.ownsSegment(e.socket.local, e.socket.remote)) {
      this.hold(e);
      return;
    }
    if (e.kind !== 'packet.segment') {
      this.options.emit(e);
      return;
    }
    if (!this.sockets.ownsSegment(e.from, e.to)) {
      this.hold(e);
      return;
    }
    const start = e.layout.payloadOffset;
    const end = Math.min(e.layout.capturedEnd, e.hex.length / 2);
    const bytes = e.len > 0 && end > start ? Buffer.from(e.hex.slice(start * 2, end * 2), 'hex') : new Uint8Array(0);
    const socketEvents = this.sockets.segment({
      from: e.from,
      to: e.to,
      flags: e.flags,
      len: e.len,
      bytes,
      at: Date.now(),
    });
    // The connection's open before its first segment, its close after its last.
    for (const s of socketEvents) if (s.kind === 'socket.open') this.options.emit(s);
    if (this.withinBudget(e)) this.options.emit(e);
    for (const s of socketEvents) {
      if (s.kind === 'socket.open') continue;
      if (s.kind === 'socket.data' && !this.dataWithinBudget(e.at)) this.sockets.unreported(s.conn);
      else this.options.emit(s);
    }
  }

  /** Keeps a segment not known as the program's until the next poll (a dial it made since the last one). */
  private hold(e: CaptureEventBody): void {
    this.held.push({ e, at: performance.now() });
    if (this.held.length > MAX_HELD) this.held.shift();
  }

  /** After a poll: segments held that are now the program's go out in order; the rest wait, then are dropped. */
  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    const now = performance.now();
    for (const h of held) {
      const owned =
        h.e.kind === 'packet.segment'
          ? this.sockets.ownsSegment(h.e.from, h.e.to)
          : h.e.kind === 'tcpState.inferred' && this.sockets.ownsSegment(h.e.socket.local, h.e.socket.remote);
      if (owned) this.onCapture(h.e);
      else if (now - h.at < HOLD_MS) this.held.push(h);
    }
  }

  private dataWithinBudget(at: number): boolean {
    const second = Math.floor(at / 1000);
    if (second !== this.dataBudget.second) this.dataBudget = { second, count: 0 };
    return ++this.dataBudget.count <= (this.options.dataEventsPerSecond ?? DEFAULT_DATA_EVENTS_PER_SECOND);
  }

  private withinBudget(e: PacketSegmentEvent): boolean {
    if (e.window === 0 || e.flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST')) return true;
    const second = Math.floor(e.at / 1000);
    if (second !== this.budget.second) this.budget = { second, count: 0, noted: this.budget.noted };
    const limit = this.options.segmentsPerSecond ?? DEFAULT_SEGMENTS_PER_SECOND;
    if (++this.budget.count <= limit) return true;
    if (!this.budget.noted) {
      this.budget.noted = true;
      this.options.emit({
        kind: 'demo.note',
        source: 'observed',
        text: {
          en: `The program sends more than ${limit} data segments a second: the flow graph shows a sample of them (every SYN, FIN and RST).`,
          zh: `该程序每秒发送超过 ${limit} 个数据段：流程图只显示其中一部分（所有 SYN、FIN 和 RST 都会显示）。`,
        },
      });
    }
    return false;
  }
}

/** What each fd of a process points at ("socket:[123]", "/dev/null"…); empty when the process is gone. */
async function fdLinks(pid: number): Promise<string[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links;
}
