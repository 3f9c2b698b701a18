// The lab's zone answers like an authoritative server: records and CNAMEs, NXDOMAIN with the SOA, SERVFAIL,
// silence, TC on a UDP answer over the client's size (and the whole answer over TCP), FORMERR for broken queries.
import { describe, expect, it } from 'vitest';
import { DNS_TYPE, decodeDnsMessage, encodeDnsMessage, type DnsMessage } from '../../../core/dns/dnsMessage.js';
import { LabError } from '../../../core/protocol/errors.js';
import { SCENARIO_NAMES } from '../../../core/protocol/demos/dns.js';
import { LabZone } from './labZone.js';

function query(name: string, type: number = DNS_TYPE.A, udpSize?: number): Uint8Array {
  const m: DnsMessage = {
    header: { id: 99, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals:
      udpSize === undefined
        ? []
        : [
            {
              name: '',
              type: DNS_TYPE.OPT,
              class: udpSize,
              ttl: 0,
              data: { kind: 'OPT', udpSize, extendedRcode: 0, version: 0, dnssecOk: false, options: [] },
            },
          ],
  };
  return encodeDnsMessage(m);
}

function ask(zone: LabZone, name: string, type: number = DNS_TYPE.A, transport: 'udp' | 'tcp' = 'udp', udp?: number) {
  const d = zone.answer(query(name, type, udp), transport);
  if (d.kind !== 'answer') return { action: 'silent' as const, message: null };
  return { action: d.action, message: decodeDnsMessage(d.bytes) };
}

describe('LabZone', () => {
  it('answers an A record, authoritative, with the query id', () => {
    const { action, message } = ask(new LabZone(), SCENARIO_NAMES.ok);
    expect(action).toBe('answered');
    expect(message!.header).toMatchObject({ id: 99, qr: true, aa: true, rcode: 0, tc: false });
    expect(message!.answers.map((a) => [a.name, a.ttl, a.data])).toEqual([
      ['shop.lab.test', 30, { kind: 'A', address: '10.0.0.7' }],
    ]);
  });

  it('follows the CNAME inside the zone', () => {
    const { message } = ask(new LabZone(), `${SCENARIO_NAMES.alias}.`);
    expect(message!.answers.map((a) => a.data.kind)).toEqual(['CNAME', 'A']);
  });

  it('NXDOMAIN for a name not in the zone, with the SOA; NODATA for a type the name lacks', () => {
    const zone = new LabZone();
    const nx = ask(zone, SCENARIO_NAMES.nxdomain);
    expect([nx.action, nx.message!.header.rcode, nx.message!.authorities[0].data.kind]).toEqual(['nxdomain', 3, 'SOA']);
    const nodata = ask(zone, 'info.lab.test', DNS_TYPE.A);
    expect([nodata.action, nodata.message!.header.rcode, nodata.message!.answers.length]).toEqual(['answered', 0, 0]);
  });

  it('SERVFAIL, silence and REFUSED outside the zone', () => {
    const zone = new LabZone();
    expect(ask(zone, SCENARIO_NAMES.servfail).message!.header.rcode).toBe(2);
    expect(ask(zone, SCENARIO_NAMES.timeout).action).toBe('silent');
    expect(ask(zone, 'example.com').message!.header.rcode).toBe(5);
  });

  it('truncates a big UDP answer (TC, no answers) and sends it whole over TCP', () => {
    const zone = new LabZone();
    for (const size of [undefined, 1232, 4096]) {
      const udp = ask(zone, SCENARIO_NAMES.truncated, DNS_TYPE.A, 'udp', size);
      expect([udp.action, udp.message!.header.tc, udp.message!.answers.length]).toEqual(['truncated', true, 0]);
    }
    const tcp = ask(zone, SCENARIO_NAMES.truncated, DNS_TYPE.A, 'tcp');
    expect([tcp.message!.header.tc, tcp.message!.answers.length]).toEqual([false, 100]);
    // A small answer fits in 512 bytes and is never truncated.
    expect(ask(zone, SCENARIO_NAMES.ok, DNS_TYPE.A, 'udp').message!.header.tc).toBe(false);
  });

  it('answers FORMERR with the id to a query its codec refuses, and nothing to a stub of a header', () => {
    const zone = new LabZone();
    const loop = Uint8Array.from([0, 42, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0xc0, 12, 0, 1, 0, 1]);
    const d = zone.answer(loop, 'udp');
    expect(d.kind === 'answer' && [d.action, d.error?.code, decodeDnsMessage(d.bytes).header]).toEqual([
      'formerr',
      'E_DNS_POINTER_LOOP',
      expect.objectContaining({ id: 42, rcode: 1 }),
    ]);
    expect(zone.answer(Uint8Array.from([1, 2, 3]), 'udp').kind).toBe('silent');
  });

  it('changes records and their TTL, and refuses bad edits with codes', () => {
    const zone = new LabZone();
    const serial = zone.serial;
    zone.set('SHOP.lab.test.', 'A', ['10.0.0.8', '10.0.0.9'], 5);
    const { message } = ask(zone, SCENARIO_NAMES.ok);
    expect(message!.answers.map((a) => [a.ttl, a.data])).toEqual([
      [5, { kind: 'A', address: '10.0.0.8' }],
      [5, { kind: 'A', address: '10.0.0.9' }],
    ]);
    expect(zone.serial).toBe(serial + 1);
    const code = (f: () => void) => {
      try {
        f();
        return 'ok';
      } catch (err) {
        return (err as LabError).code;
      }
    };
    expect(code(() => zone.set('shop.example.com', 'A', ['1.2.3.4'], 5))).toBe('E_DNS_NAME_OUTSIDE_ZONE');
    expect(code(() => zone.set('shop.lab.test', 'A', ['1.2.3'], 5))).toBe('E_DNS_BAD_RECORD');
    expect(code(() => zone.set('shop.lab.test', 'CNAME', ['other.lab.test'], 5))).toBe('E_DNS_BAD_RECORD');
    expect(code(() => zone.set(`${'x'.repeat(64)}.lab.test`, 'A', ['1.2.3.4'], 5))).toBe('E_DNS_LABEL_TOO_LONG');
    zone.reset();
    expect(ask(zone, SCENARIO_NAMES.ok).message!.answers[0].data).toEqual({ kind: 'A', address: '10.0.0.7' });
  });
});
