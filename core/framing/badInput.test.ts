// Bad input: each codec's error codes, raised at the right moment, with the frames before the bad one delivered.
import { describe, expect, it } from 'vitest';
import { DelimiterDecoder, DelimiterEncoder } from './delimiterCodec.js';
import { FixedLengthDecoder, FixedLengthEncoder } from './fixedLengthCodec.js';
import type { FrameDecoder } from './frameCodec.js';
import { FramingError, type FramingErrorCode } from './framingError.js';
import { DEFAULT_MAX_FRAME, LengthPrefixDecoder, LengthPrefixEncoder } from './lengthPrefixCodec.js';
import { ERROR_MESSAGES } from '../protocol/errors.js';

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Pushes the chunks and returns the frames seen and the FramingError raised (by push or end). */
function run(decoder: FrameDecoder, chunks: Uint8Array[]): { frames: string[]; error: FramingError } {
  const frames: string[] = [];
  try {
    for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(text(f)));
    decoder.end();
  } catch (e) {
    if (e instanceof FramingError) return { frames, error: e };
    throw e;
  }
  throw new Error(`no FramingError; frames: ${JSON.stringify(frames)}`);
}

function expectCode(error: FramingError, code: FramingErrorCode): void {
  expect(error.code).toBe(code);
}

describe('error codes', () => {
  it('each framing code has an English and a Chinese message', () => {
    for (const code of [
      'E_FRAME_TOO_LARGE',
      'E_TRUNCATED_FRAME',
      'E_LINE_TOO_LONG',
      'E_BAD_VARINT',
      'E_BAD_ESCAPE',
      'E_DELIMITER_IN_MESSAGE',
    ] as const) {
      expect(ERROR_MESSAGES[code].en.length).toBeGreaterThan(10);
      expect(ERROR_MESSAGES[code].zh).toMatch(/[\u4e00-\u9fff]/);
    }
    const wire = new FramingError('E_BAD_VARINT', 'detail').toWire();
    expect(wire).toEqual({ code: 'E_BAD_VARINT', message: ERROR_MESSAGES.E_BAD_VARINT, detail: 'detail' });
  });
});

