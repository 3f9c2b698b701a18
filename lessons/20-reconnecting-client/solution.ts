// Solution: a client that reconnects with capped exponential backoff and full jitter.
//
// Every failed attempt — a dial error, or a connection closed before "HELLO" — is followed by a wait of
// random() · min(capMs, baseMs · 2^n) before retry n, except after the last attempt.
import { bufio, fmt, go, net, time } from 'gonet';

export interface RetryOptions {
  /** The first wait's ceiling, in milliseconds. */
  baseMs: number;
  /** No wait is longer than this, in milliseconds. */
  capMs: number;
  /** Attempts in all before giving up. */
  maxAttempts: number;
  /** A number in [0, 1) per wait (default Math.random); the checks pass their own. */
  random?: () => number;
}

/** The wait before retry n: full jitter under a capped exponential ceiling. */
function backoff(n: number, opts: RetryOptions): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** n);
  return (opts.random ?? Math.random)() * ceiling;
}

/**
 * Dials addr until the server greets with "HELLO\n". Returns [conn, attempts] once greeted, or [null, err] with
 * the last attempt's error after opts.maxAttempts failed attempts.
 */
export async function connectWithBackoff(
  addr: string,
  opts: RetryOptions,
): Promise<[net.Conn, number] | [null, Error]> {
  let lastErr: Error = new Error('no attempt made');
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    if (attempt > 1) await time.sleep(backoff(attempt - 2, opts));
    const [conn, err] = await net.dial('tcp', addr);
    if (err !== null) {
      lastErr = err;
      continue;
    }
    const [line, rerr] = await bufio.newReader(conn).readString('\n');
    if (rerr === null && line === 'HELLO\n') return [conn, attempt];
    conn.close();
    lastErr = rerr ?? new Error(`unexpected greeting ${JSON.stringify(line)}`);
  }
  return [null, lastErr];
}

/** A server on this run's own port that is "restarting" for `downMs` (it closes every connection at once). */
async function restartingServer(downMs: number): Promise<{ addr: string; stop: () => void }> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  const started = time.now();
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      const at = time.since(started);
      if (at < downMs) {
        fmt.printf('%5.0f ms  server: attempt refused (restarting)\n', at);
        conn.close();
      } else {
        fmt.printf('%5.0f ms  server: HELLO\n', at);
        await conn.write('HELLO\n');
      }
    }
  });
  return { addr: ln.addr().string(), stop: () => void ln.close() };
}

/** Run: the server restarts for one second. How many attempts does the client make, and when? */
export async function main(): Promise<void> {
  const server = await restartingServer(1000);
  const started = time.now();
  const result = await connectWithBackoff(server.addr, { baseMs: 50, capMs: 400, maxAttempts: 50 });
  if (result[0] !== null) {
    fmt.printf('%5.0f ms  connected after %d attempts\n', time.since(started), result[1]);
    result[0].close();
  } else fmt.printf('%5.0f ms  gave up: %v\n', time.since(started), result[1]);
  server.stop();
}
