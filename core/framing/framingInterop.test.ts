// Interop: the codecs against bytes they did not write themselves, written out by hand (always run) and
// produced or read by a real Go program using encoding/binary and bufio (run when a Go toolchain is present).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelimiterDecoder, DelimiterEncoder } from './delimiterCodec.js';
import { FixedLengthDecoder } from './fixedLengthCodec.js';
import { LengthPrefixDecoder, LengthPrefixEncoder, MAX_MAX_FRAME, type LengthHeader } from './lengthPrefixCodec.js';
import { concatBytes, feed, hex, randomCuts, seededRandom, splitAt } from './decoderTestKit.js';
import { putUvarint, uvarintSize } from './uvarint.js';

const utf8 = new TextEncoder();
const bytes = (...b: number[]) => Uint8Array.from(b);

describe('hand-written frames', () => {
  it("u32be: the bytes of struct.pack('!I', 5) + b'hello', an empty frame, and a 256-byte frame", () => {
    const body256 = Uint8Array.from({ length: 256 }, (_, i) => i);
    const wire = concatBytes([bytes(0, 0, 0, 5), utf8.encode('hello'), bytes(0, 0, 0, 0), bytes(0, 0, 1, 0), body256]);
    const { frames } = feed(new LengthPrefixDecoder(), [wire]);
    expect(frames.map(hex)).toEqual([hex(utf8.encode('hello')), '', hex(body256)]);
    // And our encoder writes those very bytes.
    const encoder = new LengthPrefixEncoder();
    expect(hex(concatBytes([utf8.encode('hello'), new Uint8Array(0), body256].map((m) => encoder.encode(m))))).toBe(
      hex(wire),
    );
    expect(hex(new LengthPrefixEncoder({ maxFrame: MAX_MAX_FRAME }).headerFor(0x01020304))).toBe('01020304');
  });

  it('u16be: 0x0102 is 258', () => {
    const body = new Uint8Array(258).fill(7);
    const { frames } = feed(new LengthPrefixDecoder({ header: 'u16be' }), [concatBytes([bytes(1, 2), body])]);
    expect(frames.map((f) => f.length)).toEqual([258]);
    expect(hex(new LengthPrefixEncoder({ header: 'u16be' }).headerFor(258))).toBe('0102');
  });

  it('uvarint: the values in Go encoding/binary documentation and tests', () => {
    const known: [number, string][] = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [16384, '808001'],
      [2 ** 32 - 1, 'ffffffff0f'],
      [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
    ];
    for (const [value, expected] of known) {
      const out = new Uint8Array(10);
      const n = putUvarint(out, 0, value);
      expect(hex(out.subarray(0, n)), String(value)).toBe(expected);
      expect(uvarintSize(value)).toBe(n);
    }
    const { frames } = feed(new LengthPrefixDecoder({ header: 'uvarint' }), [
      concatBytes([bytes(0xac, 0x02), new Uint8Array(300), bytes(0x00)]),
    ]);
    expect(frames.map((f) => f.length)).toEqual([300, 0]);
  });

  it('delimiter: what nc sends, and what telnet sends (CRLF) with dropCR', () => {
    expect(
      feed(new DelimiterDecoder(), [utf8.encode('hi\nthere\n')]).frames.map((f) => new TextDecoder().decode(f)),
    ).toEqual(['hi', 'there']);
    const crlf = feed(new DelimiterDecoder({ dropCR: true }), [utf8.encode('hi\r\nthere\n\r\n')]).frames;
    expect(crlf.map((f) => new TextDecoder().decode(f))).toEqual(['hi', 'there', '']);
  });

  it('fixed: three 4-byte records written by hand, padded with NUL', () => {
    const { frames } = feed(new FixedLengthDecoder({ size: 4 }), [utf8.encode('ab\0\0cdefg\0\0\0')]);
    expect(frames.map(hex)).toEqual(['61620000', '63646566', '67000000']);
  });
});

/** The messages goInterop/main.go builds: byte j of message i is (i*31 + j*7) mod 256. */
function goMessages(header: LengthHeader): Uint8Array[] {
  const lengths = [0, 1, 5, 127, 128, 300, 65535, 70000];
  if (header === 'u16be') lengths.pop();
  return lengths.map((n, i) => Uint8Array.from({ length: n }, (_, j) => (i * 31 + j * 7) & 0xff));
}
const goLines = ['hello', '', '你好, 世界', 'a\tb c', 'last line'];

