// Lesson 18 in TypeScript: the circuit breaker of main.go on the lab's goroutine runtime, in front of an upstream
// in the same program that stalls from 1 s to 3 s. Callers call it 20 times a second for 5 s, directly and through
// the breaker, each call under a 300 ms deadline; the run prints the breaker's transitions and what each path saw.
import { bufio, fmt, go, net, time, WaitGroup } from 'gonet';

type State = 'closed' | 'open' | 'half-open';
const errOpen = new Error('circuit breaker is open');

class Breaker {
  private state: State = 'closed';
  private generation = 0;
  private failures: number[] = [];
  private openedAt = 0;
  private probesOut = 0;
  private probesOk = 0;
  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly openMs: number,
    private readonly probes: number,
    private readonly onChange: (from: State, to: State) => void,
  ) {}

  /** A generation to hand to done(), or errOpen: fail fast without calling. */
  allow(): [number, null] | [null, Error] {
    if (this.state === 'open' && time.since(this.openedAt) >= this.openMs) this.set('half-open');
    if (this.state === 'closed') return [this.generation, null];
    if (this.state === 'half-open' && this.probesOut < this.probes) {
      this.probesOut++;
      return [this.generation, null];
    }
    return [null, errOpen];
  }

  done(generation: number, ok: boolean): void {
    if (generation !== this.generation) return; // let in under an earlier state
    const now = time.now();
    if (this.state === 'closed' && !ok) {
      this.failures = this.failures.filter((t) => now - t < this.windowMs);
      this.failures.push(now);
      if (this.failures.length >= this.threshold) {
        this.openedAt = now;
        this.set('open');
      }
    } else if (this.state === 'half-open') {
      this.probesOut--;
      if (!ok) {
        this.openedAt = now;
        this.set('open');
      } else if (++this.probesOk >= this.probes) this.set('closed');
    }
  }

  private set(to: State): void {
    const from = this.state;
    this.state = to;
    this.generation++;
    this.probesOut = this.probesOk = 0;
    if (to === 'closed') this.failures = [];
    this.onChange(from, to);
  }
}

/** Dial, send a line, read the reply, all under one deadline. */
async function call(addr: string, timeoutMs: number): Promise<Error | null> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) return err;
  conn.setDeadline(time.now() + timeoutMs);
  await conn.write('call\n');
  const [reply, rerr] = await bufio.newReader(conn).readString('\n');
  conn.close();
  if (rerr !== null) return rerr;
  return reply === 'ok\n' ? null : new Error(`upstream said ${JSON.stringify(reply)}`);
}

interface PathStats {
  ok: number;
  failed: number;
  fastFailed: number;
  waiting: number;
  maxWaiting: number;
}

export async function main(): Promise<void> {
  const started = time.now();
  const stalled = () => time.since(started) >= 1000 && time.since(started) < 3000;

  // The upstream: "ok" for every line, except while stalled, when it reads and never answers.
  const [ln, lerr] = await net.listen('tcp', '127.0.0.1:0');
  if (lerr !== null) throw lerr;
  go(async function upstream() {
    for (;;) {
      const [conn, err] = await ln.accept();
      if (err !== null) return;
      go(async () => {
        const [, rerr] = await bufio.newReader(conn).readString('\n');
        if (rerr === null && !stalled()) await conn.write('ok\n');
        else await time.sleep(400); // hold the connection past the caller's deadline
        conn.close();
      });
    }
  });

  const b = new Breaker(5, 2000, 500, 2, (from, to) =>
    fmt.println(`${(time.since(started) / 1000).toFixed(2)}s breaker ${from} -> ${to}`),
  );
  const direct: PathStats = { ok: 0, failed: 0, fastFailed: 0, waiting: 0, maxWaiting: 0 };
  const viaBreaker: PathStats = { ok: 0, failed: 0, fastFailed: 0, waiting: 0, maxWaiting: 0 };
  const run = async (p: PathStats, fn: () => Promise<Error | null>) => {
    p.waiting++;
    p.maxWaiting = Math.max(p.maxWaiting, p.waiting);
    const err = await fn();
    p.waiting--;
    if (err === null) p.ok++;
    else p.failed++;
    return err;
  };
  const addr = ln.addr().string();
  const wg = new WaitGroup();
  const ticker = time.newTicker(50); // 20 calls a second on each path
  while (time.since(started) < 5000) {
    await ticker.c.recv();
    wg.add(2);
    go(async () => {
      await run(direct, () => call(addr, 300));
      wg.done();
    });
    go(async () => {
      const [generation, err] = b.allow();
      if (err !== null)
        viaBreaker.fastFailed++; // failed fast: no dial, no wait
      else {
        const cerr = await run(viaBreaker, () => call(addr, 300));
        b.done(generation, cerr === null);
      }
      wg.done();
    });
  }
  ticker.stop();
  await wg.wait();
  ln.close();
  for (const [name, p] of [
    ['direct', direct],
    ['breaker', viaBreaker],
  ] as const) {
    fmt.println(
      `${name.padEnd(8)} ok ${p.ok}, failed after waiting ${p.failed}, failed fast ${p.fastFailed}, most waiting at once ${p.maxWaiting}`,
    );
  }
}
