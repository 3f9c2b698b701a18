// Goroutine runtime benchmarks: unbuffered ping-pong hand-offs per second (ours beside js-csp on the same workload,
// with and without an instrumentation listener), goroutines spawned and finished per second, and heap per blocked
// goroutine. Prints figures; asserts nothing. `npm run bench -- runtime`.
import os from 'node:os';
import csp from 'js-csp';
import { measureRuntimeCost } from '../server/demos/goroutines/goroutineCost.js';
import { chan, createRuntime, go, WaitGroup, type RuntimeListener } from '../core/runtime/index.js';

const ROUNDS = 7;
const PINGS = 100_000; // round trips per round: 2 hand-offs each

interface Figures {
  /** Operations per second of wall-clock time: best round and median round. */
  best: number;
  median: number;
  /** Operations per second of this process's CPU time (median): steadier when other processes share the cores. */
  cpuMedian: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `measure` (which returns how many operations it did) several rounds. */
async function rounds(measure: () => Promise<number>): Promise<Figures> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const ops = await measure();
    wall.push(ops / ((performance.now() - t0) / 1000));
    cpu.push(ops / ((cpuMs() - c0) / 1000));
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { best: wall[wall.length - 1], median: wall[wall.length >> 1], cpuMedian: cpu[cpu.length >> 1] };
}

/** Like rounds(), for several workloads whose rounds alternate. */
async function interleaved(measures: (() => Promise<number>)[]): Promise<Figures[]> {
  const wall = measures.map(() => [] as number[]);
  const cpu = measures.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, measure] of measures.entries()) {
      const t0 = performance.now();
      const c0 = cpuMs();
      const ops = await measure();
      wall[k].push(ops / ((performance.now() - t0) / 1000));
      cpu[k].push(ops / ((cpuMs() - c0) / 1000));
    }
  }
  return measures.map((_, k) => {
    const w = wall[k].sort((a, b) => a - b);
    const c = cpu[k].sort((a, b) => a - b);
    return { best: w[w.length - 1], median: w[w.length >> 1], cpuMedian: c[c.length >> 1] };
  });
}

async function pingPong(listener: RuntimeListener | undefined): Promise<number> {
  const rt = createRuntime({ seed: 1, onEvent: listener, creationSites: false });
  const result = await rt.run(async function main() {
    const ping = chan<number>();
    const pong = chan<number>();
    go(async function echo() {
      for (;;) {
        const [v] = await ping.recv();
        await pong.send(v! + 1);
      }
    });
    for (let i = 0; i < PINGS; i++) {
      await ping.send(i);
      await pong.recv();
    }
  });
  if (result.status !== 'ok') throw new Error(result.report);
  return 2 * PINGS;
}

/** The same workload in js-csp: two generator processes, unbuffered channels. */
function cspPingPong(): Promise<number> {
  return new Promise((resolve) => {
    const ping = csp.chan();
    const pong = csp.chan();
    csp.go(function* echo() {
      for (;;) {
        const v: unknown = yield csp.take(ping);
        if (v === csp.CLOSED) return;
        yield csp.put(pong, (v as number) + 1);
      }
    });
    csp.go(function* main() {
      for (let i = 0; i < PINGS; i++) {
        yield csp.put(ping, i);
        yield csp.take(pong);
      }
      ping.close();
      resolve(2 * PINGS);
    });
  });
}

