// The HTTP demo of lessons 23–25: the lab's HTTP/1.1 server on loopback, its bytes and middleware observed and its
// segments captured; the page's request builder, malformed requests and a slowloris client sent by the lab's raw
// client; and the headless twin's tour of all of it.
import type net from 'node:net';
import { LabError } from '../../../core/protocol/errors.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import {
  HTTP_COMMANDS,
  HTTP_DEMO,
  type HttpExchangeResult,
  type HttpRawPreset,
  HttpSendArgs,
} from '../../../core/protocol/demos/http.js';
import type { z } from 'zod';
import { splitHttpStream } from '../../../core/http/httpMessageSplit.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { CaptureObserver } from '../../observers/capture/captureObserver.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { LabHttpServer } from './labHttpServer.js';
import { pageOwner } from '../../net/connectionOwners.js';
import { malformedRequest } from './malformedRequests.js';
import { rawExchange, type RawExchange } from './rawHttpClient.js';

type HttpSendArgsIn = z.input<typeof HttpSendArgs>;

/** Exchanges one page may have going at once. */
export const EXCHANGES_PER_SESSION = 4;

/** The bytes of one request from the builder's fields. Pure. */
export function requestBytes(args: HttpSendArgs, path: string, hostHeader: string, close: boolean): Buffer {
  const lines = [`${args.method} ${path} HTTP/1.1`, `Host: ${hostHeader}`];
  const has = (name: string) => args.headers.some(([n]) => n.toLowerCase() === name);
  for (const [name, value] of args.headers) lines.push(`${name}: ${value}`);
  const body = Buffer.from(args.body, 'utf8');
  if (body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(args.method)) {
    if (!has('content-length') && !has('transfer-encoding')) lines.push(`Content-Length: ${body.length}`);
    if (!has('content-type') && body.length > 0) lines.push('Content-Type: application/json');
  }
  if (close && !has('connection')) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

function statusLines(received: Buffer, methods: string[], closed: boolean): string[] {
  return splitHttpStream(received, 'response', { requestMethods: methods, closed }).messages.map((m) => m.firstLine);
}

export class HttpDemo implements Demo {
  readonly id = HTTP_DEMO;
  readonly title = { en: 'HTTP/1.1 server', zh: 'HTTP/1.1 服务器' };
  readonly portCount = 1;

  private emit: (body: LabEventBody) => void = () => {};
  private server: LabHttpServer | null = null;
  private capture: CaptureObserver | null = null;
  private host = '127.0.0.1';
  private dialHost = '127.0.0.1';
  private stopped = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly running = new Map<string, number>();

  async start(ctx: DemoContext): Promise<void> {
    this.emit = ctx.emit;
    this.host = ctx.host;
    this.dialHost = ctx.host.includes(':') ? '::1' : '127.0.0.1';
    this.stopped = false;
    const server = new LabHttpServer({ host: ctx.host, port: ctx.port(0), emit: (e) => this.emit(e) });
    await server.listen();
    this.server = server;
    ctx.emit({
      kind: 'socket.listen',
      source: 'observed',
      listener: 'http',
      local: { host: ctx.host, port: server.port },
    });
    const capture = new CaptureObserver({ ports: [server.port], emit: (e) => this.emit(e) });
    const outcome = await capture.start();
    this.capture = outcome.status === 'capturing' ? capture : null;
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const wasRunning = this.server !== null;
    await Promise.all([this.capture?.stop(), this.server?.close()]);
    this.capture = null;
    this.server = null;
    if (wasRunning) this.emit({ kind: 'demo.stopped', source: 'observed' });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const port = this.server.port;
    const url = this.dialHost.includes(':') ? `http://[${this.dialHost}]:${port}` : `http://${this.dialHost}:${port}`;
    return [{ name: 'http', protocol: 'tcp', host: this.host, port, tryWith: `curl -v ${url}/hello` }];
  }

  readonly commands = demoCommands(HTTP_COMMANDS, {
    send: (args, caller) => this.limited(caller, () => this.send(args, pageOwner(caller.session))),
    raw: (args, caller) => this.limited(caller, () => this.raw(args.preset, pageOwner(caller.session))),
    status: () => ({
      port: this.server?.port ?? 0,
      openConnections: this.server?.openConnections ?? 0,
      requests: this.server?.requests ?? 0,
      items: this.server?.items.size ?? 0,
    }),
  });

  private async limited<T>(caller: CommandCaller, work: () => Promise<T>): Promise<T> {
    const n = this.running.get(caller.session) ?? 0;
    if (n >= EXCHANGES_PER_SESSION) throw new LabError('E_HTTP_CLIENT_BUSY', `${n} exchanges running`);
    this.running.set(caller.session, n + 1);
    try {
      return await work();
    } finally {
      const left = (this.running.get(caller.session) ?? 1) - 1;
      if (left > 0) this.running.set(caller.session, left);
      else this.running.delete(caller.session);
    }
  }

  private live(): LabHttpServer {
    if (!this.server || this.stopped) throw new LabError('E_ACTION_FAILED', 'the HTTP demo is not running');
    return this.server;
  }

  /** The request builder: `count` requests kept alive on one connection, pipelined, or one connection each. */
  async send(args: HttpSendArgs, owner?: string): Promise<HttpExchangeResult> {
    const server = this.live();
    const hostHeader = `${this.dialHost.includes(':') ? `[${this.dialHost}]` : this.dialHost}:${server.port}`;
    const paths = [...Array.from({ length: args.count }, () => args.path), ...args.then];
    const methods = paths.map(() => args.method);
    const results: RawExchange[] = [];
    if (args.mode === 'close') {
      for (const path of paths) {
        const bytes = requestBytes(args, path, hostHeader, true);
        results.push(await rawExchange(server, this.dialHost, { pieces: [bytes], responses: 1, owner }, this.sockets));
      }
    } else {
      const requests = paths.map((path) => requestBytes(args, path, hostHeader, false));
      const pieces = args.mode === 'pipeline' ? [Buffer.concat(requests)] : requests;
      const waitFor = args.mode === 'pipeline' ? [0] : requests.map((_, i) => i);
      results.push(
        await rawExchange(server, this.dialHost, { pieces, waitFor, responses: paths.length, owner }, this.sockets),
      );
    }
    return {
      conns: results.flatMap((r) => (r.conn ? [r.conn] : [])),
      statusLines: results.flatMap((r) =>
        statusLines(r.received, args.mode === 'close' ? [args.method] : methods, r.closedByServer),
      ),
      bytesSent: results.reduce((n, r) => n + r.sent, 0),
      bytesReceived: results.reduce((n, r) => n + r.received.length, 0),
    };
  }

  /** A malformed request, byte for byte, and what the server answered. */
  async raw(preset: HttpRawPreset, owner?: string): Promise<HttpExchangeResult> {
    const server = this.live();
    const request = malformedRequest(preset, `${this.dialHost}:${server.port}`);
    const r = await rawExchange(
      server,
      this.dialHost,
      { pieces: request.pieces, pauseMs: request.pauseMs, responses: 1, timeoutMs: 15_000, owner },
      this.sockets,
    );
    return {
      conns: r.conn ? [r.conn] : [],
      statusLines: statusLines(r.received, ['POST'], r.closedByServer),
      bytesSent: r.sent,
      bytesReceived: r.received.length,
    };
  }

  /** Headless twin: the three lessons' exchanges in order. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const send = (fields: HttpSendArgsIn) => () => this.send(HttpSendArgs.parse(fields));
    const steps: (() => Promise<unknown>)[] = [
      send({ path: '/hello', count: 3 }),
      send({ path: '/hello', count: 2, mode: 'close' }),
      send({ path: '/chunked?n=3&ms=100' }),
      send({ path: '/slow?ms=500', mode: 'pipeline', then: ['/hello', '/hello'] }),
      send({ path: '/items' }),
      send({ method: 'POST', path: '/items', body: '{"name":"from the twin"}' }),
      send({ path: '/items/999' }),
      send({ path: '/admin' }),
      send({ path: '/panic' }),
      send({ path: '/slow?ms=2500' }),
      ...(['bad-start-line', 'header-too-large', 'cl-and-te', 'huge-body'] as const).map((p) => () => this.raw(p)),
    ];
    for (const step of steps) {
      if (signal.aborted || this.stopped) return;
      await step();
    }
  }
}
