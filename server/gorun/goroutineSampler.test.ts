// The sample stream decoder, fed every split of a two-record stream; and bad streams.
import { describe, expect, it } from 'vitest';
import { GoroutineSampleDecoder } from './goroutineSampler.js';

const record = (nanos: string, text: string) => `gonetlab-sample ${nanos} ${Buffer.byteLength(text)}\n${text}`;

describe('GoroutineSampleDecoder', () => {
  const stream = Buffer.from(
    record('1765000000123456789', 'goroutine 1 [running]:\nmain.main()\n') +
      record('1765000000200000000', 'goroutine 1 [sleep]:\n…\n'),
  );

  it('yields the same records for every split of the stream into two chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new GoroutineSampleDecoder();
      const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(got.map((s) => s.text)).toEqual(['goroutine 1 [running]:\nmain.main()\n', 'goroutine 1 [sleep]:\n…\n']);
      expect(got[0]!.at).toBeCloseTo(1765000000123.4568, 3);
    }
  });

  it('yields records byte by byte', () => {
    const d = new GoroutineSampleDecoder();
    let n = 0;
    for (const b of stream) n += d.push(Buffer.from([b])).length;
    expect(n).toBe(2);
  });

  it("rejects a stream that is not the sampler's", () => {
    expect(() => new GoroutineSampleDecoder().push(Buffer.from('hello\n'))).toThrow(/bad record header/);
    expect(() => new GoroutineSampleDecoder().push(Buffer.alloc(100, 0x41))).toThrow(/no record header/);
    expect(() => new GoroutineSampleDecoder().push(Buffer.from('gonetlab-sample 1 999999999\n'))).toThrow(/too large/);
  });
});
