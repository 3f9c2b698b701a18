// UDP in the capture pipeline: datagrams from real loopback captures (checked-in and made here by tcpdump), hand-made
// edge cases (lying lengths, every truncation), and the size limits the kernel enforces.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PacketDatagramEvent } from '../../../core/protocol/events/packet.js';
import { CaptureObserver, findExecutable } from './captureObserver.js';
import { CaptureProcessor, type CaptureEventBody } from './captureProcessor.js';
import { decodeFrame, LINK_TYPE } from './frameDecoder.js';
import { buildPcap, buildUdpIpPacket, wrapInLinkLayer } from './pcapBuilder.js';
import { decodePcap } from './pcapDecoder.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function datagrams(events: CaptureEventBody[]): PacketDatagramEvent[] {
  return events.filter((e): e is PacketDatagramEvent => e.kind === 'packet.datagram');
}

function processAll(bytes: Uint8Array): CaptureEventBody[] {
  const p = new CaptureProcessor();
  return [...p.push(bytes), ...p.end()];
}

/** The payload bytes a datagram event carries in its hex, as text. */
function payloadText(d: PacketDatagramEvent): string {
  const hex = d.hex.slice(d.layout.payloadOffset * 2, d.layout.capturedEnd * 2);
  return Buffer.from(hex, 'hex').toString('latin1');
}

describe('UDP datagrams in checked-in captures (tcpdump on this lab machine, 2026-12)', () => {
  it('decodes IPv4 and IPv6 datagrams on lo (EN10MB), the empty one included, with their exact payloads', () => {
    const events = processAll(fixture('udp-lo-en10mb.pcap'));
    expect(events.filter((e) => e.kind === 'packet.decodeError')).toEqual([]);
    const ds = datagrams(events);
    expect(ds.map((d) => d.len)).toEqual([3, 7, 0, 1000, 8, 300]);
    expect(ds.map((d) => d.headers.ip.version)).toEqual([4, 4, 4, 4, 6, 6]);
    expect(ds[0]!.to).toBe('127.0.0.1:47001');
    expect(ds[4]!.to).toBe('[::1]:47002');
    expect(ds[0]!.from).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(ds.map(payloadText).slice(0, 3)).toEqual(['one', 'two-two', '']);
    expect(payloadText(ds[4]!)).toBe('over six');
    expect(ds.every((d) => !d.payloadTruncated && d.linkType === 'EN10MB')).toBe(true);
    expect(ds.every((d) => d.headers.udp.length === d.len + 8)).toBe(true);
    // A datagram has no connection: no TCP states are inferred from it.
    expect(events.some((e) => e.kind === 'tcpState.inferred')).toBe(false);
  });

  it('reports datagrams the snapshot length cut (LINUX_SLL2, -s 96) with the length that was sent', () => {
    const events = processAll(fixture('udp-any-sll2-snap96.pcap'));
    const ds = datagrams(events);
    expect(ds.map((d) => d.len)).toEqual([3, 7, 0, 1000, 8, 300]);
    expect(ds.map((d) => d.payloadTruncated)).toEqual([false, false, false, true, false, true]);
    expect(ds.every((d) => d.linkType === 'LINUX_SLL2' && d.capturedLength <= 96)).toBe(true);
    expect(ds[3]!.originalLength).toBeGreaterThan(1000);
  });
});

