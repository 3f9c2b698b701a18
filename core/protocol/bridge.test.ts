// The bridge's binary frames and address helpers.
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeCredit, encodeData, encodeDataHeader, joinHostPort, parseHostPort } from './bridge.js';

describe('bridge frames', () => {
  it('round-trips DATA with a 5-byte header and a zero-copy payload view', () => {
    const payload = new Uint8Array([1, 2, 3, 250]);
    const frame = encodeData(0xfffffffe, payload);
    expect(frame.length).toBe(9);
    expect([...encodeDataHeader(0xfffffffe)]).toEqual([...frame.subarray(0, 5)]);
    const d = decodeFrame(frame);
    expect(d).toEqual({ op: 'data', id: 0xfffffffe, payload });
    if (d.op === 'data') expect(d.payload.buffer).toBe(frame.buffer);
  });

  it('round-trips CREDIT entries', () => {
    const entries = [
      { conn: 1, bytes: 65536, frames: 3 },
      { conn: 4000000000, bytes: 0xffffffff, frames: 0 },
    ];
    expect(decodeFrame(encodeCredit(entries))).toEqual({ op: 'credit', entries });
  });

  it('reports malformed frames instead of throwing', () => {
    expect(decodeFrame(new Uint8Array([1, 0, 0])).op).toBe('bad');
    expect(decodeFrame(new Uint8Array([9, 0, 0, 0, 1])).op).toBe('bad');
    expect(decodeFrame(new Uint8Array([1, 0, 0, 0, 0, 7])).op).toBe('bad');
    expect(decodeFrame(new Uint8Array([2, 0, 0, 0, 0, 1, 2, 3])).op).toBe('bad');
  });

  it('joins and splits host:port like Go', () => {
    for (const [h, p] of [
      ['127.0.0.1', 80],
      ['::1', 7401],
    ] as const)
      expect(parseHostPort(joinHostPort(h, p))).toEqual({ host: h, port: p });
  });
});
