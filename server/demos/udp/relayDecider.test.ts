import { describe, expect, it } from 'vitest';
import { RelayDecider, sequenceOf } from './relayDecider.js';

function plan(seed: number, loss: number, reorder: number, n = 200): string[] {
  const d = new RelayDecider(seed, loss, reorder);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = d.next();
    out.push(a);
    if (a === 'forward') d.released();
  }
  return out;
}

describe('RelayDecider', () => {
  it('makes the same choices for the same seed, and other choices for another', () => {
    expect(plan(7, 20, 20)).toEqual(plan(7, 20, 20));
    expect(plan(7, 20, 20)).not.toEqual(plan(8, 20, 20));
  });

  it('drops about the share asked for, and never anything at 0 %', () => {
    const drops = plan(1, 30, 0, 2000).filter((a) => a === 'drop').length;
    expect(drops).toBeGreaterThan(2000 * 0.2);
    expect(drops).toBeLessThan(2000 * 0.4);
    expect(plan(1, 0, 0)).toEqual(Array(200).fill('forward'));
  });

  it('holds at most one datagram until it is released', () => {
    const d = new RelayDecider(3, 0, 90);
    expect(d.next()).toBe('hold');
    for (let i = 0; i < 20; i++) expect(d.next()).toBe('forward');
    d.released();
    expect(['hold', 'forward']).toContain(d.next());
  });

  it("keeps one knob's choices when the other changes (both draws happen every time)", () => {
    const dropsAt = (reorder: number) =>
      plan(11, 25, reorder)
        .map((a, i) => (a === 'drop' ? i : -1))
        .filter((i) => i >= 0);
    expect(dropsAt(0)).toEqual(dropsAt(50));
  });
});

describe('sequenceOf', () => {
  it('reads the number after # and nothing else', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(sequenceOf(bytes('#12 ....'))).toBe(12);
    expect(sequenceOf(bytes('#0'))).toBe(0);
    expect(sequenceOf(bytes('12'))).toBeNull();
    expect(sequenceOf(bytes('#x'))).toBeNull();
    expect(sequenceOf(new Uint8Array(0))).toBeNull();
  });
});
