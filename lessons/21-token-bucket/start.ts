// Exercise: a token bucket, and a line server that refuses what it cannot take.
//
// TokenBucket holds at most `burst` tokens and gains `rate` tokens a second; it starts full. allow() takes one
// token and returns true, or returns false and takes nothing when there is less than one. retryAfterMs() says how
// long until there is a token again. The clock is `now` (milliseconds), so the checks can move time by hand.
//
// serveLimited accepts connections and gives each its own bucket (from newBucket). Every request line gets an
// answer at once: "ok <line>" when allowed, "ERR rate limited, retry after <n>ms" when not. Never make a refused
// client wait.
import { bufio, fmt, go, net, time } from 'gonet';

export class TokenBucket {
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = time.now,
  ) {
    // TODO: start full, and remember when tokens were last counted.
  }

  /** Takes one token if there is one. TODO: it lets everything through. */
  allow(): boolean {
    return true;
  }

  /** Milliseconds until the bucket holds one token (0 if it holds one now). TODO. */
  retryAfterMs(): number {
    return 0;
  }
}

/** Serves request lines on ln until it closes; each connection gets its own bucket. */
export async function serveLimited(ln: net.Listener, newBucket: () => TokenBucket): Promise<void> {
  for (;;) {
    const [conn, err] = await ln.accept();
    if (err !== null) return;
    go(async () => {
      const bucket = newBucket();
      const r = bufio.newReader(conn);
      for (;;) {
        const [line, rerr] = await r.readString('\n');
        if (rerr !== null) break;
        // TODO: refuse with "ERR rate limited, retry after <n>ms\n" when the bucket says no.
        bucket.allow();
        await conn.write(`ok ${line.trimEnd()}\n`);
      }
      conn.close();
    });
  }
}

/** Sends 12 lines at once to a server whose clients may send 5 at once and 2 a second, and prints the replies. */
export async function main(): Promise<void> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  go(serveLimited, ln, () => new TokenBucket(2, 5));
  const [conn, derr] = await net.dial('tcp', ln.addr().string());
  if (derr !== null) throw derr;
  let lines = '';
  for (let i = 1; i <= 12; i++) lines += `request ${i}\n`;
  await conn.write(lines);
  const r = bufio.newReader(conn);
  for (let i = 0; i < 12; i++) {
    const [reply, rerr] = await r.readString('\n');
    if (rerr !== null) break;
    fmt.print(reply);
  }
  conn.close();
  ln.close();
}