function findGo(): string | null {
  if (existsSync('/usr/bin/go')) return '/usr/bin/go';
  const which = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

const go = findGo();
// Go is part of the test machine (.ci/run installs it): without it these tests fail and say how to get it.
describe('frames from and to a real Go program', () => {
  let dir = '';
  let binary = '';

  beforeAll(() => {
    if (!go)
      throw new Error('the Go interop tests need a Go toolchain: apt-get install golang-go (.ci/run installs it)');
    dir = mkdtempSync(join(tmpdir(), 'gonet-framing-'));
    binary = join(dir, 'goInterop');
    const source = fileURLToPath(new URL('./goInterop/main.go', import.meta.url));
    const env = {
      ...process.env,
      GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'gonet-lab-gocache'),
      GO111MODULE: 'off',
    };
    execFileSync(go!, ['build', '-o', binary, source], { env, stdio: 'pipe', timeout: 120_000 });
  }, 130_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const runGo = (args: string[], input?: Uint8Array): Buffer =>
    execFileSync(binary, args, { input, maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });

  for (const header of ['u32be', 'u16be', 'uvarint'] as const) {
    it(`${header}: decodes what Go wrote, under random splits, and writes the same bytes`, () => {
      const wire = new Uint8Array(runGo(['encode', header]));
      const expected = goMessages(header).map(hex);
      for (let seed = 1; seed <= 25; seed++) {
        const cuts = randomCuts(seededRandom(seed), wire.length, seed);
        expect(feed(new LengthPrefixDecoder({ header }), splitAt(wire, cuts)).frames.map(hex)).toEqual(expected);
      }
      const encoder = new LengthPrefixEncoder({ header });
      expect(hex(concatBytes(goMessages(header).map((m) => encoder.encode(m))))).toBe(hex(wire));
    });

    it(`${header}: Go decodes what the lab wrote`, () => {
      const encoder = new LengthPrefixEncoder({ header });
      const wire = concatBytes(goMessages(header).map((m) => encoder.encode(m)));
      const lines = runGo(['decode', header], wire).toString('utf8').split('\n').slice(0, -1);
      expect(lines).toEqual(goMessages(header).map(hex));
    });
  }

  it('lines: the lab reads what Go wrote with "\\n", and bufio.Scanner reads what the lab wrote', () => {
    const fromGo = new Uint8Array(runGo(['encode', 'lines']));
    expect(feed(new DelimiterDecoder(), [fromGo]).frames.map((f) => new TextDecoder().decode(f))).toEqual(goLines);
    const encoder = new DelimiterEncoder();
    const wire = concatBytes(goLines.map((l) => encoder.encode(utf8.encode(l))));
    expect(runGo(['decode', 'lines'], wire).toString('utf8').split('\n').slice(0, -1)).toEqual(
      goLines.map((l) => hex(utf8.encode(l))),
    );
  });
});

const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' }).status === 0;
describe('frames from Python struct.pack', () => {
  it("decodes struct.pack('!I', n) + payload and struct.pack('!H', n) + payload", () => {
    if (!python) throw new Error('this interop test needs python3: apt-get install python3 (.ci/run installs it)');
    const script =
      'import struct,sys\n' +
      "out=b''.join(struct.pack('!I',len(m))+m for m in [b'hello', b'', bytes(range(256))*3])\n" +
      "out+=b''.join(struct.pack('!H',len(m))+m for m in [b'x', bytes(300)])\n" +
      'sys.stdout.buffer.write(out)';
    const wire = new Uint8Array(execFileSync('python3', ['-c', script]));
    const decoder = new LengthPrefixDecoder();
    const sizes: number[] = [];
    // The first three frames are u32be; the rest u16be, so decode the two parts with their own decoders.
    const u32Part = 4 + 5 + 4 + 4 + 768;
    decoder.push(wire.subarray(0, u32Part), (f) => sizes.push(f.length));
    decoder.end();
    const u16 = new LengthPrefixDecoder({ header: 'u16be' });
    u16.push(wire.subarray(u32Part), (f) => sizes.push(f.length));
    u16.end();
    expect(sizes).toEqual([5, 0, 768, 1, 300]);
  });
});
