// The resolver's TTL cache: an answer lives exactly its TTL on the injected clock, TTL 0 is never kept, and the
// cache stays bounded.
import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttlCache.js';

describe('TtlCache', () => {
  it('answers while the TTL lasts and counts it down, then forgets', () => {
    let now = 1000;
    const cache = new TtlCache<string>(() => now);
    cache.put('shop.lab.test/A', '10.0.0.7', 30);
    expect(cache.get('shop.lab.test/A')).toEqual({ value: '10.0.0.7', ttlLeft: 30 });
    now += 12_500;
    expect(cache.get('shop.lab.test/A')).toEqual({ value: '10.0.0.7', ttlLeft: 18 });
    now += 17_500;
    expect(cache.get('shop.lab.test/A')).toBeNull();
  });

  it('does not keep a TTL-0 answer, and a new answer replaces an old one', () => {
    const now = 0;
    const cache = new TtlCache<string>(() => now);
    cache.put('a', 'x', 0);
    expect(cache.get('a')).toBeNull();
    cache.put('a', 'x', 10);
    cache.put('a', 'y', 5);
    expect(cache.get('a')).toEqual({ value: 'y', ttlLeft: 5 });
  });

  it('forgets the oldest entry when full', () => {
    const cache = new TtlCache<number>(() => 0, 3);
    for (let i = 0; i < 4; i++) cache.put(`k${i}`, i, 60);
    expect(cache.get('k0')).toBeNull();
    expect(cache.get('k3')?.value).toBe(3);
  });
});
