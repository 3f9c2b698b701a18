import { describe, expect, it } from 'vitest';
import { ipv6Address } from '../../../core/net/ipAddressText.js';
import {
  decodeFrame as decodeAnyFrame,
  LINK_TYPE,
  TCP_FLAG,
  tcpFlagNames,
  type DecodedTcpFrame,
  type SkippedFrame,
} from './frameDecoder.js';
import { buildTcpIpPacket, ipv6Bytes, wrapInLinkLayer, type TcpPacketSpec } from './pcapBuilder.js';

/** These tests are about TCP frames: a UDP result fails them at once (UDP has its own file). */
function decodeFrame(frame: Uint8Array, linkType: number): DecodedTcpFrame | SkippedFrame {
  const r = decodeAnyFrame(frame, linkType);
  if (r.ok && r.transport !== 'tcp') throw new Error(`expected a TCP frame, got ${r.transport}`);
  return r;
}

const synSpec: TcpPacketSpec = {
  sourcePort: 41056,
  destinationPort: 45678,
  seq: 1730411970,
  flags: TCP_FLAG.SYN,
  window: 65495,
  options: [
    { kind: 'mss', value: 65495 },
    { kind: 'sackPermitted' },
    { kind: 'timestamps', value: 3470321869, echoReply: 0 },
    { kind: 'nop' },
    { kind: 'wscale', shift: 10 },
  ],
};

