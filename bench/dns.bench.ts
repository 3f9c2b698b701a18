// DNS figures: queries a second answered over UDP by the lab's DNS server (budgets lifted, and with the budgets it
// runs with) beside a plain node:dgram server that sends back one fixed answer; and the codec's packets a second,
// decoding real answers of the lab's zone (a one-record answer, and big.lab.test's 100 records as sent over TCP).
import type { ChildProcess } from 'node:child_process';
import { udpClosedLoop } from './udpClosedLoop.js';
import { decodeDnsMessage, encodeDnsMessage } from '../core/dns/dnsMessage.js';
import { craftedQuery } from '../server/demos/dns/craftedQueries.js';
import { LabZone } from '../server/demos/dns/labZone.js';
import { DNS_TYPE } from '../core/dns/dnsMessage.js';
import { startServerProcess } from './benchProcess.js';

const CLIENTS = 8;
/** Queries each client keeps in flight: a lost one is replaced after a timeout, so the load never stalls. */
const WINDOW = 8;
const RUN_MS = 2000;
const ROUNDS = 2;
const DECODE_MS = 1000;

function startServer(kind: string): Promise<{ child: ChildProcess; port: number }> {
  return startServerProcess('bench/dnsServerProcess.ts', kind);
}

/** Closed-loop load: each client sends its next query (shop.lab.test A) when an answer comes back. */
async function load(port: number): Promise<{ answers: number; seconds: number }> {
  const r = await udpClosedLoop({
    port,
    clients: CLIENTS,
    window: WINDOW,
    runMs: RUN_MS,
    payload: (i) => Buffer.from(craftedQuery('valid', i)),
  });
  return { answers: r.replies, seconds: r.seconds };
}

function decodeRate(bytes: Uint8Array): { perSecond: number; mbPerSecond: number } {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < DECODE_MS) {
    for (let i = 0; i < 1000; i++) decodeDnsMessage(bytes);
    n += 1000;
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { perSecond: n / seconds, mbPerSecond: (n * bytes.length) / seconds / 1e6 };
}

export async function run(): Promise<void> {
  console.log(
    `DNS over UDP, ${CLIENTS} clients × ${WINDOW} in flight, shop.lab.test A, best of ${ROUNDS} rounds of ${RUN_MS / 1000} s (loopback)`,
  );
  const rows: Array<[string, string]> = [
    ['plain node:dgram, one fixed answer (nothing decoded)', 'plain'],
    ["lab's DnsServer, budgets lifted", 'lab-unbounded'],
    ["lab's DnsServer, lab budgets (100/s per source, 2,000/s in all)", 'lab'],
  ];
  const rates = rows.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, kind]] of rows.entries()) {
      const { child, port } = await startServer(kind);
      try {
        const r = await load(port);
        rates[i] = Math.max(rates[i]!, r.answers / r.seconds);
      } finally {
        child.kill();
      }
    }
  }
  for (const [i, [name]] of rows.entries()) {
    console.log(
      `  ${name.padEnd(66)} ${Math.round(rates[i]!).toLocaleString().padStart(9)} answers/s  (${((rates[i]! / rates[0]!) * 100).toFixed(0)}% of plain)`,
    );
  }

  const zone = new LabZone();
  const small = zone.answer(craftedQuery('valid', 1), 'udp');
  const bigQuery = encodeDnsMessage({
    header: { id: 2, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
    questions: [{ name: 'big.lab.test', type: DNS_TYPE.A, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  const big = zone.answer(bigQuery, 'tcp');
  console.log(`\nDNS codec, decoding the same message for ${DECODE_MS / 1000} s (one core)`);
  for (const [name, d] of [
    ['shop.lab.test answer (1 A record)', small],
    ['big.lab.test answer over TCP (100 A records)', big],
  ] as const) {
    if (d.kind !== 'answer') continue;
    const r = decodeRate(d.bytes);
    console.log(
      `  ${`${name}, ${d.bytes.length} B`.padEnd(66)} ${Math.round(r.perSecond).toLocaleString().padStart(9)} packets/s  (${r.mbPerSecond.toFixed(1)} MB/s)`,
    );
  }
}
