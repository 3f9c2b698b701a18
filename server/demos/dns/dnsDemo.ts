// The DNS demo of lesson 28: the lab's authoritative server for lab.test on loopback (UDP and TCP), the lab's stub
// resolver with its TTL cache, the lesson's Go program run against the server, and the capture's packets decoded.
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RateBudget } from '../../../core/budget/rateBudget.js';
import { hexOf } from '../../../core/dns/dnsMessage.js';
import { LabError, wireError, type WireError } from '../../../core/protocol/errors.js';
import {
  DNS_COMMANDS,
  DNS_DEMO,
  SCENARIO_NAMES,
  type DnsFloodResult,
  type DnsGoResult,
  type DnsMalformedResult,
  type DnsRunResult,
  type DnsZoneResult,
} from '../../../core/protocol/demos/dns.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { turnNow } from '../../events/turnClock.js';
import { CaptureObserver } from '../../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../../observers/capture/captureProcessor.js';
import { PageClaims } from '../../net/connectionOwners.js';
import { GoRunner } from '../../gorun/goRunner.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { labErrorOf, mayChangeShared } from '../sharedControl.js';
import type { SourceBudgetOptions } from '../udp/sourceBudgets.js';
import { dnsPacketsOf } from './dnsCapture.js';
import { DnsServer, type ServedEvent } from './dnsServer.js';
import { parseGoLookups } from './goLookupOutput.js';
import { LabResolver } from './labResolver.js';
import { LabZone } from './labZone.js';
import { craftedQuery } from './craftedQueries.js';
import { startReportedCapture } from '../reportedCapture.js';

const LESSON_GO = fileURLToPath(new URL('../../../lessons/28-dns/main.go', import.meta.url));

/** One source may ask 100 queries a second (bursts of 50); all sources together 2,000 (bursts of 400). */
export const DNS_BUDGETS: Omit<SourceBudgetOptions, 'clock'> = {
  perSource: { perSecond: 100, burst: 50 },
  total: { perSecond: 2000, burst: 400 },
  maxSources: 1024,
};
/** Decoded packets and served queries forwarded to pages a second: a flood is counted, not drawn query by query. */
const EVENTS_PER_SECOND = 300;
const EVENTS_BURST = 600;
/** Runs at once, over all pages. */
const MAX_RUNS = 8;
/** Pages whose resolver (and cache) the demo keeps; the least recently used is forgotten first. */
const MAX_RESOLVERS = 256;
const CLAIM_LINGER_MS = 3000;
const MAX_GO_OUTPUT = 16 * 1024;

export interface DnsDemoOptions {
  /** Turn the capture off (tests of the demo without tcpdump). */
  capture?: boolean;
  /** Run tcpdump as this user (a test of the unprivileged fallback: 'nobody' may not capture). */
  captureAsUser?: string;
  /** The Go runner (tests give one with a missing `go`). */
  runner?: GoRunner;
  /** Budgets of the server (the benchmark lifts them). */
  budgets?: Omit<SourceBudgetOptions, 'clock'>;
}

type Claim = (port: number) => string;

export class DnsDemo implements Demo {
  readonly id = DNS_DEMO;
  readonly title = { en: 'DNS server (lab.test)', zh: 'DNS 服务器（lab.test）' };
  readonly portCount = 1;

