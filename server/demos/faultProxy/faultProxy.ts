// The fault proxy's I/O shell: a real TCP proxy on loopback in front of an upstream, each connection's two
// directions run through a FaultPipe (faultPipe.ts) whose actions it carries out on the sockets at their times.
// Back-pressure is kept: a stalled direction, a full destination or too many scheduled bytes stop reading the
// source, so nothing is buffered without bound. Its switches are real too: refusing closes the listener (clients get
// ECONNREFUSED) and the upstream goes down through the owner's hook (a real server stop) or, without one, the proxy
// resets its upstream legs and closes new clients at once, as a proxy in front of a dead server does.
import net from 'node:net';
import type { FaultRuleSpec, FaultRuleView, ProxySwitches } from '../../../core/protocol/demos/faultProxy.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { connectionOwners, machineOwner } from '../../net/connectionOwners.js';
import { admitConnection, ECHO_CONNECTION_LIMITS } from '../../net/connectionLimits.js';
import { adoptWithLargeReads, connectWithLargeReads } from '../../net/largeReads.js';
import { boundPort, listenTcp } from '../../net/listen.js';
import { FaultPipe, type PipeAction } from './faultPipe.js';
import { FaultRuleBook, type ConnOwner, type FaultCaller } from './faultRuleBook.js';

/** Scheduled but unwritten bytes per direction above which the proxy stops reading that direction's source. */
export const HIGH_WATER_BYTES = 256 * 1024;

export interface FaultProxyOptions {
  host: string;
  /** 0: a free port. */
  port: number;
  /** Named in the error when the port is taken. */
  flag?: string;
  upstream: { host: string; port: number };
  emit?(body: LabEventBody): void;
  /** Stops and starts the real upstream server (a server restart); without it the proxy plays the dead server. */
  upstreamControl?: { down(): Promise<void>; up(): Promise<void> };
  /** Who owns a connection, by its client's endpoint (default: the lab's connectionOwners registry). */
  ownerOf?(host: string, port: number): string | undefined;
  now?(): number;
  random?(): number;
  maxConnections?: number;
}

const isLoopback = (a: string) => a === '::1' || /^(::ffff:)?127\./.test(a);

/**
 * A fault proxy another demo can own (the reconnect, shutdown or breaker lessons): no page is involved, so the
 * demo sets rules as the lab itself, reaching every connection.
 * @example
 * const proxy = new FaultProxy({ host: '127.0.0.1', port: 0, upstream: { host: '127.0.0.1', port }, emit });
 * await proxy.listen();
 * const rule = parseFaultRule({ fault: { type: 'stall' }, direction: 'down' });
 * if (rule.ok) proxy.addRule('storm', { owns: [], outside: true }, rule.rule);
 * await proxy.setSwitches({ upstream: 'down' }); // with upstreamControl: a real server stop
 */
