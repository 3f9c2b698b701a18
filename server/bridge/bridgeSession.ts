// One snippet run's bridge session: the WebSocket of one worker, its real sockets and listeners, its windows and
// quotas, and the socket events it publishes under its own demo id. Everything closes when the WebSocket does.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { WebSocket } from 'ws';
import type { EventBus } from '../events/eventBus.js';
import { SocketEventReporter } from '../net/socketEvents.js';
import { wireError, type ErrorCode, type WireError } from '../../core/protocol/errors.js';
import {
  BRIDGE_PROTOCOL_VERSION,
  BridgeClientMessage,
  decodeFrame,
  encodeCredit,
  FRAME_HEADER_BYTES,
  MAX_CONTROL_MESSAGE_BYTES,
  OP_DATA,
  SNIPPET_DEMO_PREFIX,
  type BridgeLimits,
  type BridgeServerMessage,
  type CreditEntry,
} from '../../core/protocol/bridge.js';
import type { Endpoint } from '../../core/protocol/events/socket.js';
import { BridgeCapture, type BridgeCaptureOptions } from './bridgeCapture.js';
import { BridgedConn, type ConnHost } from './bridgedConn.js';
import { checkDial, checkListen, shadowedBy, type HostPort } from './bridgePolicy.js';
import { permitsFor, SessionQuota, type LabBridgeCounters } from './bridgeQuota.js';
import type { SocketTableSource } from '../observers/kernel/kernelStateObserver.js';
import { connectionOwners, machineOwner } from '../net/connectionOwners.js';

const STATS_INTERVAL_MS = 250;
/** A closed dial's endpoint stays its machine's this long, for its last segments and counters. */
const DIAL_OWNER_GRACE_MS = 2000;
/** DATA frames for conns that are gone are dropped; a session that keeps sending them is broken. */
const MAX_STRAY_FRAMES = 10_000;

export interface BridgeSessionDeps {
  bus: EventBus;
  limits: BridgeLimits;
  counters: LabBridgeCounters;
  /** The lab's demo endpoints, which every session may dial. */
  demoEndpoints(): readonly HostPort[];
  /** Every TCP listener on the machine now (the kernel's table and the lab's own), for the listen check. */
  heldListeners(): Promise<readonly HostPort[]>;
  /** Who opened the session (the browser's address): the key of the per-client limits. */
  client: string;
  /** The lab's one reader of the kernel socket table, for this session's poller. */
  table?: SocketTableSource;
  /** Packet capture and kernel states of the session's own sockets (see bridgeCapture.ts). */
  capture?: BridgeCaptureOptions;
  now?: () => number;
}

interface Listener {
  id: number;
  server: net.Server;
  host: string;
  port: number;
}

/** A listener on port 0 whose port turned out to be held on the other loopback address is tried again this often. */
const SHADOW_RETRIES = 5;

export class BridgeSession implements ConnHost {
  /** The demo id of this session's socket events, e.g. "snippet-3fa9c1". */
  readonly demo = `${SNIPPET_DEMO_PREFIX}${randomBytes(3).toString('hex')}`;
  private helloed = false;
  private closedSession = false;
  private nextId = 1;
  private readonly conns = new Map<number, BridgedConn>();
  private readonly listeners = new Map<number, Listener>();
  private readonly quota: SessionQuota;
  private readonly reporter: SocketEventReporter;
  /** Captures and polls the session's sockets, from its first socket until it closes. */
  readonly capture: BridgeCapture;
  private readonly statsTimer: NodeJS.Timeout;
  private readonly now: () => number;