describe('decodeFrame', () => {
  it('decodes a real loopback SYN (bytes copied from a tcpdump capture of lo)', () => {
    const hex =
      '0000 0000 0000 0000 0000 0000 0800 4500 003c 6dab 4000 4006 cf0e 7f00 0001 7f00 0001 a060 b26e 6723 ' +
      'fdc2 0000 0000 a002 ffd7 fe30 0000 0204 ffd7 0402 080a ced8 e8cd 0000 0000 0103 030a';
    const bytes = Uint8Array.from(
      hex
        .replace(/ /g, '')
        .match(/../g)!
        .map((h) => parseInt(h, 16)),
    );
    const r = decodeFrame(bytes, LINK_TYPE.EN10MB);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.link).toEqual({
      type: 'ethernet',
      destination: '00:00:00:00:00:00',
      source: '00:00:00:00:00:00',
      etherType: 0x0800,
    });
    expect(r.ip).toMatchObject({
      version: 4,
      source: '127.0.0.1',
      destination: '127.0.0.1',
      ttl: 64,
      dontFragment: true,
      identification: 0x6dab,
      totalLength: 60,
      checksum: 0xcf0e,
    });
    expect(r.tcp).toMatchObject({
      sourcePort: 41056,
      destinationPort: 45678,
      seq: 1730411970,
      ack: 0,
      window: 65495,
      headerLength: 40,
      checksum: 0xfe30,
    });
    expect(tcpFlagNames(r.tcp.flags)).toEqual(['SYN']);
    expect(r.tcp.options).toEqual([
      { kind: 'mss', value: 65495 },
      { kind: 'sackPermitted' },
      { kind: 'timestamps', value: 3470321869, echoReply: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 10 },
    ]);
    expect(r.payloadLength).toBe(0);
    expect(r.layout).toEqual({ ipOffset: 14, tcpOffset: 34, payloadOffset: 74, capturedEnd: 74 });
  });

  it.each([
    ['EN10MB', LINK_TYPE.EN10MB, 14],
    ['NULL', LINK_TYPE.NULL, 4],
    ['LOOP', LINK_TYPE.LOOP, 4],
    ['LINUX_SLL', LINK_TYPE.LINUX_SLL, 16],
    ['LINUX_SLL2', LINK_TYPE.LINUX_SLL2, 20],
  ])('finds IPv4 and IPv6 behind %s', (_name, linkType, linkLength) => {
    for (const [source, destination] of [
      ['127.0.0.1', '127.0.0.2'],
      ['::1', 'fe80::1:2'],
    ] as const) {
      const payload = new TextEncoder().encode('hello');
      const frame = wrapInLinkLayer(
        buildTcpIpPacket({ ...synSpec, source, destination, flags: TCP_FLAG.PSH | TCP_FLAG.ACK, ack: 7, payload }),
        linkType,
      );
      const r = decodeFrame(frame, linkType);
      expect(r.ok, `${source} over ${linkType}`).toBe(true);
      if (!r.ok) continue;
      expect(r.layout.ipOffset).toBe(linkLength);
      expect(r.ip.source).toBe(source);
      expect(r.ip.destination).toBe(destination);
      expect(r.ip.version).toBe(source.includes(':') ? 6 : 4);
      expect(r.tcp.ack).toBe(7);
      expect(r.payloadLength).toBe(5);
      expect(new TextDecoder().decode(frame.subarray(r.layout.payloadOffset, r.layout.capturedEnd))).toBe('hello');
      expect(tcpFlagNames(r.tcp.flags)).toEqual(['PSH', 'ACK']);
    }
  });

  it('reads the NULL address family in either byte order', () => {
    const ip = buildTcpIpPacket({ ...synSpec, source: '::1', destination: '::1' });
    for (const little of [true, false]) {
      const r = decodeFrame(wrapInLinkLayer(ip, LINK_TYPE.NULL, little), LINK_TYPE.NULL);
      expect(r.ok && r.link).toEqual({ type: 'null', addressFamily: 30 });
    }
  });

  it('keeps seq/ack unsigned above 2^31 and reads every flag including NS', () => {
    const all = 0x1ff;
    const r = decodeFrame(
      wrapInLinkLayer(buildTcpIpPacket({ ...synSpec, seq: 0xfffffffe, ack: 0x80000001, flags: all }), 1),
      1,
    );
    expect(r.ok && [r.tcp.seq, r.tcp.ack]).toEqual([0xfffffffe, 0x80000001]);
    expect(r.ok && tcpFlagNames(r.tcp.flags)).toEqual(['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS']);
  });

  it('decodes SACK blocks and keeps unknown options by type and length', () => {
    const r = decodeFrame(
      wrapInLinkLayer(
        buildTcpIpPacket({
          ...synSpec,
          options: [
            {
              kind: 'sack',
              blocks: [
                [100, 200],
                [4000000000, 4000000100],
              ],
            },
            { kind: 'raw', bytes: [30, 4, 0xaa, 0xbb] },
          ],
        }),
        1,
      ),
      1,
    );
    expect(r.ok && r.tcp.options).toEqual([
      {
        kind: 'sack',
        blocks: [
          [100, 200],
          [4000000000, 4000000100],
        ],
      },
      { kind: 'unknown', type: 30, length: 4 },
      { kind: 'eol' },
    ]);
  });

  it('marks an option whose length runs past the header as malformed instead of reading beyond it', () => {
    const r = decodeFrame(
      wrapInLinkLayer(buildTcpIpPacket({ ...synSpec, options: [{ kind: 'raw', bytes: [2, 40, 0, 0] }] }), 1),
      1,
    );
    expect(r.ok && r.tcp.options).toEqual([{ kind: 'malformed', type: 2, offset: 0 }]);
    const zeroLength = decodeFrame(
      wrapInLinkLayer(buildTcpIpPacket({ ...synSpec, options: [{ kind: 'raw', bytes: [8, 0, 0, 0] }] }), 1),
      1,
    );
    expect(zeroLength.ok && zeroLength.tcp.options).toEqual([{ kind: 'malformed', type: 8, offset: 0 }]);
  });

  it('bounds the payload by the IP length, not by Ethernet padding', () => {
    const frame = wrapInLinkLayer(buildTcpIpPacket({ ...synSpec, options: [], flags: TCP_FLAG.ACK }), 1);
    const padded = new Uint8Array(frame.length + 6);
    padded.set(frame);
    const r = decodeFrame(padded, 1);
    expect(r.ok && [r.payloadLength, r.layout.capturedEnd, r.payloadTruncated]).toEqual([0, frame.length, false]);
  });

  it('reports a payload cut by the snapshot length', () => {
    const frame = wrapInLinkLayer(buildTcpIpPacket({ ...synSpec, options: [], payload: new Uint8Array(100) }), 1);
    const r = decodeFrame(frame.subarray(0, frame.length - 60), 1);
    expect(r.ok && [r.payloadLength, r.payloadTruncated, r.layout.capturedEnd - r.layout.payloadOffset]).toEqual([
      100,
      true,
      40,
    ]);
  });

  it('walks IPv6 extension headers to reach TCP', () => {
    const ip = buildTcpIpPacket({ ...synSpec, source: '::1', destination: '::1', options: [] });
    // Insert an 8-byte hop-by-hop header between the fixed header and TCP.
    const withExt = new Uint8Array(ip.length + 8);
    withExt.set(ip.subarray(0, 40));
    withExt[6] = 0; // next header: hop-by-hop
    withExt.set([6, 0, 1, 4, 0, 0, 0, 0], 40); // next: TCP, length 0 (8 bytes), PadN
    withExt.set(ip.subarray(40), 48);
    const payloadLength = ((ip[4]! << 8) | ip[5]!) + 8;
    withExt[4] = payloadLength >> 8;
    withExt[5] = payloadLength & 0xff;
    const r = decodeFrame(wrapInLinkLayer(withExt, 1), 1);
    expect(r.ok && [r.ip.headerLength, r.tcp.sourcePort, r.payloadLength]).toEqual([48, 41056, 0]);
  });

  it('skips traffic that is neither TCP nor UDP, and non-IP traffic, with a reason, not an error', () => {
    const icmp = buildTcpIpPacket(synSpec);
    icmp[9] = 1;
    expect(decodeFrame(wrapInLinkLayer(icmp, 1), 1)).toMatchObject({ ok: false, reason: 'notTcpOrUdp' });
    const arp = new Uint8Array(42);
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(decodeFrame(arp, 1)).toMatchObject({ ok: false, reason: 'notIp' });
    const fragment = buildTcpIpPacket(synSpec);
    fragment[6] = 0x20; // more fragments
    expect(decodeFrame(wrapInLinkLayer(fragment, 1), 1)).toMatchObject({ ok: false, reason: 'ipFragment' });
  });

  it('rejects every truncation of a frame with a reason and never throws', () => {
    const frame = wrapInLinkLayer(
      buildTcpIpPacket({ ...synSpec, source: '::1', destination: '::1' }),
      LINK_TYPE.LINUX_SLL2,
    );
    const reasons = new Set<string>();
    for (let n = 0; n < frame.length; n++) {
      const r = decodeFrame(frame.subarray(0, n), LINK_TYPE.LINUX_SLL2);
      expect(r.ok, `cut at ${n}`).toBe(false);
      if (!r.ok) reasons.add(r.reason);
    }
    expect([...reasons].sort()).toEqual(['truncatedIp', 'truncatedLink', 'truncatedTcp']);
  });

  it('rejects impossible header lengths', () => {
    const badIhl = buildTcpIpPacket(synSpec);
    badIhl[0] = 0x44;
    expect(decodeFrame(wrapInLinkLayer(badIhl, 1), 1)).toMatchObject({ ok: false, reason: 'badIpHeader' });
    const badVersion = buildTcpIpPacket(synSpec);
    badVersion[0] = 0x55;
    expect(decodeFrame(wrapInLinkLayer(badVersion, 1), 1)).toMatchObject({ ok: false, reason: 'badIpHeader' });
    const badOffset = buildTcpIpPacket({ ...synSpec, options: [] });
    badOffset[32] = 0x30; // data offset 3
    expect(decodeFrame(wrapInLinkLayer(badOffset, 1), 1)).toMatchObject({ ok: false, reason: 'badTcpHeader' });
    const overlong = buildTcpIpPacket({ ...synSpec, options: [] });
    overlong[32] = 0xf0; // 60-byte header in a 40-byte packet
    expect(decodeFrame(wrapInLinkLayer(overlong, 1), 1)).toMatchObject({ ok: false, reason: 'badTcpHeader' });
  });

  it('survives random bytes on every link type', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (const linkType of [0, 1, 108, 113, 276, 999]) {
      for (let i = 0; i < 2000; i++) {
        const bytes = Uint8Array.from({ length: random() % 120 }, () => random() & 0xff);
        // Make half of them look like IP so the deeper layers get fuzzed too.
        if (i % 2 && bytes.length > 20) bytes[linkType === 1 ? 12 : 0] = 0x08;
        expect(() => decodeFrame(bytes, linkType)).not.toThrow();
      }
    }
  });

  it('formats IPv6 addresses per RFC 5952', () => {
    const text = (s: string): string => ipv6Address(Uint8Array.from(ipv6Bytes(s)), 0);
    expect(text('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(text('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(text('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(text('0:0:0:0:0:0:0:0')).toBe('::');
    expect(text('fe80:0:0:0:0:0:0:0')).toBe('fe80::');
  });
});