/** Spawns `total` goroutines in batches of `batch` (each just finishes), waiting for each batch. */
async function spawnFinish(total: number, batch: number, creationSites: boolean | number): Promise<number> {
  const rt = createRuntime({ seed: 1, creationSites });
  const result = await rt.run(async function main() {
    const wg = new WaitGroup();
    for (let done = 0; done < total; done += batch) {
      wg.add(batch);
      for (let i = 0; i < batch; i++) {
        go(async function worker() {
          wg.done();
        });
      }
      await wg.wait();
    }
  });
  if (result.status !== 'ok') throw new Error(result.report);
  return total;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function run(): Promise<void> {
  const load = os.loadavg()[0].toFixed(2);
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, load average ${load} (other processes share the cores)`,
  );
  console.log(`best and median of ${ROUNDS} rounds\n`);

  // The runtime on its own first, as a lab run nobody watches: warmed up (the first rounds run slower while the JIT
  // compiles), then measured before js-csp or any listener has run in this process.
  for (let i = 0; i < 10; i++) await pingPong(undefined);
  const alone = await rounds(() => pingPong(undefined));
  // Warm up js-csp too, so the JIT has compiled it before the side-by-side figures.
  for (let i = 0; i < 10; i++) await cspPingPong();

  let events = 0;
  const counting: RuntimeListener = () => {
    events++;
  };
  const kept: unknown[] = [];
  const keeping: RuntimeListener = (e) => {
    if (kept.length < 1_000_000) kept.push(e);
    else kept.length = 0;
  };
  // Rounds of the three take turns, so the machine's load and the JIT's state affect each alike. The listener that
  // keeps every event runs on its own afterwards: the million events it holds would make the others' rounds pay
  // for its garbage collection.
  const [ours, theirs, withCounter] = await interleaved([
    () => pingPong(undefined),
    cspPingPong,
    () => pingPong(counting),
  ]);
  const withKeeper = await rounds(() => pingPong(keeping));
  kept.length = 0;
  const row = (label: string, f: Figures) =>
    console.log(
      `  ${label.padEnd(52)}${fmt(f.best).padStart(12)}${fmt(f.median).padStart(12)}${fmt(f.cpuMedian).padStart(14)}`,
    );
  console.log(
    `${'unbuffered ping-pong, hand-offs per second'.padEnd(54)}${'best'.padStart(12)}${'median'.padStart(12)}${'per CPU-s'.padStart(14)}`,
  );
  row('goroutine runtime, on its own', alone);
  row('goroutine runtime, taking turns with the rows below', ours);
  row('js-csp 1.0.1 (generators), same workload', theirs);
  row('runtime, listener counting events', withCounter);
  row('runtime, listener keeping events', withKeeper);
  console.log(
    `  ours / js-csp: ${(ours.median / theirs.median).toFixed(2)}x (wall median), ${(ours.cpuMedian / theirs.cpuMedian).toFixed(2)}x (per CPU-s)`,
  );
  const cost = (f: Figures) =>
    `${((ours.median / f.median - 1) * 100).toFixed(1)}% wall, ${((ours.cpuMedian / f.cpuMedian - 1) * 100).toFixed(1)}% CPU`;
  console.log(`  listener cost: counting ${cost(withCounter)}; keeping ${cost(withKeeper)}`);
  console.log(`  events per hand-off: ${(events / (ROUNDS * 2 * PINGS)).toFixed(2)}\n`);

  console.log(
    `${'spawn + finish, goroutines per second'.padEnd(54)}${'best'.padStart(12)}${'median'.padStart(12)}${'per CPU-s'.padStart(14)}`,
  );
  for (const [batch, sites, label] of [
    [1000, false, 'batches of 1,000'],
    [1000, undefined, 'batches of 1,000, default creation sites'],
    [1000, true, 'batches of 1,000, every creation site'],
    [100_000, false, 'batches of 100,000'],
  ] as const) {
    row(label, await rounds(() => spawnFinish(sites === true ? 30_000 : 300_000, batch, sites ?? 1000)));
  }
  console.log('\nheap per goroutine blocked on a channel receive (what lesson 5 shows as the runtime row)');
  for (const count of [10_000, 100_000]) {
    const cost = await measureRuntimeCost(count);
    console.log(`  ${fmt(count).padStart(7)} goroutines: ${fmt(cost.bytesPerGoroutine)} bytes each`);
  }
}
