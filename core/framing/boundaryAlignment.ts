// Compares two ways of cutting one byte stream: the sender's writes and the receiver's reads (or captured segments).
// Pure; shared by the stream demo (run summaries) and the byte-ruler view.
import type { BoundarySummary, ByteSpan } from '../protocol/events/stream.js';

/**
 * Lays `reads` over `writes` (both sorted by offset, as a stream delivers them) and counts what happened to the
 * message boundaries: reads that returned parts of several messages (coalesced), messages that took several
 * reads (split), and reads that began and ended exactly on message boundaries.
 */
export function summarizeBoundaries(writes: readonly ByteSpan[], reads: readonly ByteSpan[]): BoundarySummary {
  const readsPerWrite = new Uint32Array(writes.length);
  let coalescedReads = 0;
  let alignedReads = 0;
  let maxMessagesPerRead = 0;
  let bytes = 0;
  let w = 0;
  for (const read of reads) {
    const readEnd = read.offset + read.len;
    bytes += read.len;
    while (w < writes.length && writes[w].offset + writes[w].len <= read.offset) w++;
    let k = w;
    let touched = 0;
    while (k < writes.length && writes[k].offset < readEnd) {
      if (writes[k].len > 0) {
        touched++;
        readsPerWrite[k]++;
      }
      k++;
    }
    if (touched >= 2) coalescedReads++;
    if (touched > maxMessagesPerRead) maxMessagesPerRead = touched;
    const last = writes[k - 1];
    if (touched > 0 && writes[w].offset === read.offset && last.offset + last.len === readEnd) alignedReads++;
  }
  let splitMessages = 0;
  for (const n of readsPerWrite) if (n >= 2) splitMessages++;
  return {
    writes: writes.length,
    reads: reads.length,
    bytes,
    coalescedReads,
    splitMessages,
    maxMessagesPerRead,
    alignedReads,
  };
}

/** Indexes of the spans of `cuts` that overlap [offset, offset + len): which reads a message went into, say. */
export function overlapping(cuts: readonly ByteSpan[], offset: number, len: number): number[] {
  const end = offset + len;
  // Binary search for the first span that ends after offset.
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid].offset + cuts[mid].len <= offset) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < cuts.length && cuts[i].offset < end; i++) out.push(i);
  return out;
}