export class FaultProxy {
  private server: net.Server;
  private readonly conns = new Map<string, ProxiedConn>();
  readonly rules = new FaultRuleBook();
  private switches: ProxySwitches = { accepting: 'open', upstream: 'up' };
  private boundTo = 0;
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: FaultProxyOptions) {
    this.now = options.now ?? (() => performance.now());
    this.server = this.createServer();
  }

  get port(): number {
    return this.boundTo;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  get state(): ProxySwitches {
    return { ...this.switches };
  }

  async listen(): Promise<void> {
    await listenTcp(this.server, { host: this.options.host, port: this.options.port, flag: this.options.flag ?? '' });
    this.boundTo = boundPort(this.server);
  }

  /** Stops accepting and closes every proxied connection. */
  async close(): Promise<void> {
    for (const c of this.conns.values()) c.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A proxied connection's owner, undefined when no such connection is open. */
  ownerOfConn(conn: string): ConnOwner | undefined {
    return this.conns.get(conn)?.owner;
  }

  /** The proxied connections the caller may reach. */
  connsFor(caller: FaultCaller): string[] {
    return [...this.conns.values()].filter((c) => reachable(caller, c.owner)).map((c) => c.id);
  }

  addRule(holder: string, caller: FaultCaller, spec: FaultRuleSpec): string {
    const id = this.rules.add(holder, caller, spec, (conn) => this.ownerOfConn(conn));
    this.applyRules();
    return id;
  }

  clearRules(holder: string, id?: string): number {
    const n = this.rules.clear(holder, id);
    if (n > 0) this.applyRules();
    return n;
  }

  listRules(holder: string): FaultRuleView[] {
    return this.rules.list(holder);
  }

  /** Changes the switches; resolves once the listener and the upstream are in the new state. */
  async setSwitches(change: Partial<ProxySwitches>): Promise<ProxySwitches> {
    if (change.accepting && change.accepting !== this.switches.accepting) {
      this.switches.accepting = change.accepting;
      if (change.accepting === 'refuse') {
        // Closing the listener is what makes the kernel answer SYNs with RST: a real refusal. The listening socket
        // goes at once; close's callback would wait for the open connections, which keep going.
        this.server.close();
      } else {
        this.server = this.createServer();
        await listenTcp(this.server, { host: this.options.host, port: this.boundTo, flag: this.options.flag ?? '' });
      }
    }
    if (change.upstream && change.upstream !== this.switches.upstream) {
      this.switches.upstream = change.upstream;
      const control = this.options.upstreamControl;
      if (change.upstream === 'down') {
        if (control) await control.down();
        else for (const c of this.conns.values()) c.upstreamDied();
      } else if (control) await control.up();
    }
    this.options.emit?.({ kind: 'fault.switches', source: 'observed', ...this.switches });
    return this.state;
  }

  private createServer(): net.Server {
    // Paused on connect: no byte is read before the connection's handle moves to a large-read socket (accept).
    return net.createServer({ noDelay: true, allowHalfOpen: true, pauseOnConnect: true }, (socket) =>
      this.accept(socket),
    );
  }

  private applyRules(): void {
    for (const c of this.conns.values()) c.setRules(this.rules);
  }

  private accept(accepted: net.Socket): void {
    const id = `p${this.nextId++}`;
    // The client's bytes go to its connection once it exists (below, before any read can happen).
    let conn: ProxiedConn | null = null;
    const fromClient = (bytes: Buffer) => conn?.fromClient(bytes) ?? false;
    const client = adoptWithLargeReads(accepted, true, fromClient) ?? withDataEvents(accepted, fromClient);
    const limits = { ...ECHO_CONNECTION_LIMITS, maxConnections: this.options.maxConnections ?? 2048 };
    if (!admitConnection(client, this.conns.size, limits)) return;
    const remote = { host: client.remoteAddress ?? '', port: client.remotePort ?? 0 };
    const owned = (this.options.ownerOf ?? connectionOwners.ownerOf)(remote.host, remote.port);
    // From outside the lab: the lab's own machine (null), or another machine, which owns what it opens.
    const owner: ConnOwner = owned ?? (isLoopback(remote.host) ? null : machineOwner(remote.host));
    const emit = this.options.emit ?? (() => {});
    emit({
      kind: 'socket.open',
      source: 'observed',
      conn: id,
      side: 'server',
      local: { host: client.localAddress ?? '', port: client.localPort ?? 0 },
      remote,
    });
    if (this.switches.upstream === 'down' && !this.options.upstreamControl) {
      emit({ kind: 'fault.refused', source: 'observed', conn: id, reason: 'upstream-down' });
      client.on('error', () => {});
      client.once('close', () => emitClose(emit, id, 'local', 0, 0));
      client.end();
      return;
    }
    conn = new ProxiedConn(id, owner, client, this.options, this.now, emit);
    this.conns.set(id, conn);
    conn.onClosed = () => this.conns.delete(id);
    conn.setRules(this.rules);
  }
}

/** An accepted socket that keeps its own handle (see adoptWithLargeReads) reads as usual, with 'data' events. */
function withDataEvents(socket: net.Socket, sink: (bytes: Buffer) => boolean): net.Socket {
  socket.on('data', sink);
  return socket;
}

function reachable(caller: FaultCaller, owner: ConnOwner): boolean {
  return owner === null ? caller.outside : caller.owns.includes(owner);
}

function emitClose(
  emit: (b: LabEventBody) => void,
  conn: string,
  reason: 'eof' | 'local' | 'error',
  i: number,
  o: number,
) {
  emit({ kind: 'socket.close', source: 'observed', conn, reason, bytesIn: i, bytesOut: o });
}

/** One direction's sockets and its queue of timed actions. */
class Direction {
  readonly pipe: FaultPipe;
  private readonly queue: Exclude<PipeAction, { type: 'event' | 'retime' }>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private scheduled = 0;
  private blocked = false;
  bytes = 0;

  constructor(
    readonly name: 'up' | 'down',
    private readonly src: net.Socket,
    private readonly dst: net.Socket,
    private readonly owner: ProxiedConn,
    random: (() => number) | undefined,
  ) {
    this.pipe = new FaultPipe(random);
    src.on('end', () => this.run(this.pipe.end(owner.now())));
    dst.on('drain', () => {
      this.blocked = false;
      this.flow();
    });
  }

  /**
   * Bytes read from the source, in its read buffer (largeReads.ts), which the next read overwrites. With no fault on
   * this direction and nothing queued they go straight through, as a plain proxy's would, with no event and no copy;
   * when the kernel does not take them all at once, reading stops until it has (`flushed`), so the buffer is free
   * again before the next read and no new one is needed. Otherwise the pipe gets a copy: it keeps pieces for later.
   */
  take(chunk: Buffer): boolean {
    if (this.queue.length === 0 && this.pipe.passesThrough) {
      this.bytes += chunk.length;
      this.dst.write(chunk, this.flushed);
      if (this.dst.writableLength > 0) {
        this.blocked = true;
        this.src.pause();
      }
      return false;
    }
    this.run(this.pipe.push(Buffer.from(chunk), this.owner.now()));
    return false;
  }

  /** A write finished: once nothing waits for the kernel any more, the source may be read again. */
  private readonly flushed = (): void => {
    if (!this.blocked || this.dst.writableLength > 0) return;
    this.blocked = false;
    this.flow();
  };

  run(actions: PipeAction[]): void {
    for (const a of actions) {
      if (a.type === 'event') this.owner.faultEvent(this.name, a);
      else if (a.type === 'retime') {
        for (const q of this.queue) q.at = Math.min(q.at, a.at);
      } else {
        if (a.type === 'write') this.scheduled += a.bytes.length;
        this.queue.push(a);
      }
    }
    this.drainQueue();
    this.flow();
  }

  /** Drops a cleared rule's pending reset or close. */
  cancel(keep: (rule: string) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const a = this.queue[i]!;
      if ((a.type === 'reset' || a.type === 'close') && !keep(a.rule)) this.queue.splice(i, 1);
    }
  }

  private drainQueue(): void {
    const now = this.owner.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const a = this.queue.shift()!;
      if (a.type === 'write') {
        this.scheduled -= a.bytes.length;
        this.bytes += a.bytes.length;
        if (!this.dst.destroyed && !this.dst.writableEnded && !this.dst.write(a.bytes)) this.blocked = true;
      } else if (a.type === 'end') {
        if (!this.dst.destroyed) this.dst.end();
      } else if (a.type === 'close') this.owner.closeBoth();
      else if (a.type === 'reset') this.owner.resetBoth();
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.queue[0];
    if (next) this.timer = setTimeout(() => this.run([]), Math.max(0, next.at - now));
  }

  /** Reads the source only while nothing holds this direction back. */
  private flow(): void {
    const hold = this.pipe.stalled || this.blocked || this.scheduled > HIGH_WATER_BYTES;
    if (hold && !this.src.isPaused()) this.src.pause();
    else if (!hold && this.src.isPaused() && !this.src.destroyed) this.src.resume();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

class ProxiedConn {
  private readonly upstream: net.Socket;
  private readonly up: Direction;
  private readonly down: Direction;
  private closed = false;
  onClosed: () => void = () => {};

  constructor(
    readonly id: string,
    readonly owner: ConnOwner,
    private readonly client: net.Socket,
    options: FaultProxyOptions,
    readonly now: () => number,
    private readonly emit: (body: LabEventBody) => void,
  ) {
    this.upstream = connectWithLargeReads({ ...options.upstream, noDelay: true, allowHalfOpen: true }, (bytes) =>
      this.down.take(bytes),
    );
    this.up = new Direction('up', client, this.upstream, this, options.random);
    this.down = new Direction('down', this.upstream, client, this, options.random);
    // A reset on one leg is passed on as a reset; any other end of one leg ends the other.
    const onError = (other: net.Socket) => (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && other === client)
        emit({ kind: 'fault.refused', source: 'observed', conn: id, reason: 'upstream-down' });
      if (err.code === 'ECONNRESET' || err.code === 'ECONNREFUSED') other.resetAndDestroy();
      else other.destroy();
    };
    client.on('error', onError(this.upstream));
    this.upstream.on('error', onError(client));
    client.once('close', () => this.finish());
    this.upstream.once('close', () => {
      if (!client.destroyed && client.writableEnded) client.destroy();
    });
  }

  fromClient(bytes: Buffer): boolean {
    return this.up.take(bytes);
  }

  setRules(book: FaultRuleBook): void {
    for (const d of [this.up, this.down]) {
      const rules = book.rulesFor(this.id, this.owner, d.name);
      const ids = new Set(rules.map((r) => r.id));
      d.cancel((rule) => ids.has(rule));
      d.run(d.pipe.setRules(rules, this.now()));
    }
  }

  faultEvent(dir: 'up' | 'down', a: Extract<PipeAction, { type: 'event' }>): void {
    this.emit({
      kind: 'fault.injected',
      source: 'observed',
      conn: this.id,
      dir,
      fault: a.fault,
      rule: a.rule,
      action: a.action,
      ...(a.bytes === undefined ? {} : { bytes: a.bytes }),
    });
  }

  /** FIN both ways, then gone once both sides finish (or after a grace period). */
  closeBoth(): void {
    this.client.end();
    this.upstream.end();
    setTimeout(() => this.destroy(), 2000).unref();
  }

  resetBoth(): void {
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (!this.upstream.destroyed) this.upstream.resetAndDestroy();
  }

  /** The upstream server went away without a word: what a restart does to an open connection. */
  upstreamDied(): void {
    if (!this.upstream.destroyed) this.upstream.resetAndDestroy();
    if (!this.client.destroyed) this.client.resetAndDestroy();
  }

  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.up.stop();
    this.down.stop();
    this.upstream.destroy();
    this.onClosed();
    emitClose(this.emit, this.id, 'eof', this.up.bytes, this.down.bytes);
  }
}
