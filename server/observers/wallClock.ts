// Wall-clock time with microsecond precision, on the same clock as the kernel's packet timestamps (CLOCK_REALTIME),
// so socket calls and polled states line up with captured segments that are microseconds apart.
//
// performance.now() is precise but monotonic, and its fixed timeOrigin drifts away from the realtime clock as NTP
// adjusts it (tens of ms per hour are ordinary). Date.now() follows the realtime clock but only in whole ms.
// Catching the instants Date.now() ticks over gives the offset between the two to within a few microseconds.

const RECALIBRATE_MS = 30_000;
let offset = 0;
let calibratedAt = -Infinity;

/**
 * Watches Date.now() tick over `ticks` milliseconds (about that many ms of spinning) and estimates
 * realtime ms − performance.now() from the offsets seen at the ticks. A tick noticed late (the thread was
 * descheduled just before it looked) gives an offset that is too small; one that comes after a skipped millisecond
 * is left out, and of the rest a high percentile is taken, which also drops the rare pause between the two reads.
 */
export function measureWallClockOffset(ticks = 10): number {
  const offsets: number[] = [];
  let last = Date.now();
  const deadline = performance.now() + 50;
  while (offsets.length < ticks && performance.now() < deadline) {
    const perf = performance.now();
    const now = Date.now();
    if (now === last) continue;
    if (now === last + 1) offsets.push(now - perf);
    last = now;
  }
  if (offsets.length === 0) return performance.timeOrigin;
  offsets.sort((a, b) => a - b);
  return offsets[Math.floor((offsets.length - 1) * 0.8)]!;
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
