// Fixed-length framing: every record on the wire is exactly `size` bytes; shorter messages are padded.
//
// Padding rules: the encoder appends `padByte` (default 0x00) after the message up to `size` bytes and refuses
// longer messages (E_FRAME_TOO_LARGE). The decoder hands out whole records, padding included, because only the
// application knows whether a trailing pad byte is padding or data. stripPadding() removes trailing pad bytes;
// that is lossless only when no message ends with the pad byte. (Padding text with spaces, as Python's
// str.ljust does, loses a message's own trailing spaces.) Binary messages that may end with any byte need their
// length inside the record, which is a length prefix again.
import {
  EncoderCounters,
  type DecoderState,
  type EncoderStats,
  type FrameDecoder,
  type FrameEncoder,
  type FrameSink,
} from './frameCodec.js';
import { FramingError } from './framingError.js';

/** The largest record size the lab allows. */
export const MAX_RECORD_SIZE = 16 * 1024 * 1024;

export interface FixedLengthOptions {
  /** Bytes per record, at least 1. */
  size: number;
  /** The byte appended to short messages; 0x00 by default. */
  padByte?: number;
}

function checkOptions(options: FixedLengthOptions): { size: number; padByte: number } {
  const { size } = options;
  const padByte = options.padByte ?? 0;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_RECORD_SIZE) {
    throw new RangeError(`record size must be an integer in [1, ${MAX_RECORD_SIZE}], got ${size}`);
  }
  if (!Number.isInteger(padByte) || padByte < 0 || padByte > 255)
    throw new RangeError(`padByte must be a byte, got ${padByte}`);
  return { size, padByte };
}

/** The record without its trailing pad bytes (a view, no copy). */
export function stripPadding(record: Uint8Array, padByte = 0): Uint8Array {
  let end = record.length;
  while (end > 0 && record[end - 1] === padByte) end--;
  return record.subarray(0, end);
}

export class FixedLengthEncoder implements FrameEncoder {
  readonly mode = 'fixed' as const;
  readonly size: number;
  readonly padByte: number;
  private readonly counters = new EncoderCounters();

  constructor(options: FixedLengthOptions) {
    ({ size: this.size, padByte: this.padByte } = checkOptions(options));
  }

  encode(message: Uint8Array): Uint8Array {
    if (message.length > this.size) {
      throw new FramingError(
        'E_FRAME_TOO_LARGE',
        `message of ${message.length} bytes does not fit a ${this.size}-byte record`,
      );
    }
    const out = new Uint8Array(this.size);
    out.set(message, 0);
    if (this.padByte !== 0) out.fill(this.padByte, message.length);
    this.counters.count(message.length, out.length);
    return out;
  }

  stats(): EncoderStats {
    return this.counters.snapshot();
  }
}

/** A streaming fixed-length decoder: records inside one chunk are views of it; others are copied once. */
export class FixedLengthDecoder implements FrameDecoder {
  readonly mode = 'fixed' as const;
  readonly size: number;
  private partial: Uint8Array | null = null;
  private have = 0;
  private bytesIn = 0;
  private framesOut = 0;
  private zeroCopyFrames = 0;
  private failure: FramingError | null = null;
  private ended = false;

  constructor(options: FixedLengthOptions) {
    ({ size: this.size } = checkOptions(options));
  }

  push(chunk: Uint8Array, onFrame: FrameSink): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('push() after end()');
    const n = chunk.length;
    const size = this.size;
    const base = this.bytesIn;
    this.bytesIn += n;
    let p = 0;
    if (this.have > 0 && this.partial !== null) {
      const take = Math.min(size - this.have, n);
      this.partial.set(chunk.subarray(0, take), this.have);
      this.have += take;
      p = take;
      if (this.have < size) return;
      const record = this.partial;
      this.partial = null;
      this.have = 0;
      this.framesOut++;
      onFrame(record, base + p);
    }
    while (n - p >= size) {
      this.framesOut++;
      this.zeroCopyFrames++;
      onFrame(chunk.subarray(p, p + size), base + p + size);
      p += size;
    }
    if (p < n) {
      // A fresh buffer per record: the previous one may still be held by whoever received it.
      this.partial = new Uint8Array(size);
      this.partial.set(chunk.subarray(p), 0);
      this.have = n - p;
    }
  }

  end(): void {
    if (this.failure || this.ended) return;
    this.ended = true;
    if (this.have > 0) {
      this.failure = new FramingError(
        'E_TRUNCATED_FRAME',
        `stream ended after ${this.have} of ${this.size} bytes of a record`,
        this.bytesIn - this.have,
      );
      this.partial = null;
      throw this.failure;
    }
  }

  state(): DecoderState {
    return {
      mode: this.mode,
      phase: this.failure ? 'failed' : this.ended ? 'ended' : 'record',
      bufferedBytes: this.have,
      expectedLength: this.size,
      headerBytes: 0,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      zeroCopyFrames: this.zeroCopyFrames,
      errorCode: this.failure ? this.failure.code : null,
    };
  }
}
