// When a triggered fault starts, found in the bytes as they pass: after N bytes, at the start of the n-th message,
// or right after a byte pattern. Pure and fed chunks of any size: a pattern or delimiter split across two chunks is
// still found (the last few bytes are kept).
import type { FaultTrigger } from '../../../core/protocol/demos/faultProxy.js';

export class TriggerState {
  private seen = 0;
  /** Delimiters seen so far (onMessage). */
  private count = 0;
  private tail = new Uint8Array(0);
  /** The pattern has passed (in bytes already advanced over). */
  private matched = false;
  private readonly needle: Uint8Array | null;

  constructor(private readonly trigger: FaultTrigger) {
    const text = 'pattern' in trigger ? trigger.pattern : 'onMessage' in trigger ? trigger.delimiter : null;
    this.needle = text === null ? null : new TextEncoder().encode(text);
  }

  /** True when the fault starts before any byte passes. */
  firesAtOnce(): boolean {
    const t = this.trigger;
    if ('afterBytes' in t) return t.afterBytes === 0;
    if ('onMessage' in t) return t.onMessage <= 1;
    return false;
  }

  /** How many of `bytes` pass before the fault starts (0: at once), or null when it does not start in them. */
  fireOffset(bytes: Uint8Array): number | null {
    const t = this.trigger;
    if ('afterBytes' in t) {
      const need = t.afterBytes - this.seen;
      return need <= 0 ? 0 : need <= bytes.length ? need : null;
    }
    if ('onMessage' in t) {
      const need = t.onMessage - 1 - this.count;
      // The n-th message starts with its first byte, not with the end of the one before.
      if (need <= 0) return bytes.length > 0 ? 0 : null;
      const ends = this.matchEnds(bytes, need);
      const at = ends.length === need ? ends[need - 1]! : null;
      return at !== null && at < bytes.length ? at : null;
    }
    if (this.matched) return 0;
    const ends = this.matchEnds(bytes, 1);
    return ends.length > 0 ? ends[0]! : null;
  }

  /** `bytes` passed without the fault starting inside them. */
  advance(bytes: Uint8Array): void {
    this.seen += bytes.length;
    if (!this.needle) return;
    if ('onMessage' in this.trigger) this.count += this.matchEnds(bytes, Infinity).length;
    else if (!this.matched) this.matched = this.matchEnds(bytes, 1).length > 0;
    const keep = this.needle.length - 1;
    const joined = concat(this.tail, bytes);
    this.tail = joined.slice(Math.max(0, joined.length - keep));
  }

  /** Offsets in `bytes` just after each of the first `limit` matches that end in them (tail bytes count too). */
  private matchEnds(bytes: Uint8Array, limit: number): number[] {
    const needle = this.needle!;
    const hay = concat(this.tail, bytes);
    const ends: number[] = [];
    for (let i = 0; i + needle.length <= hay.length && ends.length < limit; i++) {
      let j = 0;
      while (j < needle.length && hay[i + j] === needle[j]) j++;
      if (j === needle.length) {
        ends.push(i + needle.length - this.tail.length);
        i += needle.length - 1; // delimiters do not overlap
      }
    }
    return ends;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
