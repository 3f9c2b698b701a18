// Deadlock seen in samples. The lab's sampler sleeps between dumps, and a pending timer keeps Go's own detector
// ("all goroutines are asleep - deadlock!") from firing; so the lab checks the samples instead. Pure.
import type { SampledGoroutine } from '../../core/protocol/events/goRun.js';

/**
 * Waits nothing outside the program can end: no timer, no I/O, no signal. A `select` with cases is left out (it may
 * wait on a timer channel, which a dump does not show), so a deadlock among selects is not reported.
 */
const STUCK = new Set([
  'chan receive',
  'chan send',
  'chan receive (nil chan)',
  'chan send (nil chan)',
  'select (no cases)',
  'semacquire',
  'sync.Mutex.Lock',
  'sync.RWMutex.Lock',
  'sync.RWMutex.RLock',
  'sync.WaitGroup.Wait',
  'sync.Cond.Wait',
]);

/** Every goroutine of the program (the sampler's left out) is in a wait only another goroutine could end. */
export function allGoroutinesStuck(goroutines: readonly SampledGoroutine[]): boolean {
  return (
    goroutines.length > 0 &&
    goroutines.every((g) => g.state === 'waiting' && g.waitReason !== undefined && STUCK.has(g.waitReason))
  );
}

/** How many samples in a row must agree before the lab calls it a deadlock (a goroutine may be between two waits). */
export const DEADLOCK_SAMPLES = 3;
