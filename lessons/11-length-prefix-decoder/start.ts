// Exercise: a length-prefix decoder that survives any split.
//
// On the wire each frame is a 4-byte big-endian length, then that many bytes of payload. TCP delivers a stream
// of bytes, not frames: one read may hold half a header, a frame and a half, or twenty frames at once.
// Make FrameDecoder.push(chunk) return every frame the chunk completes, in order, whatever the split.
import { binary, fmt, lab, net, time } from 'gonet';

/** The largest payload the decoder accepts. A larger length means a broken (or hostile) peer: throw. */
export const MAX_FRAME = 64 * 1024;

export class FrameDecoder {
  /**
   * Feeds one chunk — what one conn.read returned — and returns the frames it completes.
   * The caller reuses its read buffer for the next read: keep a COPY of any bytes you hold on to.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    // TODO: this assumes every read is exactly one whole frame. TCP makes no such promise.
    const length = binary.bigEndian.uint32(chunk);
    return [chunk.subarray(4, 4 + length)];
  }
}

/** Builds one frame: the 4-byte length, then the payload. */
export function encodeFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const frame = new Uint8Array(4 + payload.length);
  binary.bigEndian.putUint32(frame, payload.length);
  frame.set(payload, 4);
  return frame;
}

/** Run: three frames in ONE write to the lab's echo server; the echo comes back as one read — sticky. */
export async function main(): Promise<void> {
  const [conn, err] = await net.dial('tcp', lab.addr('echo'));
  if (err !== null) {
    fmt.println('dial:', err);
    return;
  }
  const messages = ['hello', 'sticky', 'packets'];
  const frames = messages.map(encodeFrame);
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  frames.reduce((at, f) => (all.set(f, at), at + f.length), 0);
  await conn.write(all);
  fmt.printf('wrote %d frames in one write (%d bytes)\n', frames.length, all.length);

  const decoder = new FrameDecoder();
  const buf = new Uint8Array(4096);
  let decoded = 0;
  // Give up after two seconds: a decoder that loses frames would otherwise wait forever.
  conn.setReadDeadline(time.now() + 2 * time.Second);
  while (decoded < messages.length) {
    const [n, rerr] = await conn.read(buf);
    if (rerr !== null) {
      fmt.println('read:', rerr.message);
      break;
    }
    fmt.printf('read %d bytes\n', n);
    for (const frame of decoder.push(buf.subarray(0, n))) {
      decoded++;
      fmt.printf('  frame %d: %q\n', decoded, new TextDecoder().decode(frame));
    }
  }
  fmt.printf('decoded %d of %d frames\n', decoded, messages.length);
  conn.close();
}
