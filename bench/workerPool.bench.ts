// Lesson 9 figures: throughput and latency of the worker-pool server against K for a fixed crowd of N clients,
// unbounded mode beside it, CPU-bound work (Node runs goroutines on one thread), and the server's own ceiling
// (no work) against lesson 1's echo server under the same load generator, so the pool's limits are shown to be
// K/work and not the server. Server and clients share this process (loopback), as they do in the lab.
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';
import { WorkerPoolConfigureArgs, type WorkerPoolConfig } from '../core/protocol/demos/workerPool.js';
import { REPLY_DONE, WorkerPoolServer } from '../server/demos/workerPool/workerPoolServer.js';
import { EchoServer } from '../server/demos/echo/echoServer.js';

const N = 32;
const WORK_MS = 10;
const RUN_MS = 2000;
const MESSAGE_BYTES = 8;

interface Row {
  label: string;
  perSecond: number;
  p50: number | null;
  p95: number | null;
  busyMax: number;
  queueMax: number;
}

async function measurePool(config: Partial<WorkerPoolConfig>, connections = N): Promise<Row> {
  const full = WorkerPoolConfigureArgs.parse(config);
  const server = new WorkerPoolServer({ host: '127.0.0.1', port: 0, flag: '-', config: full });
  await server.listen();
  try {
    server.snapshot(false);
    const r = await runRoundTripLoad({
      host: '127.0.0.1',
      port: server.port,
      connections,
      messageBytes: MESSAGE_BYTES,
      replyBytes: MESSAGE_BYTES + REPLY_DONE.length,
      durationMs: RUN_MS,
    });
    const s = server.snapshot(true);
    const label = full.mode === 'pool' ? `K=${full.workers}` : 'unbounded';
    return { label, perSecond: r.perSecond, p50: s.p50Ms, p95: s.p95Ms, busyMax: s.busyMax, queueMax: s.queueMax };
  } finally {
    await server.close();
  }
}

const f = (x: number | null, digits = 1) => (x === null ? '-' : x.toFixed(digits));

function print(rows: Row[], expected: (row: Row) => string): void {
  console.log('  config       req/s    expected   p50 ms   p95 ms   busy max   queue max');
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(10)} ${f(r.perSecond, 0).padStart(7)}  ${expected(r).padStart(9)}  ${f(r.p50).padStart(7)}  ${f(r.p95).padStart(7)}  ${String(r.busyMax).padStart(9)}  ${String(r.queueMax).padStart(10)}`,
    );
  }
}

export async function run(): Promise<void> {
  console.log(
    `worker pool, ${N} closed-loop clients, ${WORK_MS} ms of sleep work, ${RUN_MS / 1000} s per row (queue ${N}, wait when full)`,
  );
  const rows: Row[] = [];
  for (const k of [1, 2, 4, 8, 16, 32]) rows.push(await measurePool({ workers: k, queue: N, workMs: WORK_MS }));
  rows.push(await measurePool({ mode: 'unbounded', workMs: WORK_MS }));
  print(rows, (r) => {
    const k = r.label === 'unbounded' ? N : Number(r.label.slice(2));
    return `${Math.round((Math.min(k, N) * 1000) / WORK_MS)}`;
  });

  console.log(
    `\nCPU-bound work (${WORK_MS / 2} ms busy loop): Node runs every goroutine on one thread, so K does not add throughput`,
  );
  const cpu: Row[] = [];
  for (const k of [1, 4, 16])
    cpu.push(await measurePool({ workers: k, queue: N, workMs: WORK_MS / 2, work: 'cpu' }, 8));
  print(cpu, () => `${Math.round(1000 / (WORK_MS / 2))}`);

  console.log(`\nthe server's ceiling: no work, ${N} clients, same load generator`);
  const ceiling = [
    await measurePool({ workers: 4, queue: N, workMs: 0 }),
    await measurePool({ mode: 'unbounded', workMs: 0 }),
  ];
  print(ceiling, () => '-');
  const echo = new EchoServer({ host: '127.0.0.1', port: 0, flag: '-' });
  await echo.listen();
  try {
    const r = await runRoundTripLoad({
      host: '127.0.0.1',
      port: echo.port,
      connections: N,
      messageBytes: MESSAGE_BYTES,
      durationMs: RUN_MS,
    });
    console.log(`  lesson-1 echo server (plain round trips): ${f(r.perSecond, 0)} round trips/s`);
    const best = Math.max(...rows.map((x) => x.perSecond));
    console.log(
      `  best pool row above: ${f(best, 0)} req/s = ${f((100 * best) / r.perSecond, 0)}% of the echo rate; with 0 ms of work the pool does ${f(ceiling[0].perSecond, 0)} req/s`,
    );
  } finally {
    await echo.close();
  }
}
