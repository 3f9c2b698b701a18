// Every decoder, fed every two-way split and many random many-way splits of multi-frame inputs, must give back
// exactly what the encoder framed, and never hold more than one frame's worth of bytes.
import { describe, expect, it } from 'vitest';
import { stripPadding } from './fixedLengthCodec.js';
import { createDecoder, createEncoder, describeFraming, type FramingConfig } from './framingConfig.js';
import { concatBytes, feed, hex, randomBytes, randomCuts, randomInt, seededRandom, splitAt } from './decoderTestKit.js';

interface SplitCase {
  config: FramingConfig;
  /** Messages to frame, made from a seeded random source. */
  messages: (random: () => number) => Uint8Array[];
  /** What the decoder should hand out for a message (fixed length gives the padded record). */
  expected: (message: Uint8Array) => Uint8Array;
  /** The most bytes the decoder may hold between pushes. */
  bufferBound: number;
}

const utf8 = new TextEncoder();
const same = (m: Uint8Array) => m;

/** Messages of assorted lengths (0 included), optionally avoiding some bytes. */
function assorted(random: () => number, lengths: number[], avoid: number[] = []): Uint8Array[] {
  return lengths.map((length) => {
    const m = randomBytes(random, length);
    for (let i = 0; i < m.length; i++) while (avoid.includes(m[i])) m[i] = randomInt(random, 256);
    return m;
  });
}

const cases: SplitCase[] = [
  {
    config: { mode: 'length-prefix' },
    messages: (r) => assorted(r, [5, 0, 1, 17, 3, 0, 40, 2]),
    expected: same,
    bufferBound: 40,
  },
  {
    config: { mode: 'length-prefix', header: 'u16be' },
    messages: (r) => assorted(r, [0, 9, 1, 33, 4, 260]),
    expected: same,
    bufferBound: 260,
  },
  {
    // 128 and 300 need two-byte varints, so headers themselves get split.
    config: { mode: 'length-prefix', header: 'uvarint' },
    messages: (r) => assorted(r, [3, 0, 128, 1, 300, 7]),
    expected: same,
    bufferBound: 300,
  },
  {
    config: { mode: 'fixed', size: 8 },
    messages: (r) => assorted(r, [8, 3, 0, 8, 1, 5, 8, 7]),
    expected: (m) => {
      const record = new Uint8Array(8);
      record.set(m);
      return record;
    },
    bufferBound: 7,
  },
  {
    config: { mode: 'fixed', size: 5, padByte: 0x20 },
    messages: () => ['hi', 'hello', '', 'abc'].map((s) => utf8.encode(s)),
    expected: (m) => {
      const record = new Uint8Array(5).fill(0x20);
      record.set(m);
      return record;
    },
    bufferBound: 4,
  },
  {
    config: { mode: 'delimiter' },
    messages: (r) => assorted(r, [4, 0, 12, 1, 30, 0, 3], [0x0a]),
    expected: same,
    bufferBound: 64 * 1024,
  },
  {
    // A two-byte delimiter whose halves also occur alone inside messages.
    config: { mode: 'delimiter', delimiter: '\r\n', maxLine: 64 },
    messages: () =>
      ['GET /', 'a\rb', '', 'x\ny\r', '\n', 'end']
        .map((s) => utf8.encode(s))
        .filter((m) => !m.length || m[m.length - 1] !== 0x0d),
    expected: same,
    bufferBound: 64 + 1,
  },
  {
    config: { mode: 'delimiter', delimiter: 'ab' },
    messages: () => ['xa', 'b', 'aaa', '', 'bbb', 'a'].map((s) => utf8.encode(s)),
    expected: same,
    bufferBound: 64 * 1024 + 1,
  },
  {
    // Escaping on: messages full of delimiters and escape bytes survive.
    config: { mode: 'delimiter', escape: true, maxLine: 80 },
    messages: (r) => [...assorted(r, [6, 0, 20]), utf8.encode('a\nb\\n\\\n'), Uint8Array.of(0x5c), Uint8Array.of(0x0a)],
    expected: same,
    bufferBound: 80,
  },
  {
    config: { mode: 'delimiter', dropCR: true },
    messages: () => ['one', '', 'two words', 'three'].map((s) => utf8.encode(s)),
    expected: same,
    bufferBound: 64 * 1024,
  },
];

