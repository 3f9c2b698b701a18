// Random bytes into every decoder: nothing but FramingErrors may come out, and held memory stays bounded.
import { describe, expect, it } from 'vitest';
import { FramingError } from './framingError.js';
import { createDecoder, describeFraming, type FramingConfig } from './framingConfig.js';
import { randomBytes, randomCuts, randomInt, seededRandom, splitAt } from './decoderTestKit.js';

const configs: { config: FramingConfig; bound: number }[] = [
  { config: { mode: 'length-prefix', maxFrame: 4096 }, bound: 4096 },
  { config: { mode: 'length-prefix', header: 'u16be', maxFrame: 2048 }, bound: 2048 },
  { config: { mode: 'length-prefix', header: 'uvarint', maxFrame: 2048 }, bound: 2048 },
  { config: { mode: 'fixed', size: 13 }, bound: 13 },
  { config: { mode: 'delimiter', maxLine: 512 }, bound: 512 },
  { config: { mode: 'delimiter', delimiter: '\r\n', maxLine: 512, dropCR: true }, bound: 513 },
  { config: { mode: 'delimiter', maxLine: 512, escape: true }, bound: 512 },
];

describe.each(configs)('fuzzing', ({ config, bound }) => {
  it(`${describeFraming(config)}: 1500 random streams`, () => {
    const outcomes = new Map<string, number>();
    for (let seed = 1; seed <= 1500; seed++) {
      const random = seededRandom(seed * 7919);
      // Mostly small streams, some long ones; a biased byte alphabet makes delimiters and escapes common.
      const length = randomInt(random, seed % 10 === 0 ? 20000 : 600);
      const bytes = randomBytes(random, length);
      if (seed % 2 === 0)
        for (let i = 0; i < length; i++) bytes[i] = [0x00, 0x0a, 0x0d, 0x5c, 0x6e, 0x01, 0x80][bytes[i] % 7];
      const decoder = createDecoder(config);
      let outcome = 'ok';
      let frameBytes = 0;
      try {
        for (const chunk of splitAt(bytes, randomCuts(random, length, randomInt(random, 30)))) {
          decoder.push(chunk, (frame) => {
            frameBytes += frame.length;
          });
          expect(decoder.state().bufferedBytes).toBeLessThanOrEqual(bound);
        }
        decoder.end();
      } catch (e) {
        if (!(e instanceof FramingError)) throw e;
        outcome = e.code;
        expect(e.streamOffset).toBeGreaterThanOrEqual(0);
        expect(e.streamOffset).toBeLessThanOrEqual(length);
        expect(decoder.state().phase).toBe('failed');
      }
      // Frames never hold more bytes than came in.
      expect(frameBytes).toBeLessThanOrEqual(length);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The fuzzer really reaches the error paths (and, for most modes, some clean streams).
    expect([...outcomes.keys()].filter((k) => k !== 'ok').length).toBeGreaterThan(0);
  });
});
