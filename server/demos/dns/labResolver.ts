// The lab's own stub resolver, as a client library would be: one UDP query (with EDNS0), a new query over TCP when
// the answer comes back truncated, a timeout when nothing comes, and a cache that keeps answers for their TTL.
import dgram from 'node:dgram';
import net from 'node:net';
import { TtlCache } from '../../../core/dns/ttlCache.js';
import {
  DNS_TYPE,
  decodeDnsMessage,
  encodeDnsMessage,
  rcodeName,
  typeName,
  type DnsMessage,
} from '../../../core/dns/dnsMessage.js';
import { recordValue } from '../../../core/dns/dnsSummary.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { DnsAttempt, DnsResolveResult } from '../../../core/protocol/demos/dns.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { canonical } from './labZone.js';

/** The UDP payload size the stub offers in its OPT record (what Go's resolver offers too). */
const OFFERED_UDP_SIZE = 1232;
const TCP_TIMEOUT_MS = 3000;
const ANSWERS_KEPT = 12;

type Answer = DnsResolveResult['answers'][number];
interface CachedLookup {
  answers: Answer[];
  answerCount: number;
  outcome: DnsResolveResult['outcome'];
}

export interface ResolveRequest {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  cache: boolean;
  timeoutMs: number;
}

export class LabResolver {
  private readonly cache: TtlCache<CachedLookup>;
  private nextId = 1;

  constructor(
    private readonly server: { host: string; port: number },
    clock: () => number = () => performance.now(),
  ) {
    this.cache = new TtlCache(clock);
  }

  clearCache(): void {
    this.cache.clear();
  }

  /**
   * Resolves `request`; `own` claims each client socket for the page that asked (its ip:port is returned), so the
   * captured packets reach that page.
   */
  async resolve(request: ResolveRequest, own: (port: number) => string): Promise<DnsResolveResult> {
    const name = canonical(request.name);
    const key = `${name}/${request.type}`;
    const base = { run: 'resolve' as const, name, type: request.type };
    const hit = request.cache ? this.cache.get(key) : null;
    if (hit) {
      return { ...base, client: 'cache', fromCache: true, ttlLeft: hit.ttlLeft, attempts: [], ...hit.value };
    }
    const query = this.query(name, DNS_TYPE[request.type]);
    const attempts: DnsAttempt[] = [];
    const udp = await this.overUdp(query, request.timeoutMs, own);
    attempts.push(udp.attempt);
    let message = udp.message;
    if (message?.header.tc) {
      const tcp = await this.overTcp(query, own);
      attempts.push(tcp.attempt);
      message = tcp.message;
    }
    const client = udp.client;
    if (!message)
      return {
        ...base,
        client,
        fromCache: false,
        ttlLeft: null,
        attempts,
        answers: [],
        answerCount: 0,
        outcome: 'timeout',
      };
    const lookup = toLookup(message);
    // Negative answers are cached for the SOA's minimum (RFC 2308); positive ones for their smallest TTL.
    const soa = message.authorities.find((a) => a.data.kind === 'SOA');
    const ttl =
      message.answers.length > 0
        ? Math.min(...message.answers.map((a) => a.ttl))
        : soa?.data.kind === 'SOA'
          ? Math.min(soa.ttl, soa.data.minimum)
          : 0;
    if (request.cache && (lookup.outcome === 'ok' || lookup.outcome === 'nxdomain' || lookup.outcome === 'nodata')) {
      this.cache.put(key, lookup, ttl);
    }
    return { ...base, client, fromCache: false, ttlLeft: null, attempts, ...lookup };
  }

  private query(name: string, type: number): DnsMessage {
    this.nextId = (this.nextId % 0xffff) + 1;
    return {
      header: { id: this.nextId, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
      questions: [{ name, type, class: 1 }],
      answers: [],
      authorities: [],
      additionals: [
        {
          name: '',
          type: DNS_TYPE.OPT,
          class: OFFERED_UDP_SIZE,
          ttl: 0,
          data: { kind: 'OPT', udpSize: OFFERED_UDP_SIZE, extendedRcode: 0, version: 0, dnssecOk: false, options: [] },
        },
      ],
    };
  }

  private async overUdp(
    query: DnsMessage,
    timeoutMs: number,
    own: (port: number) => string,
  ): Promise<{ attempt: DnsAttempt; message: DnsMessage | null; client: string }> {
    const { host, port } = this.server;
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
    const client = own(socket.address().port);
    try {
      const bytes = encodeDnsMessage(query);
      const reply = new Promise<Buffer | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        socket.on('message', (msg, rinfo) => {
          // Only the server's answer with our id counts (anyone may send a datagram to this port).
          if (rinfo.port !== port || msg.length < 2 || msg.readUInt16BE(0) !== query.header.id) return;
          clearTimeout(timer);
          resolve(msg);
        });
      });
      socket.send(bytes, port, host);
      const msg = await reply;
      const message = msg ? decodeDnsMessage(msg) : null;
      return { attempt: attemptOf('udp', query.header.id, message, msg?.length ?? 0), message, client };
    } finally {
      socket.close();
    }
  }

  private async overTcp(
    query: DnsMessage,
    own: (port: number) => string,
  ): Promise<{ attempt: DnsAttempt; message: DnsMessage | null }> {
    const { host, port } = this.server;
    const socket = net.connect(port, host);
    socket.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      own(socket.localPort!);
      const bytes = encodeDnsMessage(query);
      const head = Buffer.alloc(2);
      head.writeUInt16BE(bytes.length);
      socket.write(Buffer.concat([head, bytes]));
      const msg = await new Promise<Buffer | null>((resolve) => {
        let held = Buffer.alloc(0);
        const timer = setTimeout(() => resolve(null), TCP_TIMEOUT_MS);
        socket.on('data', (chunk: Buffer) => {
          held = Buffer.concat([held, chunk]);
          if (held.length >= 2 && held.length >= 2 + held.readUInt16BE(0)) {
            clearTimeout(timer);
            resolve(held.subarray(2, 2 + held.readUInt16BE(0)));
          }
        });
        socket.once('close', () => resolve(null));
      });
      const message = msg ? decodeDnsMessage(msg) : null;
      return { attempt: attemptOf('tcp', query.header.id, message, msg?.length ?? 0), message };
    } catch (err) {
      throw new LabError('E_ACTION_FAILED', `DNS over TCP to ${endpointName(host, port)}: ${(err as Error).message}`);
    } finally {
      socket.destroy();
    }
  }
}

function attemptOf(transport: 'udp' | 'tcp', id: number, m: DnsMessage | null, bytes: number): DnsAttempt {
  return {
    transport,
    id,
    rcode: m ? rcodeName(m.header.rcode) : null,
    truncated: m?.header.tc ?? false,
    timedOut: m === null,
    answers: m?.answers.length ?? 0,
    bytes,
  };
}

function toLookup(m: DnsMessage): CachedLookup {
  const answers = m.answers
    .slice(0, ANSWERS_KEPT)
    .map((r) => ({ name: r.name, type: typeName(r.type), ttl: r.ttl, value: recordValue(r) }));
  const rcode = m.header.rcode;
  const outcome: CachedLookup['outcome'] =
    rcode === 3
      ? 'nxdomain'
      : rcode === 2
        ? 'servfail'
        : rcode === 5
          ? 'refused'
          : rcode !== 0
            ? 'error'
            : m.answers.length === 0
              ? 'nodata'
              : 'ok';
  return { answers, answerCount: m.answers.length, outcome };
}
