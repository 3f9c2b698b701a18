// What watching a Go program costs: the echo lesson's Go server serving 100 connections (each a loop of 64-byte
// line round trips) for a few seconds, run by the lab without and with its watcher (the program's sockets from its
// fds, polled kernel states, tcpdump on its port). Prints the program's round trips a second and the lab process's
// CPU and events a second, side by side.
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoRunner } from '../server/gorun/goRunner.js';
import { freePort } from '../server/net/freePort.js';
import { startWatchedRun } from '../server/gorun/watchedGoRun.js';

const source = readFileSync(fileURLToPath(new URL('../lessons/01-echo-server/main.go', import.meta.url)), 'utf8');
const CONNECTIONS = 100;
const SECONDS = 3;
const ROUNDS = 2;
const LINE = `${'x'.repeat(63)}\n`;

interface Figures {
  roundTripsPerSecond: number;
  labCpuPercent: number;
  eventsPerSecond: number;
  segmentsPerSecond: number;
}

/** One connection's loop: send a line, wait for its echo, again, until `until`. */
async function pingPong(port: number, until: number): Promise<number> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let trips = 0;
  let pending = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (b: Buffer) => {
      pending += b.toString();
      if (pending.length < LINE.length) return;
      pending = pending.slice(LINE.length);
      trips++;
      if (performance.now() < until) socket.write(LINE);
      else resolve();
    });
    socket.write(LINE);
  });
  socket.end();
  return trips;
}

async function measure(runner: GoRunner, watched: boolean): Promise<Figures> {
  const port = await freePort();
  let events = 0;
  let segments = 0;
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  let captureReady = !watched;
  let outputSeen = false;
  const { run, ended } = startWatchedRun(
    runner,
    { owner: `bench-${watched}`, source, args: ['-addr', `127.0.0.1:${port}`], port },
    (_demo, e) => {
      events++;
      if (e.kind === 'packet.segment') segments++;
      if (e.kind === 'packet.captureStatus') captureReady = true;
      if (e.kind === 'gorun.output' && e.text.includes('listening on')) outputSeen = true;
      if (outputSeen && captureReady) listening();
    },
    { enabled: watched },
  );
  await ready;
  const eventsBefore = events;
  const segmentsBefore = segments;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  const trips = await Promise.all(Array.from({ length: CONNECTIONS }, () => pingPong(port, until)));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const figures = {
    roundTripsPerSecond: trips.reduce((a, b) => a + b, 0) / elapsed,
    // The lab's own process: its load generator is in it too, the same in both runs.
    labCpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
    eventsPerSecond: (events - eventsBefore) / elapsed,
    segmentsPerSecond: (segments - segmentsBefore) / elapsed,
  };
  run.stop();
  await ended;
  return figures;
}

export async function run(): Promise<void> {
  const runsDir = mkdtempSync(join(tmpdir(), 'gowatch-bench-'));
  try {
    const runner = new GoRunner({ runsDir });
    // Alternated, so a machine whose load changes meanwhile weighs on both alike.
    const pairs: [Figures, Figures][] = [];
    for (let i = 0; i < ROUNDS; i++) pairs.push([await measure(runner, false), await measure(runner, true)]);
    const fmt = (f: Figures) =>
      `${f.roundTripsPerSecond.toFixed(0)} round trips/s, lab process CPU ${f.labCpuPercent.toFixed(0)}%, ${f.eventsPerSecond.toFixed(0)} events/s (${f.segmentsPerSecond.toFixed(0)} segments/s published)`;
    console.log(`Go echo server (lesson 1), ${CONNECTIONS} connections of 64-byte round trips for ${SECONDS} s:`);
    for (const [i, [off, on]] of pairs.entries()) {
      console.log(`  round ${i + 1} not watched: ${fmt(off)}`);
      console.log(`  round ${i + 1} watched:     ${fmt(on)}`);
      console.log(
        `  round ${i + 1} watched / not watched: ${((on.roundTripsPerSecond / off.roundTripsPerSecond) * 100).toFixed(0)}% of the program's throughput`,
      );
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}
