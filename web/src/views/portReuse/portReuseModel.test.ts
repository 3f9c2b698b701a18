// The port-reuse view's pure parts: the spread's bars and the words for a listen's outcome.
import { describe, expect, it } from 'vitest';
import { outcomeWord, spreadBars, timerSeconds } from './portReuseModel';

describe('spreadBars', () => {
  it('gives each listener its count, share and length against the longest bar', () => {
    expect(spreadBars([250, 500, 250])).toEqual([
      { listener: 0, count: 250, share: 25, length: 50 },
      { listener: 1, count: 500, share: 50, length: 100 },
      { listener: 2, count: 250, share: 25, length: 50 },
    ]);
  });

  it('draws a listener with no connections as an empty bar, and an empty run as all empty', () => {
    expect(spreadBars([0, 3]).map((b) => b.length)).toEqual([0, 100]);
    expect(spreadBars([0, 0])).toEqual([
      { listener: 0, count: 0, share: 0, length: 0 },
      { listener: 1, count: 0, share: 0, length: 0 },
    ]);
  });

  it('keeps shares to one decimal that add up to about 100', () => {
    const bars = spreadBars([333, 333, 334]);
    expect(bars.map((b) => b.share)).toEqual([33.3, 33.3, 33.4]);
  });
});

describe('outcomeWord', () => {
  it('says listening, the errno, or failed', () => {
    expect(outcomeWord({ ok: true, addr: '127.0.0.1:1' })).toBe('listening');
    expect(outcomeWord({ ok: false, errno: 'EADDRINUSE', error: 'x' })).toBe('EADDRINUSE');
    expect(outcomeWord({ ok: false, error: 'x' })).toBe('failed');
  });
});

describe('timerSeconds', () => {
  it('rounds the timer down to whole seconds, and keeps null', () => {
    expect(timerSeconds(59990)).toBe(59);
    expect(timerSeconds(0)).toBe(0);
    expect(timerSeconds(null)).toBeNull();
  });
});
