// Framing-server events (lesson 3): frames each decoder produced, its state after each read, and bad frames.
// Always source 'observed': they come from the lab's decoders running on real connections.
import type { DecoderState } from '../../framing/frameCodec.js';
import type { WireError } from '../errors.js';

export type FramingServerMode = 'fixed' | 'delimiter' | 'length-prefix';

export type FrameEvent =
  | {
      /**
       * One decoded frame.
       * @example { kind: 'frame.decoded', source: 'observed', conn: 'lp3', mode: 'length-prefix', index: 0, offset: 0,
       *   wireLen: 9, payloadLen: 5, b64: 'aGVsbG8=', clipped: false, zeroCopy: true, read: 1 }
       */
      kind: 'frame.decoded';
      source: 'observed';
      conn: string;
      mode: FramingServerMode;
      /** Frame number on this connection, from 0. */
      index: number;
      /** Stream offset of the frame's first byte (header or first payload byte). */
      offset: number;
      /** Bytes the frame took on the wire (header, padding, delimiter and escapes included). */
      wireLen: number;
      payloadLen: number;
      /** The first payload bytes (at most 64), base64. */
      b64: string;
      clipped: boolean;
      /** True when the frame was handed out as a view of the read buffer, with no copy. */
      zeroCopy: boolean;
      /** The read (1, 2, …) that completed it. */
      read: number;
    }
  | {
      /** Frames decoded but not sent as frame.decoded events (more than the per-second budget of a connection). */
      kind: 'frame.elided';
      source: 'observed';
      conn: string;
      count: number;
    }
  | {
      /** The decoder's state after a read (at most a few per second per connection, and always after the last). */
      kind: 'frame.state';
      source: 'observed';
      conn: string;
      mode: FramingServerMode;
      state: DecoderState;
      /** Bytes of the read that led to this state. */
      readLen: number;
      read: number;
    }
  | {
      /** A bad frame: the server closes the connection (the reason is this error). Other connections carry on. */
      kind: 'frame.error';
      source: 'observed';
      conn: string;
      mode: FramingServerMode;
      error: WireError;
      /** Stream offset where the bad frame starts. */
      offset: number;
      state: DecoderState;
    };
