// Connection-pool figures (lesson 19), side by side: requests/s of 8 callers dialling per request against the same
// callers through the lab's pool (the demo as the lesson runs it: the line server behind the fault proxy, all in
// this process, no capture), and the pool's own cost per checkout + checkin on fake connections, beside the cost of
// the await alone that every checkout includes.
import { ConnectionPool } from '../core/pool/connectionPool.js';
import { PoolRunArgs } from '../core/protocol/demos/connectionPool.js';
import { ConnectionPoolDemo } from '../server/demos/connectionPool/connectionPoolDemo.js';

const RUN_MS = 3000;
const CALLERS = 8;
const OPS = 1_000_000;

async function requestRates(): Promise<void> {
  const demo = new ConnectionPoolDemo({ capture: false });
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: () => undefined });
  try {
    const rows: [string, number, number, number][] = [];
    for (const mode of ['dial', 'pool'] as const) {
      const t = await demo.runCallers(PoolRunArgs.parse({ mode, callers: CALLERS, runMs: RUN_MS }));
      rows.push([mode === 'dial' ? 'dial per request' : 'pool', t.requestsPerSec, t.counters.dials, t.failed]);
    }
    console.log(`${CALLERS} callers for ${RUN_MS / 1000} s each, through the fault proxy, in this process:`);
    console.log('  mode               requests/s   dials   failed');
    for (const [name, rps, dials, failed] of rows)
      console.log(
        `  ${name.padEnd(18)} ${rps.toFixed(0).padStart(10)} ${String(dials).padStart(7)} ${String(failed).padStart(8)}`,
      );
    console.log(`  pool / dial per request: ${(rows[1]![1] / rows[0]![1]).toFixed(1)}×`);
  } finally {
    await demo.stop();
  }
}

async function checkoutCost(): Promise<void> {
  const pool = new ConnectionPool<{ id: number }>(
    { maxOpen: 1, maxIdle: 1, idleTimeoutMs: 30_000, maxWaiting: 1, waitTimeoutMs: 1000, healthCheck: true },
    {
      dial: () => Promise.resolve({ id: 1 }),
      close: () => undefined,
      healthy: () => true,
      clock: () => performance.now(),
      setTimer: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      },
    },
  );
  const conn = { id: 1 };
  // Warm up, then time: checkout (health check included) and checkin of one idle connection.
  for (let i = 0; i < 50_000; i++) pool.release((await pool.acquire()).conn);
  let t0 = performance.now();
  for (let i = 0; i < OPS; i++) pool.release((await pool.acquire()).conn);
  const poolMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < OPS; i++) await Promise.resolve(conn);
  const awaitMs = performance.now() - t0;
  const ns = (ms: number) => ((ms * 1e6) / OPS).toFixed(0);
  console.log(`\npool checkout + checkin, ${OPS.toLocaleString('en')} times on one idle fake connection:`);
  console.log(
    `  checkout + checkin      ${ns(poolMs).padStart(6)} ns/op   ${(((OPS / poolMs) * 1000) / 1e6).toFixed(2)} M ops/s`,
  );
  console.log(`  of which the await      ${ns(awaitMs).padStart(6)} ns/op   (an await of a resolved promise alone)`);
  console.log(`  the pool's bookkeeping  ${ns(poolMs - awaitMs).padStart(6)} ns/op`);
  pool.close();
}

export async function run(): Promise<void> {
  await requestRates();
  await checkoutCost();
}
