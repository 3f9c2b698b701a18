// The IPC messages between the stream demo (in the lab) and its sender process, and the messages it sends.
import type { StreamRunSettings } from '../../../core/protocol/events/stream.js';

/** One write(2) the sender made: a message, where it sits in the stream, and its corked batch. */
export interface WriteRecord {
  index: number;
  offset: number;
  len: number;
  batch: number;
  at: number;
}

export type ToSender =
  | { type: 'tcp-run'; run: string; receiverPort: number; settings: StreamRunSettings }
  | { type: 'udp-run'; run: string; host: string; port: number; settings: StreamRunSettings };

export type FromSender =
  | { type: 'ready'; tcpPort: number }
  | { type: 'writes'; run: string; writes: WriteRecord[] }
  | { type: 'run-done'; run: string; error?: string }
  | { type: 'fatal'; error: string };

/**
 * The bytes of message `index`: "m<index>." repeated to `size` bytes ("m7.m7.m7.m"), so a glance at a read shows
 * which messages it holds, and a UDP datagram says which message it is.
 */
export function messageBytes(index: number, size: number): Uint8Array {
  const unit = new TextEncoder().encode(`m${index}.`);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += unit.length) out.set(unit.subarray(0, Math.min(unit.length, size - i)), i);
  return out;
}

/** The message number a datagram starts with, or null when it is too short to say. */
export function messageIndexOf(datagram: Uint8Array): number | null {
  if (datagram[0] !== 0x6d) return null; // 'm'
  let n = 0;
  let i = 1;
  for (; i < datagram.length && datagram[i] >= 0x30 && datagram[i] <= 0x39; i++) n = n * 10 + (datagram[i] - 0x30);
  return i > 1 && datagram[i] === 0x2e ? n : null;
}
