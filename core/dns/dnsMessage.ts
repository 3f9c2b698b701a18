// The DNS wire format (RFC 1035, EDNS0 OPT of RFC 6891): messages as plain objects, decoded and encoded with name
// compression. Pure and bounded: a malformed packet is refused with a coded LabError, never followed into a loop.
import { LabError } from '../protocol/errors.js';
import { ipv6Address } from '../net/ipAddressText.js';

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const DNS_CLASS_IN = 1;
export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** A name on the wire is at most 255 bytes (length bytes included), a label at most 63. */
export const MAX_NAME_BYTES = 255;
export const MAX_LABEL_BYTES = 63;
/** The size a UDP answer may have when the query carried no OPT record (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_LIMIT = 512;

export interface DnsHeader {
  id: number;
  /** True in a response. */
  qr: boolean;
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated: the answer did not fit; ask again over TCP. */
  tc: boolean;
  /** Recursion desired / available. */
  rd: boolean;
  ra: boolean;
  /** The response code's low 4 bits (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN...). */
  rcode: number;
}

export interface DnsQuestion {
  /** Lower-case dotted name without the final dot; '' is the root. */
  name: string;
  type: number;
  class: number;
}

export type DnsRecordData =
  | { kind: 'A'; address: string }
  | { kind: 'AAAA'; address: string }
  | { kind: 'CNAME'; target: string }
  | { kind: 'NS'; host: string }
  | { kind: 'TXT'; texts: string[] }
  | {
      kind: 'SOA';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | {
      /** EDNS0's pseudo-record: the sender's UDP payload size lives in the class field. */
      kind: 'OPT';
      udpSize: number;
      extendedRcode: number;
      version: number;
      dnssecOk: boolean;
      options: Array<{ code: number; hex: string }>;
    }
  | { kind: 'unknown'; hex: string };

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: DnsRecordData;
}

