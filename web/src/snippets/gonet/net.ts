// Go's net package for snippets: net.dial and net.listen open REAL sockets on the lab server through the bridge;
// conn.read / conn.write / accept park the goroutine as an I/O wait (so a blocked reader is not a deadlock), and
// deadlines use the run's timers. Results keep Go's shape: `const [n, err] = await conn.read(buf)`.
import { ERROR_MESSAGES, type WireError } from '@core/protocol/errors';
import type { SyncObjectKind, WaitTarget } from '@core/protocol/events/goroutine';
import { joinHostPort } from '@core/protocol/bridge';
import type { Endpoint } from '@core/protocol/events/socket';
import { IoOp } from '@core/runtime/ioWait';
import { callerGoroutine, readyPromise, resolveRuntime, type Runtime, type Waitable } from '@core/runtime/scheduler';
import type { RuntimeTimer } from '@core/runtime/timerQueue';
import type { BridgeConn, BridgeListener, PendingWrite } from '@core/bridge/bridgeClient';
import { GoError } from './errors';
import { currentHost, track, untrack } from './host';
import { EOF } from './io';
import { ErrDeadlineExceeded } from './os';

/** `net.ErrClosed`: using a conn or listener after Close. */
export const ErrClosed: Error = new GoError('use of closed network connection');

/** A refusal or failure from the lab server, with its stable code: `err.code === 'E_BRIDGE_DIAL_NOT_ALLOWED'`. */
export class LabNetError extends GoError {
  constructor(readonly wire: WireError) {
    const lang = currentHost().language;
    const text = ERROR_MESSAGES[wire.code]?.[lang] ?? wire.code;
    super(`${wire.code}: ${text}${wire.detail ? ` (${wire.detail})` : ''}`);
    this.name = 'LabNetError';
  }

  get code(): string {
    return this.wire.code;
  }
}

/** Go's *net.OpError: "dial tcp 127.0.0.1:80: …". timeout() says whether a deadline caused it. */
export class OpError extends GoError {
  constructor(
    readonly op: string,
    readonly addr: string,
    readonly err: Error,
  ) {
    super(`${op} tcp ${addr}: ${err.message}`, { cause: err });
    this.name = 'OpError';
  }

  timeout(): boolean {
    return this.err === ErrDeadlineExceeded;
  }
}

/** `net.Addr` for TCP. */
export class TCPAddr {
  constructor(
    readonly ip: string,
    readonly port: number,
  ) {}

  network(): string {
    return 'tcp';
  }

  string(): string {
    return joinHostPort(this.ip, this.port);
  }

  toString(): string {
    return this.string();
  }
}

function addrOf(e: Endpoint): TCPAddr {
  return new TCPAddr(e.host.replace(/^::ffff:/, ''), e.port);
}

/** True when err (or what it wraps) came from a deadline: `if (net.isTimeout(err))`, Go's `ne.Timeout()`. */
export function isTimeout(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e instanceof Error && i < 20; e = e.cause, i++) {
    if (e === ErrDeadlineExceeded) return true;
  }
  return false;
}

type ReadResult = [number, Error | null];

/** What a pending read or write needs to be ended early (a deadline set, the conn closed). */
interface PendingIO {
  complete(value: ReadResult): void;
  timer: RuntimeTimer | null;
  retry(): void;
}

abstract class NetObject implements Waitable {
  readonly kind: SyncObjectKind = 'io';
  readonly id: number;
  abstract readonly name: string;

  constructor(readonly rt: Runtime) {
    this.id = rt.nextObjectId();
    track(rt, this);
  }

  waitTarget(): WaitTarget {
    return { kind: 'io', id: this.id, name: this.name };
  }

  abstract close(): Error | null;
}

