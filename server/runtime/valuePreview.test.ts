// Value previews label hand-offs on the timeline: short, cheap, and never a serialisation of a whole object.
import { describe, expect, it } from 'vitest';
import { previewValue } from './valuePreview.js';

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
    expect([previewValue(42), previewValue(true), previewValue('hi'), previewValue(undefined), previewValue(null)]).toEqual(['42', 'true', '"hi"', 'nil', 'nil']);
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
