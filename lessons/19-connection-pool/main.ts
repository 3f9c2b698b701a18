// Lesson 19 in TypeScript: the pool of main.go on the lab's goroutine runtime, against a line server in the same
// program that closes connections idle for 300 ms. 4 callers make requests for 1 s dialling per request, then 1 s
// through the pool; after a pause past the server's idle timeout, a few through the pool with and without the
// health check. The sockets are real (the lab's server opens them for the page), so every request also crosses the
// page's connection to the lab: the figures are far lower than main.go's, the proportions are what to compare.
//
// The health check differs from main.go's: the runtime has no non-blocking peek at a socket, so it reads one byte
// under a 1 ms deadline. A timeout means nothing came and the connection is open; EOF or an error means it is dead.
import { bufio, chan, context, fmt, go, net, recvCase, select, sendCase, time, WaitGroup, type Context } from 'gonet';

interface IdleConn {
  c: net.Conn;
  r: bufio.Reader;
  since: number;
}

class Pool {
  private readonly slots;
  private readonly freed;
  private idle: IdleConn[] = []; // oldest first; get takes the newest (LIFO)
  dials = 0;
  reuses = 0;
  discarded = 0;

  constructor(
    private readonly addr: string,
    maxOpen: number,
    private readonly maxIdle: number,
    public healthCheck: boolean,
  ) {
    this.slots = chan<void>(maxOpen, { name: 'slots' });
    this.freed = chan<void>(maxOpen, { name: 'freed' });
  }

  /** An idle connection (newest first, after its health check), a new one, or a wait until ctx is done. */
  async get(ctx: Context): Promise<[IdleConn, null] | [null, Error]> {
    for (;;) {
      const idle = await this.takeIdle();
      if (idle) return [idle, null];
      let got: [IdleConn, null] | [null, Error] | null = null;
      await select([
        sendCase(this.slots, undefined, async () => {
          const [c, err] = await net.dial('tcp', this.addr);
          if (err !== null) {
            await this.slots.recv();
            got = [null, err];
            return;
          }
          this.dials++;
          got = [{ c, r: bufio.newReader(c), since: 0 }, null];
        }),
        recvCase(this.freed), // a connection went idle: look again
        recvCase(ctx.done(), () => {
          got = [null, new Error(`pool: no connection came free in time: ${ctx.err()?.message ?? ''}`)];
        }),
      ]);
      if (got) return got;
    }
  }

  private async takeIdle(): Promise<IdleConn | null> {
    for (;;) {
      const last = this.idle.pop();
      if (!last) return null;
      if (!this.healthCheck || (await alive(last.c))) {
        this.reuses++;
        return last;
      }
      this.discarded++;
      last.c.close();
      await this.slots.recv();
    }
  }

  /** Gives a connection back; broken: its request failed, so it is closed, never reused. */
  async put(ic: IdleConn, broken: boolean): Promise<void> {
    if (broken || this.idle.length >= this.maxIdle) {
      ic.c.close();
      await this.slots.recv();
      return;
    }
    this.idle.push({ ...ic, since: time.now() });
    await select([sendCase(this.freed, undefined)], { default: () => undefined });
  }
}

/** The health check: a one-byte read under a 1 ms deadline. Timed out: open. EOF, an error or bytes: dead. */
async function alive(c: net.Conn): Promise<boolean> {
  c.setReadDeadline(time.now() + 1);
  const [n, err] = await c.read(new Uint8Array(1));
  c.setReadDeadline(0);
  return n === 0 && err !== null && net.isTimeout(err);
}

/** One line out, one reply back, under a deadline. */
async function request(c: net.Conn, r: bufio.Reader): Promise<Error | null> {
  c.setDeadline(time.now() + time.Second);
  const [, werr] = await c.write('call\n');
  if (werr !== null) return werr;
  const [line, err] = await r.readString('\n');
  if (err !== null) return err;
  return line === 'ok\n' ? null : new Error(`server said ${JSON.stringify(line)}`);
}

/** Callers making requests one after another for ms; without a pool each request dials its own connection. */
async function load(addr: string, pool: Pool | null, callers: number, ms: number): Promise<[number, number]> {
  let ok = 0;
  let failed = 0;
  const end = time.now() + ms;
  const wg = new WaitGroup();
  for (let i = 0; i < callers; i++) {
    wg.add(1);
    go(async function caller() {
      while (time.now() < end) {
        let ic: IdleConn | null = null;
        if (pool === null) {
          const [c, err] = await net.dial('tcp', addr);
          if (c !== null) ic = { c, r: bufio.newReader(c), since: 0 };
          else if (err !== null) failed++;
        } else {
          const [ctx, cancel] = context.withTimeout(context.background(), time.Second);
          const [got, err] = await pool.get(ctx);
          cancel();
          if (got !== null) ic = got;
          else if (err !== null) failed++;
        }
        if (ic === null) continue;
        const err = await request(ic.c, ic.r);
        if (err === null) ok++;
        else failed++;
        if (pool === null) ic.c.close();
        else await pool.put(ic, err !== null);
      }
      wg.done();
    });
  }
  await wg.wait();
  return [ok, failed];
}

export async function main(): Promise<void> {
  const [ln, lerr] = await net.listen('tcp', '127.0.0.1:0');
  if (lerr !== null) throw lerr;
  let accepted = 0; // the handshakes, as the server sees them
  go(async function server() {
    for (;;) {
      const [c, err] = await ln.accept();
      if (err !== null) return;
      accepted++;
      go(async function serveConn() {
        const r = bufio.newReader(c);
        for (;;) {
          c.setReadDeadline(time.now() + 300); // a connection idle for 300 ms is closed
          const [, rerr] = await r.readString('\n');
          if (rerr !== null) break;
          const [, werr] = await c.write('ok\n');
          if (werr !== null) break;
        }
        c.close();
      });
    }
  });
  const addr = ln.addr().string();
  const callers = 4;

  let [ok, failed] = await load(addr, null, callers, 1000);
  fmt.println(`dial per request: ${ok} requests in 1 s, ${failed} failed, ${accepted} handshakes seen by the server`);
  accepted = 0;
  const pool = new Pool(addr, callers, callers, true);
  [ok, failed] = await load(addr, pool, callers, 1000);
  fmt.println(
    `pool:             ${ok} requests in 1 s, ${failed} failed, ${accepted} handshakes seen by the server (pool: ${pool.dials} dials, ${pool.reuses} reuses)`,
  );

  for (const check of [true, false]) {
    pool.healthCheck = check;
    pool.discarded = 0;
    await time.sleep(500); // past the server's idle timeout: every idle connection is closed by now
    [ok, failed] = await load(addr, pool, callers, 200);
    fmt.println(
      `after the server's idle timeout, health check ${check}: ${ok} ok, ${failed} failed, ${pool.discarded} discarded by the check`,
    );
  }
  ln.close();
}