export interface DnsMessage {
  header: DnsHeader;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

const HEADER_BYTES = 12;

/** Decodes one DNS message (the UDP payload, or a TCP message without its 2-byte length). */
export function decodeDnsMessage(bytes: Uint8Array): DnsMessage {
  if (bytes.length < HEADER_BYTES) {
    throw new LabError('E_DNS_PACKET_OVERRUN', `${bytes.length} bytes: a DNS header alone is 12`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint16(2);
  const header: DnsHeader = {
    id: view.getUint16(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
  };
  const counts = [view.getUint16(4), view.getUint16(6), view.getUint16(8), view.getUint16(10)];
  // Each question takes at least 5 bytes and each record 11: counts the packet cannot hold are refused before looping.
  const least = counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11;
  if (HEADER_BYTES + least > bytes.length) {
    throw new LabError(
      'E_DNS_PACKET_OVERRUN',
      `counts ${counts.join('/')} need at least ${HEADER_BYTES + least} bytes; the packet has ${bytes.length}`,
    );
  }
  const cursor = { at: HEADER_BYTES };
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = readName(bytes, cursor);
    need(bytes, cursor.at, 4, 'question');
    questions.push({ name, type: view.getUint16(cursor.at), class: view.getUint16(cursor.at + 2) });
    cursor.at += 4;
  }
  const section = (n: number): DnsRecord[] => Array.from({ length: n }, () => readRecord(bytes, view, cursor));
  return {
    header,
    questions,
    answers: section(counts[1]),
    authorities: section(counts[2]),
    additionals: section(counts[3]),
  };
}

function need(bytes: Uint8Array, at: number, n: number, what: string): void {
  if (at + n > bytes.length) {
    throw new LabError(
      'E_DNS_PACKET_OVERRUN',
      `${what} needs ${n} bytes at offset ${at}; the packet has ${bytes.length}`,
    );
  }
}

/**
 * Reads a possibly compressed name at `cursor` and moves the cursor past it (past the first pointer, when there is
 * one). A pointer must point before itself and to a place this name has not visited: no loops, no forward jumps.
 */
export function readName(bytes: Uint8Array, cursor: { at: number }): string {
  const labels: string[] = [];
  let at = cursor.at;
  let wireLength = 1;
  let jumped = false;
  // Made at the first pointer only: most names have none or one.
  let visited: Set<number> | null = null;
  for (;;) {
    need(bytes, at, 1, 'name');
    const len = bytes[at];
    if ((len & 0xc0) === 0xc0) {
      need(bytes, at, 2, 'compression pointer');
      const target = ((len & 0x3f) << 8) | bytes[at + 1];
      if (target >= at) {
        throw new LabError('E_DNS_POINTER_FORWARD', `pointer at offset ${at} points to ${target}, not before itself`);
      }
      visited ??= new Set<number>();
      if (visited.has(target)) {
        throw new LabError('E_DNS_POINTER_LOOP', `pointer at offset ${at} returns to offset ${target}`);
      }
      visited.add(target);
      if (!jumped) cursor.at = at + 2;
      jumped = true;
      at = target;
      continue;
    }
    if (len > MAX_LABEL_BYTES) {
      throw new LabError('E_DNS_LABEL_TOO_LONG', `label length byte 0x${len.toString(16)} at offset ${at}`);
    }
    if (len === 0) {
      if (!jumped) cursor.at = at + 1;
      return labels.join('.');
    }
    need(bytes, at + 1, len, 'label');
    wireLength += len + 1;
    if (wireLength > MAX_NAME_BYTES) {
      throw new LabError('E_DNS_NAME_TOO_LONG', `the name reaches ${wireLength} bytes at offset ${at}`);
    }
    labels.push(labelText(bytes, at + 1, len));
    at += len + 1;
  }
}

/** A label as dig prints it: letters lower-cased, dots, backslashes and unprintable bytes escaped (\DDD). */
function labelText(bytes: Uint8Array, from: number, len: number): string {
  let s = '';
  for (let i = from; i < from + len; i++) {
    const b = bytes[i];
    if (b === 0x2e || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b > 0x20 && b < 0x7f) s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
    else s += `\\${String(b).padStart(3, '0')}`;
  }
  return s;
}

function readRecord(bytes: Uint8Array, view: DataView, cursor: { at: number }): DnsRecord {
  const name = readName(bytes, cursor);
  need(bytes, cursor.at, 10, 'record header');
  const type = view.getUint16(cursor.at);
  const klass = view.getUint16(cursor.at + 2);
  const ttl = view.getUint32(cursor.at + 4);
  const rdLength = view.getUint16(cursor.at + 8);
  const start = cursor.at + 10;
  need(bytes, start, rdLength, 'record data');
  const end = start + rdLength;
  cursor.at = end;
  return { name, type, class: klass, ttl, data: readData(bytes, view, type, klass, ttl, start, end) };
}

function readData(
  bytes: Uint8Array,
  view: DataView,
  type: number,
  klass: number,
  ttl: number,
  start: number,
  end: number,
): DnsRecordData {
  const rdata = bytes.subarray(start, end);
  const nameIn = (at: number): { name: string; next: number } => {
    const c = { at };
    const name = readName(bytes, c);
    if (c.at > end) throw new LabError('E_DNS_PACKET_OVERRUN', `a name runs past its record's data at offset ${at}`);
    return { name, next: c.at };
  };
  switch (type) {
    case DNS_TYPE.A:
      if (rdata.length !== 4) break;
      return { kind: 'A', address: `${rdata[0]}.${rdata[1]}.${rdata[2]}.${rdata[3]}` };
    case DNS_TYPE.AAAA:
      if (rdata.length !== 16) break;
      return { kind: 'AAAA', address: ipv6Address(rdata, 0) };
    case DNS_TYPE.CNAME:
      return { kind: 'CNAME', target: nameIn(start).name };
    case DNS_TYPE.NS:
      return { kind: 'NS', host: nameIn(start).name };
    case DNS_TYPE.TXT: {
      const texts: string[] = [];
      for (let at = 0; at < rdata.length;) {
        const len = rdata[at];
        if (at + 1 + len > rdata.length) {
          throw new LabError(
            'E_DNS_PACKET_OVERRUN',
            `a TXT string runs past its record's data at offset ${start + at}`,
          );
        }
        texts.push(new TextDecoder().decode(rdata.subarray(at + 1, at + 1 + len)));
        at += 1 + len;
      }
      return { kind: 'TXT', texts };
    }
    case DNS_TYPE.SOA: {
      const m = nameIn(start);
      const r = nameIn(m.next);
      if (r.next + 20 !== end) break;
      const u = (i: number): number => view.getUint32(r.next + i * 4);
      return {
        kind: 'SOA',
        mname: m.name,
        rname: r.name,
        serial: u(0),
        refresh: u(1),
        retry: u(2),
        expire: u(3),
        minimum: u(4),
      };
    }
    case DNS_TYPE.OPT: {
      const options: Array<{ code: number; hex: string }> = [];
      for (let at = start; at < end;) {
        if (at + 4 > end) throw new LabError('E_DNS_PACKET_OVERRUN', `an EDNS option header at offset ${at}`);
        const code = view.getUint16(at);
        const len = view.getUint16(at + 2);
        if (at + 4 + len > end) throw new LabError('E_DNS_PACKET_OVERRUN', `an EDNS option at offset ${at}`);
        options.push({ code, hex: hexOf(bytes.subarray(at + 4, at + 4 + len)) });
        at += 4 + len;
      }
      return {
        kind: 'OPT',
        udpSize: klass,
        extendedRcode: ttl >>> 24,
        version: (ttl >>> 16) & 0xff,
        dnssecOk: (ttl & 0x8000) !== 0,
        options,
      };
    }
  }
  return { kind: 'unknown', hex: hexOf(rdata) };
}

export function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function bytesOfHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Encodes a message, compressing names (each suffix written once, later ones point back to it). */
export function encodeDnsMessage(message: DnsMessage): Uint8Array {
  const w = new Writer();
  const h = message.header;
  w.u16(h.id);
  w.u16(
    (h.qr ? 0x8000 : 0) |
      ((h.opcode & 0xf) << 11) |
      (h.aa ? 0x0400 : 0) |
      (h.tc ? 0x0200 : 0) |
      (h.rd ? 0x0100 : 0) |
      (h.ra ? 0x0080 : 0) |
      (h.rcode & 0xf),
  );
  for (const n of [
    message.questions.length,
    message.answers.length,
    message.authorities.length,
    message.additionals.length,
  ]) {
    if (n > 0xffff) throw new LabError('E_DNS_PACKET_OVERRUN', `${n} entries in one section`);
    w.u16(n);
  }
  for (const q of message.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of [...message.answers, ...message.authorities, ...message.additionals]) w.record(r);
  return w.bytes();
}

/** The wire form of a dotted name's labels; refuses an empty label, a label over 63 bytes, a name over 255. */
export function nameLabels(name: string): Uint8Array[] {
  const text = name.endsWith('.') ? name.slice(0, -1) : name;
  if (text === '') return [];
  const labels = text.split('.').map((l) => new TextEncoder().encode(l));
  let total = 1;
  for (const l of labels) {
    if (l.length === 0) throw new LabError('E_DNS_BAD_NAME', `"${name}" has an empty label`);
    if (l.length > MAX_LABEL_BYTES) {
      throw new LabError('E_DNS_LABEL_TOO_LONG', `a label of ${l.length} bytes in "${name.slice(0, 80)}"`);
    }
    total += l.length + 1;
  }
  if (total > MAX_NAME_BYTES) throw new LabError('E_DNS_NAME_TOO_LONG', `"${name.slice(0, 80)}…" is ${total} bytes`);
  return labels;
}

class Writer {
  private buf = new Uint8Array(512);
  private len = 0;
  /** Where each name suffix (lower-cased) was first written: later names point there. */
  private readonly suffixes = new Map<string, number>();

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v >> 8);
    this.u8(v);
  }

  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v & 0xffff);
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  name(name: string): void {
    const labels = nameLabels(name);
    const text = labels.map((l) => new TextDecoder().decode(l).toLowerCase());
    for (let i = 0; i < labels.length; i++) {
      const suffix = text.slice(i).join('.');
      const at = this.suffixes.get(suffix);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      // Pointers carry 14 bits: a suffix written past 16 KiB cannot be pointed at.
      if (this.len < 0x4000) this.suffixes.set(suffix, this.len);
      this.u8(labels[i].length);
      this.raw(labels[i]);
    }
    this.u8(0);
  }

