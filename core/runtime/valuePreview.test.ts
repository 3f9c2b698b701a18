// Value previews label hand-offs on the timeline: short, cheap, and never a serialisation of a whole object.
import { describe, expect, it } from 'vitest';
import { chanValueText } from '../protocol/events/goroutine.js';
import { eventValue, previewValue } from './valuePreview.js';

class Conn {
  readonly self = this;
  constructor(readonly id: string) {}
}
class Job {
  constructor(readonly n: number) {}
  toString(): string {
    return `job ${this.n}`;
  }
}

describe('previewValue', () => {
  it('renders scalars as Go would print them, strings quoted', () => {
    expect([
      previewValue(42),
      previewValue(true),
      previewValue('hi'),
      previewValue(undefined),
      previewValue(null),
    ]).toEqual(['42', 'true', '"hi"', 'nil', 'nil']);
  });

  it('clips long strings and composites', () => {
    expect(previewValue('x'.repeat(100)).length).toBeLessThanOrEqual(42);
    expect(previewValue(Array.from({ length: 100 }, (_, i) => i))).toBe('[0 1 2 3 4 5 6 7 …]');
    expect(previewValue({ a: 1, b: 'two', c: { deep: true } })).toBe('{a:1 b:"two" c:…}');
  });

  it('names class instances instead of serialising them (even circular ones), or uses their own string form', () => {
    expect(previewValue(new Conn('c1'))).toBe('&Conn{…}');
    expect(previewValue(new Job(7))).toBe('job 7');
    expect(previewValue(new Uint8Array(5))).toBe('[]byte(len 5)');
    expect(previewValue(new Error('boom'))).toBe('error(boom)');
  });
});

describe('eventValue', () => {
  it('keeps finite numbers and booleans as themselves, previews everything else, and labels them as previewValue does', () => {
    const values: unknown[] = [42, -0.5, true, false, 'hi', undefined, null, NaN, Infinity, 10n, [1, 2], new Job(3)];
    const carried = values.map(eventValue);
    expect(carried).toEqual([42, -0.5, true, false, '"hi"', 'nil', 'nil', 'NaN', 'Infinity', '10', '[1 2]', 'job 3']);
    // What a view draws is the same text either way, and every carried value survives JSON (NaN would not).
    expect(carried.map(chanValueText)).toEqual(values.map(previewValue));
    expect(JSON.parse(JSON.stringify(carried))).toEqual(carried);
  });
});
