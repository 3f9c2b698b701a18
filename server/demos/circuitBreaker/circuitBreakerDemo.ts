// The circuit-breaker demo of lesson 18: an upstream on loopback behind the lab's fault proxy, which makes it stall
// or go down (and recover) on a script, and two callers calling it through the proxy at the same rate, one directly
// and one through the lab's CircuitBreaker. The breaker's own transitions are published as they happen; both paths'
// figures (waiting callers, latency, fast failures) four times a second.
import { CircuitBreaker } from '../../../core/limits/circuitBreaker.js';
import {
  CIRCUIT_BREAKER_COMMANDS,
  CIRCUIT_BREAKER_DEMO,
  type BreakerRunArgs,
  type UpstreamMode,
} from '../../../core/protocol/demos/circuitBreaker.js';
import type { CallerPath } from '../../../core/protocol/events/circuitBreaker.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { OwnedRun, waitOrAbort } from '../ownedRun.js';
import { labErrorOf, mayChangeShared } from '../sharedControl.js';
import { FaultRuleInput } from '../../../core/protocol/demos/faultProxy.js';
import { FaultProxy } from '../faultProxy/faultProxy.js';
import type { FaultCaller } from '../faultProxy/faultRuleBook.js';
import { CallerPathWindow } from './callerPathWindow.js';
import { callUpstream } from './upstreamCall.js';
import { UPSTREAM_CONNECTION_LIMITS, UpstreamServer } from './upstreamServer.js';

export const STATS_INTERVAL_MS = 250;
/** The demo's own faults on the proxy: they reach every connection from the lab's machine (its callers, nc). */
const FAULT_HOLDER = 'circuit-breaker';
const FAULT_CALLER: FaultCaller = { owns: [], outside: true };
const STALL = FaultRuleInput.parse({ fault: { type: 'stall' }, direction: 'both', conn: 'all' });

/** What a run keeps: its breaker and each path's window, for the stats. */
interface RunParts {
  breaker: CircuitBreaker;
  paths: Record<CallerPath, CallerPathWindow>;
}

export class CircuitBreakerDemo implements Demo {
  readonly id = CIRCUIT_BREAKER_DEMO;
  readonly title = { en: 'Circuit breaker before a failing upstream', zh: '失败上游前的熔断器' };
  readonly portCount = 2;

