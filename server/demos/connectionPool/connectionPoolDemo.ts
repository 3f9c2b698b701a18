// The connection-pool demo of lesson 19: the lab's line server behind the fault proxy, and runs of N callers making
// request after request through the proxy for a few seconds, dialling per request or through the lab's
// ConnectionPool. Requests are measured by the callers, dials by the pool, and handshakes by a packet capture of the
// opening SYNs (so the page shows both counts and whether they agree). A run may have the proxy reset the pool's idle
// connections (a real RST each) to show the health check discarding them, or, without it, requests failing on them.
import { setTimeout as wait } from 'node:timers/promises';
import { ConnectionPool, type PoolSettings } from '../../../core/pool/connectionPool.js';
import {
  CONNECTION_POOL_COMMANDS,
  CONNECTION_POOL_DEMO,
  PoolRunArgs,
  type PoolMode,
} from '../../../core/protocol/demos/connectionPool.js';
import { FaultRuleInput } from '../../../core/protocol/demos/faultProxy.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { PoolCaptureInfo, PoolRunTotals } from '../../../core/protocol/events/connectionPool.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { CaptureObserver, type CaptureObserverOptions } from '../../observers/capture/captureObserver.js';
import { CallerPathWindow } from '../circuitBreaker/callerPathWindow.js';
import { UPSTREAM_CONNECTION_LIMITS, UpstreamServer } from '../circuitBreaker/upstreamServer.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { FaultProxy } from '../faultProxy/faultProxy.js';
import type { FaultCaller } from '../faultProxy/faultRuleBook.js';
import { labErrorOf, mayStart, mayStop, type RunOwner } from '../sharedControl.js';
import { SYN_CAPTURE_ARGS, openingSynPort } from './handshakeCount.js';
import { LineConn } from './lineConn.js';

export const STATS_INTERVAL_MS = 250;
/** The demo's own faults on the proxy, reaching the connections of its callers (the lab's own). */
const FAULT_HOLDER = 'connection-pool';
const FAULT_CALLER: FaultCaller = { owns: [], outside: true };
/** After the proxy's RSTs, a moment for them to reach the callers' sockets before the callers go on. */
const RESET_LANDING_MS = 50;
/** At most this long for the capture to hand over a run's last SYNs (tcpdump is a separate process). */
const CAPTURE_SETTLE_MS = 3000;

export interface ConnectionPoolDemoOptions {
  /** How tcpdump is run (tests take the no-permission path with runAsUser); false: no capture at all. */
  capture?: Pick<CaptureObserverOptions, 'runAsUser' | 'tcpdump' | 'env'> | false;
}

interface Run {
  abort: AbortController;
  done: Promise<PoolRunTotals>;
  session: string;
  owner: RunOwner;
  mode: PoolMode;
  t0: number;
  pool: ConnectionPool<LineConn>;
  window: CallerPathWindow;
  /** When the last statistics tick was, the pool's dials then, and captured SYNs to the proxy since. */
  tickAt: number;
  dialsAtTick: number;
  synsInWindow: number;
  capturing: boolean;
}

export class ConnectionPoolDemo implements Demo {
  readonly id = CONNECTION_POOL_DEMO;
  readonly title = { en: 'Connection pool before a line server', zh: '行协议服务器前的连接池' };
  readonly portCount = 2;