/** `net.Conn` over a bridged TCP connection. */
export class Conn extends NetObject {
  readonly name: string;
  private readDeadline = 0;
  private writeDeadline = 0;
  private pendingRead: PendingIO | null = null;
  private pendingWrite: (PendingIO & { w: PendingWrite }) | null = null;
  private closedHere = false;

  constructor(
    rt: Runtime,
    private readonly bc: BridgeConn,
  ) {
    super(rt);
    this.name = `tcp ${this.localAddr().string()}->${this.remoteAddr().string()}`;
  }

  localAddr(): TCPAddr {
    return addrOf(this.bc.local);
  }

  remoteAddr(): TCPAddr {
    return addrOf(this.bc.remote);
  }

  /** "local->remote", as Go's errors name a connection. */
  private get pair(): string {
    return `${this.localAddr().string()}->${this.remoteAddr().string()}`;
  }

  /**
   * Reads up to p.length bytes: what ONE read on the lab server returned (or the rest of it). Waits until there is
   * something. Returns [0, io.EOF] once the peer has closed its side and everything was read.
   */
  read(p: Uint8Array): Promise<ReadResult> {
    const g = callerGoroutine();
    const now = this.tryRead(p);
    if (now !== null) return readyPromise(g, now);
    const op = new IoOp<ReadResult>();
    if (op.begin(this.rt)) {
      const io: PendingIO = {
        complete: (v) => {
          if (this.pendingRead !== io) return;
          this.pendingRead = null;
          this.bc.onReadable = null;
          if (io.timer) this.rt.stopTimer(io.timer);
          op.complete(v);
        },
        timer: null,
        retry: () => {
          const r = this.tryRead(p);
          if (r !== null) io.complete(r);
          else this.bc.onReadable = io.retry;
        },
      };
      this.pendingRead = io;
      this.bc.onReadable = io.retry;
      this.armDeadline(io, this.readDeadline, 'read');
    }
    return op.wait(this);
  }

  private tryRead(p: Uint8Array): ReadResult | null {
    if (this.closedHere) return [0, new OpError('read', this.pair, ErrClosed)];
    if (p.length === 0) return [0, null];
    if (this.readDeadline !== 0 && this.rt.now() >= this.readDeadline)
      return [0, new OpError('read', this.pair, ErrDeadlineExceeded)];
    const n = this.bc.readInto(p);
    if (n > 0) return [n, null];
    if (this.bc.eof) return [0, EOF];
    if (this.bc.closedError) {
      const e = this.bc.closedError;
      return [0, e.code === 'E_BRIDGE_NO_SUCH_SOCKET' ? EOF : new OpError('read', this.pair, new LabNetError(e))];
    }
    return null;
  }

  /**
   * Writes all of p (bytes or a string, sent as UTF-8). Returns once every byte is on its way within the bridge's
   * window — like Go's Write returning once the kernel buffered them; it waits while the peer does not read.
   */
  write(p: Uint8Array | string): Promise<ReadResult> {
    const g = callerGoroutine();
    const data = typeof p === 'string' ? new TextEncoder().encode(p) : p;
    const addr = this.pair;
    if (this.closedHere) return readyPromise(g, [0, new OpError('write', addr, ErrClosed)] as ReadResult);
    if (this.writeDeadline !== 0 && this.rt.now() >= this.writeDeadline)
      return readyPromise(g, [0, new OpError('write', addr, ErrDeadlineExceeded)] as ReadResult);
    let immediate: ReadResult | null = null;
    let io: (PendingIO & { w: PendingWrite }) | null = null;
    const done = (error: WireError | null) => {
      const r: ReadResult = error
        ? [0, new OpError('write', addr, this.closedHere ? ErrClosed : new LabNetError(error))]
        : [data.length, null];
      if (io) io.complete(r);
      else immediate = r;
    };
    const w = this.bc.write(data, done);
    if (w === null) return readyPromise(g, immediate ?? ([data.length, null] as ReadResult));
    const op = new IoOp<ReadResult>();
    if (op.begin(this.rt)) {
      const pending: PendingIO & { w: PendingWrite } = {
        w,
        timer: null,
        complete: (v) => {
          if (this.pendingWrite !== pending) return;
          this.pendingWrite = null;
          if (pending.timer) this.rt.stopTimer(pending.timer);
          op.complete(v);
        },
        retry: () => {
          // A deadline: what was sent stays sent; the rest is withdrawn, as Go returns a short write.
          this.bc.cancelWrite(w);
          pending.complete([w.offset, new OpError('write', addr, ErrDeadlineExceeded)]);
        },
      };
      io = pending;
      this.pendingWrite = pending;
      this.armDeadline(pending, this.writeDeadline, 'write');
    }
    return op.wait(this);
  }