  /** Server → browser: bytes relayed and not yet credited, over all conns. */
  private uncredited = 0;
  /** Browser → server: bytes and frames received and not yet acknowledged, over all conns that are not closing. */
  private unackedBytes = 0;
  private unackedFrames = 0;
  private readonly waiting = new Map<BridgedConn, (go: boolean) => void>();
  private readonly acks = new Map<number, CreditEntry>();
  private ackTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private throttleTimer: NodeJS.Timeout | null = null;
  private throttleNoticeSent = false;
  /** True while some conn waits for the session window or the byte rate rather than for its own credit. */
  private sessionBlocked = false;
  private strayFrames = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: BridgeSessionDeps,
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.quota = new SessionQuota(deps.limits, deps.counters, this.now);
    this.reporter = new SocketEventReporter(deps.bus.forDemo(this.demo));
    // The session's events, and the demo side of its dials, are its browser machine's (server/ws/connectionScope.ts).
    connectionOwners.claimSnippet(this.demo, deps.client);
    const publish = deps.bus.forDemo(this.demo);
    const captureOptions = {
      ...deps.capture,
      permits: permitsFor(deps.counters, deps.client),
      ...(deps.table ? { table: deps.table } : {}),
    };
    this.capture = new BridgeCapture(publish, (error) => this.send({ type: 'notice', error }), captureOptions);
    this.statsTimer = setInterval(() => this.reporter.flushStats(), STATS_INTERVAL_MS);
    this.statsTimer.unref();
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => ws.terminate());
  }

  get socketCount(): number {
    return this.conns.size;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  // ---------------------------------------------------------------- messages from the browser

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closedSession) return;
    if (isBinary) {
      if (!this.helloed) return this.fatal('E_NOT_READY');
      return this.onFrame(data);
    }
    if (data.length > MAX_CONTROL_MESSAGE_BYTES)
      return this.fatal(
        'E_BRIDGE_CONTROL_TOO_LARGE',
        `${data.length} bytes; the limit is ${MAX_CONTROL_MESSAGE_BYTES}`,
      );
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch (err) {
      return this.fatal('E_BAD_JSON', (err as Error).message);
    }
    const parsed = BridgeClientMessage.safeParse(value);
    if (!parsed.success) {
      return this.fatal(
        'E_BAD_MESSAGE',
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
          .join('; '),
      );
    }
    const m = parsed.data;
    if (m.type !== 'hello' && !this.helloed) return this.fatal('E_NOT_READY');
    switch (m.type) {
      case 'hello':
        if (m.protocol !== BRIDGE_PROTOCOL_VERSION)
          return this.fatal(
            'E_PROTOCOL_MISMATCH',
            `bridge protocol ${m.protocol}; the lab speaks ${BRIDGE_PROTOCOL_VERSION}`,
          );
        this.helloed = true;
        return this.send({ type: 'welcome', demo: this.demo, limits: this.deps.limits });
      case 'dial':
        return this.dial(m.req, m.address);
      case 'listen':
        return this.listen(m.req, m.address);
      case 'close':
        return this.close(m.id);
      case 'closeWrite':
        this.conns.get(m.id)?.requestCloseWrite();
        return;
      case 'setNoDelay':
        this.conns.get(m.id)?.setNoDelay(m.noDelay);
        return;
    }
  }

  private onFrame(data: Buffer): void {
    const frame = decodeFrame(data);
    if (frame.op === 'bad') return this.fatal('E_BRIDGE_BAD_FRAME', frame.reason);
    if (frame.op === 'credit') {
      for (const e of frame.entries) this.credit(e.conn, e.bytes);
      return;
    }
    const conn = this.conns.get(frame.id);
    if (!conn || conn.closing || conn.isClosed) {
      // The browser wrote before it learned the conn closed: drop it, as a kernel drops writes to a reset socket.
      if (++this.strayFrames > MAX_STRAY_FRAMES)
        this.fatal('E_BRIDGE_NO_SUCH_SOCKET', `${this.strayFrames} frames for connections that are not open`);
      return;
    }
    const len = frame.payload.length;
    const w = this.deps.limits.sendWindow;
    if (
      len > this.deps.limits.maxDataPayload ||
      conn.unackedBytes + len > w.connBytes ||
      conn.unackedFrames + 1 > w.connFrames ||
      this.unackedBytes + len > w.sessionBytes ||
      this.unackedFrames + 1 > w.sessionFrames
    ) {
      return this.fatal(
        'E_BRIDGE_WINDOW_EXCEEDED',
        `conn ${conn.id}: ${conn.unackedBytes + len} bytes / ${conn.unackedFrames + 1} frames in flight`,
      );
    }
    this.unackedBytes += len;
    this.unackedFrames++;
    this.quota.bytesIn.owe(len);
    conn.enqueue(frame.payload);
  }

  // ---------------------------------------------------------------- dial and listen

  private dial(req: number, address: string): void {
    if (!this.quota.takeControl()) return this.fail(req, wireError('E_BRIDGE_RATE_LIMITED', 'dial'));
    const ownEndpoints = [...this.listeners.values()].map((l) => ({ host: l.host, port: l.port }));
    const verdict = checkDial(address, { demoEndpoints: this.deps.demoEndpoints(), ownEndpoints });
    if (!verdict.ok) return this.fail(req, verdict.error);
    const refusal = this.quota.openSocket();
    if (refusal) return this.fail(req, refusal);
    const covered = this.capture.cover(verdict.port);
    // The capture must be listening before the SYN leaves; after the port's first dial this is one microtask.
    void covered.then(() => this.connect(req, address, verdict.host, verdict.port));
  }

  private connect(req: number, address: string, host: string, port: number): void {
    if (this.closedSession) {
      this.quota.closeSocket();
      return;
    }
    // Go sets TCP_NODELAY on every TCP connection, and lets a conn write after the peer's FIN; so does the bridge.
    const socket = net.connect({ host, port, noDelay: true, allowHalfOpen: true });
    // connect() is issued on the next tick; the tick after, the local port is known, and tcpdump's pipe (read in a
    // later phase of the event loop) cannot yet have delivered the SYN: the capture learns the dial in time.
    let localPort: number | undefined;
    const learn = () => {
      if (localPort !== undefined || socket.localPort === undefined) return;
      localPort = socket.localPort;
      const localHost = socket.localAddress ?? host;
      this.capture.addDial(localHost, localPort, host, port);
      const owner = machineOwner(this.deps.client);
      connectionOwners.claim(localHost, localPort, owner);
      socket.once('close', () => {
        this.capture.removeDial(localHost, localPort!, host, port);
        setTimeout(() => connectionOwners.release(localHost, localPort!, owner), DIAL_OWNER_GRACE_MS).unref();
      });
    };
    process.nextTick(() => process.nextTick(learn));
    const onError = (err: NodeJS.ErrnoException) => {
      this.quota.closeSocket();
      const code = err.code === 'ECONNREFUSED' ? 'E_BRIDGE_CONNECT_REFUSED' : 'E_INTERNAL';
      this.fail(req, wireError(code, `dial tcp ${address}: ${err.code ?? err.message}`));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      learn();
      socket.off('error', onError);
      if (this.closedSession) {
        socket.destroy();
        this.quota.closeSocket();
        return;
      }
      const conn = this.adopt(socket, 'client');
      this.send({ type: 'dialed', req, conn: conn.id, local: conn.conn.localAddr, remote: conn.conn.remoteAddr });
    });
  }

  private listen(req: number, address: string): void {
    if (!this.quota.takeControl()) return this.fail(req, wireError('E_BRIDGE_RATE_LIMITED', 'listen'));
    const syntax = checkListen(address);
    if (!syntax.ok) return this.fail(req, syntax.error);
    const refusal = this.quota.openListener();
    if (refusal) return this.fail(req, refusal);
    void this.deps.heldListeners().then((held) => {
      const verdict = checkListen(address, { held });
      if (!verdict.ok) {
        this.quota.closeListener();
        return this.fail(req, verdict.error);
      }
      this.bind(req, address, verdict.host, verdict.port, SHADOW_RETRIES);
    });
  }

  private bind(req: number, address: string, host: string, port: number, retries: number): void {
    if (this.closedSession) {
      this.quota.closeListener();
      return;
    }
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) =>
      this.accepted(listener, socket),
    );
    const listener: Listener = { id: this.nextId++, server, host, port: 0 };
    server.once('error', (err: NodeJS.ErrnoException) => {
      this.quota.closeListener();
      const code: ErrorCode =
        err.code === 'EADDRINUSE'
          ? 'E_BRIDGE_PORT_IN_USE'
          : err.code === 'EACCES'
            ? 'E_BRIDGE_PRIVILEGED_PORT'
            : 'E_INTERNAL';
      this.fail(req, wireError(code, `listen tcp ${address}: ${err.code ?? err.message}`));
    });
    server.listen({ host, port, exclusive: true }, () => {
      const addr = server.address();
      listener.port = typeof addr === 'object' && addr ? addr.port : 0;
      if (this.closedSession) {
        server.close();
        this.quota.closeListener();
        return;
      }
      if (port !== 0) return this.listening(req, listener);
      // The kernel picked a port free on this address only: make sure it is not held on the other loopback one.
      void this.deps.heldListeners().then((held) => {
        const shadowed = shadowedBy(host, listener.port, { held });
        if (!shadowed) return this.listening(req, listener);
        server.close();
        if (retries > 0) return this.bind(req, address, host, 0, retries - 1);
        this.quota.closeListener();
        this.fail(req, wireError('E_BRIDGE_PORT_SHADOWED', `port ${listener.port} is held on ${shadowed.host}`));
      });
    });
  }

  private listening(req: number, listener: Listener): void {
    if (this.closedSession) {
      listener.server.close();
      this.quota.closeListener();
      return;
    }
    this.listeners.set(listener.id, listener);
    this.capture.addListener(listener.port);
    const local: Endpoint = { host: listener.host, port: listener.port };
    this.deps.bus.publish(this.demo, { kind: 'socket.listen', source: 'observed', listener: `l${listener.id}`, local });
    // The snippet learns the port (and can dial it) once the capture sees it.
    void this.capture.cover(listener.port).then(() => {
      if (!this.closedSession && this.listeners.has(listener.id))
        this.send({ type: 'listening', req, listener: listener.id, local });
    });
  }

  private accepted(listener: Listener, socket: net.Socket): void {
    if (this.closedSession || !this.listeners.has(listener.id)) {
      socket.destroy();
      return;
    }
    const refusal = this.quota.openSocket();
    if (refusal) {
      // Like a full accept queue: the client is reset, and the snippet is told why once.
      socket.destroy();
      this.send({ type: 'notice', error: refusal });
      return;
    }
    const conn = this.adopt(socket, 'server');
    this.send({
      type: 'accepted',
      listener: listener.id,
      conn: conn.id,
      local: conn.conn.localAddr,
      remote: conn.conn.remoteAddr,
    });
  }

  private adopt(socket: net.Socket, side: 'client' | 'server'): BridgedConn {
    const conn = new BridgedConn(this.nextId++, socket, side, this, this.reporter);
    this.conns.set(conn.id, conn);
    this.reporter.opened(conn.conn, side);
    return conn;
  }

  private close(id: number): void {
    const conn = this.conns.get(id);
    if (conn) {
      if (conn.closing) return;
      // From now on the browser no longer counts this conn's bytes in flight; neither does the session.
      this.unackedBytes -= conn.unackedBytes;
      this.unackedFrames -= conn.unackedFrames;
      conn.requestClose();
      return;
    }
    const listener = this.listeners.get(id);
    if (listener) {
      this.listeners.delete(id);
      this.quota.closeListener();
      this.capture.removeListener(listener.port);
      listener.server.close();
      this.send({ type: 'closed', id, reason: 'local' });
    }
  }

  // ---------------------------------------------------------------- ConnHost: windows, relaying, acknowledgements

  mayRelay(conn: BridgedConn): Promise<boolean> {
    if (this.closedSession || conn.isClosed) return Promise.resolve(false);
    if (this.relayAllowed(conn)) return Promise.resolve(true);
    // Held back by the session (window or byte rate) rather than its own window: every waiter is retried later.
    if (conn.uncredited < this.deps.limits.recvWindow.connBytes) this.sessionBlocked = true;
    return new Promise((resolve) => {
      this.waiting.set(conn, resolve);
      this.scheduleThrottleWake();
    });
  }

  private relayAllowed(conn: BridgedConn): boolean {
    const w = this.deps.limits.recvWindow;
    return conn.uncredited < w.connBytes && this.uncredited < w.sessionBytes && this.quota.bytesOut.delay() === 0;
  }

  relay(conn: BridgedConn, chunk: Uint8Array): void {
    conn.uncredited += chunk.length;
    this.uncredited += chunk.length;
    if (this.quota.bytesOut.owe(chunk.length) > 0) this.noteThrottled();
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + chunk.length);
    frame[0] = OP_DATA;
    frame.writeUInt32BE(conn.id, 1);
    frame.set(chunk, FRAME_HEADER_BYTES);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: true });
  }

  private credit(id: number, bytes: number): void {
    const conn = this.conns.get(id);
    if (!conn) return;
    const n = Math.min(bytes, conn.uncredited);
    conn.uncredited -= n;
    this.uncredited -= n;
    this.wakeRelays(conn);
  }

  /** Wakes the conn that got credit, and every waiting conn when the session window or byte rate held them back. */
  private wakeRelays(credited: BridgedConn | null): void {
    if (this.waiting.size === 0) return;
    if (credited) this.tryWake(credited);
    if (
      this.sessionBlocked &&
      this.uncredited < this.deps.limits.recvWindow.sessionBytes &&
      this.quota.bytesOut.delay() === 0
    ) {
      this.sessionBlocked = false;
      for (const c of [...this.waiting.keys()]) this.tryWake(c);
    }
    this.scheduleThrottleWake();
  }

  private tryWake(conn: BridgedConn): void {
    const wake = this.waiting.get(conn);
    if (!wake) return;
    if (conn.isClosed || this.closedSession) {
      this.waiting.delete(conn);
      wake(false);
    } else if (this.relayAllowed(conn)) {
      this.waiting.delete(conn);
      wake(true);
    } else if (conn.uncredited < this.deps.limits.recvWindow.connBytes) this.sessionBlocked = true;
  }

  private scheduleThrottleWake(): void {
    if (this.throttleTimer || this.waiting.size === 0) return;
    const delay = this.quota.bytesOut.delay();
    // Conns held back by the session but not by its window wait for the byte rate: nothing but this timer wakes
    // them, so it is armed even when the rate allows again already (time moved on since they were turned away).
    // Conns waiting only for credit are woken by the credit.
    const heldByRate = this.sessionBlocked && this.uncredited < this.deps.limits.recvWindow.sessionBytes;
    if (delay === 0 && !heldByRate) return;
    this.throttleTimer = setTimeout(() => {
      this.throttleTimer = null;
      this.sessionBlocked = true;
      this.wakeRelays(null);
    }, Math.ceil(delay));
  }

  eof(conn: BridgedConn): void {
    this.send({ type: 'eof', conn: conn.id });
  }

  written(conn: BridgedConn, bytes: number): void {
    conn.unackedBytes -= bytes;
    conn.unackedFrames--;
    if (conn.closing) return;
    this.unackedBytes -= bytes;
    this.unackedFrames--;
    const entry = this.acks.get(conn.id);
    if (entry) {
      entry.bytes += bytes;
      entry.frames++;
    } else this.acks.set(conn.id, { conn: conn.id, bytes, frames: 1 });
    this.scheduleAcks();
  }

  /** Acknowledgements go out together, once per turn of the event loop, later while the byte rate is exceeded. */
  private scheduleAcks(): void {
    if (this.ackTimer) return;
    const delay = this.quota.bytesIn.delay();
    if (delay > 0) {
      this.noteThrottled();
      this.ackTimer = setTimeout(() => this.flushAcks(), Math.ceil(delay));
    } else this.ackTimer = setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    this.ackTimer = null;
    if (this.acks.size === 0 || this.closedSession) return;
    const delay = this.quota.bytesIn.delay();
    if (delay > 0) {
      this.ackTimer = setTimeout(() => this.flushAcks(), Math.ceil(delay));
      return;
    }
    const entries = [...this.acks.values()];
    this.acks.clear();
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeCredit(entries), { binary: true });
  }

  closed(conn: BridgedConn, reason: 'eof' | 'local' | 'error', error?: Error): void {
    if (!this.conns.delete(conn.id)) return;
    this.quota.closeSocket();
    if (!conn.closing) {
      this.unackedBytes -= conn.unackedBytes;
      this.unackedFrames -= conn.unackedFrames;
    }
    this.uncredited -= conn.uncredited;
    this.acks.delete(conn.id);
    const wake = this.waiting.get(conn);
    if (wake) {
      this.waiting.delete(conn);
      wake(false);
    }
    this.wakeRelays(null);
    if (this.closedSession) return;
    const msg: BridgeServerMessage = { type: 'closed', id: conn.id, reason };
    if (error) msg.error = wireError('E_INTERNAL', error.message);
    this.send(msg);
  }

  private noteThrottled(): void {
    if (this.throttleNoticeSent) return;
    this.throttleNoticeSent = true;
    this.send({
      type: 'notice',
      error: wireError(
        'E_BRIDGE_THROTTLED',
        `${(this.deps.limits.bytesPerSecond / (1024 * 1024)).toFixed(0)} MiB/s per direction`,
      ),
    });
  }

  // ---------------------------------------------------------------- the session's end

  private send(message: BridgeServerMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private fail(req: number, error: WireError): void {
    this.send({ type: 'failed', req, error });
  }

  private fatal(code: ErrorCode, detail?: string): void {
    this.send({ type: 'fatal', error: wireError(code, detail) });
    this.ws.close(1008, code);
    this.dispose();
  }

  /** Closes every socket and listener of the session at once. Safe to call twice. */
  dispose(): void {
    if (this.closedSession) return;
    this.closedSession = true;
    clearInterval(this.statsTimer);
    if (this.ackTimer) {
      clearTimeout(this.ackTimer as NodeJS.Timeout);
      clearImmediate(this.ackTimer as NodeJS.Immediate);
    }
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    for (const wake of this.waiting.values()) wake(false);
    this.waiting.clear();
    for (const conn of this.conns.values()) conn.destroy();
    for (const l of this.listeners.values()) l.server.close();
    this.listeners.clear();
    this.quota.releaseAll();
    // The conns' close events still arrive (and are published), and the capture drains its last segments; forget
    // the history once they have.
    const settled = Promise.all([this.capture.stop(), new Promise((r) => setTimeout(r, 100).unref())]);
    void settled.finally(() => {
      this.reporter.flushStats();
      this.deps.bus.forget(this.demo);
      connectionOwners.releaseSnippet(this.demo);
    });
  }
}
