// Stream-demo events (lesson 2, sticky packets): each write the sender made and each read the receiver got, as byte
// ranges of one run, so a view can lay write boundaries over read boundaries. Always source 'observed'.
import type { WireError } from '../errors.js';
import type { Endpoint } from './socket.js';

/** The knobs of one run, as the sender and receiver applied them. */
export interface StreamRunSettings {
  transport: 'tcp' | 'udp';
  /** Messages the sender writes. */
  count: number;
  /** Bytes per message. */
  size: number;
  /** Pause between writes (or between corked batches), ms. */
  intervalMs: number;
  /** TCP_NODELAY: true turns Nagle's algorithm off. */
  noDelay: boolean;
  /** Messages per corked batch (Node's socket.cork: one writev system call for the batch); 1 = no cork. */
  corkBatch: number;
  /** The receiver stops reading this long after each read, ms. */
  readDelayMs: number;
  /** The receiver's read buffer: the most one read can return. */
  readBuffer: number;
}

/** A byte range of the run's stream: [offset, offset + len). */
export interface ByteSpan {
  offset: number;
  len: number;
}

/** What the boundaries of one run show, from comparing writes with reads (see framing/boundaryAlignment). */
export interface BoundarySummary {
  writes: number;
  reads: number;
  bytes: number;
  /** Reads that returned bytes of two or more messages ("sticky"). */
  coalescedReads: number;
  /** Messages whose bytes came back in two or more reads (split). */
  splitMessages: number;
  /** The most messages (whole or partial) one read touched. */
  maxMessagesPerRead: number;
  /** Reads whose boundaries fall exactly on message boundaries (start and end). */
  alignedReads: number;
}

export type StreamEvent =
  | {
      kind: 'stream.runStart';
      source: 'observed';
      run: string;
      settings: StreamRunSettings;
      sender: Endpoint;
      receiver: Endpoint;
    }
  | {
      kind: 'stream.write';
      source: 'observed';
      run: string;
      /** Message number, from 0. */
      index: number;
      offset: number;
      len: number;
      /** Corked batch number (equal numbers went out in one writev); the write number when not corked. */
      batch: number;
      /** Wall-clock ms in the sender process when the write returned. */
      at: number;
    }
  | {
      kind: 'stream.read';
      source: 'observed';
      run: string;
      offset: number;
      len: number;
      /** Wall-clock ms in the receiver when the read returned. */
      at: number;
      /** UDP: the message number carried in the datagram (so losses and reordering show). */
      index?: number;
    }
  | {
      /** The run is over: every write and read span (the authoritative record), and the summary. */
      kind: 'stream.runEnd';
      source: 'observed';
      run: string;
      transport: 'tcp' | 'udp';
      writes: ByteSpan[];
      reads: ByteSpan[];
      summary: BoundarySummary;
      durationMs: number;
      /** UDP: datagrams sent but not received before the run ended. */
      lost?: number;
      /** TCP, when capture runs: segments that carried the sender's bytes (source of this count: captured). */
      segments?: number;
      error?: WireError;
    };
