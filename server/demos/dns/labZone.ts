// The lab's zone (lab.test) and how its server answers one query: records the page can change, and the scenario
// names that produce NXDOMAIN, SERVFAIL, silence and a truncated UDP answer for real. Pure: bytes in, a decision out.
import {
  CLASSIC_UDP_LIMIT,
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  decodeDnsMessage,
  encodeDnsMessage,
  ipv4Bytes,
  ipv6Bytes,
  nameLabels,
  type DnsMessage,
  type DnsRecord,
  type DnsRecordData,
} from '../../../core/dns/dnsMessage.js';
import { LabError, type WireError } from '../../../core/protocol/errors.js';
import { LAB_ZONE, SCENARIO_NAMES, type EditableType, type ZoneRow } from '../../../core/protocol/demos/dns.js';

/** The largest UDP answer the server sends whatever the client offers (the size DNS Flag Day 2020 chose). */
export const MAX_UDP_ANSWER = 1232;
const SOA_TTL = 60;
const BIG_RECORDS = 100;

export const DEFAULT_ZONE: readonly ZoneRow[] = [
  { name: SCENARIO_NAMES.ok, type: 'A', value: '10.0.0.7', ttl: 30 },
  { name: SCENARIO_NAMES.ok, type: 'AAAA', value: 'fd00::7', ttl: 30 },
  { name: SCENARIO_NAMES.alias, type: 'CNAME', value: SCENARIO_NAMES.ok, ttl: 60 },
  { name: `info.${LAB_ZONE}`, type: 'TXT', value: 'GoNet Lab DNS, lesson 28', ttl: 300 },
  ...Array.from({ length: BIG_RECORDS }, (_, i) => ({
    name: SCENARIO_NAMES.truncated,
    type: 'A' as const,
    value: `10.1.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}`,
    ttl: 30,
  })),
];

export type ZoneDecision =
  | {
      kind: 'answer';
      bytes: Uint8Array;
      action: 'answered' | 'truncated' | 'servfail' | 'nxdomain' | 'refused' | 'formerr';
      rcode: number;
      query: DnsMessage | null;
      error: WireError | null;
    }
  /** No answer at all: silent.lab.test, or bytes too broken to even reply FORMERR to. */
  | { kind: 'silent'; query: DnsMessage | null; error: WireError | null };

const TYPE_OF: Record<EditableType, number> = {
  A: DNS_TYPE.A,
  AAAA: DNS_TYPE.AAAA,
  CNAME: DNS_TYPE.CNAME,
  TXT: DNS_TYPE.TXT,
};

export class LabZone {
  private rows: ZoneRow[] = [...DEFAULT_ZONE];
  private serialNumber = 2026120700;

  get serial(): number {
    return this.serialNumber;
  }

  list(): ZoneRow[] {
    return this.rows.map((r) => ({ ...r }));
  }

  reset(): void {
    this.rows = [...DEFAULT_ZONE];
    this.serialNumber++;
  }

  /** Replaces `name`'s records of `type` with one record per value; refuses names outside the zone and bad values. */
  set(name: string, type: EditableType, values: string[], ttl: number): void {
    const owner = canonical(name);
    nameLabels(owner);
    if (!inZone(owner)) throw new LabError('E_DNS_NAME_OUTSIDE_ZONE', owner);
    const scenario = [SCENARIO_NAMES.servfail, SCENARIO_NAMES.timeout, SCENARIO_NAMES.truncated] as string[];
    if (scenario.includes(owner)) throw new LabError('E_DNS_BAD_RECORD', `${owner} is one of the lesson's scenarios`);
    for (const v of values) recordData(type, v);
    const others = this.rows.filter((r) => r.name === owner && r.type !== type);
    if (values.length > 0 && (type === 'CNAME' ? others.length > 0 : others.some((r) => r.type === 'CNAME'))) {
      throw new LabError('E_DNS_BAD_RECORD', `a CNAME cannot share its name with other records (${owner})`);
    }
    // The new records take the place of the old ones, so the zone's listing keeps its order.
    const fresh = values.map((value) => ({
      name: owner,
      type,
      value: type === 'CNAME' ? canonical(value) : value,
      ttl,
    }));
    const at = this.rows.findIndex((r) => r.name === owner && r.type === type);
    const kept = this.rows.filter((r) => !(r.name === owner && r.type === type));
    kept.splice(at < 0 ? kept.length : at, 0, ...fresh);
    this.rows = kept;
    this.serialNumber++;
  }

