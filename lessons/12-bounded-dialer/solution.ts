// Solution: a worker pool that bounds concurrency.
//
// A fixed number of worker goroutines take jobs from one channel: at most `workers` requests (and so sockets)
// are in flight, all of them are busy while work remains, and the workers end when the channel is drained.
import { bufio, chan, close, fmt, go, net, time, WaitGroup } from 'gonet';

/** One request: dial, send "<id>\n", read the one-line reply. Complete and correct — use it as it is. */
export async function fetchOne(addr: string, id: number): Promise<[string, Error | null]> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) return ['', err];
  try {
    const [, werr] = await conn.write(`${id}\n`);
    if (werr !== null) return ['', werr];
    const [line, rerr] = await bufio.newReader(conn).readString('\n');
    if (rerr !== null) return ['', rerr];
    return [line.trimEnd(), null];
  } finally {
    conn.close();
  }
}

/**
 * Fetches every id, with at most `workers` connections open at once. results[i] is the reply for ids[i]
 * (or "error: …" if that request failed). Returns once every id is done, leaving no goroutine behind.
 */
export async function fetchAll(addr: string, ids: number[], workers: number): Promise<string[]> {
  const results: string[] = new Array<string>(ids.length);
  // The jobs: indexes into ids. Buffered, so queueing them never waits for a worker.
  const jobs = chan<number>(ids.length);
  for (let i = 0; i < ids.length; i++) await jobs.send(i);
  close(jobs);
  // Exactly min(workers, jobs) goroutines, each taking jobs until the channel is closed and drained.
  const wg = new WaitGroup();
  const n = Math.max(1, Math.min(workers, ids.length));
  for (let w = 0; w < n; w++) {
    wg.add(1);
    go(async () => {
      for await (const i of jobs) {
        const [reply, err] = await fetchOne(addr, ids[i]!);
        results[i] = err === null ? reply : `error: ${err.message}`;
      }
      wg.done();
    });
  }
  await wg.wait();
  return results;
}

/** A slow server on this run's own port: each reply takes 50 ms; it counts connections open at once. */
async function slowServer(): Promise<{ addr: string; peak: () => number; stop: () => void }> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  let open = 0;
  let peak = 0;
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      open++;
      peak = Math.max(peak, open);
      go(async () => {
        const [line] = await bufio.newReader(conn).readString('\n');
        await time.sleep(50 * time.Millisecond);
        await conn.write(`value-${line.trim()}\n`);
        conn.close();
        open--;
      });
    }
  });
  return { addr: ln.addr().string(), peak: () => peak, stop: () => void ln.close() };
}

/** Run: 24 requests with 4 workers. Compare the peak of connections with the bound. */
export async function main(): Promise<void> {
  const server = await slowServer();
  const ids = Array.from({ length: 24 }, (_, i) => i + 1);
  const started = time.now();
  const results = await fetchAll(server.addr, ids, 4);
  fmt.printf(
    '%d replies in %.0f ms, first %q, last %q\n',
    results.length,
    time.since(started),
    results[0],
    results[results.length - 1],
  );
  fmt.printf('connections open at once: at most %d (the bound is 4)\n', server.peak());
  server.stop();
}
