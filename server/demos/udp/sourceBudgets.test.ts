import { describe, expect, it } from 'vitest';
import { SourceBudgets } from './sourceBudgets.js';

function budgets(maxSources = 3) {
  let now = 0;
  const b = new SourceBudgets({
    perSource: { perSecond: 10, burst: 5 },
    total: { perSecond: 100, burst: 8 },
    maxSources,
    clock: () => now,
  });
  return { b, advance: (ms: number) => (now += ms) };
}

describe('SourceBudgets', () => {
  it('lets one source burst, then refuses it while others still get through', () => {
    const { b } = budgets();
    const verdicts = Array.from({ length: 7 }, () => b.take('127.0.0.1:1000'));
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'overSource', 'overSource']);
    expect(b.take('127.0.0.1:2000')).toBe('ok');
  });

  it('refills a source at its rate', () => {
    const { b, advance } = budgets();
    for (let i = 0; i < 5; i++) b.take('a');
    expect(b.take('a')).toBe('overSource');
    advance(100); // 10 a second: one more after 100 ms
    expect(b.take('a')).toBe('ok');
    expect(b.take('a')).toBe('overSource');
  });

  it('bounds all sources together (many ports from one host are still one flood)', () => {
    const { b } = budgets(100);
    const verdicts = Array.from({ length: 10 }, (_, i) => b.take(`127.0.0.1:${3000 + i}`));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(8);
    expect(verdicts.slice(8)).toEqual(['overTotal', 'overTotal']);
  });

  it('remembers at most maxSources, forgetting the least recently seen', () => {
    const { b } = budgets(2);
    for (let i = 0; i < 5; i++) b.take('a');
    b.take('b');
    b.take('a'); // a is now the most recent
    b.take('c'); // forgets b
    expect(b.sources).toBe(2);
    expect(b.take('a')).toBe('overSource'); // a kept its empty budget
  });
});
