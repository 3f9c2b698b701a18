// Test support for the framing codecs: a seeded random source, chunk splitters, and a feeder that collects frames.
import type { FrameDecoder } from './frameCodec.js';

/** mulberry32: a small seeded generator, so a failing random split can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = randomInt(random, 256);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Cuts bytes at the given sorted offsets. Each chunk is a fresh copy, as a socket would deliver it. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(from, cut));
    from = cut;
  }
  return chunks;
}

/** Random sorted cut offsets (repeats allowed, which makes empty chunks). */
export function randomCuts(random: () => number, length: number, count: number): number[] {
  const cuts: number[] = [];
  for (let i = 0; i < count; i++) cuts.push(randomInt(random, length + 1));
  return cuts.sort((x, y) => x - y);
}

export interface FeedResult {
  /** Copies of the frames, in order. */
  frames: Uint8Array[];
  /** The wireEnd reported with each frame. */
  wireEnds: number[];
  /** The largest bufferedBytes seen after any push. */
  maxBuffered: number;
}

/** Pushes every chunk, then ends the stream; frames are copied as they arrive. Errors propagate. */
export function feed(decoder: FrameDecoder, chunks: readonly Uint8Array[]): FeedResult {
  const frames: Uint8Array[] = [];
  const wireEnds: number[] = [];
  let maxBuffered = 0;
  for (const chunk of chunks) {
    decoder.push(chunk, (frame, wireEnd) => {
      frames.push(frame.slice());
      wireEnds.push(wireEnd);
    });
    maxBuffered = Math.max(maxBuffered, decoder.state().bufferedBytes);
  }
  decoder.end();
  return { frames, wireEnds, maxBuffered };
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
