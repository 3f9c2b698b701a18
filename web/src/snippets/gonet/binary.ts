// Go's encoding/binary byte orders for snippets: binary.bigEndian.uint32(b), binary.bigEndian.putUint32(b, v)…
// Reading past the end panics with Go's "index out of range" wording.
import { GoPanic } from '@core/runtime/panic';

function need(b: Uint8Array, n: number): void {
  if (b.length < n) throw new GoPanic(`runtime error: index out of range [${n - 1}] with length ${b.length}`);
}

export interface ByteOrder {
  uint16(b: Uint8Array): number;
  uint32(b: Uint8Array): number;
  putUint16(b: Uint8Array, v: number): void;
  putUint32(b: Uint8Array, v: number): void;
  /** Appends v's 4 bytes to a copy of b (Go's AppendUint32). */
  appendUint32(b: Uint8Array, v: number): Uint8Array;
  toString(): string;
}

export const bigEndian: ByteOrder = {
  uint16: (b) => (need(b, 2), (b[0]! << 8) | b[1]!),
  uint32: (b) => (need(b, 4), ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!),
  putUint16(b, v) {
    need(b, 2);
    b[0] = (v >>> 8) & 0xff;
    b[1] = v & 0xff;
  },
  putUint32(b, v) {
    need(b, 4);
    b[0] = v >>> 24;
    b[1] = (v >>> 16) & 0xff;
    b[2] = (v >>> 8) & 0xff;
    b[3] = v & 0xff;
  },
  appendUint32(b, v) {
    const out = new Uint8Array(b.length + 4);
    out.set(b);
    bigEndian.putUint32(out.subarray(b.length), v);
    return out;
  },
  toString: () => 'BigEndian',
};

export const littleEndian: ByteOrder = {
  uint16: (b) => (need(b, 2), b[0]! | (b[1]! << 8)),
  uint32: (b) => (need(b, 4), b[0]! + (b[1]! << 8) + (b[2]! << 16) + ((b[3]! << 24) >>> 0)),
  putUint16(b, v) {
    need(b, 2);
    b[0] = v & 0xff;
    b[1] = (v >>> 8) & 0xff;
  },
  putUint32(b, v) {
    need(b, 4);
    b[0] = v & 0xff;
    b[1] = (v >>> 8) & 0xff;
    b[2] = (v >>> 16) & 0xff;
    b[3] = v >>> 24;
  },
  appendUint32(b, v) {
    const out = new Uint8Array(b.length + 4);
    out.set(b);
    littleEndian.putUint32(out.subarray(b.length), v);
    return out;
  },
  toString: () => 'LittleEndian',
};