  private server: UpstreamServer | null = null;
  private proxy: FaultProxy | null = null;
  /** The proxy's connection id by its client's port (the callers' local ports), to reset exactly the idle ones. */
  private readonly proxyConnByPort = new Map<number, string>();
  private run: Run | null = null;
  // A run ticks its own statistics windows, aligned to its start (so the first window is a whole one, not a sliver).
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => undefined, publishOnStop: false },
  });

  constructor(private readonly options: ConnectionPoolDemoOptions = {}) {}

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new UpstreamServer({ host: ctx.host, port: ctx.port(0), flag: '--demo-ports' });
    await server.listen();
    await server.setMode('healthy', 0);
    this.server = server;
    const proxy = new FaultProxy({
      host: ctx.host,
      port: ctx.port(1),
      flag: '--demo-ports',
      upstream: { host: ctx.host, port: server.port },
      emit: (e) => this.onProxyEvent(e),
      ownerOf: () => undefined,
      maxConnections: UPSTREAM_CONNECTION_LIMITS.maxConnections,
    });
    await proxy.listen();
    this.proxy = proxy;
    this.life.listening('server', server.port);
    this.life.listening('proxy', proxy.port);
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      this.run?.abort.abort();
      await this.run?.done.catch(() => undefined);
      const { server, proxy } = this;
      this.server = null;
      this.proxy = null;
      if (!server) return false;
      await proxy?.close();
      await server.close();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server || !this.proxy) return [];
    const { host } = this.life;
    const [proxy, server] = [this.proxy.port, this.server.port];
    return [
      { name: 'proxy', protocol: 'tcp', host, port: proxy, tryWith: `nc ${host} ${proxy}` },
      { name: 'server', protocol: 'tcp', host, port: server, tryWith: `nc ${host} ${server}` },
    ];
  }

  readonly commands = demoCommands(CONNECTION_POOL_COMMANDS, {
    run: (args, caller) => {
      const refusal = mayStart(this.run?.owner ?? null, caller, 'a pool run');
      if (refusal) throw labErrorOf(refusal);
      void this.runCallers(args, caller.session, caller).catch(() => undefined);
      return { started: true as const, runMs: args.runMs };
    },
    stop: async (_args, caller) => {
      const run = this.run;
      if (!run) return { stopped: false };
      const refusal = mayStop(run.owner, caller, 'the pool run');
      if (refusal) throw labErrorOf(refusal);
      run.abort.abort();
      await run.done.catch(() => undefined);
      return { stopped: true };
    },
  });

  /** The page that started a run left: the run stops (its pool and sockets close). */
  sessionClosed(session: string): void {
    if (this.run?.session === session) this.run.abort.abort();
  }

  /** The proxy's connection events are used, not forwarded (a dial-per-request run opens thousands); faults are. */
  private onProxyEvent(e: LabEventBody): void {
    if (e.kind === 'socket.open' && e.side === 'server') this.proxyConnByPort.set(e.remote.port, e.conn);
    else if (e.kind === 'socket.close') {
      for (const [port, conn] of this.proxyConnByPort) if (conn === e.conn) this.proxyConnByPort.delete(port);
    } else if (e.kind.startsWith('fault.')) this.life.emit(e);
  }

  /**
   * A run: `callers` callers, each making one request after another through the proxy for runMs. Resolves with
   * the totals once the capture has caught up (or could not). One run at a time.
   */
  runCallers(input: PoolRunArgs, session = 'headless', caller?: CommandCaller): Promise<PoolRunTotals> {
    const args = PoolRunArgs.parse(input);
    const { server, proxy } = this;
    if (!server || !proxy) throw new LabError('E_ACTION_FAILED', 'the pool demo is not running');
    if (this.run) throw new LabError('E_DEMO_IN_USE', 'a pool run is already going');
    const abort = new AbortController();
    const host = this.life.host;
    // Dial per request is a pool that keeps nothing idle: every request dials, and closes when it is done.
    const settings: PoolSettings =
      args.mode === 'dial'
        ? {
            maxOpen: args.callers,
            maxIdle: 0,
            idleTimeoutMs: 0,
            maxWaiting: args.callers,
            waitTimeoutMs: args.pool.waitTimeoutMs,
            healthCheck: false,
          }
        : { ...args.pool, maxWaiting: args.callers };
    const pool = new ConnectionPool<LineConn>(settings, {
      dial: () => LineConn.dial(host, proxy.port, args.requestTimeoutMs),
      close: (c) => c.close(),
      healthy: (c) => c.healthy(),
      clock: () => performance.now(),
      setTimer: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      },
    });
    const t0 = performance.now();
    const setup: Omit<Run, 'done'> = {
      abort,
      session,
      owner: { session, local: caller?.local },
      mode: args.mode,
      t0,
      pool,
      window: new CallerPathWindow(t0),
      tickAt: t0,
      dialsAtTick: 0,
      synsInWindow: 0,
      capturing: false,
    };
    // The same object the run mutates (its window, its clock) is the one the statistics tick reads.
    const run: Run = Object.assign(setup, {
      done: this.carryOut(setup, args, proxy.port, server.port).finally(() => {
        pool.close();
        if (this.run === run) this.run = null;
      }),
    });
    this.run = run;
    return run.done;
  }

  private async carryOut(
    run: Omit<Run, 'done'>,
    args: PoolRunArgs,
    proxyPort: number,
    serverPort: number,
  ): Promise<PoolRunTotals> {
    const syns = { toProxy: 0, toServer: 0 };
    const { capture, info } = await this.startCapture([proxyPort, serverPort], (port) => {
      if (port === proxyPort) {
        syns.toProxy++;
        run.synsInWindow++;
      } else if (port === serverPort) syns.toServer++;
    });
    run.capturing = capture !== null;
    this.life.emit({
      kind: 'pool.runStart',
      source: 'observed',
      args,
      capture: info,
      proxyPort,
      serverPort,
    });
    // The clock of the run starts once the capture listens.
    run.t0 = performance.now();
    run.window = new CallerPathWindow(run.t0);
    run.tickAt = run.t0;
    const ticker = setInterval(() => this.publishStats(), STATS_INTERVAL_MS);
    const { pool, abort } = run;
    let failedOnDeadConn = 0;
    let paused: Promise<void> | null = null;
    const endAt = run.t0 + args.runMs;

    const caller = async () => {
      while (!abort.signal.aborted && performance.now() < endAt) {
        if (paused) {
          await paused;
          continue;
        }
        const started = performance.now();
        run.window.callStarted();
        let lease;
        try {
          lease = await pool.acquire();
        } catch {
          run.window.callEnded(false, performance.now() - started);
          continue;
        }
        const wasDead = !lease.conn.healthy();
        const ok = await lease.conn.request(args.requestTimeoutMs);
        pool.release(lease.conn, !ok);
        if (!ok && wasDead) failedOnDeadConn++;
        run.window.callEnded(ok, performance.now() - started);
      }
    };

    const resets = async () => {
      for (const at of [...args.resetIdleAtMs].sort((a, b) => a - b)) {
        const quietAt = run.t0 + Math.max(0, at - args.quietBeforeResetMs);
        await sleep(quietAt - performance.now(), abort.signal);
        if (abort.signal.aborted) return;
        let resume!: () => void;
        paused = new Promise((r) => (resume = r));
        await sleep(run.t0 + at - performance.now(), abort.signal);
        const n = this.resetIdle(pool);
        this.life.emit({ kind: 'pool.reset', source: 'observed', atMs: performance.now() - run.t0, connections: n });
        await sleep(RESET_LANDING_MS, abort.signal);
        paused = null;
        resume();
      }
    };

    let durationMs: number;
    try {
      await Promise.all([...Array.from({ length: args.callers }, caller), resets()]);
      durationMs = performance.now() - run.t0;
      clearInterval(ticker);
      // The last window, unless it is a sliver (a few requests over a few ms would draw as a spike).
      if (performance.now() - run.tickAt >= STATS_INTERVAL_MS / 2) this.publishStats();
      // The capture is a moment behind the sockets: wait (bounded) until it has seen every dial, and the proxy's
      // dial to the server behind each (that SYN follows the caller's).
      const until = performance.now() + CAPTURE_SETTLE_MS;
      const behind = () => syns.toProxy < pool.counters.dials || syns.toServer < syns.toProxy;
      while (capture && behind() && performance.now() < until) await sleep(25);
    } finally {
      clearInterval(ticker);
      await capture?.stop();
    }
    const totals: PoolRunTotals = {
      ok: run.window.totals.ok,
      failed: run.window.totals.failed,
      failedOnDeadConn,
      counters: { ...pool.counters },
      capturedHandshakes: capture ? { ...syns } : null,
      requestsPerSec: (run.window.totals.ok * 1000) / Math.max(1, durationMs),
    };
    this.life.emit({
      kind: 'pool.runEnd',
      source: 'observed',
      mode: run.mode,
      stoppedEarly: abort.signal.aborted,
      durationMs,
      totals,
    });
    return totals;
  }

  /** Has the proxy reset every idle connection of the pool now (one reset rule per connection, then cleared). */
  private resetIdle(pool: ConnectionPool<LineConn>): number {
    const proxy = this.proxy;
    if (!proxy) return 0;
    let n = 0;
    for (const c of pool.idleConnections()) {
      const conn = this.proxyConnByPort.get(c.localPort);
      if (!conn) continue;
      const rule = FaultRuleInput.parse({ fault: { type: 'reset_peer', afterMs: 0 }, direction: 'down', conn });
      // afterMs 0: the proxy resets both legs as the rule is set; the rule is then cleared, it has done its job.
      proxy.addRule(FAULT_HOLDER, FAULT_CALLER, rule);
      proxy.clearRules(FAULT_HOLDER);
      n++;
    }
    return n;
  }

  private async startCapture(
    ports: number[],
    onSyn: (port: number) => void,
  ): Promise<{ capture: CaptureObserver | null; info: PoolCaptureInfo }> {
    if (this.options.capture === false) {
      return { capture: null, info: { capturing: false } };
    }
    const capture = new CaptureObserver({
      ...this.options.capture,
      ports,
      extraArgs: SYN_CAPTURE_ARGS,
      inferStates: false,
      emit: (e) => {
        const port = openingSynPort(e);
        if (port !== null) onSyn(port);
      },
    });
    const outcome = await capture.start();
    const info: PoolCaptureInfo = { capturing: outcome.status === 'capturing' };
    if (outcome.error) info.error = outcome.error;
    if (outcome.enableCommand) info.enableCommand = outcome.enableCommand;
    return { capture: info.capturing ? capture : null, info };
  }

  private publishStats(): void {
    const run = this.run;
    if (!run) return;
    const t = performance.now();
    const windowMs = Math.max(1, t - run.tickAt);
    const w = run.window.close(t);
    const dials = run.pool.counters.dials;
    const perSec = (n: number) => (n * 1000) / windowMs;
    this.life.emit({
      kind: 'pool.stats',
      source: 'observed',
      mode: run.mode,
      atMs: t - run.t0,
      windowMs,
      okPerSec: w.okPerSec,
      failedPerSec: w.failedPerSec,
      dialsPerSec: perSec(dials - run.dialsAtTick),
      handshakesPerSec: run.capturing ? perSec(run.synsInWindow) : null,
      p50Ms: w.p50Ms,
      ...run.pool.gauges(),
    });
    run.tickAt = t;
    run.dialsAtTick = dials;
    run.synsInWindow = 0;
  }

  /** Headless scenario: 8 callers for 2 s dialling per request, then 2 s through the pool with one idle reset. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    for (const mode of ['dial', 'pool'] as const) {
      if (signal.aborted) return;
      await this.runCallers(
        PoolRunArgs.parse({ mode, callers: 8, runMs: 2000, resetIdleAtMs: mode === 'pool' ? [1000] : [] }),
      );
    }
  }
}

/** Waits ms (nothing when ms ≤ 0), or less if the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return wait(ms, undefined, { signal }).catch(() => undefined);
}
