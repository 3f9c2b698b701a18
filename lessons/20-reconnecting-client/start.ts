// Exercise: a client that reconnects with capped exponential backoff and full jitter.
//
// The server may be restarting: a connection it closes before saying "HELLO" is a failed attempt, like a dial
// error. The client below retries at once, as fast as it can — a reconnect storm of one. Make it wait before
// every retry: retry n (0 for the first) waits random() · min(capMs, baseMs · 2^n) milliseconds.
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
    const [conn, err] = await net.dial('tcp', addr);
    if (err !== null) {
      lastErr = err;
      continue; // TODO: wait before the next attempt
    }
    const [line, rerr] = await bufio.newReader(conn).readString('\n');
    if (rerr === null && line === 'HELLO\n') return [conn, attempt];
    conn.close();
    lastErr = rerr ?? new Error(`unexpected greeting ${JSON.stringify(line)}`);
    // TODO: wait here too
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
