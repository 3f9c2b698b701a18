// The DNS codec: fields decoded from hand-checked bytes, round trips with compression, and every refusal the lesson
// names (pointer loop, forward pointer, long label, long name, counts past the end) with its code; random packets
// never hang it.
import { describe, expect, it } from 'vitest';
import { LabError } from '../protocol/errors.js';
import { SeededRandom } from '../runtime/seededRandom.js';
import {
  DNS_CLASS_IN,
  DNS_TYPE,
  bytesOfHex,
  decodeDnsMessage,
  encodeDnsMessage,
  ipv6Bytes,
  type DnsMessage,
} from './dnsMessage.js';

/** A query for shop.lab.test A, id 0x1234, RD set, as dig sends it (without its OPT record). */
const QUERY_HEX = '1234010000010000000000000473686f70036c6162047465737400' + '00010001';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof LabError) return err.code;
    throw err;
  }
  return 'no error';
}

function response(): DnsMessage {
  return {
    header: { id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, rcode: 0 },
    questions: [{ name: 'www.lab.test', type: DNS_TYPE.A, class: DNS_CLASS_IN }],
    answers: [
      {
        name: 'www.lab.test',
        type: DNS_TYPE.CNAME,
        class: 1,
        ttl: 60,
        data: { kind: 'CNAME', target: 'shop.lab.test' },
      },
      { name: 'shop.lab.test', type: DNS_TYPE.A, class: 1, ttl: 30, data: { kind: 'A', address: '10.0.0.7' } },
      { name: 'shop.lab.test', type: DNS_TYPE.AAAA, class: 1, ttl: 30, data: { kind: 'AAAA', address: 'fd00::7' } },
      {
        name: 'shop.lab.test',
        type: DNS_TYPE.TXT,
        class: 1,
        ttl: 30,
        data: { kind: 'TXT', texts: ['hello', 'world'] },
      },
    ],
    authorities: [
      {
        name: 'lab.test',
        type: DNS_TYPE.SOA,
        class: 1,
        ttl: 300,
        data: {
          kind: 'SOA',
          mname: 'ns.lab.test',
          rname: 'teacher.lab.test',
          serial: 2026120701,
          refresh: 3600,
          retry: 600,
          expire: 86400,
          minimum: 60,
        },
      },
    ],
    additionals: [
      {
        name: '',
        type: DNS_TYPE.OPT,
        class: 1232,
        ttl: 0,
        data: { kind: 'OPT', udpSize: 1232, extendedRcode: 0, version: 0, dnssecOk: false, options: [] },
      },
    ],
  };
}

describe('decoding', () => {
  it('reads the header and question of a real query', () => {
    const m = decodeDnsMessage(bytesOfHex(QUERY_HEX));
    expect(m.header).toEqual({ id: 0x1234, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 });
    expect(m.questions).toEqual([{ name: 'shop.lab.test', type: 1, class: 1 }]);
    expect(m.answers).toEqual([]);
  });

  it('reads the TC bit and rcodes', () => {
    const bytes = bytesOfHex(QUERY_HEX);
    bytes[2] = 0x82; // QR + TC
    bytes[3] = 0x03; // NXDOMAIN
    const h = decodeDnsMessage(bytes).header;
    expect([h.qr, h.tc, h.rcode]).toEqual([true, true, 3]);
  });

  it('escapes unprintable bytes and dots inside a label, as dig prints them', () => {
    const bytes = bytesOfHex('000000000001000000000000' + '03612e0104746573740000010001');
    expect(decodeDnsMessage(bytes).questions[0].name).toBe('a\\.\\001.test');
  });
});

describe('encoding', () => {
  it('round-trips every record kind', () => {
    const m = response();
    const back = decodeDnsMessage(encodeDnsMessage(m));
    const opt = back.additionals[0];
    expect(opt.data).toEqual(m.additionals[0].data);
    expect({ ...back, additionals: [] }).toEqual({ ...m, additionals: [] });
  });

  it('compresses names: a repeated suffix is a 2-byte pointer', () => {
    const bytes = encodeDnsMessage(response());
    const text = new TextDecoder('latin1').decode(bytes);
    // "lab" and "test" are written once: every later name points back to them.
    expect(text.split('\x03lab').length - 1).toBe(1);
    expect(text.split('\x04test').length - 1).toBe(1);
    const plain = response().answers.length * 'shop.lab.test'.length;
    expect(bytes.length).toBeLessThan(200 + plain);
  });

  it('refuses labels over 63 bytes, names over 255 and empty labels', () => {
    const q = (name: string) => () =>
      encodeDnsMessage({
        ...response(),
        answers: [],
        authorities: [],
        additionals: [],
        questions: [{ name, type: 1, class: 1 }],
      });
    expect(codeOf(q(`${'a'.repeat(63)}.lab.test`))).toBe('no error');
    expect(codeOf(q(`${'a'.repeat(64)}.lab.test`))).toBe('E_DNS_LABEL_TOO_LONG');
    expect(codeOf(q(Array(64).fill('abc').join('.')))).toBe('E_DNS_NAME_TOO_LONG');
    expect(codeOf(q('a..lab.test'))).toBe('E_DNS_BAD_NAME');
  });

  it('refuses addresses that are not addresses', () => {
    const a = (address: string) => () =>
      encodeDnsMessage({
        ...response(),
        answers: [{ name: 'x', type: 1, class: 1, ttl: 1, data: { kind: 'A', address } }],
      });
    expect(codeOf(a('10.0.0.256'))).toBe('E_DNS_BAD_RECORD');
    expect(codeOf(a('10.0.0'))).toBe('E_DNS_BAD_RECORD');
    expect(codeOf(() => ipv6Bytes('1::2::3'))).toBe('E_DNS_BAD_RECORD');
    expect(Array.from(ipv6Bytes('::1'))).toEqual([...Array(15).fill(0), 1]);
  });
});

