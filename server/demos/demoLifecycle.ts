// The lifecycle the server demos share: where events go, listeners announced, statistics on a timer, the browsers'
// client connections closed on stop, and demo.started / demo.stopped sent once each.
import type { LabEventBody } from '../../core/protocol/events.js';
import type { DemoContext } from './demo.js';

export interface DemoLifecycleOptions {
  /** How often the demo's statistics go out, the function that sends them, and whether a last batch goes on stop. */
  stats: { intervalMs: number; publish(): void; publishOnStop: boolean };
  /** Client connections browsers opened; closed first when the demo stops. */
  clients?: { closeAll(): void };
}

export class DemoLifecycle {
  /** The address the demo listens on (its context's host). */
  host = '127.0.0.1';
  private emitTo: (body: LabEventBody) => void = () => {};
  private statsTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: DemoLifecycleOptions) {}

  /** Publishes an event of the demo (nothing before begin). */
  readonly emit = (body: LabEventBody): void => this.emitTo(body);

  /** The demo is starting in ctx: its events go to ctx.emit from now on. */
  begin(ctx: DemoContext): void {
    this.host = ctx.host;
    this.emitTo = ctx.emit;
  }

  /** A listener of the demo is up. */
  listening(listener: string, port: number): void {
    this.emit({ kind: 'socket.listen', source: 'observed', listener, local: { host: this.host, port } });
  }

  /** Everything listens: statistics every interval from now on, and demo.started. */
  started(): void {
    const stats = this.options.stats;
    this.statsTimer = setInterval(() => stats.publish(), stats.intervalMs);
    // The timer alone must not keep the lab's process (or a test's) alive.
    (this.statsTimer as { unref?: () => void }).unref?.();
    this.emit({ kind: 'demo.started', source: 'observed' });
  }

  /**
   * Stops the statistics and closes the browsers' clients; then `closeServers` closes what listens and says
   * whether anything was running. If it was: a last batch of statistics (when asked for) and demo.stopped.
   * Safe to call twice: the second time nothing is running.
   */
  async stop(closeServers: () => Promise<boolean>): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.options.clients?.closeAll();
    if (!(await closeServers())) return;
    if (this.options.stats.publishOnStop) this.options.stats.publish();
    this.emit({ kind: 'demo.stopped', source: 'observed' });
  }
}
