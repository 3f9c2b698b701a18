// The TLS demo of lesson 27: the lab's TLS echo server and three servers with bad certificates, their capture read
// as TLS records (decrypted with the session keys the server logs), and runs a page starts: a session (TLS 1.2 or
// 1.3, optionally with a HelloRetryRequest), the lesson's Go client against a bad certificate, garbage on the port.
import { appendFile, readFile } from 'node:fs/promises';
import net from 'node:net';
import { homedir } from 'node:os';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { RateBudget } from '../../../core/budget/rateBudget.js';
import { LabError, wireError, type WireError } from '../../../core/protocol/errors.js';
import {
  TLS_COMMANDS,
  TLS_DEMO,
  type BadCertificateKind,
  type TlsBadCertResult,
  type TlsGarbageResult,
  type TlsRunResult,
  type TlsSessionResult,
} from '../../../core/protocol/demos/tls.js';
import { BROKEN_HELLO_HEX } from '../../../core/protocol/demos/tls.js';
import type { TlsEvent } from '../../../core/protocol/events/tls.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { defaultDataFolder } from '../../classroom/dataFolder.js';
import { GoRunner } from '../../gorun/goRunner.js';
import { PageClaims } from '../../net/connectionOwners.js';
import { CaptureObserver } from '../../observers/capture/captureObserver.js';
import type { CaptureEventBody } from '../../observers/capture/captureProcessor.js';
import { TLS_CAPTURE_HEX_BYTES, TlsCaptureReader } from '../../observers/capture/tls/tlsCaptureReader.js';
import { alertDescriptionName, alertLevelName } from '../../observers/capture/tls/tlsNames.js';
import { turnNow } from '../../events/turnClock.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { labCertificates, type CertificateName, type LabCertificates } from './labCertificates.js';
import { TlsEchoServer } from './tlsEchoServer.js';
import { startReportedCapture } from '../reportedCapture.js';

/** Runs at once, over all pages: each holds one connection for a few seconds at most. */
const MAX_RUNS = 8;
/** How long a run's sockets stay claimed for its page after the run (its last captured packets). */
const CLAIM_LINGER_MS = 5000;
const RUN_TIMEOUT_MS = 10_000;
/** Segment hex forwarded to pages (the whole frames are read here; the hex view needs no more). */
const SEGMENT_HEX_CHARS = 4096;
/** Captured segments forwarded to pages a second: bulk data through the echo server is counted, not drawn. */
const SEGMENT_EVENTS_PER_SECOND = 400;
const SEGMENT_EVENTS_BURST = 800;
const LESSON_MAIN_GO = fileURLToPath(new URL('../../../lessons/27-tls/main.go', import.meta.url));

const SERVER_OF: Record<BadCertificateKind, CertificateName> = {
  'wrong-name': 'wrong-name',
  'unknown-ca': 'self-signed',
  expired: 'expired',
};

type Claim = (host: string, port: number) => string;

export interface TlsDemoOptions {
  /** The lab's data folder (certificates and the key log go in <dataDir>/tls). Default: the user's data folder. */
  dataDir?: string;
  /** Turn the capture off (tests of the demo without tcpdump). */
  capture?: boolean;
  /** Run tcpdump as this unprivileged user (how the no-permission fallback is tested). */
  captureAsUser?: string;
  /** Runs the lesson's Go client for badCert; null: always Node's client (tests, a lab without Go). */
  goRunner?: GoRunner | null;
}

export class TlsDemo implements Demo {
  readonly id = TLS_DEMO;
  readonly title = { en: 'TLS echo server', zh: 'TLS 回显服务器' };
  readonly portCount = 4;