/** The encoder's frames for the case's messages; dropCR cases send CRLF as a telnet client would. */
function framesFor(c: SplitCase, messages: Uint8Array[]): Uint8Array[] {
  const encoder = createEncoder(c.config);
  const framed = messages.map((m) => encoder.encode(m));
  if (c.config.mode === 'delimiter' && c.config.dropCR) {
    return framed.map((f) => concatBytes([f.subarray(0, f.length - 1), Uint8Array.of(0x0d, 0x0a)]));
  }
  return framed;
}

const wireFor = (c: SplitCase, messages: Uint8Array[]) => concatBytes(framesFor(c, messages));

/** Where each frame ends on the wire: the running total of the encoded frames' lengths. */
function wireEndsFor(c: SplitCase, messages: Uint8Array[]): number[] {
  let end = 0;
  return framesFor(c, messages).map((f) => (end += f.length));
}

function expectFrames(actual: Uint8Array[], expected: Uint8Array[], why: string): void {
  expect(actual.map(hex), why).toEqual(expected.map(hex));
}

describe.each(cases)('$config.mode decoder', (c) => {
  const label = describeFraming(c.config);
  const messages = c.messages(seededRandom(7));
  const wire = wireFor(c, messages);
  const expected = messages.map(c.expected);
  const expectedEnds = wireEndsFor(c, messages);

  it(`${label}: decodes the whole input in one chunk, zero-copy where it can`, () => {
    const decoder = createDecoder(c.config);
    const views: Uint8Array[] = [];
    decoder.push(wire, (frame) => views.push(frame));
    decoder.end();
    expectFrames(views, expected, 'one chunk');
    const state = decoder.state();
    expect(state.framesOut).toBe(messages.length);
    expect(state.bytesIn).toBe(wire.length);
    expect(state.phase).toBe('ended');
    // Frames that needed no unescaping are views of the input itself.
    for (let i = 0; i < views.length; i++) {
      const unescaped =
        c.config.mode === 'delimiter' && c.config.escape && wire.length && views[i].buffer !== wire.buffer;
      if (!unescaped) expect(views[i].buffer).toBe(wire.buffer);
    }
    expect(state.zeroCopyFrames).toBe(views.filter((v) => v.buffer === wire.buffer).length);
  });

  it(`${label}: every two-way split of ${wire.length} bytes`, () => {
    for (let cut = 0; cut <= wire.length; cut++) {
      const result = feed(createDecoder(c.config), splitAt(wire, [cut]));
      expectFrames(result.frames, expected, `cut at ${cut}`);
      expect(result.wireEnds, `cut at ${cut}`).toEqual(expectedEnds);
      expect(result.maxBuffered).toBeLessThanOrEqual(c.bufferBound);
    }
  });

  it(`${label}: one byte at a time`, () => {
    const cuts = Array.from({ length: wire.length }, (_, i) => i);
    expectFrames(feed(createDecoder(c.config), splitAt(wire, cuts)).frames, expected, 'byte by byte');
  });

  it(`${label}: 400 random many-way splits (empty chunks included)`, () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(seed);
      const cuts = randomCuts(random, wire.length, 1 + randomInt(random, 12));
      const result = feed(createDecoder(c.config), splitAt(wire, cuts));
      expectFrames(result.frames, expected, `seed ${seed}, cuts ${cuts.join(',')}`);
      expect(result.wireEnds, `seed ${seed}`).toEqual(expectedEnds);
      expect(result.maxBuffered).toBeLessThanOrEqual(c.bufferBound);
    }
  });

  it(`${label}: random messages round-trip under random splits`, () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const random = seededRandom(seed);
      const ms = c.messages(random);
      const bytes = wireFor(c, ms);
      const cuts = randomCuts(random, bytes.length, randomInt(random, 20));
      expectFrames(feed(createDecoder(c.config), splitAt(bytes, cuts)).frames, ms.map(c.expected), `seed ${seed}`);
    }
  });
});

describe('fixed-length padding', () => {
  it('strips trailing pad bytes, and that loses a message that ends with the pad byte', () => {
    const encoder = createEncoder({ mode: 'fixed', size: 6, padByte: 0x20 });
    const record = encoder.encode(utf8.encode('ab '));
    expect(Array.from(record)).toEqual([0x61, 0x62, 0x20, 0x20, 0x20, 0x20]);
    expect(new TextDecoder().decode(stripPadding(record, 0x20))).toBe('ab');
  });
});
