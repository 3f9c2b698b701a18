// Solution: a length-prefix decoder that survives any split.
//
// It keeps the bytes of an unfinished frame between reads, and takes frames out only once a whole header and a
// whole payload are there. Frames come out in order, however the stream was cut.
import { binary, fmt, lab, net, time } from 'gonet';

/** The largest payload the decoder accepts. A larger length means a broken (or hostile) peer: throw. */
export const MAX_FRAME = 64 * 1024;

export class FrameDecoder {
  // Bytes of the frame being assembled (header included), copied out of earlier chunks.
  private pending = new Uint8Array(0);

  /**
   * Feeds one chunk — what one conn.read returned — and returns the frames it completes.
   * The caller reuses its read buffer for the next read: keep a COPY of any bytes you hold on to.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    // Join what was left over with the new chunk (a copy: the caller will overwrite chunk).
    const data = new Uint8Array(this.pending.length + chunk.length);
    data.set(this.pending);
    data.set(chunk, this.pending.length);
    const frames: Uint8Array[] = [];
    let at = 0;
    // Take whole frames while a whole header and its whole payload are there.
    while (data.length - at >= 4) {
      const length = binary.bigEndian.uint32(data.subarray(at));
      // Check before waiting for (or allocating) the payload: the length comes from the peer.
      if (length > MAX_FRAME) throw new Error(`frame of ${length} bytes exceeds the maximum of ${MAX_FRAME}`);
      if (data.length - at - 4 < length) break;
      frames.push(data.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    // Keep the incomplete rest (a partial header or a partial payload) for the next chunk.
    this.pending = data.slice(at);
    return frames;
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