  private upstream: UpstreamServer | null = null;
  /** The fault proxy in front of the upstream: every call goes through it. */
  private proxy: FaultProxy | null = null;
  private mode: UpstreamMode = 'healthy';
  private readonly run = new OwnedRun<void, RunParts>('a breaker run');
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.publishStats(), publishOnStop: false },
  });

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const upstream = new UpstreamServer({ host: ctx.host, port: ctx.port(0), flag: '--demo-ports' });
    await upstream.listen();
    this.upstream = upstream;
    const proxy = new FaultProxy({
      host: ctx.host,
      port: ctx.port(1),
      flag: '--demo-ports',
      upstream: { host: ctx.host, port: upstream.port },
      // "down" is a real restart: the upstream's listener closes, so the proxy's dial to it is refused.
      upstreamControl: { down: () => upstream.setMode('down'), up: () => upstream.setMode('healthy') },
      // Every connection is the lab's own callers' or an outside client's on this machine.
      ownerOf: () => undefined,
      maxConnections: UPSTREAM_CONNECTION_LIMITS.maxConnections,
    });
    await proxy.listen();
    this.proxy = proxy;
    this.life.listening('upstream', upstream.port);
    this.life.listening('proxy', proxy.port);
    this.publishUpstream();
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      await this.run.abortAndWait();
      const upstream = this.upstream;
      const proxy = this.proxy;
      this.upstream = null;
      this.proxy = null;
      if (!upstream) return false;
      await proxy?.close();
      await upstream.close();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.upstream || !this.proxy) return [];
    const { host } = this.life;
    const [proxy, upstream] = [this.proxy.port, this.upstream.port];
    return [
      { name: 'proxy', protocol: 'tcp', host, port: proxy, tryWith: `nc ${host} ${proxy}` },
      { name: 'upstream', protocol: 'tcp', host, port: upstream, tryWith: `nc ${host} ${upstream}` },
    ];
  }

  readonly commands = demoCommands(CIRCUIT_BREAKER_COMMANDS, {
    // The upstream is one server every page sees: the instructor changes it; a run is its starter's.
    setUpstream: async (args, caller) => {
      const refusal = mayChangeShared(caller, 'the upstream');
      if (refusal) throw labErrorOf(refusal);
      await this.setUpstream(args.mode, args.latencyMs);
      return { mode: args.mode };
    },
    run: (args, caller) => {
      this.run.checkStart(caller);
      void this.runScript(args, caller.session, caller).catch(() => undefined);
      return { started: true as const, runMs: args.runMs };
    },
    stop: (_args, caller) => this.run.stop(caller),
  });

  sessionClosed(session: string): void {
    this.run.sessionClosed(session);
  }

  private requireProxy(): FaultProxy {
    if (!this.upstream || !this.proxy) throw new LabError('E_ACTION_FAILED', 'the upstream server is not running');
    return this.proxy;
  }

  /**
   * What callers meet, through the fault proxy: stalled is the proxy's stall fault (nothing forwarded, connections
   * kept); down is the proxy's upstream switch (a real restart of the upstream); failing is the upstream's own
   * error reply; healthy clears them all.
   */
  async setUpstream(mode: UpstreamMode, latencyMs?: number): Promise<void> {
    const proxy = this.requireProxy();
    const upstream = this.upstream!;
    proxy.clearRules(FAULT_HOLDER);
    if (mode !== 'down') await proxy.setSwitches({ upstream: 'up' });
    if (mode === 'stalled') proxy.addRule(FAULT_HOLDER, FAULT_CALLER, STALL);
    if (mode === 'down') await proxy.setSwitches({ upstream: 'down' });
    else await upstream.setMode(mode === 'failing' ? 'failing' : 'healthy', latencyMs);
    this.mode = mode;
    this.publishUpstream();
  }

  private publishUpstream(): void {
    const u = this.upstream;
    if (!u || !this.proxy) return;
    this.life.emit({
      kind: 'breaker.upstream',
      source: 'observed',
      mode: this.mode,
      latencyMs: u.latencyMs,
      port: this.proxy.port,
    });
  }

  /** A whole run: callers on both paths at the same rate, the upstream's fault and recovery on the script. */
  runScript(args: BreakerRunArgs, session = 'headless', caller?: CommandCaller): Promise<void> {
    const proxy = this.requireProxy();
    const now = () => performance.now();
    const t0 = now();
    const breaker = new CircuitBreaker({
      ...args.breaker,
      clock: now,
      onTransition: (t) =>
        this.life.emit({
          kind: 'breaker.transition',
          source: 'observed',
          from: t.from,
          to: t.to,
          reason: t.reason,
          count: t.count,
        }),
    });
    const paths = { direct: new CallerPathWindow(t0), breaker: new CallerPathWindow(t0) };
    const inFlight = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    const callDirect = () => {
      paths.direct.callStarted();
      track(
        callUpstream(this.life.host, proxy.port, args.callTimeoutMs).then((r) =>
          paths.direct.callEnded(r.outcome === 'ok', r.ms),
        ),
      );
    };
    const callThroughBreaker = () => {
      const started = now();
      const ticket = breaker.allow(started);
      if (ticket === null) return paths.breaker.failedFast(now() - started);
      paths.breaker.callStarted();
      track(
        callUpstream(this.life.host, proxy.port, args.callTimeoutMs).then((r) => {
          breaker.done(ticket, r.outcome === 'ok');
          paths.breaker.callEnded(r.outcome === 'ok', r.ms);
        }),
      );
    };

    return this.run.start(
      caller ?? { session },
      async (signal) => {
        this.life.emit({ kind: 'breaker.runStart', source: 'observed', args });
        const script: [number, UpstreamMode][] = [
          [args.faultAtMs, args.fault],
          [args.recoverAtMs, 'healthy'],
        ];
        const gap = 1000 / args.ratePerSec;
        let calls = 0;
        try {
          while (!signal.aborted) {
            const elapsed = now() - t0;
            if (elapsed >= args.runMs) break;
            while (script.length > 0 && elapsed >= script[0][0]) await this.setUpstream(script.shift()![1]);
            // Calls owed since the start, both paths at once: an open loop, as independent callers would be.
            const owed = Math.floor(elapsed / gap) + 1 - calls;
            for (let i = 0; i < owed; i++) {
              callDirect();
              callThroughBreaker();
              calls++;
            }
            await waitOrAbort(Math.min(gap, 20), signal);
          }
          // Callers still waiting end by their own deadline; then the run's totals.
          await Promise.all(inFlight);
        } finally {
          if (this.mode !== 'healthy') await this.setUpstream('healthy').catch(() => undefined);
          this.publishStats();
          this.life.emit({
            kind: 'breaker.runEnd',
            source: 'observed',
            stoppedEarly: signal.aborted,
            totals: { direct: paths.direct.totals, breaker: paths.breaker.totals },
          });
        }
      },
      { breaker, paths },
    );
  }

  private publishStats(): void {
    const run = this.run.current?.extra;
    if (!run) return;
    const t = performance.now();
    this.life.emit({
      kind: 'breaker.stats',
      source: 'observed',
      windowMs: STATS_INTERVAL_MS,
      state: run.breaker.state(t),
      direct: run.paths.direct.close(t),
      breaker: run.paths.breaker.close(t),
    });
  }

  /** Headless scenario: 20 calls/s per path for 5 s; the upstream stalls from 1 s to 3 s. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    if (signal.aborted) return;
    await this.runScript({
      ratePerSec: 20,
      callTimeoutMs: 1000,
      runMs: 5000,
      fault: 'stalled',
      faultAtMs: 1000,
      recoverAtMs: 3000,
      breaker: { failureThreshold: 5, windowMs: 2000, openMs: 500, halfOpenProbes: 2 },
    });
  }
}
