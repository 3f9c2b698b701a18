// A decoded DNS message cut down to what the page shows: flags, question, the first answers with their TTLs.
import type { DnsMessageSummary } from '../protocol/demos/dns.js';
import { rcodeName, typeName, type DnsMessage, type DnsRecord } from './dnsMessage.js';

/** Answers listed per message at most (big.lab.test has 100). */
export const SUMMARY_ANSWERS = 12;

/** A record's value as dig prints it (address, target, quoted texts, SOA fields). */
export function recordValue(r: DnsRecord): string {
  const d = r.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'CNAME':
      return `${d.target}.`;
    case 'NS':
      return `${d.host}.`;
    case 'TXT':
      return d.texts.map((t) => JSON.stringify(t)).join(' ');
    case 'SOA':
      return `${d.mname}. ${d.rname}. ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'OPT':
      return `udp=${d.udpSize}`;
    case 'unknown':
      return `\\# ${d.hex.length / 2} ${d.hex}`;
  }
}

export function summarizeDnsMessage(m: DnsMessage): DnsMessageSummary {
  const opt = m.additionals.find((r) => r.data.kind === 'OPT');
  return {
    id: m.header.id,
    qr: m.header.qr,
    aa: m.header.aa,
    tc: m.header.tc,
    rd: m.header.rd,
    ra: m.header.ra,
    rcode: rcodeName(m.header.rcode),
    questions: m.questions.map((q) => ({ name: q.name, type: typeName(q.type) })),
    answers: m.answers
      .slice(0, SUMMARY_ANSWERS)
      .map((r) => ({ name: r.name, type: typeName(r.type), ttl: r.ttl, value: recordValue(r) })),
    answerCount: m.answers.length,
    authorityCount: m.authorities.length,
    ednsUdpSize: opt && opt.data.kind === 'OPT' ? opt.data.udpSize : null,
  };
}
