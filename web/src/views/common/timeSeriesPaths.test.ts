import { describe, expect, it } from 'vitest';
import { linePath, niceMax, stepPath } from './timeSeriesPaths';

const box = { x: 10, y: 0, width: 100, height: 50 };

describe('time-series paths', () => {
  it('rounds an axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.5, 1, 3, 17, 200, 201, 4999].map(niceMax)).toEqual([1, 1, 1, 5, 20, 200, 500, 5000]);
  });

  it('maps time across and value up, clamped to the box', () => {
    expect(
      linePath(
        [
          [0, 0],
          [5, 25],
          [10, 100],
        ],
        box,
        0,
        10,
        50,
      ),
    ).toBe('M10.0 50.0L60.0 25.0L110.0 0.0');
  });

  it('breaks the line at a missing value and skips points before t0', () => {
    expect(
      linePath(
        [
          [-1, 5],
          [0, 10],
          [5, null],
          [10, 10],
        ],
        box,
        0,
        10,
        10,
      ),
    ).toBe('M10.0 0.0M110.0 0.0');
  });

  it('draws steps for values that hold until the next point', () => {
    expect(
      stepPath(
        [
          [0, 10],
          [5, 20],
        ],
        box,
        0,
        10,
        20,
      ),
    ).toBe('M10.0 25.0L60.0 25.0L60.0 0.0');
  });
});
