// A millisecond clock read once per turn of the event loop. Budgets that run on every socket read and write need
// milliseconds, not a fresh high-resolution reading each time: under load one turn serves hundreds of reads, and
// performance.now() cost more than the budgets' own arithmetic.
let cached = -1;

function forget(): void {
  cached = -1;
}

export function turnNow(): number {
  if (cached < 0) {
    cached = performance.now();
    // Immediates run once the turn's I/O callbacks (and their microtasks) are done.
    setImmediate(forget);
  }
  return cached;
}
