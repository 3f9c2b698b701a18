// A small seedable pseudo-random generator (mulberry32), so a run's select choices can be replayed from its seed.

export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n), for n ≥ 1. */
  below(n: number): number {
    return this.nextUint32() % n;
  }
}

/** A fresh seed when the caller gave none (the run reports it so the run can be replayed). */
export function randomSeed(): number {
  return (Math.random() * 0x100000000) >>> 0;
}
