import { describe, expect, it } from 'vitest';
import { LINK_TYPE, TCP_FLAG } from './frameDecoder.js';
import { buildPcap, buildTcpIpPacket, wrapInLinkLayer, type PcapFileSpec } from './pcapBuilder.js';
import { decodePcap, PcapStreamDecoder, type PcapStreamItem } from './pcapDecoder.js';

function handshakeFrames(linkType: number, source = '127.0.0.1'): Uint8Array[] {
  const c = { source, destination: source, sourcePort: 50000, destinationPort: 8080 };
  const s = { source, destination: source, sourcePort: 8080, destinationPort: 50000 };
  return [
    buildTcpIpPacket({ ...c, seq: 1000, flags: TCP_FLAG.SYN, options: [{ kind: 'mss', value: 65495 }] }),
    buildTcpIpPacket({ ...s, seq: 5000, ack: 1001, flags: TCP_FLAG.SYN | TCP_FLAG.ACK }),
    buildTcpIpPacket({ ...c, seq: 1001, ack: 5001, flags: TCP_FLAG.ACK }),
    buildTcpIpPacket({
      ...c,
      seq: 1001,
      ack: 5001,
      flags: TCP_FLAG.PSH | TCP_FLAG.ACK,
      payload: new Uint8Array([104, 105]),
    }),
  ].map((p) => wrapInLinkLayer(p, linkType));
}

function capture(file: PcapFileSpec, frames: Uint8Array[]): Uint8Array {
  return buildPcap(
    file,
    frames.map((frame, i) => ({ tsSec: 1700000000 + i, tsFraction: file.nanosecond ? 123456789 : 123456, frame })),
  );
}

/** A comparable summary of stream items (frames are views, so compare their contents). */
function summary(items: PcapStreamItem[]): unknown[] {
  return items.map((item) => {
    if (item.kind !== 'packet')
      return item.kind === 'skipped' ? { kind: 'skipped', reason: item.reason, index: item.record.index } : item;
    const p = item.packet;
    return {
      kind: 'packet',
      index: p.index,
      ts: [p.tsSec, p.tsNsec],
      frame: Array.from(p.frame),
      tcp: p.decoded.tcp,
      len: p.decoded.payloadLength,
    };
  });
}

function feed(bytes: Uint8Array, cuts: number[]): PcapStreamItem[] {
  const decoder = new PcapStreamDecoder();
  const items: PcapStreamItem[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    items.push(...decoder.push(bytes.subarray(from, cut)));
    from = cut;
  }
  items.push(...decoder.end());
  return items;
}

