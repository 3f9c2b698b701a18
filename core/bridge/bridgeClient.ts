// The browser end of the socket bridge (core/protocol/bridge.ts): dials, listeners and connections whose bytes
// travel over one WebSocket, with the send window the server grants and the credit the snippet's reads return.
// Callback-based and runtime-free, so the snippet worker and the Node tests (with the `ws` package) share it.
import { wireError, type WireError } from '../protocol/errors.js';
import {
  BRIDGE_PROTOCOL_VERSION,
  decodeFrame,
  encodeCredit,
  encodeData,
  type BridgeLimits,
  type BridgeServerMessage,
  type CreditEntry,
} from '../protocol/bridge.js';
import type { Endpoint } from '../protocol/events/socket.js';

/** The part of the WebSocket API the client uses; a browser WebSocket and the `ws` package's both fit. */
export interface BridgeTransport {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type TransportFactory = (url: string) => BridgeTransport;

const OPEN = 1;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** A connection's state as the snippet sees it. */
export class BridgeConn {
  // Receiving: relayed chunks, each one real read on the server.
  private readonly chunks: Uint8Array[] = [];
  private offset = 0;
  buffered = 0;
  private consumed = 0;
  eof = false;
  /** Set when the conn is gone: closed here, closed on the server, or the bridge was lost. */
  closedError: WireError | null = null;
  closedLocally = false;
  /** Called when data, EOF or a close arrives; the reader re-checks. */
  onReadable: (() => void) | null = null;

  // Sending: bytes and frames in flight (sent, not yet acknowledged by the server).
  inFlightBytes = 0;
  inFlightFrames = 0;
  readonly pendingWrites: PendingWrite[] = [];

  constructor(
    readonly client: BridgeClient,
    readonly id: number,
    readonly local: Endpoint,
    readonly remote: Endpoint,
  ) {}

  get closed(): boolean {
    return this.closedLocally || this.closedError !== null;
  }

  /** Copies up to buf.length bytes of the oldest relayed chunk into buf (never bytes of two reads). */
  readInto(buf: Uint8Array): number {
    const chunk = this.chunks[0];
    if (chunk === undefined || buf.length === 0) return 0;
    const n = Math.min(buf.length, chunk.length - this.offset);
    buf.set(chunk.subarray(this.offset, this.offset + n));
    this.offset += n;
    if (this.offset === chunk.length) {
      this.chunks.shift();
      this.offset = 0;
    }
    this.buffered -= n;
    this.consumed += n;
    this.client.consumed(this);
    return n;
  }

  /** Credit owed to the server; taken once the buffer is empty or a quarter window was read (see consumed()). */
  takeCredit(force: boolean): number {
    const quarter = this.client.limits.recvWindow.connBytes / 4;
    if (this.consumed === 0 || (!force && this.buffered > 0 && this.consumed < quarter)) return 0;
    const n = this.consumed;
    this.consumed = 0;
    return n;
  }

  pushChunk(chunk: Uint8Array): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.wake();
  }

  /**
   * Sends data in frames as the window allows; `done` runs once every byte is sent (the write "returns"), or with
   * the error that ended it. Returns null when it completed at once (done has been called), else the pending write.
   */
  write(data: Uint8Array, done: (error: WireError | null) => void): PendingWrite | null {
    const w: PendingWrite = { data, offset: 0, done };
    if (this.closed) {
      done(this.closedError ?? wireError('E_BRIDGE_NO_SUCH_SOCKET', 'use of closed network connection'));
      return null;
    }
    if (this.pendingWrites.length === 0 && this.client.pushWrite(this, w)) return null;
    this.pendingWrites.push(w);
    return w;
  }

  /** Withdraws a pending write (a write deadline passed); w.offset says how much of it was sent. */
  cancelWrite(w: PendingWrite): void {
    const i = this.pendingWrites.indexOf(w);
    if (i >= 0) this.pendingWrites.splice(i, 1);
  }

  closeWrite(): void {
    if (!this.closed) this.client.control({ type: 'closeWrite', id: this.id });
  }

