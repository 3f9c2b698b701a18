// Samples the kernel's TCP socket table (/proc/net/tcp{,6} on Linux, netstat on macOS) for the lab's ports and publishes state changes as 'polled' events.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { wireError } from '../../../core/protocol/errors.js';
import type { TcpStateEvent } from '../../../core/protocol/events/tcpState.js';
import type { KernelSocket, SocketTableParse } from './kernelSocket.js';
import { wallClockNow } from '../wallClock.js';
import { parseNetstatTcp } from './netstatTcp.js';
import { parseProcNetTcp } from './procNetTcp.js';
import { TcpStateTracker, type TrackedSocketState } from './tcpStateTracker.js';

/** Where samples come from; the tracker does not care which. */
export interface SocketTableSource {
  method: string;
  read(): Promise<SocketTableParse>;
}

export function procNetTcpSource(root = '/proc/net'): SocketTableSource {
  const littleEndian = os.endianness() === 'LE';
  return {
    method: '/proc/net/tcp',
    async read() {
      const [v4, v6] = await Promise.all([
        readFile(`${root}/tcp`, 'utf8'),
        // A kernel without IPv6 has no tcp6 file; that is not an error.
        readFile(`${root}/tcp6`, 'utf8').catch(() => ''),
      ]);
      const a = parseProcNetTcp(v4, { littleEndian });
      const b = parseProcNetTcp(v6, { littleEndian });
      return { sockets: [...a.sockets, ...b.sockets], badLines: [...a.badLines, ...b.badLines] };
    },
  };
}

export function netstatSource(): SocketTableSource {
  return {
    method: 'netstat',
    read: () =>
      new Promise((resolve, reject) => {
        execFile('netstat', ['-anv', '-p', 'tcp'], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
          err ? reject(err) : resolve(parseNetstatTcp(stdout)),
        );
      }),
  };
}

export function defaultSocketTableSource(): SocketTableSource | null {
  if (process.platform === 'linux') return procNetTcpSource();
  if (process.platform === 'darwin' || process.platform.endsWith('bsd')) return netstatSource();
  return null;
}

export interface KernelStateObserverOptions {
  ports: readonly number[];
  /** Which sockets are watched, when the ports alone cannot say (a bridge session's share of a demo port). Replaces the port test. */
  accepts?(socket: KernelSocket): boolean;
  emit(body: TcpStateEvent): void;
  /** Pause between samples. Default: 2 ms with /proc (a read costs microseconds), 50 ms with netstat (a process per sample). */
  intervalMs?: number;
  source?: SocketTableSource | null;
}

export class KernelStateObserver {
  private readonly tracker = new TcpStateTracker();
  private readonly ports: ReadonlySet<number>;
  private readonly source: SocketTableSource | null;
  private intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private samples = 0;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly options: KernelStateObserverOptions) {
    this.ports = new Set(options.ports);
    this.source = options.source === undefined ? defaultSocketTableSource() : options.source;
    this.intervalMs = options.intervalMs ?? (this.source?.method === 'netstat' ? 50 : 2);
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** Takes a first sample and starts polling; false (with a status event saying why) when the table cannot be read. */
  async start(): Promise<boolean> {
    if (this.running) return true;
    const method = this.source?.method ?? 'none';
    if (!this.source) {
      this.status('unavailable', method, `no socket-table reader for ${process.platform}`);
      return false;
    }
    let first: SocketTableParse;
    try {
      first = await this.source.read();
    } catch (err) {
      this.status('unavailable', method, String(err));
      return false;
    }
    this.running = true;
    this.status('polling', method);
    this.apply(first);
    this.schedule();
    return true;
  }

  /** Changes the pace, e.g. fast while a scenario runs and slow while sockets sit in TIME_WAIT. */
  setInterval(ms: number): void {
    const sooner = ms < this.intervalMs;
    this.intervalMs = ms;
    // A pending slow tick would hide the first states of a run that starts now.
    if (sooner && this.running && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.schedule();
    }
  }

  /** Takes one sample now (a scenario step just happened) and resolves when its changes are published. */
  sampleNow(): Promise<void> {
    this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    return this.sampling;
  }

  current(): TrackedSocketState[] {
    return this.tracker.current();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sampling;
    this.status('stopped', this.source?.method ?? 'none');
  }

  private schedule(): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      void this.sampleNow().then(() => {
        // Only the latest schedule continues (setInterval may have replaced this one meanwhile).
        if (this.timer === timer) this.schedule();
      });
    }, this.intervalMs);
    this.timer = timer;
    this.timer.unref();
  }

  private async sample(): Promise<void> {
    this.apply(await this.source!.read());
  }

  private apply(table: SocketTableParse): void {
    const at = wallClockNow();
    const accepts = this.options.accepts;
    const ours = accepts
      ? table.sockets.filter((s) => accepts(s))
      : table.sockets.filter((s) => this.ports.has(s.localPort) || this.ports.has(s.remotePort));
    const diff = this.tracker.update(ours, at);
    this.samples++;
    for (const c of diff.changes) {
      const event: TcpStateEvent = {
        kind: 'tcpState.change',
        source: 'polled',
        socket: c.socket,
        from: c.from,
        to: c.to,
        sampledAt: c.sampledAt,
        sinceMs: c.sinceMs,
      };
      if (c.stayedMs) event.stayedMs = c.stayedMs;
      if (c.timerMs !== undefined) event.timerMs = c.timerMs;
      if (c.firstSample) event.firstSample = true;
      this.options.emit(event);
    }
    for (const m of diff.timeWaitsEnded) {
      const event: TcpStateEvent = {
        kind: 'tcpState.timeWaitEnded',
        source: 'polled',
        socket: m.socket,
        stayedMs: m.stayedMs,
      };
      if (m.timerAtEntryMs !== undefined) event.timerAtEntryMs = m.timerAtEntryMs;
      this.options.emit(event);
    }
  }

  private status(status: 'polling' | 'unavailable' | 'stopped', method: string, detail?: string): void {
    const event: TcpStateEvent = {
      kind: 'tcpState.pollerStatus',
      source: 'observed',
      status,
      method,
      intervalMs: this.intervalMs,
      samples: this.samples,
    };
    if (detail !== undefined) event.error = wireError('E_STATE_POLL_UNAVAILABLE', detail);
    this.options.emit(event);
  }
}
