// The lab's HTTP/1.1 server: node:http (llhttp parses every byte), with the onion around lesson 24's routes. When
// observed, each connection's bytes are copied as the socket read and wrote them (never re-serialised), and what
// llhttp made of them (requests, responses, refusals) and the middleware's spans are reported as events.
import http from 'node:http';
import type net from 'node:net';
import { EventEmitter } from 'node:events';
import type { HttpBodyFraming, HttpEvent } from '../../../core/protocol/events/http.js';
import type { SocketEvent } from '../../../core/protocol/events/socket.js';
import { HTTP_HEADER_TIMEOUT_MS } from '../../../core/protocol/demos/http.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { wallClockNow } from '../../observers/wallClock.js';
import { clientErrorAnswer } from './clientErrorAnswer.js';
import { ItemStore } from './itemStore.js';
import { labRoutes } from './labRoutes.js';
import { newRequestId, runOnion, type SpanReport } from './middleware.js';

/** Bytes per connection and direction sent to pages as http.bytes; beyond it only counts are kept. */
export const BYTES_SHOWN_PER_CONN = 16 * 1024;
/** Requests per connection reported in full; the rest are counted. */
export const TRACED_REQUESTS_PER_CONN = 32;
/** Connections the server holds at once (more are refused by node:http). */
export const HTTP_MAX_CONNECTIONS = 256;

export interface HttpConnRecord {
  conn: string;
  client: string;
  inBytes: number;
  outBytes: number;
  requests: number;
  responses: number;
  closed: boolean;
  /** Bytes the server has handed to its socket so far (counted by Node, so known with nobody watching too). */
  written(): number;
  /** 'progress' after each response or write, 'close' at the end. */
  readonly changes: EventEmitter;
}

export interface LabHttpServerOptions {
  host: string;
  port: number;
  /** Null: nobody watches (the benchmark's observer-off run), and the sockets are left to llhttp alone. */
  emit: ((event: HttpEvent | SocketEvent) => void) | null;
}

export class LabHttpServer {
  readonly items = new ItemStore();
  private readonly server: http.Server;
  private readonly conns = new Map<net.Socket, HttpConnRecord>();
  private readonly byClient = new Map<string, HttpConnRecord>();
  /** Waiting for the server's side of a client's connection to appear. */
  readonly accepted = new EventEmitter();
  private nextConn = 1;
  requests = 0;

