// Length-prefix framing: each frame is a length header then that many bytes. The default header is 4 bytes,
// big-endian, unsigned: the bytes of Go's binary.BigEndian.PutUint32 and of Python's struct.pack('!I', n).
import {
  EncoderCounters,
  type DecoderState,
  type EncoderStats,
  type FrameDecoder,
  type FrameEncoder,
  type FrameSink,
} from './frameCodec.js';
import { FramingError } from './framingError.js';
import { MAX_UVARINT_BYTES, putUvarint, uvarintSize } from './uvarint.js';

/** u32be: 4 bytes big-endian (default); u16be: 2 bytes big-endian; uvarint: Go's binary.PutUvarint. */
export type LengthHeader = 'u32be' | 'u16be' | 'uvarint';

export const LENGTH_HEADERS: readonly LengthHeader[] = ['u32be', 'u16be', 'uvarint'];

/** 1 MiB: the default largest payload a decoder accepts. */
export const DEFAULT_MAX_FRAME = 1024 * 1024;

/** The largest maxFrame the lab allows (it allocates a whole frame once its header is read). */
export const MAX_MAX_FRAME = 256 * 1024 * 1024;

export interface LengthPrefixOptions {
  header?: LengthHeader;
  /** Largest payload accepted, in bytes. A u16be header cannot express more than 65535, whatever this says. */
  maxFrame?: number;
}

interface ResolvedOptions {
  header: LengthHeader;
  maxFrame: number;
}

function resolve(options: LengthPrefixOptions): ResolvedOptions {
  const header = options.header ?? 'u32be';
  const maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
  if (!LENGTH_HEADERS.includes(header)) throw new RangeError(`unknown length header ${String(header)}`);
  if (!Number.isSafeInteger(maxFrame) || maxFrame < 0 || maxFrame > MAX_MAX_FRAME) {
    throw new RangeError(`maxFrame must be an integer in [0, ${MAX_MAX_FRAME}], got ${maxFrame}`);
  }
  return { header, maxFrame: header === 'u16be' ? Math.min(maxFrame, 0xffff) : maxFrame };
}

/** Header bytes for a payload of this length. */
export function lengthHeaderSize(header: LengthHeader, length: number): number {
  return header === 'u32be' ? 4 : header === 'u16be' ? 2 : uvarintSize(length);
}

export class LengthPrefixEncoder implements FrameEncoder {
  readonly mode = 'length-prefix' as const;
  readonly header: LengthHeader;
  readonly maxFrame: number;
  private readonly counters = new EncoderCounters();

  constructor(options: LengthPrefixOptions = {}) {
    ({ header: this.header, maxFrame: this.maxFrame } = resolve(options));
  }

  /** The header alone, for writing header and payload separately (writev) without copying the payload. */
  headerFor(length: number): Uint8Array {
    this.check(length);
    const out = new Uint8Array(lengthHeaderSize(this.header, length));
    this.writeHeader(out, length);
    return out;
  }

  encode(message: Uint8Array): Uint8Array {
    const length = message.length;
    this.check(length);
    const headerSize = lengthHeaderSize(this.header, length);
    const out = new Uint8Array(headerSize + length);
    this.writeHeader(out, length);
    out.set(message, headerSize);
    this.counters.count(length, out.length);
    return out;
  }

  stats(): EncoderStats {
    return this.counters.snapshot();
  }

  private check(length: number): void {
    if (length > this.maxFrame) {
      throw new FramingError(
        'E_FRAME_TOO_LARGE',
        `message of ${length} bytes exceeds the maximum frame of ${this.maxFrame}`,
      );
    }
  }

  private writeHeader(out: Uint8Array, length: number): void {
    if (this.header === 'u32be') {
      out[0] = length >>> 24;
      out[1] = (length >>> 16) & 0xff;
      out[2] = (length >>> 8) & 0xff;
      out[3] = length & 0xff;
    } else if (this.header === 'u16be') {
      out[0] = length >>> 8;
      out[1] = length & 0xff;
    } else {
      putUvarint(out, 0, length);
    }
  }
}

/**
 * A streaming length-prefix decoder. A frame that lies inside one pushed chunk comes out as a view of that chunk;
 * a frame spread over several chunks is copied once into a buffer of exactly its length, allocated only after
 * the header has been checked against maxFrame.
 */
export class LengthPrefixDecoder implements FrameDecoder {
  readonly mode = 'length-prefix' as const;
  readonly header: LengthHeader;
  readonly maxFrame: number;
  /** 4 or 2 for the fixed headers; 0 for uvarint (read byte by byte). */
  private readonly fixedHeaderSize: number;

  // Partial header: bytes read so far and the value they give.
  private headerHave = 0;
  private headerValue = 0;
  // Partial body: the frame being assembled from several chunks.
  private body: Uint8Array | null = null;
  private bodyHave = 0;
  /** Stream offset of the first header byte of the current frame. */
  private frameStart = 0;

