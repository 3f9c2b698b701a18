// Lesson 16 in TypeScript: the request server of main.go and its graceful shutdown — stop accepting, close idle
// connections, let requests in flight finish (the last answer says "close"), close what is left at a deadline —
// under the same load of 10 clients. A browser has no signals, so a timer plays SIGTERM; HARD switches to a hard
// stop, for comparison.
import { bufio, chan, close, context, fmt, go, net, recvCase, select, time, WaitGroup } from 'gonet';

const WORK_MS = 200; // work per request
const GRACE_MS = 2000; // how long the shutdown may wait for requests in flight
const HARD = false; // true: stop at once, as os.Exit would

class Server {
  busy = new Map<net.Conn, boolean>(); // every open connection: is a request being worked on?
  draining = false;
  wg = new WaitGroup();
  read = 0;
  answered = 0;
  lost = 0;

  constructor(readonly ln: net.Listener) {}

  async serve(): Promise<void> {
    for (;;) {
      const [conn, err] = await this.ln.accept();
      if (err !== null) return; // the listener was closed: shutting down
      if (this.draining) {
        conn.close();
        continue;
      }
      this.busy.set(conn, false);
      this.wg.add(1);
      go(() => this.handle(conn));
    }
  }

  async handle(conn: net.Conn): Promise<void> {
    const r = bufio.newReader(conn);
    for (;;) {
      const [line, err] = await r.readString('\n');
      if (err !== null || this.draining) break; // draining: the request is not started at all
      this.busy.set(conn, true);
      this.read++;
      const id = line.trim().replace(/^REQ /, '');
      await time.sleep(WORK_MS); // the request's work
      this.busy.set(conn, false);
      const last = this.draining;
      // Like HTTP's "Connection: close": the client sends nothing more on this connection.
      const [, werr] = await conn.write(`OK ${id}${last ? ' close' : ''}\n`);
      if (werr !== null) {
        this.lost++; // the connection was closed under it (the deadline passed)
        break;
      }
      this.answered++;
      if (last) break;
    }
    this.busy.delete(conn);
    conn.close();
    this.wg.done();
  }

  /** Stops accepting, closes idle connections, waits for busy ones; at ctx's deadline closes what is left. */
  async shutdown(ctx: context.Context): Promise<Error | null> {
    this.ln.close();
    this.draining = true;
    for (const [conn, busy] of this.busy) if (!busy) conn.close();
    const done = chan<void>();
    go(async () => {
      await this.wg.wait();
      close(done);
    });
    const { index } = await select([recvCase(done), recvCase(ctx.done()!)]);
    if (index === 0) return null;
    for (const conn of this.busy.keys()) conn.close();
    await done.recv();
    return ctx.err();
  }
}

/** n clients, each sending a request and the next one when it has the answer, until the server stops them. */
function load(addr: string, n: number, counts: { sent: number; answered: number; unanswered: number }): WaitGroup {
  const wg = new WaitGroup();
  for (let c = 0; c < n; c++) {
    wg.add(1);
    go(async () => {
      const [conn, err] = await net.dial('tcp', addr);
      if (err === null) {
        const r = bufio.newReader(conn);
        for (let seq = 0; ; seq++) {
          const [, werr] = await conn.write(`REQ ${c}-${seq}\n`);
          if (werr !== null) break;
          counts.sent++;
          const [line, rerr] = await r.readString('\n');
          if (rerr !== null) {
            counts.unanswered++;
            break;
          }
          counts.answered++;
          if (line.endsWith(' close\n')) break;
        }
        conn.close();
      }
      wg.done();
    });
  }
  return wg;
}

export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  const s = new Server(ln);
  go(() => s.serve());
  fmt.printf('listening on %s (work %d ms per request)\n', ln.addr().string(), WORK_MS);
  const counts = { sent: 0, answered: 0, unanswered: 0 };
  const clients = load(ln.addr().string(), 10, counts);

  await time.sleep(1100); // "SIGTERM", mid-request on purpose: 1.1 s is five and a half requests
  const started = time.now();
  if (HARD) {
    const inFlight = [...s.busy.values()].filter((b) => b).length;
    fmt.printf(
      'signal: stopping now; %d requests in flight are lost (answered %d of %d)\n',
      inFlight,
      s.answered,
      s.read,
    );
    ln.close();
    for (const conn of s.busy.keys()) conn.close();
  } else {
    fmt.println('signal: shutting down gracefully');
    const [ctx, cancel] = context.withTimeout(context.background(), GRACE_MS);
    const serr = await s.shutdown(ctx);
    cancel();
    if (serr !== null) fmt.printf('deadline of %d ms passed: closed the connections still busy\n', GRACE_MS);
    fmt.printf(
      'server: read %d, answered %d, lost in flight %d; shutdown took %d ms\n',
      s.read,
      s.answered,
      s.lost,
      Math.round(time.since(started)),
    );
  }
  await clients.wait();
  fmt.printf('clients: sent %d, answered %d, unanswered %d\n', counts.sent, counts.answered, counts.unanswered);
}