  constructor(private readonly options: LabHttpServerOptions) {
    this.accepted.setMaxListeners(0);
    this.server = http.createServer({
      headersTimeout: HTTP_HEADER_TIMEOUT_MS,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      // How often Node checks those timeouts (default 30 s): often, so a slowloris gets its 408 on time.
      connectionsCheckingInterval: 250,
    });
    this.server.maxConnections = HTTP_MAX_CONNECTIONS;
    this.server.on('connection', (socket) => this.onConnection(socket));
    this.server.on('request', (req, res) => this.onRequest(req, res));
    this.server.on('clientError', (err: NodeJS.ErrnoException & { reason?: string }, socket) =>
      this.onClientError(err, socket as net.Socket),
    );
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get openConnections(): number {
    return this.conns.size;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The server's record of the connection whose client end is `client` ("127.0.0.1:41056"), once accepted. */
  connOf(client: string, timeoutMs = 2000): Promise<HttpConnRecord | null> {
    const known = this.byClient.get(client);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.accepted.off(client, found);
        resolve(null);
      }, timeoutMs);
      const found = (record: HttpConnRecord) => {
        clearTimeout(timer);
        resolve(record);
      };
      this.accepted.once(client, found);
    });
  }

  private onConnection(socket: net.Socket): void {
    const client = endpointName(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const server = endpointName(socket.localAddress ?? '?', socket.localPort ?? 0);
    const record: HttpConnRecord = {
      conn: `h${this.nextConn++}`,
      client,
      inBytes: 0,
      outBytes: 0,
      requests: 0,
      responses: 0,
      closed: false,
      written: () => socket.bytesWritten,
      changes: new EventEmitter(),
    };
    this.conns.set(socket, record);
    this.byClient.set(client, record);
    const emit = this.options.emit;
    // socket.open first: the /ws edge learns from it whose connection this is (the page whose client dialled it, or
    // nobody's: curl, a Go program), and shows the connection's http.* events to that page alone.
    emit?.({
      kind: 'socket.open',
      source: 'observed',
      conn: record.conn,
      side: 'server',
      local: { host: socket.localAddress ?? '?', port: socket.localPort ?? 0 },
      remote: { host: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 },
    });
    emit?.({
      kind: 'http.conn',
      source: 'observed',
      conn: record.conn,
      phase: 'open',
      client,
      server,
      at: wallClockNow(),
    });
    if (emit) this.tap(socket, record, emit);
    socket.once('close', () => {
      record.closed = true;
      this.conns.delete(socket);
      if (this.byClient.get(client) === record) this.byClient.delete(client);
      emit?.({
        kind: 'http.conn',
        source: 'observed',
        conn: record.conn,
        phase: 'close',
        client,
        server,
        requests: record.requests,
        at: wallClockNow(),
      });
      emit?.({
        kind: 'socket.close',
        source: 'observed',
        conn: record.conn,
        reason: 'eof',
        bytesIn: record.inBytes,
        bytesOut: record.outBytes,
      });
      record.changes.emit('close');
    });
    this.accepted.emit(client, record);
  }

  /** Copies every read and write of the socket, in order, as the bytes themselves. */
  private tap(socket: net.Socket, record: HttpConnRecord, emit: (event: HttpEvent) => void): void {
    const report = (dir: 'in' | 'out', bytes: Buffer) => {
      if (bytes.length === 0) return;
      const offset = dir === 'in' ? record.inBytes : record.outBytes;
      if (dir === 'in') record.inBytes += bytes.length;
      else record.outBytes += bytes.length;
      // Bytes are shown for the traced requests only, and at most BYTES_SHOWN_PER_CONN each way; later ones are counted.
      if (offset >= BYTES_SHOWN_PER_CONN || record.requests > TRACED_REQUESTS_PER_CONN) return;
      const shown = bytes.subarray(0, BYTES_SHOWN_PER_CONN - offset);
      emit({
        kind: 'http.bytes',
        source: 'observed',
        conn: record.conn,
        dir,
        offset,
        len: bytes.length,
        b64: shown.toString('base64'),
        clipped: shown.length < bytes.length,
        at: wallClockNow(),
      });
    };
    // node:http lets a 'data' listener see the reads (it stops feeding llhttp straight from the handle to allow it);
    // prepended, so the read is reported before llhttp's verdict on it.
    socket.prependListener('data', (d: Buffer) => report('in', d));
    // Every byte the server sends goes through write() or end(), in order; strings are encoded as the socket will.
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    const end = socket.end.bind(socket) as (...args: unknown[]) => net.Socket;
    const bytesOf = (chunk: unknown, encoding: unknown): Buffer | null =>
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : null;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      const b = bytesOf(chunk, rest[0]);
      if (b) report('out', b);
      const result = write(chunk, ...rest);
      record.changes.emit('progress');
      return result;
    }) as typeof socket.write;
    socket.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') {
        const b = bytesOf(chunk, rest[0]);
        if (b) report('out', b);
      }
      return end(chunk, ...rest);
    }) as typeof socket.end;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    const record = this.conns.get(socket);
    const conn = record?.conn ?? '?';
    const index = record ? ++record.requests : 0;
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    const id = newRequestId();
    // A connection's first requests are traced (request, spans, response); later ones on a long keep-alive run are
    // counted only (http.conn's close says how many), so watching a load run stays cheap and the page stays small.
    const emit =
      record && index <= TRACED_REQUESTS_PER_CONN && record.inBytes <= BYTES_SHOWN_PER_CONN ? this.options.emit : null;
    const requestFraming: HttpBodyFraming = req.headers['transfer-encoding']
      ? 'chunked'
      : req.headers['content-length'] !== undefined
        ? 'content-length'
        : 'none';
    emit?.({
      kind: 'http.request',
      source: 'observed',
      conn,
      index,
      id,
      method: req.method ?? '',
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      framing: requestFraming,
      at: wallClockNow(),
    });
    const exchange = { req, res, conn, id, path: url.pathname, query: url.searchParams };
    res.once('finish', () => {
      if (record) record.responses++;
      emit?.({
        kind: 'http.response',
        source: 'observed',
        conn,
        index,
        id: exchange.id,
        status: res.statusCode,
        framing: responseFraming(req, res),
        keepAlive:
          !res.getHeader('connection')?.toString().toLowerCase().includes('close') && req.httpVersion === '1.1',
        at: wallClockNow(),
      });
      record?.changes.emit('progress');
    });
    const span = emit
      ? (s: SpanReport) => {
          // The request-id layer may take the client's X-Request-Id: spans carry the id the response went out with.
          exchange.id = (res.getHeader('x-request-id') as string | undefined) ?? exchange.id;
          emit({
            kind: 'http.span',
            source: 'observed',
            id: exchange.id,
            conn,
            method: req.method ?? '',
            path: url.pathname,
            ...s,
          });
        }
      : null;
    runOnion(exchange, this.routes, span).catch(() => res.destroy());
  }

  private readonly routes = labRoutes(this.items);

  private onClientError(err: NodeJS.ErrnoException & { reason?: string }, socket: net.Socket): void {
    const record = this.conns.get(socket);
    const code = err.code ?? 'UNKNOWN';
    const answer = clientErrorAnswer(code);
    if (record && answer.status !== null) {
      this.options.emit?.({
        kind: 'http.rejected',
        source: 'observed',
        conn: record.conn,
        parserCode: code,
        reason: err.reason ?? err.message,
        status: answer.status,
        why: answer.why,
        offset: record.inBytes,
        at: wallClockNow(),
      });
    }
    if (answer.status !== null && socket.writable && !socket.writableEnded) {
      socket.end(answer.bytes);
    } else socket.destroy();
  }
}

function responseFraming(req: http.IncomingMessage, res: http.ServerResponse): HttpBodyFraming {
  if (req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return 'none';
  if (res.getHeader('content-length') !== undefined) return 'content-length';
  return req.httpVersion === '1.0' ? 'until-close' : 'chunked';
}