  private bytesIn = 0;
  private framesOut = 0;
  private zeroCopyFrames = 0;
  private failure: FramingError | null = null;
  private ended = false;

  constructor(options: LengthPrefixOptions = {}) {
    ({ header: this.header, maxFrame: this.maxFrame } = resolve(options));
    this.fixedHeaderSize = this.header === 'u32be' ? 4 : this.header === 'u16be' ? 2 : 0;
  }

  push(chunk: Uint8Array, onFrame: FrameSink): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('push() after end()');
    const n = chunk.length;
    const base = this.bytesIn;
    this.bytesIn += n;
    let p = 0;
    while (p < n) {
      const body = this.body;
      if (body !== null) {
        const want = body.length - this.bodyHave;
        const take = want < n - p ? want : n - p;
        body.set(chunk.subarray(p, p + take), this.bodyHave);
        this.bodyHave += take;
        p += take;
        if (this.bodyHave === body.length) {
          this.body = null;
          this.bodyHave = 0;
          this.framesOut++;
          onFrame(body, base + p);
        }
        continue;
      }

      let length: number;
      if (this.headerHave === 0 && this.fixedHeaderSize === 4 && n - p >= 4) {
        // Fast path: the whole 4-byte header is in this chunk.
        this.frameStart = base + p;
        length = chunk[p] * 0x1000000 + ((chunk[p + 1] << 16) | (chunk[p + 2] << 8) | chunk[p + 3]);
        p += 4;
      } else if (this.headerHave === 0 && this.fixedHeaderSize === 2 && n - p >= 2) {
        this.frameStart = base + p;
        length = (chunk[p] << 8) | chunk[p + 1];
        p += 2;
      } else {
        if (this.headerHave === 0) this.frameStart = base + p;
        length = -1;
        while (p < n && length < 0) length = this.headerByte(chunk[p++]);
        if (length < 0) break; // header continues in the next chunk
      }

      if (length > this.maxFrame) {
        throw this.fail(
          'E_FRAME_TOO_LARGE',
          `length prefix says ${length} bytes; the maximum frame is ${this.maxFrame}`,
        );
      }
      if (n - p >= length) {
        this.framesOut++;
        this.zeroCopyFrames++;
        onFrame(chunk.subarray(p, p + length), base + p + length);
        p += length;
      } else {
        const partial = new Uint8Array(length);
        partial.set(chunk.subarray(p), 0);
        this.body = partial;
        this.bodyHave = n - p;
        p = n;
      }
    }
  }

  end(): void {
    if (this.failure || this.ended) return;
    this.ended = true;
    if (this.body !== null) {
      throw this.fail('E_TRUNCATED_FRAME', `stream ended after ${this.bodyHave} of ${this.body.length} payload bytes`);
    }
    if (this.headerHave > 0) {
      throw this.fail('E_TRUNCATED_FRAME', `stream ended inside a length header (${this.headerHave} bytes read)`);
    }
  }

  state(): DecoderState {
    const inBody = this.body !== null;
    return {
      mode: this.mode,
      phase: this.failure ? 'failed' : this.ended ? 'ended' : inBody ? 'body' : 'header',
      bufferedBytes: inBody ? this.bodyHave : this.headerHave,
      expectedLength: this.body ? this.body.length : null,
      headerBytes: this.headerHave,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      zeroCopyFrames: this.zeroCopyFrames,
      errorCode: this.failure ? this.failure.code : null,
    };
  }

  /** Takes one header byte; returns the payload length once the header is complete, else -1. */
  private headerByte(b: number): number {
    const i = this.headerHave;
    if (this.fixedHeaderSize > 0) {
      this.headerValue = this.headerValue * 256 + b;
      this.headerHave = i + 1;
      if (this.headerHave < this.fixedHeaderSize) return -1;
    } else {
      // Same limits as Go's binary.Uvarint: at most 10 bytes, and the 10th may only hold bit 63.
      if (i === MAX_UVARINT_BYTES - 1 && b > 1) {
        throw this.fail('E_BAD_VARINT', `uvarint length overflows 64 bits (byte ${i + 1} is 0x${b.toString(16)})`);
      }
      this.headerValue += (b & 0x7f) * 2 ** (7 * i);
      this.headerHave = i + 1;
      // The value only grows, so a too-large length is refused before the varint even ends.
      if (this.headerValue > this.maxFrame) {
        throw this.fail(
          'E_FRAME_TOO_LARGE',
          `uvarint length is at least ${this.headerValue} bytes; the maximum frame is ${this.maxFrame}`,
        );
      }
      if (b & 0x80) return -1;
    }
    const length = this.headerValue;
    this.headerHave = 0;
    this.headerValue = 0;
    return length;
  }

  private fail(code: FramingError['code'], detail: string): FramingError {
    this.failure = new FramingError(code, detail, this.frameStart);
    this.body = null;
    return this.failure;
  }
}
