// The write/read boundary comparison behind the sticky-packet lesson's counts.
import { describe, expect, it } from 'vitest';
import { overlapping, summarizeBoundaries } from './boundaryAlignment.js';

const spans = (...lens: number[]) => {
  let offset = 0;
  return lens.map((len) => {
    const s = { offset, len };
    offset += len;
    return s;
  });
};

describe('summarizeBoundaries', () => {
  it('one read per write: everything aligned, nothing coalesced or split', () => {
    expect(summarizeBoundaries(spans(5, 5, 5), spans(5, 5, 5))).toEqual({
      writes: 3,
      reads: 3,
      bytes: 15,
      coalescedReads: 0,
      splitMessages: 0,
      maxMessagesPerRead: 1,
      alignedReads: 3,
    });
  });

  it('three writes in one read: sticky', () => {
    const s = summarizeBoundaries(spans(4, 4, 4), spans(12));
    expect(s).toMatchObject({ coalescedReads: 1, splitMessages: 0, maxMessagesPerRead: 3, alignedReads: 1 });
  });

  it('one write over three reads: split', () => {
    const s = summarizeBoundaries(spans(10), spans(4, 4, 2));
    expect(s).toMatchObject({ coalescedReads: 0, splitMessages: 1, maxMessagesPerRead: 1, alignedReads: 0 });
  });

  it('both at once: reads that straddle message boundaries', () => {
    // Messages [0,6) [6,12) [12,18); reads [0,8) [8,18).
    const s = summarizeBoundaries(spans(6, 6, 6), spans(8, 10));
    expect(s).toMatchObject({ coalescedReads: 2, splitMessages: 1, maxMessagesPerRead: 2, alignedReads: 0, bytes: 18 });
  });

  it('empty inputs', () => {
    expect(summarizeBoundaries([], [])).toMatchObject({ writes: 0, reads: 0, bytes: 0, maxMessagesPerRead: 0 });
  });
});

describe('overlapping', () => {
  it('finds the spans a byte range touches', () => {
    const reads = spans(4, 4, 4, 4);
    expect(overlapping(reads, 0, 4)).toEqual([0]);
    expect(overlapping(reads, 3, 2)).toEqual([0, 1]);
    expect(overlapping(reads, 5, 10)).toEqual([1, 2, 3]);
    expect(overlapping(reads, 16, 3)).toEqual([]);
  });
});
