// What every framing codec offers: a streaming decoder (a state machine fed chunks) and an encoder with counters.
// Pure and browser-safe: Uint8Array in and out, no node: imports.
import type { FramingErrorCode } from './framingError.js';

export type FramingMode = 'fixed' | 'delimiter' | 'length-prefix';

/**
 * Receives each decoded frame. A frame may be a view into the chunk that was pushed (zero-copy), so it is valid
 * as long as the caller leaves that chunk unchanged; copy it to keep it longer. Must not throw: an exception
 * propagates out of push() and the rest of that chunk is lost.
 * `wireEnd` is the stream offset just past the frame's last byte on the wire (header, padding, delimiter included);
 * frames are contiguous, so a frame's wire bytes run from the previous frame's wireEnd (or 0) to its own.
 */
export type FrameSink = (frame: Uint8Array, wireEnd: number) => void;

/** A decoder's state, for the live view. All counts are since the decoder was made. */
export interface DecoderState {
  mode: FramingMode;
  /** What the decoder is waiting for: a length header, a body, a fixed record, a delimiter; or done. */
  phase: 'header' | 'body' | 'record' | 'line' | 'failed' | 'ended';
  /** Bytes of the unfinished frame (and header) held by the decoder, copied out of earlier chunks. */
  bufferedBytes: number;
  /** Payload length of the frame being assembled, when known (length prefix after its header; fixed size). */
  expectedLength: number | null;
  /** Bytes of the length header read so far (length prefix only). */
  headerBytes: number;
  framesOut: number;
  bytesIn: number;
  /** Frames handed out as views of an input chunk, with no copy. */
  zeroCopyFrames: number;
  errorCode: FramingErrorCode | null;
}

export interface FrameDecoder {
  readonly mode: FramingMode;
  /**
   * Feeds one chunk of any size (0 bytes included). Calls onFrame for each frame completed, in order, then
   * throws a FramingError if the chunk holds a bad frame. After an error every push throws the same error.
   */
  push(chunk: Uint8Array, onFrame: FrameSink): void;
  /** The stream ended. Throws E_TRUNCATED_FRAME if a frame was cut off. No-op after an earlier error. */
  end(): void;
  state(): DecoderState;
}

export interface EncoderStats {
  framesOut: number;
  /** Message bytes given to encode(). */
  payloadBytes: number;
  /** Bytes produced; wireBytes - payloadBytes is the framing overhead (headers, delimiters, padding, escapes). */
  wireBytes: number;
}

export interface FrameEncoder {
  readonly mode: FramingMode;
  /** Returns the bytes to write for one message. Throws a FramingError if the message cannot be framed. */
  encode(message: Uint8Array): Uint8Array;
  stats(): EncoderStats;
}

/** Counters shared by the encoders. */
export class EncoderCounters {
  framesOut = 0;
  payloadBytes = 0;
  wireBytes = 0;

  count(payload: number, wire: number): void {
    this.framesOut++;
    this.payloadBytes += payload;
    this.wireBytes += wire;
  }

  snapshot(): EncoderStats {
    return { framesOut: this.framesOut, payloadBytes: this.payloadBytes, wireBytes: this.wireBytes };
  }
}
