// Lesson 17 in TypeScript: the rate-limited line server of main.go (a global token bucket and one per client) on
// the lab's goroutine runtime, and a client in the same program that sends a burst, then waits and sends again, so
// one run shows the burst passing, the rest refused with a line, and tokens coming back at the rate.
import { bufio, fmt, go, net, time } from 'gonet';

/** A token bucket: at most `burst` tokens, `rate` more each second (rate.Limiter.Allow in Go). */
class TokenBucket {
  private tokens: number;
  private last = time.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  private advance(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
  level(now: number): number {
    this.advance(now);
    return this.tokens;
  }
  allow(now: number): boolean {
    this.advance(now);
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
  retryAfterMs(now: number): number {
    this.advance(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
  }
}

const global = new TokenBucket(200, 50);

async function serve(conn: net.Conn): Promise<void> {
  const client = new TokenBucket(20, 10); // this connection's own bucket
  const r = bufio.newReader(conn);
  for (;;) {
    const [line, err] = await r.readString('\n');
    if (err !== null) break;
    const now = time.now();
    // The client's own bucket first: a refused request spends no global token.
    if (client.level(now) < 1) {
      await conn.write(`ERR rate limited (client bucket), retry after ${client.retryAfterMs(now).toFixed(0)}ms\n`);
    } else if (!global.allow(now)) {
      await conn.write(`ERR rate limited (global bucket), retry after ${global.retryAfterMs(now).toFixed(0)}ms\n`);
    } else {
      client.allow(now);
      await conn.write(`ok ${line.trimEnd()}\n`);
    }
  }
  conn.close();
}

/** Sends n lines at once and counts the replies by kind. */
async function burst(conn: net.Conn, r: bufio.Reader, n: number, tag: string): Promise<void> {
  let lines = '';
  for (let i = 0; i < n; i++) lines += `${tag}-${i}\n`;
  await conn.write(lines);
  let ok = 0;
  let refused = 0;
  let example = '';
  for (let i = 0; i < n; i++) {
    const [reply, err] = await r.readString('\n');
    if (err !== null) return;
    if (reply.startsWith('ok ')) ok++;
    else {
      refused++;
      example ||= reply.trimEnd();
    }
  }
  fmt.println(`${tag}: sent ${n} at once: ${ok} ok, ${refused} refused${example ? ` — e.g. "${example}"` : ''}`);
}

export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  go(async function acceptLoop() {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      go(serve, conn);
    }
  });

  const [conn, derr] = await net.dial('tcp', ln.addr().string());
  if (derr !== null) throw derr;
  const r = bufio.newReader(conn);
  await burst(conn, r, 30, 'first'); // the client's burst of 10 passes, the rest is refused
  await time.sleep(500); // 0.5 s at 20 tokens/s: about 10 tokens back
  await burst(conn, r, 30, 'after 0.5 s');
  conn.close();
  ln.close();
}
