// What the lossy relay does with each datagram: drop it, hold it back (to send after the next one), or forward it.
// Pure and seeded, so a run's losses and reorderings can be replayed from its seed.
import { SeededRandom } from '../../../core/runtime/seededRandom.js';

export type RelayAction = 'drop' | 'hold' | 'forward';

export class RelayDecider {
  private readonly random: SeededRandom;
  private holding = false;

  constructor(
    readonly seed: number,
    private readonly lossPercent: number,
    private readonly reorderPercent: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** Decides for the next datagram. Only one is held at a time: a held one goes out right after the next forward. */
  next(): RelayAction {
    // Both draws happen every time, so one knob's value does not change the other's choices for the same seed.
    const lossDraw = this.random.below(100);
    const reorderDraw = this.random.below(100);
    if (lossDraw < this.lossPercent) return 'drop';
    if (!this.holding && reorderDraw < this.reorderPercent) {
      this.holding = true;
      return 'hold';
    }
    return 'forward';
  }

  /** The held datagram went out (after a forward, or when its timer ran out). */
  released(): void {
    this.holding = false;
  }
}

/** `#12 ...` → 12: the sequence number the lab's clients put at the start of a datagram; null for anything else. */
export function sequenceOf(payload: Uint8Array): number | null {
  if (payload[0] !== 0x23) return null;
  let n = 0;
  let digits = 0;
  for (let i = 1; i < payload.length && i < 11; i++) {
    const c = payload[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    digits++;
  }
  return digits > 0 ? n : null;
}