  private server: DnsServer | null = null;
  private capture: CaptureObserver | null = null;
  private readonly zone = new LabZone();
  private readonly resolvers = new Map<string, LabResolver>();
  private readonly runner: GoRunner;
  private readonly eventBudget = new RateBudget({ perSecond: EVENTS_PER_SECOND, burst: EVENTS_BURST, clock: turnNow });
  private suppressed = 0;
  private activeRuns = 0;
  /** No periodic statistics: each query's dns.served event is the server's account, and floods are counted apart. */
  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });

  constructor(private readonly options: DnsDemoOptions = {}) {
    this.runner = options.runner ?? new GoRunner({ maxRuns: 2, sampleGoroutines: false });
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new DnsServer({
      host: ctx.host,
      port: ctx.port(0),
      zone: this.zone,
      budgets: { ...(this.options.budgets ?? DNS_BUDGETS), clock: turnNow },
      onServed: (e) => this.emitBudgeted(e),
      onFlooded: (from, dropped) => this.life.emit({ kind: 'dns.flooded', source: 'observed', from, dropped }),
    });
    await server.listen();
    this.server = server;
    this.life.listening('dns', server.port);
    if (this.options.capture !== false) {
      const capture = new CaptureObserver({
        ports: [server.port],
        protocols: ['tcp', 'udp'],
        inferStates: false,
        ...(this.options.captureAsUser ? { runAsUser: this.options.captureAsUser } : {}),
        emit: (e) => this.onCaptured(e),
      });
      const outcome = await startReportedCapture(capture, ctx);
      this.capture = outcome.status === 'capturing' ? capture : null;
    }
    this.emitZone();
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      if (!this.server) return false;
      await Promise.all([this.capture?.stop(), this.server.close(), this.runner.stopAll()]);
      this.capture = null;
      this.server = null;
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const host = this.life.host;
    const port = this.server.port;
    return [
      { name: 'dns udp', protocol: 'udp', host, port, tryWith: `dig @${host} -p ${port} ${SCENARIO_NAMES.ok}` },
      {
        name: 'dns tcp',
        protocol: 'tcp',
        host,
        port,
        tryWith: `dig +tcp @${host} -p ${port} ${SCENARIO_NAMES.truncated}`,
      },
    ];
  }

  sessionClosed(session: string): void {
    this.resolvers.delete(session);
  }

  readonly commands = demoCommands(DNS_COMMANDS, {
    resolve: (args, caller) => this.run(caller, (own) => this.resolverFor(caller.session).resolve(args, own)),
    go: (args, caller) => this.runGo(caller, args.names),
    zone: () => this.zoneResult(),
    setRecord: async (args, caller) => {
      this.mayChange(caller, 'the zone');
      this.zone.set(args.name, args.type, args.values, args.ttl);
      this.emitZone();
      return this.zoneResult();
    },
    resetZone: async (_args, caller) => {
      this.mayChange(caller, 'the zone');
      this.zone.reset();
      this.emitZone();
      return this.zoneResult();
    },
    flood: (args, caller) => this.run(caller, (own) => this.flood(own, args.count)),
    malformed: (args, caller) => this.run(caller, (own) => this.malformed(own, args.kind)),
  });

  /** Headless scenario: every scenario name through the lab's resolver, a record change, the cache, and the Go run. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const me: CommandCaller = { session: 'headless' };
    const steps: Array<() => unknown> = [
      ...Object.values(SCENARIO_NAMES).map(
        (name) => () => this.commands.resolve.run({ name, type: 'A', cache: true, timeoutMs: 800 }, me),
      ),
      () => this.commands.setRecord.run({ name: SCENARIO_NAMES.ok, type: 'A', values: ['10.0.0.8'], ttl: 5 }, me),
      () => this.commands.resolve.run({ name: SCENARIO_NAMES.ok, type: 'A', cache: true, timeoutMs: 800 }, me),
      () => this.commands.resolve.run({ name: SCENARIO_NAMES.ok, type: 'A', cache: false, timeoutMs: 800 }, me),
      () => this.commands.malformed.run({ kind: 'pointerLoop' }, me),
      () => this.commands.flood.run({ count: 500 }, me),
      () => this.commands.go.run({ names: [] }, me),
      () => this.commands.resetZone.run({}, me),
    ];
    for (const step of steps) {
      if (signal.aborted) return;
      await step();
    }
  }

  private mayChange(caller: CommandCaller, what: string): void {
    const refusal = mayChangeShared(caller, what);
    if (refusal) throw labErrorOf(refusal);
  }

  private resolverFor(session: string): LabResolver {
    let r = this.resolvers.get(session);
    if (r) this.resolvers.delete(session);
    else {
      r = new LabResolver({ host: this.life.host, port: this.port });
      if (this.resolvers.size >= MAX_RESOLVERS) {
        const oldest = this.resolvers.keys().next().value;
        if (oldest !== undefined) this.resolvers.delete(oldest);
      }
    }
    this.resolvers.set(session, r);
    return r;
  }

  /** One bounded run for a page: its client sockets are claimed for it, so their packets reach that page only. */
  private async run<R extends DnsRunResult>(caller: CommandCaller, body: (own: Claim) => Promise<R>): Promise<R> {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the DNS demo is not running');
    if (this.activeRuns >= MAX_RUNS) throw new LabError('E_DEMO_IN_USE', `${MAX_RUNS} DNS runs are going already`);
    this.activeRuns++;
    const host = this.life.host;
    const claims = new PageClaims(caller.session);
    const own: Claim = (port) => claims.claim(host, port);
    try {
      const result = await body(own);
      this.life.emit({
        kind: 'dns.runEnd',
        source: 'observed',
        client: endpointName(host, claims.first()?.[1] ?? 0),
        result,
      });
      return result;
    } finally {
      this.activeRuns--;
      claims.releaseAfter(CLAIM_LINGER_MS);
    }
  }

  /** Runs lessons/28-dns/main.go against the lab's server with the lab's Go runner, and reads what it printed. */
  private async runGo(caller: CommandCaller, names: string[]): Promise<DnsGoResult> {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the DNS demo is not running');
    if (caller.local === false) throw new LabError('E_GO_STUDENT_NOT_ALLOWED');
    const base = { run: 'go' as const, lookups: [], output: '', exitCode: null };
    let goVersion: string;
    try {
      goVersion = (await this.runner.goToolchain()).version;
    } catch (err) {
      const error: WireError = err instanceof LabError ? err.toWire() : wireError('E_GO_NOT_INSTALLED');
      return { ...base, ran: false, goVersion: null, error };
    }
    const source = await readFile(LESSON_GO, 'utf8');
    const server = this.server.endpoint;
    const args = ['-server', server, ...(names.length > 0 ? ['-names', names.join(',')] : [])];
    let output = '';
    let buildError: WireError | undefined;
    const run = this.runner.start({
      owner: `dns:${caller.session}`,
      source,
      args,
      dialPorts: [this.server.port],
      dialUdpPorts: [this.server.port],
      emit: (e) => {
        if (e.kind === 'gorun.output' && output.length < MAX_GO_OUTPUT) output += e.text;
        if (e.kind === 'gorun.compileErrors') buildError = wireError('E_GO_COMPILE');
      },
    });
    const end = await run.done;
    output = output.slice(0, MAX_GO_OUTPUT);
    const result: DnsGoResult = {
      run: 'go',
      ran: true,
      goVersion,
      lookups: parseGoLookups(output),
      output,
      exitCode: end.exitCode ?? null,
      ...((end.error ?? buildError) ? { error: end.error ?? buildError } : {}),
    };
    this.life.emit({ kind: 'dns.runEnd', source: 'observed', client: 'go', result });
    return result;
  }

  /** One client sends `count` queries as fast as it can; the per-source budget answers only some. */
  private async flood(own: Claim, count: number): Promise<DnsFloodResult> {
    const { socket, client } = await this.bindClient(own);
    let answered = 0;
    let dropped = 0;
    let seen = 0;
    socket.on('message', () => answered++);
    const untap = this.server!.tap(client, (admitted) => {
      seen++;
      if (!admitted) dropped++;
    });
    try {
      const query = craftedQuery('valid', 0);
      for (let i = 0; i < count; i++) {
        query[0] = (i >> 8) & 0xff;
        query[1] = i & 0xff;
        socket.send(query, this.port, this.life.host);
      }
      // The last answers are on their way: wait until the counts hold still.
      let last = -1;
      for (let i = 0; i < 20 && last !== answered + seen; i++) {
        last = answered + seen;
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
      answered,
      droppedByBudget: dropped,
      budget: { ...DNS_BUDGETS.perSource },
    };
  }

  /** Sends one malformed query; the server's codec refuses it (FORMERR when the header could be read). */
  private async malformed(own: Claim, kind: DnsMalformedResult['kind']): Promise<DnsMalformedResult> {
    const { socket, client } = await this.bindClient(own);
    let refusal: WireError | null = null;
    const untap = this.server!.tap(client, (_admitted, served: ServedEvent | null) => {
      refusal = served?.error ?? null;
    });
    const bytes = craftedQuery(kind, 0x4c41);
    try {
      const reply = new Promise<Buffer | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 500);
        socket.once('message', (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
      socket.send(bytes, this.port, this.life.host);
      const m = await reply;
      const rcode = m && m.length >= 4 ? m[3] & 0xf : null;
      return {
        run: 'malformed',
        client,
        kind,
        hex: hexOf(bytes),
        reply: rcode === null ? null : rcode === 1 ? 'FORMERR' : `RCODE${rcode}`,
        refusal,
      };
    } finally {
      untap();
      socket.close();
    }
  }

  private async bindClient(own: Claim): Promise<{ socket: dgram.Socket; client: string }> {
    const host = this.life.host;
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
    return { socket, client: own(socket.address().port) };
  }

  private zoneResult(): DnsZoneResult {
    return { run: 'zone', serial: this.zone.serial, rows: this.zone.list() };
  }

  private emitZone(): void {
    this.life.emit({ kind: 'dns.zone', source: 'observed', serial: this.zone.serial, rows: this.zone.list() });
  }

  private emitBudgeted(e: ServedEvent | ReturnType<typeof dnsPacketsOf>[number]): void {
    if (this.eventBudget.take()) this.life.emit(e);
    else this.suppressed++;
  }

  private onCaptured(e: CaptureEventBody): void {
    if (e.kind === 'packet.datagram' || e.kind === 'packet.segment') {
      for (const p of dnsPacketsOf(e)) this.emitBudgeted(p);
      return;
    }
    this.life.emit(e);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
