// Limiter and breaker benchmarks: token-bucket decisions per second (Allow on the real clock, and on a clock the loop
// advances itself), leaky-bucket offers, and circuit-breaker calls per second in the closed state (allow + done),
// each printed beside the cost of an empty function call in the same loop: the JavaScript runtime's own overhead.
// Prints figures; asserts nothing. `npm run bench -- limits`.
import os from 'node:os';
import { CircuitBreaker } from '../core/limits/circuitBreaker.js';
import { LeakyBucket } from '../core/limits/leakyBucket.js';
import { TokenBucket } from '../core/limits/tokenBucket.js';

const ROUNDS = 7;
const CALLS = 5_000_000;

/** Median and best operations per second over ROUNDS rounds of `loop` (which does CALLS operations). */
function measure(loop: () => number): { median: number; best: number; sink: number } {
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    sink += loop();
    rates.push(CALLS / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[rates.length >> 1], best: rates[rates.length - 1], sink };
}

const fmt = (n: number) => `${(n / 1e6).toFixed(1)} M/s`;
const ns = (n: number) => `${(1e9 / n).toFixed(1)} ns`;

export async function run(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `${cpu}, ${os.cpus().length} cores, Node ${process.version}; ${CALLS.toLocaleString('en')} calls a round, median of ${ROUNDS}`,
  );

  // An empty call that takes and returns what the real ones do, so the loop around it costs the same.
  const empty = (n: number, now: number): boolean => n + now !== 0;
  let fakeNow = 0;
  const fakeClock = () => fakeNow;
  const rows: [string, ReturnType<typeof measure>][] = [];

  rows.push([
    'empty function call (overhead)',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) if (empty(1, (fakeNow += 0.001))) ok++;
      return ok;
    }),
  ]);
  rows.push([
    'performance.now() alone',
    measure(() => {
      let t = 0;
      for (let i = 0; i < CALLS; i++) t += performance.now();
      return t > 0 ? 1 : 0;
    }),
  ]);
  const fakeBucket = new TokenBucket({ perSecond: 1e6, burst: 100, clock: fakeClock });
  rows.push([
    'token bucket allow(), clock advanced by the loop',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) if (fakeBucket.allow(1, (fakeNow += 0.001))) ok++;
      return ok;
    }),
  ]);
  const realBucket = new TokenBucket({ perSecond: 1e6, burst: 100, clock: () => performance.now() });
  rows.push([
    'token bucket allow(), performance.now clock',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) if (realBucket.allow()) ok++;
      return ok;
    }),
  ]);
  const leaky = new LeakyBucket({ perSecond: 1e6, capacity: 100, clock: fakeClock });
  rows.push([
    'leaky bucket offer(), clock advanced by the loop',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) if (leaky.offer((fakeNow += 0.001)).accepted) ok++;
      return ok;
    }),
  ]);
  const breaker = new CircuitBreaker({
    failureThreshold: 5,
    windowMs: 10_000,
    openMs: 1_000,
    halfOpenProbes: 1,
    clock: fakeClock,
  });
  rows.push([
    'breaker allow()+done(ok), closed, clock advanced by the loop',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) {
        const now = (fakeNow += 0.001);
        const ticket = breaker.allow(now);
        if (ticket !== null) {
          breaker.done(ticket, true, now);
          ok++;
        }
      }
      return ok;
    }),
  ]);
  const realBreaker = new CircuitBreaker({
    failureThreshold: 5,
    windowMs: 10_000,
    openMs: 1_000,
    halfOpenProbes: 1,
    clock: () => performance.now(),
  });
  rows.push([
    'breaker allow()+done(ok), closed, performance.now clock',
    measure(() => {
      let ok = 0;
      for (let i = 0; i < CALLS; i++) {
        const ticket = realBreaker.allow();
        if (ticket !== null) {
          realBreaker.done(ticket, true);
          ok++;
        }
      }
      return ok;
    }),
  ]);

  const overhead = rows[0][1].median;
  console.log('');
  for (const [name, r] of rows) {
    const own = 1e9 / r.median - 1e9 / overhead;
    console.log(
      `${name.padEnd(62)} ${fmt(r.median).padStart(10)} (best ${fmt(r.best)}), ${ns(r.median)} a call` +
        (r === rows[0][1] ? '' : `, ${own.toFixed(1)} ns above the empty call`),
    );
  }
  console.log('\nThe target: ≥ 5 M decisions/s for the limiter and ≥ 5 M calls/s for the closed breaker.');
}
