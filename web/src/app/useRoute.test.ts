// Reading the lesson and its step from the address, and old addresses of renamed lessons.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './useRoute';

describe('parseRoute', () => {
  it('reads the lesson and the step, counted from 1', () => {
    expect(parseRoute('#/06-channels')).toEqual({ slug: '06-channels', step: null });
    expect(parseRoute('#/06-channels/3')).toEqual({ slug: '06-channels', step: 3 });
    expect(parseRoute('#/06-channels/0')).toEqual({ slug: '06-channels', step: null });
    expect(parseRoute('#/nope')).toBeNull();
    expect(parseRoute('')).toBeNull();
  });

  it('takes an old link to a renamed lesson to its new name, step kept', () => {
    expect(parseRoute('#/12-worker-pool')).toEqual({ slug: '12-bounded-dialer', step: null });
    expect(parseRoute('#/12-worker-pool/2')).toEqual({ slug: '12-bounded-dialer', step: 2 });
    expect(parseRoute('#/09-worker-pool')).toEqual({ slug: '09-worker-pool', step: null });
  });

  it('writes what it reads', () => {
    expect(routeHash('06-channels', 3)).toBe('#/06-channels/3');
    expect(routeHash('06-channels')).toBe('#/06-channels');
    expect(parseRoute(routeHash('07-select', 5))).toEqual({ slug: '07-select', step: 5 });
  });
});
