// A Go-shaped net.Conn over a node:net socket: `const [n, err] = await conn.read(buf)`, writes that return once the
// bytes reached the kernel, and reading that pauses the socket when nobody reads (so memory stays bounded).
import type { Socket } from 'node:net';

/** Returned by read() when the peer closed its side, like Go's io.EOF. */
export const EOF: Error = Object.freeze(Object.assign(new Error('EOF'), { name: 'EOF' }));

/** Hooks the lab uses to observe a connection. Every method is optional; none is called when absent. */
export interface ConnObserver {
  onRead?(conn: GoConn, chunk: Uint8Array): void;
  onWrite?(conn: GoConn, data: Uint8Array): void;
  onPause?(conn: GoConn, buffered: number): void;
  onResume?(conn: GoConn): void;
  onClose?(conn: GoConn, reason: 'eof' | 'local' | 'error', error?: Error): void;
}

export interface GoConnOptions {
  id: string;
  /** Bytes read from the socket but not yet by read() before the socket is paused. */
  highWaterBytes?: number;
  observer?: ConnObserver;
}

type Waiter = () => void;

/** Where readInto/writeFrom report their outcome: an object, so a hot path makes no closure per call. */
export interface IoSink {
  ioDone(n: number, err: Error | null): void;
}

/** An IoSink that settles a promise with Go's (n, err) pair. */
class PromiseSink implements IoSink {
  constructor(private readonly resolve: (result: [number, Error | null]) => void) {}
  ioDone(n: number, err: Error | null): void {
    this.resolve([n, err]);
  }
}

/** An empty write: its callback runs once every byte queued before it has gone to the kernel. */
const NOTHING = new Uint8Array(0);

export class GoConn {
  readonly id: string;
  bytesIn = 0;
  bytesOut = 0;
  readsIn = 0;
  writesOut = 0;
  /** What the observer keeps per connection: a field, not a map lookup on every read and write. */
  observerState: unknown = undefined;

  private readonly chunks: Uint8Array[] = [];
  private chunkOffset = 0;
  private buffered = 0;
  private readonly highWater: number;
  private paused = false;
  private ended = false;
  private failure: Error | null = null;
  private closed = false;
  /** We closed before the peer did (decides the close reason shown to students). */
  private closedFirst = false;
  private readWaiter: Waiter | null = null;
  private parkedBuf: Uint8Array | null = null;
  private parkedSink: IoSink | null = null;
  private readonly observer: ConnObserver | undefined;
  private readonly closeWaiters: Waiter[] = [];

