// The DNS view's fold: decoded packets newest first and bounded, the server's rows kept apart (the fallback when
// there is no capture), the zone replaced on each change, other demos ignored; flags and the folded zone table.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { DnsMessageSummary } from '@core/protocol/demos/dns';
import { dnsViewFold, flagText, zoneTableRows } from './dnsLabModel';

const message: DnsMessageSummary = {
  id: 7,
  qr: true,
  aa: true,
  tc: true,
  rd: true,
  ra: false,
  rcode: 'NOERROR',
  questions: [{ name: 'big.lab.test', type: 'A' }],
  answers: [],
  answerCount: 0,
  authorityCount: 0,
  ednsUdpSize: 1232,
};

function run(events: Array<Record<string, unknown>>) {
  const s = dnsViewFold.init();
  events.forEach((e, i) => dnsViewFold.step(s, { seq: i + 1, t: 1000 + i, demo: 'dns', ...e } as unknown as LabEvent));
  return s;
}

describe('dnsViewFold', () => {
  it('lists decoded packets newest first, keeps at most 40, and counts all', () => {
    const packet = {
      kind: 'dns.packet',
      source: 'captured',
      transport: 'udp',
      from: 'a:1',
      to: 'b:2',
      at: 5,
      bytes: 41,
      message,
      error: null,
    };
    const s = run(Array.from({ length: 45 }, () => packet));
    expect([s.packets.length, s.packetCount, s.packets[0].key]).toEqual([40, 45, 45]);
    expect(s.packets[0]).toMatchObject({ question: 'big.lab.test A', rcode: 'NOERROR', source: 'captured' });
  });

  it("keeps the server's rows, the zone and the floods; ignores other demos", () => {
    const s = run([
      {
        kind: 'dns.served',
        source: 'observed',
        transport: 'udp',
        from: 'a:1',
        to: 'b:2',
        name: 'nothere.lab.test',
        type: 'A',
        action: 'nxdomain',
        rcode: 'NXDOMAIN',
        bytes: 92,
        error: null,
      },
      {
        kind: 'dns.zone',
        source: 'observed',
        serial: 3,
        rows: [{ name: 'shop.lab.test', type: 'A', value: '10.0.0.7', ttl: 30 }],
      },
      { kind: 'dns.flooded', source: 'observed', from: 'a:1', dropped: 9 },
      { kind: 'packet.captureStatus', source: 'observed', status: 'unavailable', filter: '', interface: 'lo' },
    ]);
    dnsViewFold.step(s, {
      seq: 9,
      t: 0,
      demo: 'udp',
      kind: 'dns.flooded',
      source: 'observed',
      from: 'x',
      dropped: 5,
    } as LabEvent);
    expect(s.served[0]).toMatchObject({ action: 'nxdomain', rcode: 'NXDOMAIN', question: 'nothere.lab.test A' });
    expect([s.serial, s.zone.length, s.flooded, s.capture]).toEqual([3, 1, 9, 'unavailable']);
  });
});

describe('helpers', () => {
  it('prints the flags set', () => expect(flagText(message)).toBe('qr aa tc rd'));

  it('folds many records of one name and type into one row', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      name: 'big.lab.test',
      type: 'A' as const,
      value: `10.1.0.${i + 1}`,
      ttl: 30,
    }));
    expect(zoneTableRows([{ name: 'shop.lab.test', type: 'A', value: '10.0.0.7', ttl: 30 }, ...rows])).toEqual([
      { name: 'shop.lab.test', type: 'A', value: '10.0.0.7', ttl: 30, count: 1 },
      { name: 'big.lab.test', type: 'A', value: '10.1.0.1 … 10.1.0.100', ttl: 30, count: 100 },
    ]);
  });
});
