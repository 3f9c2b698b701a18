// Captured packets to DNS events: a UDP datagram's payload is one message; a TCP segment's payload holds messages
// after 2-byte lengths (two in one segment are both read, a partial one is left); a malformed one carries the
// codec's refusal.
import { describe, expect, it } from 'vitest';
import { hexOf } from '../../../core/dns/dnsMessage.js';
import type { PacketDatagramEvent, PacketSegmentEvent } from '../../../core/protocol/events/packet.js';
import { craftedQuery } from './craftedQueries.js';
import { dnsPacketsOf } from './dnsCapture.js';

/** 42 bytes of made-up link, IP and UDP headers: only the payload and its offset matter here. */
const HEADERS = new Uint8Array(42);

function datagram(payload: Uint8Array): PacketDatagramEvent {
  const frame = new Uint8Array([...HEADERS, ...payload]);
  return {
    kind: 'packet.datagram',
    from: '127.0.0.1:40000',
    to: '127.0.0.1:5300',
    len: payload.length,
    at: 1,
    hex: hexOf(frame),
    hexClipped: false,
    layout: { ipOffset: 14, udpOffset: 34, payloadOffset: 42, capturedEnd: frame.length },
  } as PacketDatagramEvent;
}

function segment(payload: Uint8Array): PacketSegmentEvent {
  return { ...datagram(payload), kind: 'packet.segment' } as unknown as PacketSegmentEvent;
}

function framed(m: Uint8Array): number[] {
  return [m.length >> 8, m.length & 0xff, ...m];
}

describe('dnsPacketsOf', () => {
  it('decodes a UDP query', () => {
    const [p] = dnsPacketsOf(datagram(craftedQuery('valid', 7)));
    expect(p).toMatchObject({
      transport: 'udp',
      bytes: 31,
      message: { id: 7, qr: false, rd: true, questions: [{ name: 'shop.lab.test', type: 'A' }] },
      error: null,
    });
  });

  it('reads every whole message of a TCP segment and leaves a partial one', () => {
    const a = craftedQuery('valid', 1);
    const b = craftedQuery('valid', 2);
    const payload = new Uint8Array([...framed(a), ...framed(b), 0, 40, 1, 2]);
    expect(dnsPacketsOf(segment(payload)).map((p) => [p.transport, p.message?.id])).toEqual([
      ['tcp', 1],
      ['tcp', 2],
    ]);
  });

  it("carries the codec's refusal of a malformed message", () => {
    const [p] = dnsPacketsOf(datagram(craftedQuery('pointerLoop', 3)));
    expect([p.message, p.error?.code]).toEqual([null, 'E_DNS_POINTER_LOOP']);
  });

  it('skips empty and clipped packets', () => {
    expect(dnsPacketsOf(datagram(new Uint8Array()))).toEqual([]);
    expect(dnsPacketsOf({ ...datagram(craftedQuery('valid', 1)), hexClipped: true })).toEqual([]);
  });
});
