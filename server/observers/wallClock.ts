// Wall-clock time with microsecond precision, on the same clock as the kernel's packet timestamps (CLOCK_REALTIME),
// so socket calls and polled states line up with captured segments that are microseconds apart.
//
// performance.now() is precise but monotonic, and its fixed timeOrigin drifts away from the realtime clock as NTP
// adjusts it (tens of ms per hour are ordinary). Date.now() follows the realtime clock but only in whole ms.
// Catching the instants Date.now() ticks over gives the offset between the two to within a few microseconds.

const RECALIBRATE_MS = 30_000;
let offset = 0;
let calibratedAt = -Infinity;

/** A bracket this narrow pins the tick to within a few microseconds. */
const NARROW_MS = 0.05;
/** How long a busy machine may spin looking for one narrow bracket; the best one seen is used after that. */
const SPIN_LIMIT_MS = 250;

/**
 * Watches Date.now() tick over at least `ticks` milliseconds and estimates realtime ms − performance.now(). Each
 * tick is bracketed by the performance.now() readings taken just before the Date.now() call that still showed the
 * old millisecond and just after the one that showed the new one; the narrowest bracket wins. A thread
 * descheduled mid-bracket (a busy machine) only widens that one bracket, so the watch goes on until one tick was
 * seen without interruption (about `ticks` ms on a quiet machine, at most SPIN_LIMIT_MS on a busy one).
 */
export function measureWallClockOffset(ticks = 10): number {
  let best = Infinity;
  let offset = performance.timeOrigin;
  let seen = 0;
  let beforeOld = performance.now();
  let last = Date.now();
  const limit = beforeOld + SPIN_LIMIT_MS;
  for (;;) {
    const before = performance.now();
    const now = Date.now();
    const after = performance.now();
    if (now > last) {
      // Realtime reached `now` after `beforeOld` (the old ms was still showing then) and before `after`.
      seen++;
      if (after - beforeOld < best) {
        best = after - beforeOld;
        offset = now - (beforeOld + after) / 2;
      }
    }
    last = now;
    beforeOld = before;
    if ((seen >= ticks && best <= NARROW_MS) || after > limit) return offset;
  }
}

/** Realtime ms since the epoch, with sub-millisecond precision. */
export function wallClockNow(): number {
  const perf = performance.now();
  if (perf - calibratedAt > RECALIBRATE_MS) {
    offset = measureWallClockOffset();
    calibratedAt = performance.now();
    return performance.now() + offset;
  }
  return perf + offset;
}