describe('UDP edge cases (hand-made frames)', () => {
  const spec = { sourcePort: 40000, destinationPort: 7420, payload: new TextEncoder().encode('ping') };

  it('decodes UDP on every link type the capture supports, IPv4 and IPv6', () => {
    for (const linkType of Object.values(LINK_TYPE)) {
      for (const address of ['127.0.0.1', '::1']) {
        const ip = buildUdpIpPacket({ ...spec, source: address, destination: address });
        const r = decodeFrame(wrapInLinkLayer(ip, linkType), linkType);
        expect(r.ok && r.transport === 'udp' && [r.udp.sourcePort, r.udp.destinationPort, r.payloadLength]).toEqual([
          40000, 7420, 4,
        ]);
      }
    }
  });

  it('calls a UDP length longer than its IP packet, or shorter than the header, malformed', () => {
    const liar = buildUdpIpPacket({ ...spec, udpLength: 500 });
    expect(decodeFrame(wrapInLinkLayer(liar, 1), 1)).toMatchObject({ ok: false, reason: 'badUdpHeader' });
    const tiny = buildUdpIpPacket({ ...spec, udpLength: 4 });
    expect(decodeFrame(wrapInLinkLayer(tiny, 1), 1)).toMatchObject({ ok: false, reason: 'badUdpHeader' });
    // Through the whole pipeline: an error event with a stable code, and the next datagram still decodes.
    const good = buildUdpIpPacket(spec);
    const pcap = buildPcap({ linkType: 1 }, [
      { tsSec: 1, tsFraction: 0, frame: wrapInLinkLayer(liar, 1) },
      { tsSec: 1, tsFraction: 1, frame: wrapInLinkLayer(good, 1) },
    ]);
    const events = processAll(pcap);
    expect(events[0]).toMatchObject({
      kind: 'packet.decodeError',
      error: { code: 'E_PACKET_MALFORMED' },
      fatal: false,
    });
    expect(datagrams(events).map((d) => d.len)).toEqual([4]);
  });

  it('rejects every truncation of a UDP frame with a reason and never throws', () => {
    const frame = wrapInLinkLayer(buildUdpIpPacket({ ...spec, source: '::1', destination: '::1' }), 276);
    const reasons = new Set<string>();
    // Cuts inside the headers fail; cuts inside the payload decode, marked truncated.
    for (let n = 0; n < frame.length; n++) {
      const r = decodeFrame(frame.subarray(0, n), 276);
      if (r.ok) {
        expect(r.transport === 'udp' && r.payloadTruncated, `cut at ${n}`).toBe(true);
      } else reasons.add(r.reason);
    }
    expect([...reasons].sort()).toEqual(['truncatedIp', 'truncatedLink', 'truncatedUdp']);
  });

  it('counts datagrams apart from TCP segments in the stream statistics', () => {
    const pcap = buildPcap({ linkType: 1 }, [
      { tsSec: 1, tsFraction: 0, frame: wrapInLinkLayer(buildUdpIpPacket(spec), 1) },
    ]);
    const items = decodePcap(pcap);
    expect(items.map((i) => i.kind)).toEqual(['header', 'datagram']);
  });
});

const canCapture = findExecutable('tcpdump') !== null && process.getuid?.() === 0;

function bindUdp(type: 'udp4' | 'udp6', host: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(type);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve(socket));
  });
}

function sendTo(socket: dgram.Socket, bytes: Uint8Array, port: number, host: string): Promise<Error | null> {
  return new Promise((resolve) => socket.send(bytes, port, host, (err) => resolve(err ?? null)));
}

describe.runIf(canCapture)('UDP through a real tcpdump on loopback', () => {
  it('captures the largest unfragmented datagrams on IPv4 and IPv6 lo whole; the kernel refuses one byte more', async () => {
    const v4 = await bindUdp('udp4', '127.0.0.1');
    const v6 = await bindUdp('udp6', '::1');
    const sender4 = await bindUdp('udp4', '127.0.0.1');
    const sender6 = await bindUdp('udp6', '::1');
    const ends = {
      sender4: `127.0.0.1:${sender4.address().port}`,
      v4: `127.0.0.1:${v4.address().port}`,
      sender6: `[::1]:${sender6.address().port}`,
      v6: `[::1]:${v6.address().port}`,
    };
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({
      ports: [v4.address().port, v6.address().port],
      protocols: ['udp'],
      emit: (e) => events.push(e),
    });
    try {
      expect((await observer.start()).status).toBe('capturing');
      // 65,535 (IPv4 total length) - 20 (IP header) - 8 (UDP header). On IPv6 the largest that fits lo's 65,536-byte
      // MTU unfragmented is 65,536 - 40 - 8 = 65,488 (bigger ones are sent as fragments, which the capture skips).
      expect(await sendTo(sender4, new Uint8Array(65507), v4.address().port, '127.0.0.1')).toBeNull();
      expect(await sendTo(sender6, new Uint8Array(65488), v6.address().port, '::1')).toBeNull();
      const tooBig4 = await sendTo(sender4, new Uint8Array(65508), v4.address().port, '127.0.0.1');
      expect((tooBig4 as NodeJS.ErrnoException | null)?.code).toBe('EMSGSIZE');
      expect(await sendTo(sender4, new TextEncoder().encode('after'), v4.address().port, '127.0.0.1')).toBeNull();
      const last = (e: CaptureEventBody): boolean => e.kind === 'packet.datagram' && e.len === 5;
      expect(await observer.waitFor(last, 5000)).toBe(true);
    } finally {
      await observer.stop();
      for (const s of [v4, v6, sender4, sender6]) s.close();
    }
    const ds = datagrams(events);
    // Only this test's sockets: matched by both ends.
    const mine = ds.filter(
      (d) => (d.from === ends.sender4 && d.to === ends.v4) || (d.from === ends.sender6 && d.to === ends.v6),
    );
    expect(mine.map((d) => [d.headers.ip.version, d.len, d.payloadTruncated])).toEqual([
      [4, 65507, false],
      [6, 65488, false],
      [4, 5, false],
    ]);
    expect(events.filter((e) => e.kind === 'packet.decodeError')).toEqual([]);
  });
});
