// One real loopback connection held for a snippet: relays each socket read to the browser as one DATA frame while
// the browser's credit lasts, and writes the browser's DATA frames in order, acknowledging each once the kernel has it.
import type { Socket } from 'node:net';
import { EOF, GoConn, type ConnObserver } from '../net/goConn.js';

/** What a connection needs from its session (the WebSocket, the windows, the quotas). */
export interface ConnHost {
  /** Resolves true when this conn may relay another chunk (its window, the session's, the byte rate); false once it closed. */
  mayRelay(conn: BridgedConn): Promise<boolean>;
  relay(conn: BridgedConn, chunk: Uint8Array): void;
  eof(conn: BridgedConn): void;
  /** `bytes` of one frame reached the kernel. */
  written(conn: BridgedConn, bytes: number): void;
  closed(conn: BridgedConn, reason: 'eof' | 'local' | 'error', error?: Error): void;
}

/** Bytes read from the socket but not yet relayed before the socket is paused (the browser's window is separate). */
const READ_AHEAD_BYTES = 64 * 1024;
/** A close waits this long for queued writes to reach a peer that does not read, then resets the connection. */
const CLOSE_FLUSH_MS = 2000;

export class BridgedConn {
  readonly conn: GoConn;
  /** Bytes relayed to the browser and not yet credited back. */
  uncredited = 0;
  /** Browser bytes and frames received and not yet acknowledged. */
  unackedBytes = 0;
  unackedFrames = 0;
  /** Set once the browser asked to close: the conn no longer counts against the session's send window. */
  closing = false;
  isClosed = false;

  private readonly queue: Uint8Array[] = [];
  private writing = false;
  private after: 'close' | 'closeWrite' | null = null;

  constructor(
    readonly id: number,
    socket: Socket,
    readonly side: 'client' | 'server',
    private readonly host: ConnHost,
    observer: ConnObserver,
  ) {
    this.conn = new GoConn(socket, {
      id: `b${id}`,
      highWaterBytes: READ_AHEAD_BYTES,
      observer: {
        onRead: observer.onRead?.bind(observer),
        onWrite: observer.onWrite?.bind(observer),
        onPause: observer.onPause?.bind(observer),
        onResume: observer.onResume?.bind(observer),
        onClose: (c, reason, error) => {
          this.isClosed = true;
          observer.onClose?.(c, reason, error);
          this.host.closed(this, reason, error);
        },
      },
    });
    void this.pump();
  }

  /** Server → browser: one frame per socket read, as long as the browser grants credit. */
  private async pump(): Promise<void> {
    for (;;) {
      if (!(await this.host.mayRelay(this))) return;
      const [chunk, err] = await this.conn.readChunk();
      if (chunk === null) {
        // An error is reported when the socket closes; a clean end is a FIN the snippet reads as EOF.
        if (err === EOF) this.host.eof(this);
        return;
      }
      this.host.relay(this, chunk);
    }
  }

  /** Browser → server: queues one DATA frame's payload (a view into the WebSocket message; not copied). */
  enqueue(payload: Uint8Array): void {
    this.unackedBytes += payload.length;
    this.unackedFrames++;
    this.queue.push(payload);
    if (!this.writing) void this.drainWrites();
  }

  private async drainWrites(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0 && !this.isClosed) {
      const data = this.queue.shift()!;
      const [, err] = await this.conn.write(data);
      if (err) {
        this.conn.destroy();
        break;
      }
      this.host.written(this, data.length);
    }
    this.writing = false;
    if (this.queue.length === 0) this.finishClose();
  }

  /** Closes after the queued writes reached the kernel (or resets after a grace period), as Go's Close does. */
  requestClose(): void {
    this.closing = true;
    this.after = 'close';
    if (!this.writing) this.finishClose();
    const timer = setTimeout(() => this.conn.destroy(), CLOSE_FLUSH_MS);
    timer.unref();
  }

  /** Sends FIN after the queued writes, keeps reading. */
  requestCloseWrite(): void {
    if (this.after === null) this.after = 'closeWrite';
    if (!this.writing) this.finishClose();
  }

  private finishClose(): void {
    const after = this.after;
    if (after === 'close') {
      this.after = null;
      void this.conn.close();
    } else if (after === 'closeWrite') {
      this.after = null;
      this.conn.closeWrite();
    }
  }

  setNoDelay(noDelay: boolean): void {
    this.conn.socket.setNoDelay(noDelay);
  }

  /** Closes at once, dropping queued bytes (the session ended). */
  destroy(): void {
    this.queue.length = 0;
    this.conn.destroy();
  }
}
