// The body of every framing-server connection, Go style: read what arrives, feed the decoder, echo each frame
// framed the same way, and close on a bad frame (the error is reported; other connections carry on).
import { createDecoder, createEncoder, type FramingConfig } from '../../../core/framing/framingConfig.js';
import type { DecoderState } from '../../../core/framing/frameCodec.js';
import { FramingError } from '../../../core/framing/framingError.js';
import { EOF, type GoConn } from '../../net/goConn.js';

export interface DecodedFrame {
  index: number;
  /** Stream offset of the frame's first wire byte, and the bytes it took on the wire. */
  offset: number;
  wireLen: number;
  /** The payload; valid only during the onRead call (it may be a view of the read buffer). */
  payload: Uint8Array;
  zeroCopy: boolean;
}

/** What a framing server reports. Called synchronously, so payload views are still valid. */
export interface FrameObserver {
  onRead(conn: GoConn, frames: readonly DecodedFrame[], state: DecoderState, readLen: number, read: number): void;
  onFramingError(conn: GoConn, error: FramingError, state: DecoderState): void;
}

export interface FramedConnOptions {
  config: FramingConfig;
  observer?: FrameObserver;
  /** Bytes to send the peer before closing on a bad frame (a text line for nc users), or null. */
  farewell?: (error: FramingError) => Uint8Array | null;
}

const READ_BUFFER = 64 * 1024;

export async function handleFramedConn(conn: GoConn, { config, observer, farewell }: FramedConnOptions): Promise<void> {
  const decoder = createDecoder(config);
  const encoder = createEncoder(config);
  // One buffer per connection, reused: frames that are views of it are echoed before the next read.
  const buf = new Uint8Array(READ_BUFFER);
  let reads = 0;
  let index = 0;
  let lastEnd = 0;
  try {
    for (;;) {
      const [n, readErr] = await conn.read(buf);
      if (readErr) {
        if (readErr === EOF) decoder.end(); // a frame cut off here is E_TRUNCATED_FRAME
        return;
      }
      reads++;
      const replies: Uint8Array[] = [];
      const frames: DecodedFrame[] = [];
      let failure: FramingError | null = null;
      try {
        decoder.push(buf.subarray(0, n), (payload, wireEnd) => {
          replies.push(encoder.encode(payload));
          if (observer)
            frames.push({
              index: index++,
              offset: lastEnd,
              wireLen: wireEnd - lastEnd,
              payload,
              zeroCopy: payload.buffer === buf.buffer,
            });
          lastEnd = wireEnd;
        });
      } catch (err) {
        if (!(err instanceof FramingError)) throw err;
        failure = err;
      }
      observer?.onRead(conn, frames, decoder.state(), n, reads);
      // The good frames before a bad one are still echoed, in one write.
      if (replies.length > 0) {
        const [, writeErr] = await conn.write(replies.length === 1 ? replies[0] : joinBytes(replies));
        if (writeErr) return;
      }
      if (failure) throw failure;
    }
  } catch (err) {
    if (!(err instanceof FramingError)) throw err;
    observer?.onFramingError(conn, err, decoder.state());
    const last = farewell?.(err);
    if (last) await conn.write(last);
  } finally {
    await conn.close();
  }
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