describe('length prefix', () => {
  it('rejects a length above maxFrame from the header alone, after delivering the good frames before it', () => {
    const good = Uint8Array.of(0, 0, 0, 2, 0x6f, 0x6b);
    const huge = Uint8Array.of(0xff, 0xff, 0xff, 0xf0);
    const decoder = new LengthPrefixDecoder();
    const { frames, error } = run(decoder, [Uint8Array.of(...good, ...huge)]);
    expect(frames).toEqual(['ok']);
    expectCode(error, 'E_FRAME_TOO_LARGE');
    expect(error.streamOffset).toBe(6);
    expect(error.message).toContain(String(0xfffffff0));
    expect(decoder.state()).toMatchObject({ phase: 'failed', errorCode: 'E_FRAME_TOO_LARGE', bufferedBytes: 0 });
    // The stream cannot be resynchronised: later pushes raise the same error.
    expect(() => decoder.push(good, () => {})).toThrow(error);
    expect(() => decoder.end()).not.toThrow();
  });

  it('accepts exactly maxFrame and refuses maxFrame + 1, whatever the split', () => {
    for (const header of ['u32be', 'u16be', 'uvarint'] as const) {
      const encoder = new LengthPrefixEncoder({ header, maxFrame: 300 });
      const fits = encoder.encode(new Uint8Array(300));
      expect(
        run(new LengthPrefixDecoder({ header, maxFrame: 299 }), [fits.subarray(0, 1), fits.subarray(1)]).error.code,
      ).toBe('E_FRAME_TOO_LARGE');
      const frames: number[] = [];
      const decoder = new LengthPrefixDecoder({ header, maxFrame: 300 });
      decoder.push(fits, (f) => frames.push(f.length));
      decoder.end();
      expect(frames).toEqual([300]);
    }
  });

  it('allocates nothing for a refused frame (1 MiB + 1 announced)', () => {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, DEFAULT_MAX_FRAME + 1);
    const before = process.memoryUsage().arrayBuffers;
    const decoders = Array.from({ length: 64 }, () => new LengthPrefixDecoder());
    for (const decoder of decoders) {
      expect(() => decoder.push(header, () => {})).toThrow(FramingError);
    }
    // 64 decoders that allocated their frame would hold 64 MiB.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(DEFAULT_MAX_FRAME);
    expect(decoders.every((d) => d.state().bufferedBytes === 0)).toBe(true);
  });

  it('refuses a growing uvarint as soon as it passes maxFrame, before it ends', () => {
    const decoder = new LengthPrefixDecoder({ header: 'uvarint', maxFrame: 100 });
    expect(() => decoder.push(Uint8Array.of(0xff), () => {})).toThrow(
      expect.objectContaining({ code: 'E_FRAME_TOO_LARGE' }),
    );
  });

  it('rejects a uvarint longer than 10 bytes or overflowing 64 bits (as Go binary.Uvarint does)', () => {
    const big = { header: 'uvarint' as const, maxFrame: 1 };
    // Overlong zeros: value stays 0, so only the length rule can catch it.
    const eleven = Uint8Array.of(...new Array(10).fill(0x80), 0x00);
    expectCode(run(new LengthPrefixDecoder(big), [eleven]).error, 'E_BAD_VARINT');
    const tenthTooBig = Uint8Array.of(...new Array(9).fill(0x80), 0x02);
    expectCode(run(new LengthPrefixDecoder(big), [tenthTooBig]).error, 'E_BAD_VARINT');
    // A non-minimal but valid encoding of 1 is accepted, as Go accepts it.
    const frames: number[] = [];
    const d = new LengthPrefixDecoder({ header: 'uvarint' });
    d.push(Uint8Array.of(0x81, 0x80, 0x00, 0x41), (f) => frames.push(f[0]));
    d.end();
    expect(frames).toEqual([0x41]);
  });

  it('reports a frame cut off inside its header or its body', () => {
    const body = run(new LengthPrefixDecoder(), [Uint8Array.of(0, 0, 0, 1, 0x61, 0, 0, 0, 9, 1, 2)]);
    expect(body.frames).toEqual(['a']);
    expectCode(body.error, 'E_TRUNCATED_FRAME');
    expect(body.error.streamOffset).toBe(5);
    expect(body.error.message).toContain('2 of 9');
    expectCode(run(new LengthPrefixDecoder(), [Uint8Array.of(0, 0)]).error, 'E_TRUNCATED_FRAME');
    expectCode(run(new LengthPrefixDecoder({ header: 'uvarint' }), [Uint8Array.of(0x80)]).error, 'E_TRUNCATED_FRAME');
  });

  it('the encoder refuses a message above maxFrame, and u16be caps maxFrame at 65535', () => {
    expect(() => new LengthPrefixEncoder({ maxFrame: 3 }).encode(new Uint8Array(4))).toThrow(
      expect.objectContaining({ code: 'E_FRAME_TOO_LARGE' }),
    );
    const u16 = new LengthPrefixEncoder({ header: 'u16be', maxFrame: 1 << 20 });
    expect(u16.maxFrame).toBe(65535);
    expect(() => u16.encode(new Uint8Array(65536))).toThrow(FramingError);
  });

  it('refuses nonsense options', () => {
    expect(() => new LengthPrefixDecoder({ maxFrame: -1 })).toThrow(RangeError);
    expect(() => new LengthPrefixDecoder({ maxFrame: 1.5 })).toThrow(RangeError);
  });
});

describe('fixed length', () => {
  it('reports a record cut off at EOF, after the whole ones', () => {
    const { frames, error } = run(new FixedLengthDecoder({ size: 3 }), [
      utf8.encode('abcde'),
      utf8.encode('f'),
      utf8.encode('g'),
    ]);
    expect(frames).toEqual(['abc', 'def']);
    expectCode(error, 'E_TRUNCATED_FRAME');
    expect(error.streamOffset).toBe(6);
  });

  it('the encoder refuses a message longer than a record', () => {
    expect(() => new FixedLengthEncoder({ size: 4 }).encode(utf8.encode('hello'))).toThrow(
      expect.objectContaining({ code: 'E_FRAME_TOO_LARGE' }),
    );
    expect(() => new FixedLengthDecoder({ size: 0 })).toThrow(RangeError);
  });
});