  /** What the server sends back for `packet` arriving over `transport`. */
  answer(packet: Uint8Array, transport: 'udp' | 'tcp'): ZoneDecision {
    let query: DnsMessage;
    try {
      query = decodeDnsMessage(packet);
    } catch (err) {
      const error = err instanceof LabError ? err.toWire() : null;
      // FORMERR needs the query's id: echo it when the 12-byte header is there.
      if (packet.length < 12) return { kind: 'silent', query: null, error };
      const id = (packet[0] << 8) | packet[1];
      const bytes = encodeDnsMessage(reply({ id, rd: false }, [], DNS_RCODE.FORMERR));
      return { kind: 'answer', bytes, action: 'formerr', rcode: DNS_RCODE.FORMERR, query: null, error };
    }
    const q = query.questions[0];
    if (query.header.qr || query.header.opcode !== 0 || query.questions.length !== 1) {
      const bytes = encodeDnsMessage(reply(query.header, query.questions, DNS_RCODE.FORMERR));
      return { kind: 'answer', bytes, action: 'formerr', rcode: DNS_RCODE.FORMERR, query, error: null };
    }
    const respond = (action: Exclude<ZoneDecision, { kind: 'silent' }>['action'], rcode: number, m: DnsMessage) => ({
      kind: 'answer' as const,
      bytes: encodeDnsMessage(m),
      action,
      rcode,
      query,
      error: null,
    });
    const base = reply(query.header, [q], DNS_RCODE.NOERROR);
    const opt = query.additionals.find((r) => r.data.kind === 'OPT');
    if (opt) base.additionals.push(optRecord());
    if (!inZone(q.name))
      return respond('refused', DNS_RCODE.REFUSED, {
        ...base,
        header: { ...base.header, aa: false, rcode: DNS_RCODE.REFUSED },
      });
    if (q.name === SCENARIO_NAMES.timeout) return { kind: 'silent', query, error: null };
    if (q.name === SCENARIO_NAMES.servfail) {
      return respond('servfail', DNS_RCODE.SERVFAIL, {
        ...base,
        header: { ...base.header, aa: false, rcode: DNS_RCODE.SERVFAIL },
      });
    }
    const { answers, exists } = this.lookup(q.name, q.type);
    if (!exists) {
      return respond('nxdomain', DNS_RCODE.NXDOMAIN, {
        ...base,
        header: { ...base.header, rcode: DNS_RCODE.NXDOMAIN },
        authorities: [this.soa()],
      });
    }
    const full: DnsMessage = { ...base, answers, authorities: answers.length === 0 ? [this.soa()] : [] };
    const bytes = encodeDnsMessage(full);
    const limit =
      opt && opt.data.kind === 'OPT'
        ? Math.min(MAX_UDP_ANSWER, Math.max(CLASSIC_UDP_LIMIT, opt.data.udpSize))
        : CLASSIC_UDP_LIMIT;
    if (transport === 'udp' && bytes.length > limit) {
      // Too big for this client's UDP: say so (TC) with the question only; the client asks again over TCP.
      return respond('truncated', DNS_RCODE.NOERROR, { ...base, header: { ...base.header, tc: true } });
    }
    return { kind: 'answer', bytes, action: 'answered', rcode: DNS_RCODE.NOERROR, query, error: null };
  }

  /** Records for `name` and `type`, following a CNAME inside the zone (at most 8 hops); whether the name exists. */
  private lookup(name: string, type: number): { answers: DnsRecord[]; exists: boolean } {
    const answers: DnsRecord[] = [];
    let current = name;
    for (let hop = 0; hop < 8; hop++) {
      const rows = this.rows.filter((r) => r.name === current);
      if (rows.length === 0) return { answers, exists: hop > 0 || this.isZoneApex(current) };
      const cname = rows.find((r) => r.type === 'CNAME');
      if (cname && type !== DNS_TYPE.CNAME) {
        answers.push(toRecord(cname));
        current = cname.value;
        continue;
      }
      for (const r of rows) if (TYPE_OF[r.type] === type || type === DNS_TYPE.ANY) answers.push(toRecord(r));
      return { answers, exists: true };
    }
    return { answers, exists: true };
  }

  private isZoneApex(name: string): boolean {
    if (name === SCENARIO_NAMES.nxdomain) return false;
    return name === LAB_ZONE || name === `ns.${LAB_ZONE}` || Object.values(SCENARIO_NAMES).includes(name as never);
  }

  private soa(): DnsRecord {
    return {
      name: LAB_ZONE,
      type: DNS_TYPE.SOA,
      class: DNS_CLASS_IN,
      ttl: SOA_TTL,
      data: {
        kind: 'SOA',
        mname: `ns.${LAB_ZONE}`,
        rname: `teacher.${LAB_ZONE}`,
        serial: this.serialNumber,
        refresh: 3600,
        retry: 600,
        expire: 86400,
        minimum: SOA_TTL,
      },
    };
  }
}

/** A name as the zone keeps it: lower case, no final dot. */
export function canonical(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function inZone(name: string): boolean {
  return name === LAB_ZONE || name.endsWith(`.${LAB_ZONE}`);
}

function reply(query: { id: number; rd: boolean }, questions: DnsMessage['questions'], rcode: number): DnsMessage {
  return {
    header: { id: query.id, qr: true, opcode: 0, aa: true, tc: false, rd: query.rd, ra: false, rcode },
    questions,
    answers: [],
    authorities: [],
    additionals: [],
  };
}

function optRecord(): DnsRecord {
  return {
    name: '',
    type: DNS_TYPE.OPT,
    class: MAX_UDP_ANSWER,
    ttl: 0,
    data: { kind: 'OPT', udpSize: MAX_UDP_ANSWER, extendedRcode: 0, version: 0, dnssecOk: false, options: [] },
  };
}

function recordData(type: EditableType, value: string): DnsRecordData {
  switch (type) {
    case 'A':
      ipv4Bytes(value);
      return { kind: 'A', address: value };
    case 'AAAA':
      ipv6Bytes(value);
      return { kind: 'AAAA', address: value };
    case 'CNAME':
      nameLabels(canonical(value));
      return { kind: 'CNAME', target: canonical(value) };
    case 'TXT':
      if (new TextEncoder().encode(value).length > 255)
        throw new LabError('E_DNS_BAD_RECORD', 'a TXT string over 255 bytes');
      return { kind: 'TXT', texts: [value] };
  }
}

function toRecord(r: ZoneRow): DnsRecord {
  return { name: r.name, type: TYPE_OF[r.type], class: DNS_CLASS_IN, ttl: r.ttl, data: recordData(r.type, r.value) };
}