  record(r: DnsRecord): void {
    this.name(r.name);
    const d = r.data;
    if (d.kind === 'OPT') {
      this.u16(DNS_TYPE.OPT);
      this.u16(d.udpSize);
      this.u32(((d.extendedRcode & 0xff) << 24) | ((d.version & 0xff) << 16) | (d.dnssecOk ? 0x8000 : 0));
    } else {
      this.u16(r.type);
      this.u16(r.class);
      this.u32(r.ttl);
    }
    const lengthAt = this.len;
    this.u16(0);
    this.data(d);
    const rdLength = this.len - lengthAt - 2;
    this.buf[lengthAt] = rdLength >> 8;
    this.buf[lengthAt + 1] = rdLength & 0xff;
  }

  private data(d: DnsRecordData): void {
    switch (d.kind) {
      case 'A':
        this.raw(ipv4Bytes(d.address));
        return;
      case 'AAAA':
        this.raw(ipv6Bytes(d.address));
        return;
      case 'CNAME':
        this.name(d.target);
        return;
      case 'NS':
        this.name(d.host);
        return;
      case 'TXT':
        for (const t of d.texts) {
          const b = new TextEncoder().encode(t);
          if (b.length > 255) throw new LabError('E_DNS_BAD_RECORD', `a TXT string of ${b.length} bytes (255 at most)`);
          this.u8(b.length);
          this.raw(b);
        }
        return;
      case 'SOA':
        this.name(d.mname);
        this.name(d.rname);
        for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) this.u32(v);
        return;
      case 'OPT':
        for (const o of d.options) {
          const b = bytesOfHex(o.hex);
          this.u16(o.code);
          this.u16(b.length);
          this.raw(b);
        }
        return;
      case 'unknown':
        this.raw(bytesOfHex(d.hex));
    }
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** 4 bytes of a dotted IPv4 address; E_DNS_BAD_RECORD for anything else. */
export function ipv4Bytes(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new LabError('E_DNS_BAD_RECORD', `"${text.slice(0, 60)}" is not an IPv4 address`);
  }
  return Uint8Array.from(parts.map(Number));
}

/** 16 bytes of an IPv6 address in text (with at most one '::'); E_DNS_BAD_RECORD for anything else. */
export function ipv6Bytes(text: string): Uint8Array {
  const bad = (): LabError => new LabError('E_DNS_BAD_RECORD', `"${text.slice(0, 60)}" is not an IPv6 address`);
  const halves = text.split('::');
  if (halves.length > 2) throw bad();
  const groups = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((g) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
          return parseInt(g, 16);
        });
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) throw bad();
  const all = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** The name of a record type for display (A, AAAA, TYPE99 for one the lab does not know). */
export function typeName(type: number): string {
  const entry = Object.entries(DNS_TYPE).find(([, v]) => v === type);
  return entry ? entry[0] : `TYPE${type}`;
}

/** The name of a response code for display (NOERROR, NXDOMAIN, RCODE9...). */
export function rcodeName(rcode: number): string {
  const entry = Object.entries(DNS_RCODE).find(([, v]) => v === rcode);
  return entry ? entry[0] : `RCODE${rcode}`;
}