describe('delimiter', () => {
  it('accepts a line of exactly maxLine and refuses maxLine + 1, in one chunk or many', () => {
    const ok = run(new DelimiterDecoder({ maxLine: 4 }), [utf8.encode('abcd\nabcde\n')]);
    expect(ok.frames).toEqual(['abcd']);
    expectCode(ok.error, 'E_LINE_TOO_LONG');
    expect(ok.error.streamOffset).toBe(5);
    const split = run(new DelimiterDecoder({ maxLine: 4 }), [
      utf8.encode('ab'),
      utf8.encode('cd\nab'),
      utf8.encode('cde\n'),
    ]);
    expect(split.frames).toEqual(['abcd']);
    expectCode(split.error, 'E_LINE_TOO_LONG');
  });

  it('refuses an endless line as soon as it passes maxLine, holding no more than maxLine bytes', () => {
    const decoder = new DelimiterDecoder({ maxLine: 1000 });
    let thrown: unknown = null;
    let pushes = 0;
    try {
      for (; pushes < 100; pushes++) {
        decoder.push(new Uint8Array(100).fill(0x61), () => {});
        expect(decoder.state().bufferedBytes).toBeLessThanOrEqual(1000);
      }
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FramingError);
    expect((thrown as FramingError).code).toBe('E_LINE_TOO_LONG');
    expect(pushes).toBe(10); // the 11th push takes it to 1100 bytes
  });

  it('a multi-byte delimiter may hold its first bytes without counting them against maxLine', () => {
    const frames: string[] = [];
    const decoder = new DelimiterDecoder({ delimiter: utf8.encode('\r\n'), maxLine: 3 });
    decoder.push(utf8.encode('abc\r'), (f) => frames.push(text(f)));
    decoder.push(utf8.encode('\n'), (f) => frames.push(text(f)));
    decoder.end();
    expect(frames).toEqual(['abc']);
  });

  it('reports an unterminated last line at EOF', () => {
    const { frames, error } = run(new DelimiterDecoder(), [utf8.encode('one\ntw'), utf8.encode('o')]);
    expect(frames).toEqual(['one']);
    expectCode(error, 'E_TRUNCATED_FRAME');
    expect(error.streamOffset).toBe(4);
  });

  it('rejects bad escapes: an unknown code or an escape byte at the end of a line', () => {
    expectCode(run(new DelimiterDecoder({ escape: true }), [utf8.encode('ok\\x\n')]).error, 'E_BAD_ESCAPE');
    const dangling = run(new DelimiterDecoder({ escape: true }), [utf8.encode('fine\nbad\\\n')]);
    expect(dangling.frames).toEqual(['fine']);
    expectCode(dangling.error, 'E_BAD_ESCAPE');
  });

  it('without escaping, the encoder refuses a message containing the delimiter; with it, counts the extra bytes', () => {
    expect(() => new DelimiterEncoder().encode(utf8.encode('a\nb'))).toThrow(
      expect.objectContaining({ code: 'E_DELIMITER_IN_MESSAGE' }),
    );
    expect(() => new DelimiterEncoder({ maxLine: 2 }).encode(utf8.encode('abc'))).toThrow(
      expect.objectContaining({ code: 'E_LINE_TOO_LONG' }),
    );
    const escaping = new DelimiterEncoder({ escape: true });
    expect(text(escaping.encode(utf8.encode('a\nb\\')))).toBe('a\\nb\\\\\n');
    expect(escaping.escapeBytes).toBe(2);
    expect(escaping.stats()).toEqual({ framesOut: 1, payloadBytes: 4, wireBytes: 7 });
  });

  it('refuses escaping with a multi-byte delimiter or clashing bytes', () => {
    expect(() => new DelimiterDecoder({ delimiter: utf8.encode('\r\n'), escape: true })).toThrow(RangeError);
    expect(() => new DelimiterDecoder({ escape: { escapeByte: 0x0a } })).toThrow(RangeError);
  });
});
