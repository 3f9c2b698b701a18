// The stream demo's receiver, in the lab: a TCP client that reads into a buffer of a chosen size, as Go's
// conn.Read(buf) does, pausing between reads if asked; and a UDP socket that receives datagrams.
import dgram from 'node:dgram';
import net from 'node:net';
import { messageIndexOf } from './senderMessages.js';

export interface ReadRecord {
  offset: number;
  len: number;
  at: number;
  /** UDP only: the message number in the datagram. */
  index?: number;
}

/** A receiver stops recording (and the run fails) past this many reads. */
export const MAX_READS_PER_RUN = 50_000;

const now = () => performance.timeOrigin + performance.now();

export interface TcpReceiver {
  localPort: number;
  /** Resolves with every read once the sender closed its side (EOF). */
  done: Promise<ReadRecord[]>;
  close(): void;
}

/**
 * Connects to the sender. Node's `onread` option hands each read(2) of up to `readBuffer` bytes to a callback,
 * into one reused buffer: the read sizes seen here are the kernel's, not a stream library's regrouping.
 */
export function openTcpReceiver(options: {
  host: string;
  port: number;
  readBuffer: number;
  readDelayMs: number;
  onRead(read: ReadRecord): void;
}): Promise<TcpReceiver> {
  const reads: ReadRecord[] = [];
  let offset = 0;
  let timer: NodeJS.Timeout | null = null;
  return new Promise((resolveOpen, rejectOpen) => {
    let finish: (reads: ReadRecord[]) => void = () => {};
    let fail: (err: Error) => void = () => {};
    const done = new Promise<ReadRecord[]>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    // Handled by whoever awaits it; this keeps an early failure from being reported as unhandled.
    done.catch(() => {});
    const socket = net.connect({
      host: options.host,
      port: options.port,
      onread: {
        buffer: Buffer.alloc(options.readBuffer),
        callback(nread: number): boolean {
          const read = { offset, len: nread, at: now() };
          offset += nread;
          if (reads.length >= MAX_READS_PER_RUN) {
            socket.destroy(new Error(`more than ${MAX_READS_PER_RUN} reads; make the read buffer larger`));
            return false;
          }
          reads.push(read);
          options.onRead(read);
          if (options.readDelayMs > 0) {
            // Stop reading for a while: the kernel keeps receiving into the socket's buffer meanwhile.
            timer = setTimeout(() => {
              timer = null;
              socket.resume();
            }, options.readDelayMs);
            return false;
          }
          return true;
        },
      },
    });
    socket.once('connect', () =>
      resolveOpen({ localPort: socket.localPort ?? 0, done, close: () => socket.destroy() }),
    );
    socket.once('error', (err) => {
      rejectOpen(err);
      fail(err);
    });
    // With onread the data never enters the readable stream, so 'end' needs the stream flowing to fire.
    socket.resume();
    socket.once('end', () => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      finish(reads);
    });
    socket.once('close', () => {
      if (timer) clearTimeout(timer);
      fail(new Error('the connection closed before the sender finished'));
    });
  });
}

export interface UdpReceiver {
  port: number;
  reads: ReadRecord[];
  /** Waits until `expected` datagrams arrived or `quietMs` passed with none; then closes. */
  settle(expected: number, quietMs: number): Promise<ReadRecord[]>;
  close(): void;
}

export function openUdpReceiver(options: { host: string; onRead(read: ReadRecord): void }): Promise<UdpReceiver> {
  const socket = dgram.createSocket(net.isIPv6(options.host) ? 'udp6' : 'udp4');
  const reads: ReadRecord[] = [];
  let offset = 0;
  let lastAt = now();
  let wake: (() => void) | null = null;
  socket.on('message', (msg) => {
    const index = messageIndexOf(msg);
    const read: ReadRecord = { offset, len: msg.length, at: now(), ...(index === null ? {} : { index }) };
    offset += msg.length;
    lastAt = read.at;
    if (reads.length < MAX_READS_PER_RUN) {
      reads.push(read);
      options.onRead(read);
    }
    wake?.();
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host, port: 0 }, () => {
      const close = () => {
        try {
          socket.close();
        } catch {
          // already closed
        }
      };
      resolve({
        port: socket.address().port,
        reads,
        close,
        async settle(expected, quietMs) {
          while (reads.length < expected && now() - lastAt < quietMs) {
            await new Promise<void>((r) => {
              wake = r;
              setTimeout(r, quietMs / 4);
            });
            wake = null;
          }
          close();
          return reads;
        },
      });
    });
  });
}
