import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import { arrivalMarks, payloadPreview, readFromResult, udpViewFold } from './udpLabModel';

function datagram(index: number, payload: string): LabEvent {
  const frame = Buffer.concat([Buffer.alloc(42), Buffer.from(payload, 'latin1')]);
  return {
    kind: 'packet.datagram',
    source: 'captured',
    index,
    tsSec: 1,
    tsNsec: 0,
    at: 1000,
    from: '127.0.0.1:50000',
    to: '127.0.0.1:7420',
    len: payload.length,
    payloadTruncated: false,
    headers: {
      link: { type: 'ethernet', source: '', destination: '', etherType: 0x800 },
      ip: {
        version: 4,
        headerLength: 20,
        dscp: 0,
        ecn: 0,
        totalLength: 28 + payload.length,
        identification: 0,
        dontFragment: true,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 64,
        protocol: 17,
        checksum: 0,
        source: '127.0.0.1',
        destination: '127.0.0.1',
      },
      udp: { sourcePort: 50000, destinationPort: 7420, length: 8 + payload.length, checksum: 0 },
    },
    hex: frame.toString('hex'),
    hexClipped: false,
    layout: { ipOffset: 14, udpOffset: 34, payloadOffset: 42, capturedEnd: frame.length },
    capturedLength: frame.length,
    originalLength: frame.length,
    linkType: 'EN10MB',
    seq: index,
    t: 1000,
    demo: 'udp',
  };
}

describe('udpViewFold', () => {
  it('keeps the newest captured datagrams first, with their payload text, and counts them all', () => {
    const s = udpViewFold.init();
    for (let i = 0; i < 15; i++) udpViewFold.step(s, datagram(i, `#${i} hi\n`));
    expect(s.datagramCount).toBe(15);
    expect(s.datagrams).toHaveLength(12);
    expect(s.datagrams[0]).toMatchObject({ index: 14, preview: '#14 hi.', len: 7, ipVersion: 4 });
  });

  it("ignores other demos' events and follows the relay and the echo server's counters", () => {
    const s = udpViewFold.init();
    udpViewFold.step(s, { ...datagram(0, 'x'), demo: 'handshake' } as LabEvent);
    const stamp = { seq: 1, t: 1, demo: 'udp' };
    udpViewFold.step(s, {
      kind: 'udp.relay',
      source: 'observed',
      from: 'a',
      action: 'drop',
      number: 3,
      bytes: 16,
      seed: 7,
      ...stamp,
    });
    udpViewFold.step(s, {
      kind: 'udp.stats',
      source: 'observed',
      received: 5,
      echoed: 4,
      droppedByBudget: 1,
      sources: 2,
      captureSuppressed: 0,
      relaySuppressed: 0,
      ...stamp,
    });
    expect(s.datagramCount).toBe(0);
    expect(s.relay).toEqual([{ from: 'a', action: 'drop', number: 3 }]);
    expect(s.stats).toEqual({ received: 5, echoed: 4, droppedByBudget: 1, sources: 2 });
  });
});

describe('panel helpers', () => {
  it('marks echoes that arrived after a higher number', () => {
    expect(arrivalMarks([1, 3, 2, 4, 6, 5])).toEqual([
      { seq: 1, late: false },
      { seq: 3, late: false },
      { seq: 2, late: true },
      { seq: 4, late: false },
      { seq: 6, late: false },
      { seq: 5, late: true },
    ]);
  });

  it('shows payload bytes as printable text', () => {
    const hex = Buffer.from('\x00\x01ab\ncd', 'latin1').toString('hex');
    expect(payloadPreview(hex, 2, 7)).toBe('ab.cd');
    expect(payloadPreview(hex, 2, 7, 2)).toBe('ab');
  });

  it("tells what Go's ReadFrom returns for a datagram bigger than the buffer", () => {
    expect(readFromResult(100, 16)).toEqual({ n: 16, discarded: 84 });
    expect(readFromResult(10, 16)).toEqual({ n: 10, discarded: 0 });
  });
});
