// Lesson 15 in TypeScript: the client of main.go — a heartbeat and a read deadline notice a silent server; capped
// exponential backoff with full jitter spaces the reconnects; RESUME <n> picks the stream up where it stopped —
// against the same flaky server in the same program (it streams, freezes, goes down, comes back).
import { bufio, chan, close, fmt, go, net, recvCase, select, time, type Chan } from 'gonet';

const INTERVAL = 100; // ms between PINGs
const TIMEOUT = 400; // ms of silence that mean the server is gone
const BASE = 50; // ms, the first wait before a retry
const MAX_WAIT = 800; // ms, no wait is longer (the cap)
const WANT_MSGS = 40; // the client stops after message 39

const start = time.now();
const logf = (format: string, ...args: unknown[]) =>
  fmt.printf('%5d ms  %s\n', Math.round(time.since(start)), fmt.sprintf(format, ...args));

/** Capped exponential backoff with full jitter: retry n waits a uniform random time in [0, min(cap, base·2^n)). */
class Backoff {
  retry = 0;
  next(): number {
    const ceiling = Math.min(MAX_WAIT, BASE * 2 ** this.retry);
    this.retry++;
    return Math.floor(Math.random() * ceiling);
  }
  reset(): void {
    this.retry = 0;
  }
}

/** One connection: greeting, RESUME, a heartbeat goroutine, a deadline on every read. Returns the error that ended it. */
async function session(conn: net.Conn, next: { n: number }): Promise<Error | null> {
  const r = bufio.newReader(conn);
  // The greeting proves the server's program (not just its kernel) is there: no HELLO, no connection.
  conn.setReadDeadline(time.now() + TIMEOUT);
  const [hello, herr] = await r.readString('\n');
  if (herr !== null || hello !== 'HELLO\n') {
    conn.close();
    return fmt.errorf('no greeting: %v', herr);
  }
  await conn.write(`RESUME ${next.n}\n`);
  logf('connected; resuming at message %d', next.n);

  const done: Chan<void> = chan<void>();
  go(async function heartbeat() {
    const ticker = time.newTicker(INTERVAL);
    try {
      for (;;) {
        const { index } = await select([recvCase(done), recvCase(ticker.c)]);
        if (index === 0) return;
        const [, werr] = await conn.write('PING\n');
        if (werr !== null) return;
      }
    } finally {
      ticker.stop();
    }
  });
  const finish = (err: Error | null) => {
    close(done);
    conn.close();
    return err;
  };
  while (next.n < WANT_MSGS) {
    // A deadline is a point in time: set again before every read, so any line keeps the connection alive.
    conn.setReadDeadline(time.now() + TIMEOUT);
    const [line, err] = await r.readString('\n');
    if (err !== null) return finish(err);
    if (line.startsWith('MSG ') && Number(line.slice(4)) === next.n) {
      if (next.n % 10 === 0) logf('message %d', next.n);
      next.n++;
    }
  }
  return finish(null);
}

async function client(addr: string): Promise<void> {
  const b = new Backoff();
  const next = { n: 0 };
  while (next.n < WANT_MSGS) {
    const [conn, derr] = await net.dial('tcp', addr);
    if (derr === null) {
      const before = next.n;
      const err = await session(conn, next);
      if (next.n > before) b.reset(); // a session that delivered something starts the schedule over
      if (next.n >= WANT_MSGS) break;
      if (net.isTimeout(err)) logf('silence for %d ms: the server is gone (heartbeat)', TIMEOUT);
      else logf('connection lost: %v', err);
    }
    const wait = b.next();
    logf('retry %d in %d ms', b.retry, wait);
    await time.sleep(wait);
  }
  logf('got all %d messages', WANT_MSGS);
}

type State = 'up' | 'frozen' | 'down';

/** Streams MSG lines, then freezes, goes down and comes back, on a schedule. Returns its address and a stop. */
async function flakyServer(): Promise<{ addr: string; stop: () => void }> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  let state: State = 'up';
  const conns = new Set<net.Conn>();
  const write = async (conn: net.Conn, line: string): Promise<Error | null> => {
    if (state === 'down') return net.ErrClosed;
    if (state === 'frozen') return null; // the process hangs; its kernel still ACKs what arrives
    const [, werr] = await conn.write(line);
    return werr;
  };
  const serve = async (conn: net.Conn) => {
    if (state === 'down') return conn.close(); // a restarting server: the connection closes at once
    conns.add(conn);
    if ((await write(conn, 'HELLO\n')) === null) {
      const r = bufio.newReader(conn);
      const [line, rerr] = await r.readString('\n');
      if (rerr === null) {
        let seq = Number(line.replace('RESUME ', '')) || 0;
        go(async function stream() {
          for (; ; seq++) {
            await time.sleep(40);
            if ((await write(conn, `MSG ${seq}\n`)) !== null) return;
          }
        });
        for (;;) {
          const [l, e] = await r.readString('\n');
          if (e !== null) break;
          if (l === 'PING\n') await write(conn, 'PONG\n');
        }
      }
    }
    conns.delete(conn);
    conn.close();
  };
  go(async function acceptLoop() {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      go(serve, conn);
    }
  });
  go(async function schedule() {
    await time.sleep(1000);
    logf('[server] freezes');
    state = 'frozen';
    await time.sleep(1000);
    logf('[server] goes down');
    state = 'down';
    for (const c of conns) c.close();
    await time.sleep(1500);
    logf('[server] is back');
    state = 'up';
  });
  return { addr: ln.addr().string(), stop: () => void ln.close() };
}

export async function main(): Promise<void> {
  const server = await flakyServer();
  await client(server.addr);
  server.stop();
}
