// Exercise 22, solved: a circuit breaker that fails fast.
//
// Breaker.call(fn) runs fn (a call to an upstream that returns an error or null) and returns its result — for now
// always, even when the upstream has failed many times in a row. Make it a circuit breaker:
//   closed:    calls go through; `threshold` failures in a row open it (a success resets the count);
//   open:      calls return ErrOpen at once without running fn, until `openMs` have passed since it opened;
//   half-open: one call at a time goes through as a probe (others get ErrOpen); its success closes the breaker,
//              its failure opens it again for another openMs.
// state() reports the state now (an open breaker whose openMs are over reads 'half-open'). Time comes only from
// `now` (milliseconds), so the checks can move it by hand.
import { bufio, fmt, go, net, time } from 'gonet';

export const ErrOpen = new Error('circuit breaker is open');

export type State = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures in a row that open the breaker. */
  threshold: number;
  /** How long it stays open before a probe may go through. */
  openMs: number;
}

export class Breaker {
  private current: State = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    readonly opts: BreakerOptions,
    private readonly now: () => number = time.now,
  ) {}

  /** The state now. */
  state(): State {
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.openMs) this.current = 'half-open';
    return this.current;
  }

  /** Runs fn through the breaker. */
  async call(fn: () => Promise<Error | null>): Promise<Error | null> {
    const state = this.state();
    if (state === 'open' || (state === 'half-open' && this.probing)) return ErrOpen;
    const probe = state === 'half-open';
    if (probe) this.probing = true; // before the first await: a second caller sees the probe is out
    const err = await fn();
    if (probe) this.probing = false;
    if (err === null) {
      this.failures = 0;
      this.current = 'closed';
    } else if (probe || ++this.failures >= this.opts.threshold) {
      this.current = 'open';
      this.openedAt = this.now();
      this.failures = 0;
    }
    return err;
  }
}

/** Given: one call to a line upstream: dial, send "call", read one line under one deadline; "ok" is success. */
export async function callUpstream(addr: string, timeoutMs: number): Promise<Error | null> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) return err;
  conn.setDeadline(time.now() + timeoutMs);
  await conn.write('call\n');
  const [reply, rerr] = await bufio.newReader(conn).readString('\n');
  conn.close();
  if (rerr !== null) return rerr;
  return reply === 'ok\n' ? null : new Error(`upstream answered ${JSON.stringify(reply.trimEnd())}`);
}

/** An upstream that answers errors to its first 6 requests and "ok" after; 40 calls, 50 ms apart, through the breaker. */
export async function main(): Promise<void> {
  const started = time.now();
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null) throw err;
  let reached = 0;
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      reached++;
      const [, rerr] = await bufio.newReader(conn).readString('\n');
      if (rerr === null) await conn.write(reached <= 6 ? 'ERR upstream failing\n' : 'ok\n');
      conn.close();
    }
  });
  const breaker = new Breaker({ threshold: 3, openMs: 200 });
  const counts = { ok: 0, failed: 0, failedFast: 0 };
  let last: State = breaker.state();
  /** Prints the state when it differs from the last one seen (looked at before and after every call). */
  const note = () => {
    const now = breaker.state();
    if (now !== last) fmt.println(`${(time.since(started) / 1000).toFixed(2)}s ${last} -> ${now}`);
    last = now;
  };
  for (let i = 0; i < 40; i++) {
    note();
    const e = await breaker.call(() => callUpstream(ln.addr().string(), 500));
    if (e === null) counts.ok++;
    else if (e === ErrOpen) counts.failedFast++;
    else counts.failed++;
    note();
    await time.sleep(50);
  }
  ln.close();
  fmt.println(
    `ok ${counts.ok}, failed ${counts.failed}, failed fast ${counts.failedFast}; the upstream was reached ${reached} times`,
  );
}