  setNoDelay(noDelay: boolean): void {
    if (!this.closed) this.client.control({ type: 'setNoDelay', id: this.id, noDelay });
  }

  /** Closes locally at once; the server flushes what was sent, then closes the real socket. */
  close(): boolean {
    if (this.closed) return false;
    this.closedLocally = true;
    this.client.connClosedLocally(this);
    this.client.control({ type: 'close', id: this.id });
    this.failWrites(wireError('E_BRIDGE_NO_SUCH_SOCKET', 'use of closed network connection'));
    this.wake();
    return true;
  }

  /** The server closed it (or the bridge is gone). Buffered bytes can still be read. */
  closedRemotely(error: WireError | null): void {
    if (this.closedError === null)
      this.closedError = error ?? wireError('E_BRIDGE_NO_SUCH_SOCKET', 'connection closed');
    this.failWrites(this.closedError);
    this.wake();
  }

  failWrites(error: WireError): void {
    for (const w of this.pendingWrites.splice(0)) w.done(error);
  }

  wake(): void {
    const f = this.onReadable;
    if (f) {
      this.onReadable = null;
      f();
    }
  }
}

export interface PendingWrite {
  data: Uint8Array;
  offset: number;
  done: (error: WireError | null) => void;
}

export class BridgeListener {
  readonly backlog: BridgeConn[] = [];
  closedError: WireError | null = null;
  closedLocally = false;
  onAcceptable: (() => void) | null = null;

  constructor(
    readonly client: BridgeClient,
    readonly id: number,
    readonly local: Endpoint,
  ) {}

  get closed(): boolean {
    return this.closedLocally || this.closedError !== null;
  }

  close(): boolean {
    if (this.closed) return false;
    this.closedLocally = true;
    this.client.control({ type: 'close', id: this.id });
    this.wake();
    return true;
  }

  wake(): void {
    const f = this.onAcceptable;
    if (f) {
      this.onAcceptable = null;
      f();
    }
  }
}

type Reply = (m: Extract<BridgeServerMessage, { type: 'dialed' | 'listening' | 'failed' }>) => void;

export class BridgeClient {
  demo = '';
  limits!: BridgeLimits;
  /** Why the bridge ended, once it has. */
  lostError: WireError | null = null;
  /** Server notices (throttling, refused accepts), for the console. */
  onNotice: ((error: WireError) => void) | null = null;
  onLost: ((error: WireError) => void) | null = null;

  private nextReq = 1;
  private readonly replies = new Map<number, Reply>();
  private readonly conns = new Map<number, BridgeConn>();
  private readonly listeners = new Map<number, BridgeListener>();
  private inFlightBytes = 0;
  private inFlightFrames = 0;
  /** Conns whose writes wait for window. */
  private readonly blocked = new Set<BridgeConn>();
  private readonly credits = new Map<number, number>();
  private creditScheduled = false;
  private ended = false;

  private constructor(private readonly ws: BridgeTransport) {}

  /** Opens the bridge and resolves once the server has welcomed it. */
  static connect(url: string, makeTransport: TransportFactory): Promise<BridgeClient> {
    return new Promise((resolve, reject) => {
      const ws = makeTransport(url);
      ws.binaryType = 'arraybuffer';
      const client = new BridgeClient(ws);
      let welcomed = false;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
      ws.onmessage = (ev) => {
        if (!welcomed && typeof ev.data === 'string') {
          const m = JSON.parse(ev.data) as BridgeServerMessage;
          if (m.type === 'welcome') {
            welcomed = true;
            client.demo = m.demo;
            client.limits = m.limits;
            ws.onmessage = (e) => client.onMessage(e.data);
            resolve(client);
          } else if (m.type === 'fatal') reject(new BridgeError(m.error));
          return;
        }
      };
      ws.onerror = () => {
        if (!welcomed) reject(new BridgeError(wireError('E_BRIDGE_CLOSED', `could not open ${url}`)));
      };
      ws.onclose = () => {
        if (!welcomed) reject(new BridgeError(wireError('E_BRIDGE_CLOSED', `${url} closed before the welcome`)));
        else client.lost(client.lostError ?? wireError('E_BRIDGE_CLOSED'));
      };
    });
  }