  private certs: LabCertificates | null = null;
  private certError: LabError | null = null;
  private readonly servers = new Map<CertificateName, TlsEchoServer>();
  private capture: CaptureObserver | null = null;
  /** Clients whose round trips the capture has counted (the headless run waits for its sessions'). */
  private readonly roundTripsCounted = new Set<string>();
  private readonly reader = new TlsCaptureReader();
  private readonly goRunner: GoRunner | null;
  private activeRuns = 0;
  private readonly segmentBudget = new RateBudget({
    perSecond: SEGMENT_EVENTS_PER_SECOND,
    burst: SEGMENT_EVENTS_BURST,
    clock: turnNow,
  });
  /** Captured segments not forwarded to pages (over the budget); their records are still decoded. */
  segmentsSuppressed = 0;
  private readonly dataRecordBudget = new RateBudget({
    perSecond: SEGMENT_EVENTS_PER_SECOND,
    burst: SEGMENT_EVENTS_BURST,
    clock: turnNow,
  });
  /** Application-data records not forwarded to pages (over the budget); hellos, alerts and errors always go. */
  recordsSuppressed = 0;
  private keyLogWrites: Promise<void> = Promise.resolve();
  private ctx: DemoContext | null = null;
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false },
  });

  constructor(private readonly options: TlsDemoOptions = {}) {
    this.goRunner =
      options.goRunner === undefined
        ? new GoRunner({ reachablePorts: () => this.ctx?.labPorts?.() ?? [], maxRuns: 2 })
        : options.goRunner;
  }

  private get host(): string {
    return this.life.host;
  }

  /** Where the NSS key log is written (load it into Wireshark). */
  get keyLogPath(): string | null {
    return this.certs?.keyLogPath ?? null;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.ctx = ctx;
    this.life.begin(ctx);
    let certs: LabCertificates;
    try {
      certs = await labCertificates(this.options.dataDir ?? defaultDataFolder(process.env, homedir()));
    } catch (err) {
      // The rest of the lab runs without TLS: the banner and /api/status say why, and each command answers it.
      this.certError = err instanceof LabError ? err : new LabError('E_TLS_CERT_STORE', String(err));
      ctx.setCapability?.('TLS certificates', { available: false, reason: this.certError.toWire().message });
      this.life.started();
      return;
    }
    this.certs = certs;
    const names: CertificateName[] = ['server', 'wrong-name', 'self-signed', 'expired'];
    for (const [i, name] of names.entries()) {
      const server = new TlsEchoServer({
        host: ctx.host,
        port: ctx.port(i),
        key: certs.certs[name].key,
        cert: certs.certs[name].cert,
        onKeyLog: (line) => this.onKeyLog(line),
      });
      await server.listen();
      this.servers.set(name, server);
      this.life.listening(`tls-${name}`, server.port);
    }
    if (this.options.capture !== false) {
      const capture = new CaptureObserver({
        ports: [...this.servers.values()].map((s) => s.port),
        inferStates: false,
        maxHexBytes: TLS_CAPTURE_HEX_BYTES,
        emit: (e) => this.onCaptured(e),
        ...(this.options.captureAsUser ? { runAsUser: this.options.captureAsUser } : {}),
      });
      const outcome = await startReportedCapture(capture, ctx);
      this.capture = outcome.status === 'capturing' ? capture : null;
    }
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      if (this.servers.size === 0) return false;
      await Promise.all([this.capture?.stop(), ...[...this.servers.values()].map((s) => s.close())]);
      await this.goRunner?.stopAll();
      await this.keyLogWrites;
      this.capture = null;
      this.servers.clear();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    const host = this.host;
    const shown = host.includes(':') ? `[${host}]` : host;
    const ca = this.certs?.ca.certPath ?? 'ca.pem';
    const list: Array<[CertificateName, string]> = [
      ['server', 'echo'],
      ['wrong-name', 'wrong name'],
      ['self-signed', 'unknown CA'],
      ['expired', 'expired'],
    ];
    return list.flatMap(([name, label]) => {
      const s = this.servers.get(name);
      if (!s) return [];
      return [
        {
          name: label,
          protocol: 'tcp' as const,
          host,
          port: s.port,
          tryWith: `openssl s_client -connect ${shown}:${s.port} -servername localhost -CAfile ${ca}`,
        },
      ];
    });
  }

  readonly commands = demoCommands(TLS_COMMANDS, {
    session: (args, caller) =>
      this.run(caller.session, (own) => this.session(own, args.version, args.message, args.helloRetry)),
    badCert: (args, caller) => this.run(caller.session, (own) => this.badCert(own, caller.session, args.kind)),
    garbage: (args, caller) =>
      this.run(caller.session, (own) =>
        this.garbage(own, args.hex !== undefined ? Buffer.from(args.hex, 'hex') : Buffer.from(args.text, 'utf8')),
      ),
  });

  private onKeyLog(line: Buffer): void {
    const path = this.certs?.keyLogPath;
    // Appended in order; the file was made 0600 with the certificates.
    if (path) this.keyLogWrites = this.keyLogWrites.then(() => appendFile(path, line).catch(() => {}));
    for (const e of this.reader.addKeyLogLine(line.toString('latin1'))) this.life.emit(e);
  }

  private onCaptured(e: CaptureEventBody): void {
    const tlsEvents: TlsEvent[] = this.reader.push(e);
    if (e.kind === 'packet.segment') {
      // The ladder needs the handshake's segments; bulk data's bare ACKs beyond the budget are only counted.
      const framing = e.len === 0 && e.flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST');
      if (!framing && !this.segmentBudget.take()) this.segmentsSuppressed++;
      else {
        const clipped = e.hex.length > SEGMENT_HEX_CHARS;
        this.life.emit(clipped ? { ...e, hex: e.hex.slice(0, SEGMENT_HEX_CHARS), hexClipped: true } : e);
      }
    } else {
      this.life.emit(e);
    }
    for (const t of tlsEvents) {
      if (t.kind === 'tls.roundTrips' && this.roundTripsCounted.size < 1024) this.roundTripsCounted.add(t.client);
      const data = t.kind === 'tls.record' && t.record.contentType === 'application_data' && !t.record.alert;
      const bulk = data && t.record.decrypted?.innerType !== 'handshake' && t.record.decrypted?.innerType !== 'alert';
      if (bulk && !this.dataRecordBudget.take()) this.recordsSuppressed++;
      else this.life.emit(t);
    }
  }

  /** Runs one bounded run for a page; the sockets it opens are claimed for that page, so only it sees their records. */
  private async run<R extends TlsRunResult>(session: string, body: (own: Claim) => Promise<R>): Promise<R> {
    if (this.certError) throw this.certError;
    if (this.servers.size === 0) throw new LabError('E_ACTION_FAILED', 'the TLS demo is not running');
    if (this.activeRuns >= MAX_RUNS) throw new LabError('E_DEMO_IN_USE', `${MAX_RUNS} TLS runs are going already`);
    this.activeRuns++;
    const claims = new PageClaims(session);
    const own: Claim = (host, port) => claims.claim(host, port);
    try {
      const result = await body(own);
      this.life.emit({ kind: 'tls.runEnd', source: 'observed', result });
      return result;
    } finally {
      this.activeRuns--;
      claims.releaseAfter(CLAIM_LINGER_MS);
    }
  }

  private port(name: CertificateName): number {
    return this.servers.get(name)!.port;
  }

  /** One session with the echo server: handshake, one line each way, close. */
  async session(own: Claim, version: '1.2' | '1.3', message: string, helloRetry: boolean): Promise<TlsSessionResult> {
    const certs = this.certs!;
    const socket = tls.connect({
      host: this.host,
      port: this.port('server'),
      servername: 'localhost',
      ca: certs.ca.cert,
      minVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
      maxVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
      ALPNProtocols: ['echo/1'],
      // A P-384 key share first: the server takes X25519 or P-256 only, so it asks again (HelloRetryRequest).
      ...(helloRetry && version === '1.3' ? { ecdhCurve: 'P-384:P-256' } : {}),
    });
    let client = '';
    socket.once('connect', () => (client = own(this.host, socket.localPort!)));
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('secureConnect', resolve);
          socket.once('error', reject);
        }),
        'the TLS handshake',
      );
      const cipher = socket.getCipher();
      socket.write(`${message}\n`);
      let echoed = '';
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.on('data', (d: Buffer) => {
            echoed += d.toString('utf8');
            if (echoed.endsWith('\n')) resolve();
          });
          socket.once('error', reject);
          socket.once('close', () => resolve());
        }),
        'the echo',
      );
      socket.end();
      await new Promise((r) => socket.once('close', r));
      return {
        run: 'session',
        client,
        version: socket.getProtocol() ?? cipher.version,
        cipherSuite: cipher.standardName,
        echoed: echoed.replace(/\n$/, ''),
        keyLogFile: certs.keyLogPath,
        captured: this.capture !== null,
      };
    } catch (err) {
      throw new LabError('E_ACTION_FAILED', `TLS session: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      socket.destroy();
    }
  }

  /** The lesson's Go client (main.go -dial) against a server with a bad certificate; Node's client without Go. */
  async badCert(own: Claim, session: string, kind: BadCertificateKind): Promise<TlsBadCertResult> {
    const port = this.port(SERVER_OF[kind]);
    const server = endpointName(this.host, port);
    const viaGo = this.goRunner ? await this.badCertWithGo(own, session, port) : null;
    if (viaGo && !('note' in viaGo)) return { run: 'badCert', kind, dialer: 'go', server, ...viaGo };
    const node = await this.badCertWithNode(own, port);
    return {
      run: 'badCert',
      kind,
      dialer: 'node',
      server,
      ...node,
      ...(viaGo?.note ? { note: viaGo.note } : {}),
    };
  }

  private async badCertWithGo(
    own: Claim,
    session: string,
    port: number,
  ): Promise<{ error: string; client: string | null } | { note: WireError }> {
    const runner = this.goRunner!;
    try {
      await runner.goToolchain();
    } catch (err) {
      return { note: err instanceof LabError ? err.toWire() : wireError('E_GO_NOT_INSTALLED', String(err)) };
    }
    const source = await readFile(LESSON_MAIN_GO, 'utf8');
    let out = '';
    let client: string | null = null;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    let run;
    try {
      run = runner.start({
        owner: `tls:${session}`,
        source,
        args: ['-dial', `${host}:${port}`, '-ca-pem', this.certs!.ca.cert, '-name', 'localhost'],
        dialPorts: [port],
        emit: (e) => {
          if (e.kind !== 'gorun.output') return;
          out += e.text;
          const local = /^local (\S+):(\d+)$/m.exec(out);
          if (local && client === null) client = own(local[1]!.replace(/^\[|\]$/g, ''), Number(local[2]));
        },
      });
    } catch (err) {
      return { note: err instanceof LabError ? err.toWire() : wireError('E_ACTION_FAILED', String(err)) };
    }
    const result = await run.done;
    const error = /^error: (.*)$/m.exec(out)?.[1];
    if (error === undefined) {
      return { note: result.error ?? wireError('E_ACTION_FAILED', `the Go client printed: ${out.slice(-300)}`) };
    }
    return { error, client };
  }

  private async badCertWithNode(own: Claim, port: number): Promise<{ error: string; client: string | null }> {
    const socket = tls.connect({ host: this.host, port, servername: 'localhost', ca: this.certs!.ca.cert });
    let client: string | null = null;
    socket.once('connect', () => (client = own(this.host, socket.localPort!)));
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('secureConnect', resolve);
          socket.once('error', reject);
        }),
        'the TLS handshake',
      );
      return { error: 'no error: the certificate was accepted', client };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { error: `${e.code ? `${e.code}: ` : ''}${e.message}`, client };
    } finally {
      socket.destroy();
    }
  }

  /** Bytes that are not TLS to the echo server's port: what comes back before it closes. */
  async garbage(own: Claim, bytes: Buffer): Promise<TlsGarbageResult> {
    const socket = net.connect(this.port('server'), this.host);
    socket.on('error', () => {});
    await withTimeout(new Promise((r) => socket.once('connect', r)), 'connecting');
    const client = own(this.host, socket.localPort!);
    socket.write(bytes);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    const closed = await Promise.race([
      new Promise<boolean>((r) => socket.once('close', () => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref()),
    ]);
    socket.destroy();
    const reply = Buffer.concat(chunks);
    const alert =
      reply.length >= 7 && reply[0] === 21 && reply[1] === 3
        ? { level: alertLevelName(reply[5]!), description: alertDescriptionName(reply[6]!) }
        : null;
    return {
      run: 'garbage',
      client,
      sent: bytes.length,
      replyHex: reply.subarray(0, 64).toString('hex'),
      alert,
      closed,
    };
  }

  async scenario({ signal }: ScenarioContext): Promise<void> {
    const own: Claim = (host, port) => endpointName(host, port);
    const sessions: string[] = [];
    const session = async (version: '1.2' | '1.3', message: string, helloRetry: boolean) => {
      const result = await this.run('headless', () => this.session(own, version, message, helloRetry));
      sessions.push(result.client);
    };
    this.roundTripsCounted.clear();
    const steps: Array<() => Promise<unknown>> = [
      () => session('1.3', 'hello over TLS 1.3', false),
      () => session('1.2', 'hello over TLS 1.2', false),
      () => session('1.3', 'hello after a retry', true),
      () => this.run('headless', () => this.garbage(own, Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'))),
      () => this.run('headless', () => this.garbage(own, Buffer.from(BROKEN_HELLO_HEX, 'hex'))),
      () => this.run('headless', () => this.badCert(own, 'headless', 'expired')),
    ];
    for (const step of steps) {
      if (signal.aborted) return;
      await step();
    }
    // On a busy machine tcpdump hands the segments over late: wait (bounded) until each session's round trips are
    // counted, so the printed run has them.
    for (let waited = 0; this.capture && waited < 15_000 && !signal.aborted; waited += 100) {
      if (sessions.every((c) => this.roundTripsCounted.has(c))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The capture hands over the last records a moment after the runs end.
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took over ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
