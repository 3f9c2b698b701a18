// TCP sockets that read into a buffer of their own (Node's `onread`) which grows to 1 MiB while data streams, instead
// of a fresh 64 KiB buffer per read: a forwarding loop then makes far fewer read calls and no garbage. The fault
// proxy's no-fault path forwards this way (its CPU per byte roughly halves: bench/faultProxy.bench.ts).
import net from 'node:net';

/** Each socket's first read buffer: an idle connection keeps only this much. */
export const FIRST_READ_BYTES = 16 * 1024;
/** A read that fills its buffer moves the next read to a buffer this large. */
export const MAX_READ_BYTES = 1024 * 1024;

/**
 * Takes one read's bytes, which live in the socket's read buffer. Returns true when it still holds them after it
 * returns (a write the kernel did not take at once still points at them): the next read then gets a new buffer
 * instead of overwriting them.
 */
export type ReadSink = (bytes: Buffer) => boolean;

/** The `onread` option for one socket: reuses its buffer unless the sink kept it, grows it when a read fills it. */
export function largeReadOption(sink: ReadSink): net.OnReadOpts {
  let buffer: Buffer | null = null;
  let size = FIRST_READ_BYTES;
  let kept = false;
  return {
    buffer: () => {
      if (kept || buffer === null || buffer.length < size) buffer = Buffer.allocUnsafe(size);
      kept = false;
      return buffer;
    },
    callback: (nread, buf) => {
      if (nread === buf.length) size = MAX_READ_BYTES;
      kept = sink((buf as Buffer).subarray(0, nread));
      // Always true: the owner pauses the socket itself (pause()) when it must stop reading.
      return true;
    },
  };
}

/** net.connect with large reads. With `onread`, bytes never enter the readable stream: no 'data' events. */
export function connectWithLargeReads(options: net.TcpNetConnectOpts, sink: ReadSink): net.Socket {
  const socket = net.connect({ ...options, onread: largeReadOption(sink) });
  // 'end' is only emitted by a flowing stream.
  socket.resume();
  return socket;
}

interface WithHandle {
  _handle: object | null;
}

/**
 * Moves an accepted socket's handle into a new socket that reads with large reads (net.Server has no `onread`
 * option). The server must have been created with `pauseOnConnect: true`, so no byte was read yet. Returns null when
 * this Node's socket has no handle to move (then the caller keeps the accepted socket and its 'data' events). The
 * accepted socket is left without a handle and destroyed once the new one closes, so the server's connection count
 * and close() still see the connection end.
 */
export function adoptWithLargeReads(accepted: net.Socket, allowHalfOpen: boolean, sink: ReadSink): net.Socket | null {
  const old = accepted as unknown as WithHandle;
  const handle = old._handle;
  if (handle === null || typeof handle !== 'object' || !('readStart' in handle)) return null;
  // `handle` is the option net.Server itself uses to wrap an accepted connection.
  const options = { handle, allowHalfOpen, readable: true, writable: true, onread: largeReadOption(sink) };
  const socket = new net.Socket(options as net.SocketConstructorOpts);
  old._handle = null;
  socket.once('close', () => accepted.destroy());
  socket.resume();
  return socket;
}