  get connCount(): number {
    return this.conns.size;
  }

  dial(address: string, callback: (outcome: Outcome<BridgeConn>) => void): void {
    this.request({ type: 'dial', address }, (m) => {
      if (m.type === 'failed') return callback({ ok: false, error: m.error });
      if (m.type !== 'dialed') return;
      callback({ ok: true, value: this.conns.get(m.conn) ?? this.addConn(m.conn, m.local, m.remote) });
    });
  }

  listen(address: string, callback: (outcome: Outcome<BridgeListener>) => void): void {
    this.request({ type: 'listen', address }, (m) => {
      if (m.type === 'failed') return callback({ ok: false, error: m.error });
      if (m.type !== 'listening') return;
      const l = new BridgeListener(this, m.listener, m.local);
      this.listeners.set(l.id, l);
      callback({ ok: true, value: l });
    });
  }

  /** Closes the bridge: the server closes every socket of this session. */
  close(): void {
    this.lost(wireError('E_SNIPPET_STOPPED'));
    try {
      this.ws.close(1000, 'run ended');
    } catch {
      // already closing
    }
  }

  private request(message: { type: 'dial' | 'listen'; address: string }, reply: Reply): void {
    if (this.lostError) {
      reply({ type: 'failed', req: 0, error: this.lostError });
      return;
    }
    const req = this.nextReq++;
    this.replies.set(req, reply);
    this.control({ ...message, req });
  }

  control(message: object): void {
    if (this.ws.readyState === OPEN) this.ws.send(JSON.stringify(message));
  }

  private addConn(id: number, local: Endpoint, remote: Endpoint): BridgeConn {
    const conn = new BridgeConn(this, id, local, remote);
    this.conns.set(id, conn);
    return conn;
  }

  // ---------------------------------------------------------------- incoming

  private onMessage(data: unknown): void {
    if (typeof data === 'string') return this.onControl(JSON.parse(data) as BridgeServerMessage);
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : null;
    if (bytes === null) return;
    const frame = decodeFrame(bytes);
    if (frame.op === 'data') this.conns.get(frame.id)?.pushChunk(frame.payload);
    else if (frame.op === 'credit') this.onCredit(frame.entries);
  }

  private onControl(m: BridgeServerMessage): void {
    switch (m.type) {
      case 'dialed':
      case 'listening':
      case 'failed': {
        const reply = this.replies.get(m.req);
        this.replies.delete(m.req);
        reply?.(m);
        return;
      }
      case 'accepted': {
        const conn = this.addConn(m.conn, m.local, m.remote);
        const l = this.listeners.get(m.listener);
        if (!l || l.closed) {
          conn.close();
          return;
        }
        l.backlog.push(conn);
        l.wake();
        return;
      }
      case 'eof': {
        const conn = this.conns.get(m.conn);
        if (conn) {
          conn.eof = true;
          conn.wake();
        }
        return;
      }
      case 'closed': {
        const conn = this.conns.get(m.id);
        if (conn) {
          this.dropConn(conn);
          conn.closedRemotely(
            m.error ?? (m.reason === 'eof' || m.reason === 'local' ? null : wireError('E_INTERNAL', m.reason)),
          );
          return;
        }
        const l = this.listeners.get(m.id);
        if (l) {
          this.listeners.delete(m.id);
          if (!l.closedError) l.closedError = m.error ?? wireError('E_BRIDGE_NO_SUCH_SOCKET', 'listener closed');
          l.wake();
        }
        return;
      }
      case 'notice':
        this.onNotice?.(m.error);
        return;
      case 'fatal':
        this.lostError = m.error;
        return;
      case 'welcome':
        return;
    }
  }

  private onCredit(entries: readonly CreditEntry[]): void {
    for (const e of entries) {
      const conn = this.conns.get(e.conn);
      if (!conn || conn.closedLocally) continue;
      conn.inFlightBytes -= e.bytes;
      conn.inFlightFrames -= e.frames;
      this.inFlightBytes -= e.bytes;
      this.inFlightFrames -= e.frames;
    }
    this.resumeWrites();
  }

