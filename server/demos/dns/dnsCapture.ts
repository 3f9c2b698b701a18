// DNS messages read out of captured packets: a UDP datagram's payload is one message; a TCP segment's payload holds
// messages each after a 2-byte length (only whole ones are read: DNS over TCP on loopback sends each in one
// segment). Pure: a capture event in, the decoded messages out, with the codec's refusal when one is malformed.
import { bytesOfHex, decodeDnsMessage } from '../../../core/dns/dnsMessage.js';
import { summarizeDnsMessage } from '../../../core/dns/dnsSummary.js';
import { LabError, wireError } from '../../../core/protocol/errors.js';
import type { DnsEvent } from '../../../core/protocol/events/dns.js';
import type { PacketDatagramEvent, PacketSegmentEvent } from '../../../core/protocol/events/packet.js';

export type DnsPacketEvent = Extract<DnsEvent, { kind: 'dns.packet' }>;

export function dnsPacketsOf(e: PacketDatagramEvent | PacketSegmentEvent): DnsPacketEvent[] {
  if (e.len === 0 || e.hexClipped) return [];
  const frame = bytesOfHex(e.hex);
  const payload = frame.subarray(e.layout.payloadOffset, e.layout.payloadOffset + e.len);
  if (payload.length < e.len) return [];
  const transport: 'udp' | 'tcp' = e.kind === 'packet.datagram' ? 'udp' : 'tcp';
  const messages: Uint8Array[] = [];
  if (transport === 'udp') messages.push(payload);
  else {
    for (let at = 0; at + 2 <= payload.length;) {
      const len = (payload[at] << 8) | payload[at + 1];
      if (at + 2 + len > payload.length) break;
      messages.push(payload.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
  }
  return messages.map((m) => {
    const base = {
      kind: 'dns.packet' as const,
      source: 'captured' as const,
      transport,
      from: e.from,
      to: e.to,
      at: e.at,
    };
    try {
      return { ...base, bytes: m.length, message: summarizeDnsMessage(decodeDnsMessage(m)), error: null };
    } catch (err) {
      const error = err instanceof LabError ? err.toWire() : wireError('E_INTERNAL', (err as Error).message);
      return { ...base, bytes: m.length, message: null, error };
    }
  });
}