  constructor(
    readonly socket: Socket,
    options: GoConnOptions,
  ) {
    this.id = options.id;
    this.highWater = options.highWaterBytes ?? 256 * 1024;
    this.observer = options.observer;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.ended = true;
      this.wakeReader();
    });
    socket.on('error', (err) => {
      this.failure = err;
      this.wakeReader();
    });
    socket.on('close', () => this.onSocketClose());
  }

  get localAddr(): { host: string; port: number } {
    return { host: this.socket.localAddress ?? '', port: this.socket.localPort ?? 0 };
  }

  get remoteAddr(): { host: string; port: number } {
    return { host: this.socket.remoteAddress ?? '', port: this.socket.remotePort ?? 0 };
  }

  /** True while the socket is paused because read() fell behind. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Reads up to buf.length bytes into buf, waiting until at least one is there.
   * Returns [n, null], or [0, EOF] after the peer closed, or [0, err] on an error.
   */
  read(buf: Uint8Array): Promise<[number, Error | null]> {
    return new Promise((resolve) => this.readInto(buf, new PromiseSink(resolve)));
  }

  /**
   * read() for callers that wait their own way (the runtime's I/O waits): `sink` hears the outcome before
   * readInto returns when bytes are already buffered, else once they arrive.
   */
  readInto(buf: Uint8Array, sink: IoSink): void {
    if (this.buffered === 0) {
      if (this.failure) return sink.ioDone(0, this.failure);
      if (this.ended || this.closed) return sink.ioDone(0, EOF);
      // Kept in fields rather than a closure: this runs on every read that waits.
      this.parkedBuf = buf;
      this.parkedSink = sink;
      this.readWaiter = this.finishParkedRead;
      return;
    }
    let n = 0;
    while (n < buf.length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const take = Math.min(buf.length - n, chunk.length - this.chunkOffset);
      // A whole chunk is copied as it is; a view of part of one costs an object.
      buf.set(take === chunk.length ? chunk : chunk.subarray(this.chunkOffset, this.chunkOffset + take), n);
      n += take;
      this.chunkOffset += take;
      if (this.chunkOffset === chunk.length) {
        this.chunks.shift();
        this.chunkOffset = 0;
      }
    }
    this.buffered -= n;
    this.resumeIfDrained();
    sink.ioDone(n, null);
  }

  private readonly finishParkedRead = (): void => {
    const buf = this.parkedBuf!;
    const sink = this.parkedSink!;
    this.parkedBuf = null;
    this.parkedSink = null;
    this.readInto(buf, sink);
  };

  /**
   * Reads the next chunk exactly as one socket read delivered it (or what read() left of it), without copying.
   * Same results as read(). The socket bridge relays each real read as one message, so sticky packets stay visible.
   */
  async readChunk(): Promise<[Uint8Array | null, Error | null]> {
    while (this.buffered === 0) {
      if (this.failure) return [null, this.failure];
      if (this.ended || this.closed) return [null, EOF];
      await new Promise<void>((resolve) => (this.readWaiter = resolve));
    }
    const chunk = this.chunks.shift()!;
    const part = this.chunkOffset === 0 ? chunk : chunk.subarray(this.chunkOffset);
    this.chunkOffset = 0;
    this.buffered -= part.length;
    this.resumeIfDrained();
    return [part, null];
  }

  private resumeIfDrained(): void {
    if (this.paused && this.buffered <= this.highWater / 2) {
      this.paused = false;
      this.socket.resume();
      this.observer?.onResume?.(this);
    }
  }

  /** Writes all of data; resolves once the kernel has it (so the caller may reuse data), like Go's Write. */
  write(data: Uint8Array): Promise<[number, Error | null]> {
    return new Promise((resolve) => this.writeFrom(data, new PromiseSink(resolve)));
  }

  /** write() for callers that wait their own way: `sink` hears before writeFrom returns when the kernel took it all. */
  writeFrom(data: Uint8Array, sink: IoSink): void {
    const socket = this.socket;
    if (this.closed || socket.destroyed) return sink.ioDone(0, new Error('use of closed network connection'));
    if (this.failure) return sink.ioDone(0, this.failure);
    this.bytesOut += data.length;
    this.writesOut++;
    this.observer?.onWrite?.(this, data);
    if (socket.writableLength === 0) {
      // Nothing queued: Node hands the bytes to the kernel at once, and usually the kernel takes them all. Then no
      // callback is needed (one costs Node a tick per write); only bytes left queued in user space are waited for.
      socket.write(data);
      if (socket.writableLength === 0) return sink.ioDone(data.length, null);
      socket.write(NOTHING, (err) => sink.ioDone(err ? 0 : data.length, err ?? null));
      return;
    }
    // Behind earlier bytes still queued: Node calls back once these too have gone to the kernel.
    socket.write(data, (err) => sink.ioDone(err ? 0 : data.length, err ?? null));
  }

  /** Closes our sending side (a FIN), keeping the reading side open: Go's TCPConn.CloseWrite. */
  closeWrite(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  /** Closes both directions. Resolves when the socket is fully closed. */
  close(): Promise<void> {
    if (!this.ended) this.closedFirst = true;
    if (!this.closed && !this.socket.destroyed) {
      this.socket.end();
      // A peer that never reads would hold a graceful close open forever; give it a moment, then reset.
      const timer = setTimeout(() => this.socket.destroy(), 2000);
      timer.unref();
    }
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  /** Closes at once, discarding unsent bytes. */
  destroy(): void {
    if (!this.ended) this.closedFirst = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.readsIn++;
    this.observer?.onRead?.(this, chunk);
    const sink = this.parkedSink;
    if (sink !== null && this.buffered === 0 && chunk.length <= this.parkedBuf!.length) {
      // A read is waiting and nothing is queued before these bytes: they go straight into its buffer.
      this.parkedBuf!.set(chunk);
      this.parkedBuf = null;
      this.parkedSink = null;
      this.readWaiter = null;
      sink.ioDone(chunk.length, null);
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (!this.paused && this.buffered >= this.highWater) {
      this.paused = true;
      this.socket.pause();
      this.observer?.onPause?.(this, this.buffered);
    }
    this.wakeReader();
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeReader();
    const reason = this.failure ? 'error' : this.closedFirst ? 'local' : 'eof';
    this.observer?.onClose?.(this, reason, this.failure ?? undefined);
    for (const w of this.closeWaiters.splice(0)) w();
  }

  private wakeReader(): void {
    const w = this.readWaiter;
    if (w) {
      this.readWaiter = null;
      w();
    }
  }
}