  private resumeWrites(): void {
    for (const conn of [...this.blocked]) {
      while (conn.pendingWrites.length > 0) {
        if (!this.pushWrite(conn, conn.pendingWrites[0]!)) break;
        conn.pendingWrites.shift();
      }
      if (conn.pendingWrites.length === 0) this.blocked.delete(conn);
    }
  }

  /** Sends as much of w as the windows allow; true (and w.done called) when all of it went. */
  pushWrite(conn: BridgeConn, w: PendingWrite): boolean {
    const win = this.limits.sendWindow;
    const max = this.limits.maxDataPayload;
    do {
      const len = Math.min(max, w.data.length - w.offset);
      // An empty write still completes (Go's Write of zero bytes), without a frame.
      if (len === 0) break;
      const fitsConn =
        conn.inFlightFrames < win.connFrames && (conn.inFlightBytes === 0 || conn.inFlightBytes + len <= win.connBytes);
      const fitsSession =
        this.inFlightFrames < win.sessionFrames &&
        (this.inFlightBytes === 0 || this.inFlightBytes + len <= win.sessionBytes);
      if (!fitsConn || !fitsSession || this.ws.readyState !== OPEN) {
        this.blocked.add(conn);
        return false;
      }
      this.ws.send(encodeData(conn.id, w.data.subarray(w.offset, w.offset + len)));
      w.offset += len;
      conn.inFlightBytes += len;
      conn.inFlightFrames++;
      this.inFlightBytes += len;
      this.inFlightFrames++;
    } while (w.offset < w.data.length);
    w.done(null);
    return true;
  }

  /** The snippet read bytes of conn: give the server credit, batched per turn. */
  consumed(conn: BridgeConn): void {
    const n = conn.takeCredit(false);
    if (n === 0) return;
    this.credits.set(conn.id, (this.credits.get(conn.id) ?? 0) + n);
    if (!this.creditScheduled) {
      this.creditScheduled = true;
      queueMicrotask(this.flushCredits);
    }
  }

  private readonly flushCredits = (): void => {
    this.creditScheduled = false;
    if (this.credits.size === 0) return;
    const entries: CreditEntry[] = [];
    for (const [conn, bytes] of this.credits) entries.push({ conn, bytes, frames: 0 });
    this.credits.clear();
    if (this.ws.readyState === OPEN) this.ws.send(encodeCredit(entries));
  };

  connClosedLocally(conn: BridgeConn): void {
    this.dropConn(conn);
  }

  /** Forgets a conn; its bytes in flight no longer count against the session window. */
  private dropConn(conn: BridgeConn): void {
    if (!this.conns.delete(conn.id)) return;
    this.inFlightBytes -= conn.inFlightBytes;
    this.inFlightFrames -= conn.inFlightFrames;
    conn.inFlightBytes = 0;
    conn.inFlightFrames = 0;
    this.blocked.delete(conn);
    this.credits.delete(conn.id);
    if (this.blocked.size > 0) queueMicrotask(() => this.resumeWrites());
  }

  private lost(error: WireError): void {
    if (this.ended) return;
    this.ended = true;
    // A fatal message that came before the close says better why the bridge ended.
    const err = (this.lostError ??= error);
    for (const reply of this.replies.values()) reply({ type: 'failed', req: 0, error: err });
    this.replies.clear();
    for (const conn of [...this.conns.values()]) {
      this.dropConn(conn);
      conn.closedRemotely(err);
    }
    for (const l of this.listeners.values()) {
      l.closedError ??= err;
      l.wake();
    }
    this.listeners.clear();
    this.onLost?.(err);
  }
}

/** A bridge failure as a thrown error (only where a promise API needs one). */
export class BridgeError extends Error {
  constructor(readonly error: WireError) {
    super(`${error.code}: ${error.detail ?? error.message.en}`);
    this.name = 'BridgeError';
  }
}
