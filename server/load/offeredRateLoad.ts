// An open-loop load generator for line servers: N connections together send request lines at a staircase of
// offered rates, on a clock, whether earlier requests were answered or refused (what a crowd of independent clients
// does), and count the reply lines by kind. Loopback only; bounded in rate, steps and time.
import net from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';

export interface OfferedRateLoadOptions {
  host: string;
  port: number;
  connections: number;
  /** Requests per second of all connections together, one rate per step. */
  steps: readonly number[];
  stepMs: number;
  /** Sorts a reply line: true when the request was accepted. */
  accepted(line: string): boolean;
  /** Told when a step begins (its index and rate). */
  onStep?(index: number, perSecond: number): void;
  signal?: AbortSignal;
}

export interface OfferedRateResult {
  sent: number;
  accepted: number;
  refused: number;
  errors: number;
  seconds: number;
}

/** Sending is checked this often; each tick sends what the rate owes since the step began. */
const TICK_MS = 10;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function runOfferedRateLoad(options: OfferedRateLoadOptions): Promise<OfferedRateResult> {
  if (!LOOPBACK.test(options.host)) throw new Error(`load is only sent to loopback addresses, not ${options.host}`);
  const result: OfferedRateResult = { sent: 0, accepted: 0, refused: 0, errors: 0, seconds: 0 };
  const sockets = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ host: options.host, port: options.port, noDelay: true }, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  for (const s of sockets) {
    s.removeAllListeners('error');
    s.on('error', () => result.errors++);
    s.setEncoding('utf8');
    let pending = '';
    s.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (options.accepted(line)) result.accepted++;
        else result.refused++;
      }
    });
  }
  const started = performance.now();
  let next = 0; // the connection that sends the next request (round robin)
  try {
    for (let step = 0; step < options.steps.length && !options.signal?.aborted; step++) {
      const rate = options.steps[step];
      options.onStep?.(step, rate);
      const stepStart = performance.now();
      let sentInStep = 0;
      while (!options.signal?.aborted) {
        const elapsed = performance.now() - stepStart;
        if (elapsed >= options.stepMs) break;
        const owed = Math.floor((rate * elapsed) / 1000) - sentInStep;
        for (let i = 0; i < owed; i++) {
          const s = sockets[next];
          next = (next + 1) % sockets.length;
          if (!s.destroyed) s.write(`req ${result.sent}\n`);
          result.sent++;
          sentInStep++;
        }
        await sleep(TICK_MS, options.signal);
      }
    }
    // Replies still on their way are counted for a moment, then the run ends.
    await sleep(100);
  } finally {
    result.seconds = (performance.now() - started) / 1000;
    for (const s of sockets) s.destroy();
  }
  return result;
}

/** Waits ms, or less if the signal aborts (node:timers/promises rejects on abort: here that just ends the wait). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal }).catch(() => undefined);
}
