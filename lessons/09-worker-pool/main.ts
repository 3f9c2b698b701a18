// Lesson 9 in TypeScript: the worker-pool server of main.go (K workers, a jobs channel of capacity Q, a reader
// goroutine per connection), plus a crowd of clients in the same program, so one run shows queueing: with N ≤ K
// nothing waits; with N > K requests queue, latency grows and throughput stays near K/work.
import { bufio, chan, close, fmt, go, net, recvCase, select, sendCase, time, WaitGroup, type Chan } from 'gonet';

const K = 2; // workers
const Q = 4; // queue capacity
const WORK_MS = 20; // simulated work per request

interface Job {
  conn: net.Conn;
  line: string;
  readAt: number;
  /** The connection's count of queued, unanswered jobs: its reader closes the connection only at zero. */
  pending: WaitGroup;
}

/** `for j := range jobs { handle(j) }` */
async function worker(jobs: Chan<Job>, wg: WaitGroup): Promise<void> {
  for await (const j of jobs) {
    await time.sleep(WORK_MS); // a slow downstream call
    await j.conn.write(`done ${j.line}\n`);
    j.pending.done();
  }
  wg.done();
}

/**
 * One goroutine per connection reads request lines and queues them; it waits while the queue is full. When it
 * stops reading (EOF, or shutdown's deadline), it first waits for the replies to its queued jobs, then closes.
 */
async function serveConn(conn: net.Conn, jobs: Chan<Job>, done: Chan<void>, readers: WaitGroup): Promise<void> {
  const pending = new WaitGroup();
  const r = bufio.newReader(conn);
  for (;;) {
    const [line, err] = await r.readString('\n');
    if (err !== null) break; // EOF, or the read deadline shutdown set in the past
    const j: Job = { conn, line: line.trimEnd(), readAt: time.now(), pending };
    pending.add(1);
    const sel = await select([sendCase(jobs, j), recvCase(done)]);
    if (sel.index === 1) {
      pending.done(); // shutting down: this line was never queued
      break;
    }
  }
  await pending.wait(); // drain: the workers answer what this connection queued
  conn.close(); // then close
  readers.done();
}

/** Shutdown drains, then closes, as main.go's shutdown does. Closing the connections first would lose replies. */
async function shutdown(
  ln: net.Listener,
  conns: net.Conn[],
  jobs: Chan<Job>,
  done: Chan<void>,
  readers: WaitGroup,
  pool: WaitGroup,
): Promise<void> {
  ln.close(); // stop accepting
  close(done); // release readers waiting on a full queue
  for (const c of conns) c.setReadDeadline(time.now()); // stop every Read; the connection stays open
  await readers.wait(); // each reader waited for its replies, then closed its connection
  close(jobs); // no one can send any more: the workers' loops end
  await pool.wait();
}

/** Queues four lines on one connection, starts the shutdown after the first reply, and counts what still arrives. */
async function shutdownWhileQueued(addr: string, stop: () => Promise<void>): Promise<void> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) throw err;
  await conn.write('q1\nq2\nq3\nq4\n');
  const r = bufio.newReader(conn);
  const [first] = await r.readString('\n');
  fmt.printf('first reply %q; shutdown starts now, with the other lines queued\n', first.trimEnd());
  const stopped = new WaitGroup();
  stopped.add(1);
  go(async function shutdownGoroutine() {
    await stop();
    stopped.done();
  });
  let replies = 1;
  for (;;) {
    const [, rerr] = await r.readString('\n');
    if (rerr !== null) {
      fmt.printf('during shutdown: %d of 4 replies arrived, then %v\n', replies, rerr);
      break;
    }
    replies++;
  }
  conn.close();
  await stopped.wait();
}

/** N clients, each sending its next request as soon as it has the reply, for `ms`; returns replies and latencies. */
async function crowd(addr: string, n: number, ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const wg = new WaitGroup();
  const until = time.now() + ms;
  for (let c = 0; c < n; c++) {
    wg.add(1);
    go(async () => {
      const [conn, err] = await net.dial('tcp', addr);
      if (err !== null) throw err;
      const r = bufio.newReader(conn);
      for (let i = 0; time.now() < until; i++) {
        const sent = time.now();
        await conn.write(`c${c}-${i}\n`);
        const [, rerr] = await r.readString('\n');
        if (rerr !== null) break;
        latencies.push(time.since(sent));
      }
      conn.close();
      wg.done();
    });
  }
  await wg.wait();
  return latencies.sort((a, b) => a - b);
}

export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  const jobs = chan<Job>(Q, { name: 'jobs' });
  const done = chan<void>(0, { name: 'done' });
  const pool = new WaitGroup();
  for (let i = 0; i < K; i++) {
    pool.add(1); // before go, as in main.go
    go(worker, jobs, pool);
  }
  const readers = new WaitGroup();
  const conns: net.Conn[] = [];
  go(async function acceptLoop() {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      conns.push(conn);
      readers.add(1);
      go(serveConn, conn, jobs, done, readers);
    }
  });
  const addr = ln.addr().string();
  fmt.printf('pool on %s: K=%d Q=%d work=%d ms, so at most %d requests/s\n', addr, K, Q, WORK_MS, (K * 1000) / WORK_MS);

  for (const n of [K, 4 * K]) {
    const ms = 1000;
    const lat = await crowd(addr, n, ms);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] ?? 0;
    fmt.printf(
      'N=%d clients: %d replies in %d ms (%.0f/s), p50 %.0f ms, p95 %.0f ms\n',
      n,
      lat.length,
      ms,
      (lat.length * 1000) / ms,
      q(0.5),
      q(0.95),
    );
  }

  // Graceful shutdown with work still queued: the client gets every reply, then EOF.
  await shutdownWhileQueued(addr, () => shutdown(ln, conns, jobs, done, readers, pool));
  fmt.println('shut down: every worker and reader returned');
}