describe('PcapStreamDecoder', () => {
  it.each([
    ['little-endian µs', { byteOrder: 'little', nanosecond: false }],
    ['big-endian µs', { byteOrder: 'big', nanosecond: false }],
    ['little-endian ns', { byteOrder: 'little', nanosecond: true }],
    ['big-endian ns', { byteOrder: 'big', nanosecond: true }],
  ] as const)('reads a %s capture', (_name, order) => {
    const items = decodePcap(capture({ linkType: LINK_TYPE.EN10MB, ...order }, handshakeFrames(LINK_TYPE.EN10MB)));
    expect(items[0]).toEqual({
      kind: 'header',
      header: {
        byteOrder: order.byteOrder,
        nanosecond: order.nanosecond,
        versionMajor: 2,
        versionMinor: 4,
        snapLength: 262144,
        linkType: 1,
        linkTypeName: 'EN10MB',
      },
    });
    const packets = items.flatMap((i) => (i.kind === 'packet' ? [i.packet] : []));
    expect(packets.map((p) => [p.index, p.tsSec, p.tsNsec])).toEqual([
      [0, 1700000000, order.nanosecond ? 123456789 : 123456000],
      [1, 1700000001, order.nanosecond ? 123456789 : 123456000],
      [2, 1700000002, order.nanosecond ? 123456789 : 123456000],
      [3, 1700000003, order.nanosecond ? 123456789 : 123456000],
    ]);
    expect(
      packets.map((p) => [p.decoded.tcp.seq, p.decoded.tcp.ack, p.decoded.tcp.flags, p.decoded.payloadLength]),
    ).toEqual([
      [1000, 0, TCP_FLAG.SYN, 0],
      [5000, 1001, TCP_FLAG.SYN | TCP_FLAG.ACK, 0],
      [1001, 5001, TCP_FLAG.ACK, 0],
      [1001, 5001, TCP_FLAG.PSH | TCP_FLAG.ACK, 2],
    ]);
    expect(items).toHaveLength(5);
  });

  it.each([
    ['NULL', LINK_TYPE.NULL],
    ['LOOP', LINK_TYPE.LOOP],
    ['LINUX_SLL', LINK_TYPE.LINUX_SLL],
    ['LINUX_SLL2', LINK_TYPE.LINUX_SLL2],
  ])('decodes IPv6 records over %s', (name, linkType) => {
    const items = decodePcap(capture({ linkType }, handshakeFrames(linkType, '::1')));
    expect(items[0]).toMatchObject({ kind: 'header', header: { linkTypeName: name } });
    const packets = items.flatMap((i) => (i.kind === 'packet' ? [i.packet] : []));
    expect(packets.map((p) => [p.decoded.ip.source, p.decoded.tcp.sourcePort])).toEqual([
      ['::1', 50000],
      ['::1', 8080],
      ['::1', 50000],
      ['::1', 50000],
    ]);
  });

  it('gives the same result for every way of splitting the stream in two and for byte-by-byte feeding', () => {
    const bytes = capture({ linkType: 1, byteOrder: 'big', nanosecond: true }, handshakeFrames(1));
    const whole = summary(feed(bytes, []));
    for (let cut = 0; cut <= bytes.length; cut++) expect(summary(feed(bytes, [cut])), `split at ${cut}`).toEqual(whole);
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(summary(feed(bytes, everyByte))).toEqual(whole);
  });

  it('gives the same result for three-way splits', () => {
    const bytes = capture({ linkType: 276 }, handshakeFrames(276).slice(0, 2));
    const whole = summary(feed(bytes, []));
    for (let a = 1; a < bytes.length; a += 3) {
      for (let b = a; b < bytes.length; b += 5) expect(summary(feed(bytes, [a, b]))).toEqual(whole);
    }
  });

  it('reports a half-written last record at end of stream (tcpdump killed mid-write)', () => {
    const bytes = capture({ linkType: 1 }, handshakeFrames(1));
    const items = feed(bytes.subarray(0, bytes.length - 10), []);
    expect(items.filter((i) => i.kind === 'packet')).toHaveLength(3);
    expect(items.at(-1)).toEqual({
      kind: 'error',
      error: {
        code: 'E_PCAP_TRUNCATED_RECORD',
        detail: expect.stringContaining('inside record 3'),
        fatal: true,
        recordIndex: 3,
      },
    });
  });

  it('reports a stream that ends inside the global header', () => {
    const items = feed(capture({ linkType: 1 }, []).subarray(0, 10), []);
    expect(items).toEqual([
      { kind: 'error', error: expect.objectContaining({ code: 'E_PCAP_TRUNCATED_RECORD', fatal: true }) },
    ]);
  });

  it('says nothing at the end of a clean stream', () => {
    const decoder = new PcapStreamDecoder();
    decoder.push(capture({ linkType: 1 }, handshakeFrames(1)));
    expect(decoder.end()).toEqual([]);
    expect(decoder.stats).toEqual({
      bytes: expect.any(Number),
      records: 4,
      tcpPackets: 4,
      udpDatagrams: 0,
      skipped: 0,
      malformed: 0,
    });
  });

  it('rejects garbage with a fatal bad-magic error and ignores what follows', () => {
    const decoder = new PcapStreamDecoder();
    const items = decoder.push(
      new TextEncoder().encode("tcpdump: lo: You don't have permission to capture on that device\n"),
    );
    expect(items).toEqual([
      {
        kind: 'error',
        error: { code: 'E_PCAP_BAD_MAGIC', detail: expect.stringContaining('not a pcap stream'), fatal: true },
      },
    ]);
    expect(decoder.hasFailed).toBe(true);
    expect(decoder.push(capture({ linkType: 1 }, handshakeFrames(1)))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('names pcapng when it sees it', () => {
    const ng = Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...new Array<number>(24).fill(0)]);
    expect(decodePcap(ng)[0]).toMatchObject({
      kind: 'error',
      error: { code: 'E_PCAP_BAD_MAGIC', detail: expect.stringContaining('pcapng') },
    });
  });

  it('stops at a record header with an impossible length instead of waiting for a gigabyte', () => {
    const good = capture({ linkType: 1 }, handshakeFrames(1).slice(0, 1));
    const bad = new Uint8Array(good.length + 16);
    bad.set(good);
    bad.set([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f], good.length);
    const decoder = new PcapStreamDecoder();
    const items = decoder.push(bad);
    expect(items.map((i) => i.kind)).toEqual(['header', 'packet', 'error']);
    expect(items[2]).toMatchObject({ error: { code: 'E_PCAP_CORRUPT_RECORD', fatal: true, recordIndex: 1 } });
  });

  it('rejects a record claiming more captured than original bytes, or a fraction of 1 s or more', () => {
    const frame = handshakeFrames(1)[0]!;
    const longer = buildPcap({ linkType: 1 }, [{ tsSec: 1, tsFraction: 0, frame, originalLength: frame.length - 1 }]);
    expect(decodePcap(longer)[1]).toMatchObject({ kind: 'error', error: { code: 'E_PCAP_CORRUPT_RECORD' } });
    const micro = buildPcap({ linkType: 1 }, [{ tsSec: 1, tsFraction: 1_000_000, frame }]);
    expect(decodePcap(micro)[1]).toMatchObject({ kind: 'error', error: { code: 'E_PCAP_CORRUPT_RECORD' } });
    const nano = buildPcap({ linkType: 1, nanosecond: true }, [{ tsSec: 1, tsFraction: 999_999_999, frame }]);
    expect(decodePcap(nano)[1]).toMatchObject({ kind: 'packet' });
  });

  it('reports an unknown link type once and skips its records quietly', () => {
    const items = decodePcap(capture({ linkType: 147 }, handshakeFrames(1)));
    expect(items.map((i) => i.kind)).toEqual(['header', 'error']);
    expect(items[1]).toMatchObject({ error: { code: 'E_PCAP_UNSUPPORTED_LINK_TYPE', fatal: false } });
  });

  it('reports a malformed packet and keeps decoding the ones after it', () => {
    const frames = handshakeFrames(1);
    frames[1] = frames[1]!.subarray(0, 30); // IPv4 header cut short
    const items = decodePcap(capture({ linkType: 1 }, frames));
    expect(items.map((i) => i.kind)).toEqual(['header', 'packet', 'error', 'packet', 'packet']);
    expect(items[2]).toMatchObject({ error: { code: 'E_PACKET_MALFORMED', fatal: false, recordIndex: 1 } });
  });

  it('marks records cut by the snapshot length but still decodes their headers', () => {
    const frame = handshakeFrames(1)[3]!;
    const items = decodePcap(
      buildPcap({ linkType: 1, snapLength: 55 }, [
        { tsSec: 1, tsFraction: 0, frame: frame.subarray(0, frame.length - 1), originalLength: frame.length },
      ]),
    );
    expect(items[1]).toMatchObject({
      kind: 'packet',
      packet: {
        capturedLength: frame.length - 1,
        originalLength: frame.length,
        decoded: { payloadLength: 2, payloadTruncated: true },
      },
    });
  });

  it('skips records that are neither TCP nor UDP without calling them errors', () => {
    const icmp = buildTcpIpPacket({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 0 });
    icmp[9] = 1;
    const items = decodePcap(capture({ linkType: 1 }, [wrapInLinkLayer(icmp, 1), ...handshakeFrames(1).slice(0, 1)]));
    expect(items.map((i) => i.kind)).toEqual(['header', 'skipped', 'packet']);
  });

  it('never throws on random records behind a valid header', () => {
    let seed = 99;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let run = 0; run < 300; run++) {
      const header = capture({ linkType: [0, 1, 108, 113, 276][run % 5]! }, []);
      const tail = Uint8Array.from({ length: random() % 400 }, () => random() & 0xff);
      const bytes = new Uint8Array(header.length + tail.length);
      bytes.set(header);
      bytes.set(tail, header.length);
      expect(() => feed(bytes, [random() % bytes.length])).not.toThrow();
    }
  });
});
