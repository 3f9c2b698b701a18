// UDP echo figures: datagrams a second through the lab's UDP echo server (with budgets lifted, and with the budgets
// it runs with) beside a plain node:dgram echo server; each in its own process, the same load generator, one run.
import type { ChildProcess } from 'node:child_process';
import { udpClosedLoop } from './udpClosedLoop.js';
import { startServerProcess } from './benchProcess.js';

const CLIENTS = 8;
/** Datagrams each client keeps in flight: a lost one is replaced after a timeout, so the load never stalls. */
const WINDOW = 8;
const PAYLOAD_BYTES = 64;
const RUN_MS = 2000;
/** Rounds, the servers taking turns in each, so a busy moment of the machine does not land on one server only. */
const ROUNDS = 3;

function startServer(kind: string): Promise<{ child: ChildProcess; port: number }> {
  return startServerProcess('bench/udpEchoProcess.ts', kind);
}

/** Closed-loop load: each client sends its next datagram when an echo comes back (or 20 ms after a loss). */
async function load(port: number): Promise<{ echoes: number; sent: number; seconds: number }> {
  const payload = Buffer.alloc(PAYLOAD_BYTES, 0x61);
  const r = await udpClosedLoop({ port, clients: CLIENTS, window: WINDOW, runMs: RUN_MS, payload: () => payload });
  return { echoes: r.replies, sent: r.sent, seconds: r.seconds };
}

export async function run(): Promise<void> {
  console.log(
    `UDP echo, ${CLIENTS} clients × ${WINDOW} in flight, ${PAYLOAD_BYTES}-byte datagrams, best of ${ROUNDS} rounds of ${RUN_MS / 1000} s (loopback)`,
  );
  const rows: Array<[string, string]> = [
    ['plain node:dgram echo', 'plain'],
    ["lab's UdpEchoServer, budgets lifted", 'lab-unbounded'],
    ["lab's UdpEchoServer, lab budgets (500/s per source, 5,000/s in all)", 'lab'],
  ];
  const results = rows.map(([name]) => ({ name, rate: 0, sent: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, kind]] of rows.entries()) {
      const { child, port } = await startServer(kind);
      try {
        const r = await load(port);
        // The best round of each: the figure least disturbed by the other work on a shared machine.
        if (r.echoes / r.seconds > results[i]!.rate)
          results[i] = { ...results[i]!, rate: r.echoes / r.seconds, sent: r.sent / r.seconds };
      } finally {
        child.kill();
      }
    }
  }
  const base = results[0]!.rate;
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(70)} ${Math.round(r.rate).toLocaleString().padStart(9)} echoes/s  (${Math.round(r.sent).toLocaleString()} sent/s, ${((r.rate / base) * 100).toFixed(0)}% of plain)`,
    );
  }
}
