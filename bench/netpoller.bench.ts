// Netpoller figures: can the lab's load generator (server/demos/netpoller/echoLoad.ts, running in the lab's own
// Node process) drive the servers it measures, or is it the bottleneck? Against the lesson's Go echo server: the
// idle connections it opens per second, its busy clients' round trips per second and the CPU it burns doing so,
// beside a plain ping-pong loop on node:net with nothing of the lab's. Prints figures; asserts nothing.
import net from 'node:net';
import { EchoLoad } from '../server/demos/netpoller/echoLoad.js';
import { EchoServers } from '../server/demos/netpoller/echoServers.js';
import { defaultLabCacheDir } from '../server/gorun/goRunner.js';
import { findGoToolchain } from '../server/gorun/goToolchain.js';

const IDLE = 1000;
const BUSY = 10;
const RUN_MS = 2000;
const ROUNDS = 3;

/** The plain loop: BUSY sockets, each writing 64 bytes when it has 64 back. */
async function plainLoop(port: number, ms: number): Promise<number> {
  const msg = Buffer.alloc(64, 0x61);
  let trips = 0;
  let running = true;
  const sockets = await Promise.all(
    Array.from(
      { length: BUSY },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
          s.setNoDelay(true);
          s.once('error', reject);
        }),
    ),
  );
  for (const s of sockets) {
    let owed = 64;
    s.on('data', (d: Buffer) => {
      owed -= d.length;
      while (owed <= 0 && running) {
        trips++;
        owed += 64;
        s.write(msg);
      }
    });
    s.write(msg);
  }
  await new Promise((r) => setTimeout(r, ms));
  running = false;
  for (const s of sockets) s.destroy();
  return trips / (ms / 1000);
}

async function labLoad(
  port: number,
  ms: number,
): Promise<{ connectsPerSecond: number; tripsPerSecond: number; cpu: number }> {
  const load = new EchoLoad('127.0.0.1', port);
  try {
    const t0 = performance.now();
    await load.openIdle(IDLE);
    const connectsPerSecond = IDLE / ((performance.now() - t0) / 1000);
    await load.openBusy(BUSY);
    const before = load.roundTrips;
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, ms));
    const cpu = process.cpuUsage(cpu0);
    return {
      connectsPerSecond,
      tripsPerSecond: (load.roundTrips - before) / (ms / 1000),
      cpu: (cpu.user + cpu.system) / 1000 / ms,
    };
  } finally {
    load.stop();
  }
}

export async function run(): Promise<void> {
  const servers = new EchoServers(defaultLabCacheDir(), () => findGoToolchain());
  try {
    const go = await servers.start('go', '127.0.0.1');
    console.log(
      `Go echo server (lessons/30-netpoller/main.go), ${IDLE} idle + ${BUSY} busy connections, ${RUN_MS} ms a window`,
    );
    console.log('round | lab load: connects/s  round trips/s  its CPU (share of one core) | plain loop: round trips/s');
    for (let i = 1; i <= ROUNDS; i++) {
      const lab = await labLoad(go.port, RUN_MS);
      const plain = await plainLoop(go.port, RUN_MS);
      console.log(
        `${i}     | ${Math.round(lab.connectsPerSecond).toLocaleString('en').padStart(19)}  ${Math.round(lab.tripsPerSecond).toLocaleString('en').padStart(13)}  ${(lab.cpu * 100).toFixed(0).padStart(26)}% | ${Math.round(plain).toLocaleString('en').padStart(25)}`,
      );
    }
    console.log(
      'A load generator near 100% of a core drives the server as hard as one Node thread can: the round trips are then its limit, not the server’s.',
    );
    await go.stop();
  } finally {
    await servers.dispose();
  }
}