describe('refusals', () => {
  const header = (qd: number, an = 0) =>
    `0000 0100 ${qd.toString(16).padStart(4, '0')} ${an.toString(16).padStart(4, '0')} 0000 0000`;
  const packet = (...parts: string[]) => bytesOfHex(parts.join('').replace(/\s/g, ''));

  it('a pointer to itself is a forward pointer, refused', () => {
    // The name starts at offset 12 with a pointer to 12.
    expect(codeOf(() => decodeDnsMessage(packet(header(1), 'c00c 0001 0001')))).toBe('E_DNS_POINTER_FORWARD');
  });

  it('a pointer past the packet is refused', () => {
    expect(codeOf(() => decodeDnsMessage(packet(header(1), 'c0ff 0001 0001')))).toBe('E_DNS_POINTER_FORWARD');
  });

  it('a loop of backward pointers is refused', () => {
    // Offset 12: label "a" (2 bytes) then at 14 a label of 1 byte whose content is irrelevant... build: the name at 12
    // is 01 'a' c0 0c: "a" then a pointer back to 12, which reads "a" and the same pointer again.
    expect(codeOf(() => decodeDnsMessage(packet(header(1), '0161 c00c 0001 0001')))).toBe('E_DNS_POINTER_LOOP');
  });

  it('a label length byte over 63 is refused', () => {
    expect(codeOf(() => decodeDnsMessage(packet(header(1), '40', '61'.repeat(64), '00 0001 0001')))).toBe(
      'E_DNS_LABEL_TOO_LONG',
    );
  });

  it('a name over 255 bytes is refused, even when built from pointers', () => {
    // Four 63-byte labels and one more label: 4*64 + 2 + 1 > 255.
    const long = `${'3f' + '61'.repeat(63)}`.repeat(4) + '0162 00';
    expect(codeOf(() => decodeDnsMessage(packet(header(1), long, '0001 0001')))).toBe('E_DNS_NAME_TOO_LONG');
  });

  it('counts that overrun the packet are refused before anything is read', () => {
    expect(codeOf(() => decodeDnsMessage(packet(header(1, 0xffff), '00 0001 0001')))).toBe('E_DNS_PACKET_OVERRUN');
    expect(codeOf(() => decodeDnsMessage(packet('0000 0100 0001')))).toBe('E_DNS_PACKET_OVERRUN');
  });

  it('record data longer than the packet is refused', () => {
    const record = '00 0001 0001 0000003c 0010 0a000007';
    expect(codeOf(() => decodeDnsMessage(packet(header(0, 1), record)))).toBe('E_DNS_PACKET_OVERRUN');
  });
});

describe('random packets', () => {
  it('5,000 seeded random and mutated packets: decoded or refused with a DNS code, never hanging', () => {
    const random = new SeededRandom(20261207);
    const good = encodeDnsMessage(response());
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = good.slice(0, 1 + random.below(good.length));
        for (let k = random.below(6); k > 0; k--) bytes[random.below(bytes.length)] = random.below(256);
      } else {
        bytes = Uint8Array.from({ length: random.below(600) }, () => random.below(256));
        // Plausible counts and many pointer-looking bytes, so the name reader is exercised.
        if (bytes.length > 12) {
          bytes[4] = 0;
          bytes[5] = random.below(4);
          for (let k = 12; k < bytes.length; k += 1 + random.below(8)) bytes[k] |= 0xc0;
        }
      }
      let outcome = 'decoded';
      try {
        decodeDnsMessage(bytes);
      } catch (err) {
        if (!(err instanceof LabError) || !err.code.startsWith('E_DNS_')) throw err;
        outcome = err.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Every kind of refusal came up, and the truncated good packets still decode sometimes.
    for (const code of ['E_DNS_PACKET_OVERRUN', 'E_DNS_POINTER_FORWARD', 'decoded'])
      expect(outcomes.get(code)).toBeGreaterThan(0);
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(5000);
  });
});