  private armDeadline(io: PendingIO, deadline: number, op: 'read' | 'write'): void {
    if (io.timer) this.rt.stopTimer(io.timer);
    io.timer = null;
    if (deadline === 0) return;
    const expire = () => {
      io.timer = null;
      if (op === 'read') io.complete([0, new OpError('read', this.pair, ErrDeadlineExceeded)]);
      else io.retry();
    };
    io.timer = this.rt.addTimer(deadline - this.rt.now(), expire);
  }

  /**
   * `conn.SetReadDeadline(t)`: t is a time on the run's clock (`time.now() + 2 * time.Second`); 0 clears it.
   * A read waiting now is ended by the new deadline too, as in Go.
   */
  setReadDeadline(t: number): Error | null {
    if (this.closedHere) return ErrClosed;
    this.readDeadline = t;
    if (this.pendingRead) this.armDeadline(this.pendingRead, t, 'read');
    return null;
  }

  setWriteDeadline(t: number): Error | null {
    if (this.closedHere) return ErrClosed;
    this.writeDeadline = t;
    if (this.pendingWrite) this.armDeadline(this.pendingWrite, t, 'write');
    return null;
  }

  setDeadline(t: number): Error | null {
    return this.setReadDeadline(t) ?? this.setWriteDeadline(t);
  }

  /** Go enables TCP_NODELAY by default; false lets the kernel coalesce small writes (Nagle). */
  setNoDelay(noDelay: boolean): Error | null {
    if (this.closedHere) return ErrClosed;
    this.bc.setNoDelay(noDelay);
    return null;
  }

  /** Sends FIN after what was written; the conn can still read (Go's TCPConn.CloseWrite). */
  closeWrite(): Error | null {
    if (this.closedHere) return ErrClosed;
    this.bc.closeWrite();
    return null;
  }

  /** Closes the conn: pending reads and writes return net.ErrClosed; the lab closes the real socket. */
  close(): Error | null {
    if (this.closedHere) return new OpError('close', this.pair, ErrClosed);
    this.closedHere = true;
    untrack(this.rt, this);
    this.bc.close();
    this.pendingRead?.complete([0, new OpError('read', this.pair, ErrClosed)]);
    this.pendingWrite?.complete([this.pendingWrite.w.offset, new OpError('write', this.pair, ErrClosed)]);
    return null;
  }
}

/** `net.Listener` for a snippet's listening socket on the lab server. */
export class Listener extends NetObject {
  readonly name: string;
  private closedHere = false;
  private pendingAccept: ((v: [Conn, null] | [null, Error]) => void) | null = null;

  constructor(
    rt: Runtime,
    private readonly bl: BridgeListener,
  ) {
    super(rt);
    this.name = `listener ${this.addr().string()}`;
  }

  addr(): TCPAddr {
    return addrOf(this.bl.local);
  }

  /** Waits for the next connection: `const [conn, err] = await ln.accept()`. */
  accept(): Promise<[Conn, null] | [null, Error]> {
    const g = callerGoroutine();
    const rt = g?.rt ?? this.rt;
    const now = this.tryAccept(rt);
    if (now !== null) return readyPromise(g, now);
    const op = new IoOp<[Conn, null] | [null, Error]>();
    if (op.begin(rt)) {
      const retry = () => {
        const r = this.tryAccept(rt);
        if (r === null) {
          this.bl.onAcceptable = retry;
          return;
        }
        this.pendingAccept = null;
        op.complete(r);
      };
      this.pendingAccept = (v) => {
        this.pendingAccept = null;
        this.bl.onAcceptable = null;
        op.complete(v);
      };
      this.bl.onAcceptable = retry;
    }
    return op.wait(this);
  }

  private tryAccept(rt: Runtime): [Conn, null] | [null, Error] | null {
    const addr = this.addr().string();
    if (this.closedHere) return [null, new OpError('accept', addr, ErrClosed)];
    const bc = this.bl.backlog.shift();
    if (bc) return [new Conn(rt, bc), null];
    if (this.bl.closedError) return [null, new OpError('accept', addr, new LabNetError(this.bl.closedError))];
    return null;
  }

  close(): Error | null {
    if (this.closedHere) return new OpError('close', this.addr().string(), ErrClosed);
    this.closedHere = true;
    untrack(this.rt, this);
    this.bl.close();
    // Connections accepted by the lab but never taken by accept() close with the listener.
    for (const bc of this.bl.backlog.splice(0)) bc.close();
    this.pendingAccept?.([null, new OpError('accept', this.addr().string(), ErrClosed)]);
    return null;
  }
}

function checkNetwork(network: string): Error | null {
  return network === 'tcp' || network === 'tcp4' || network === 'tcp6'
    ? null
    : new GoError(`unknown network ${network}: the lab bridges TCP`);
}

/**
 * `net.Dial("tcp", address)`: a real connection from the lab server to a demo port or one of this run's listeners.
 * @example const [conn, err] = await net.dial('tcp', lab.addr('echo'));
 */
export function dial(network: string, address: string): Promise<[Conn, null] | [null, Error]> {
  const g = callerGoroutine();
  const rt = g?.rt ?? resolveRuntime();
  const bad = checkNetwork(network);
  if (bad) return readyPromise(g, [null, new OpError('dial', address, bad)] as [null, Error]);
  const bridge = currentHost().bridge;
  if (!bridge)
    return readyPromise(g, [null, new OpError('dial', address, new GoError('no connection to the lab server'))] as [
      null,
      Error,
    ]);
  const op = new IoOp<[Conn, null] | [null, Error]>();
  if (op.begin(rt)) {
    bridge.dial(address, (o) => {
      if (!o.ok) return op.complete([null, new OpError('dial', address, new LabNetError(o.error))]);
      if (rt.stopped) {
        o.value.close();
        return;
      }
      op.complete([new Conn(rt, o.value), null]);
    });
  }
  return op.wait();
}

/**
 * `net.Listen("tcp", address)`: a real listening socket on the lab server's loopback. Use port 0 and ln.addr()
 * to get a free port.
 */
export function listen(network: string, address: string): Promise<[Listener, null] | [null, Error]> {
  const g = callerGoroutine();
  const rt = g?.rt ?? resolveRuntime();
  const bad = checkNetwork(network);
  if (bad) return readyPromise(g, [null, new OpError('listen', address, bad)] as [null, Error]);
  const bridge = currentHost().bridge;
  if (!bridge)
    return readyPromise(g, [null, new OpError('listen', address, new GoError('no connection to the lab server'))] as [
      null,
      Error,
    ]);
  const op = new IoOp<[Listener, null] | [null, Error]>();
  if (op.begin(rt)) {
    bridge.listen(address, (o) => {
      if (!o.ok) return op.complete([null, new OpError('listen', address, new LabNetError(o.error))]);
      if (rt.stopped) {
        o.value.close();
        return;
      }
      op.complete([new Listener(rt, o.value), null]);
    });
  }
  return op.wait();
}
