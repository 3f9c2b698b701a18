// checkGoExercise's edges (a lesson with no Go exercise, a program that does not compile, one that crashes, the
// report's shape) and the pure parts of the exercise checks: the answer parser and the seeded random split.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabError } from '../../core/protocol/errors.js';
import { SeededRandom } from '../../core/runtime/seededRandom.js';
import { checkGoExercise } from './goExerciseCheck.js';
import { GoRunner } from './goRunner.js';
import { parseAnswer, randomSplit } from './exercises/lengthPrefixChecks.js';
import { formatReport } from '../cli/goCheckHeadless.js';

const runsDir = mkdtempSync(join(tmpdir(), 'goexcheck-test-'));
const runner = new GoRunner({ runsDir });
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

describe('checkGoExercise', () => {
  it('refuses a lesson that has no Go exercise, with a code', async () => {
    const err = await checkGoExercise('01-echo-server', 'package main', { runner }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('E_GO_NOT_AN_EXERCISE');
  });

  it('reports a program that does not compile, with its errors, and runs no check', async () => {
    const report = await checkGoExercise('12-bounded-dialer', 'package main\n\nfunc main() { undefinedThing() }\n', {
      runner,
      seed: 7,
    });
    expect(report).toMatchObject({ lesson: '12-bounded-dialer', seed: 7, status: 'compile-error', checks: [] });
    expect(report.error?.code).toBe('E_GO_COMPILE');
    expect(report.error?.detail).toMatch(/main\.go:3:\d+: undefined: undefinedThing/);
    expect(formatReport(report).join('\n')).toMatch(/E_GO_COMPILE/);
    expect(readdirSync(runsDir)).toEqual([]);
  }, 60_000);

  it('fails every check of a server that exits at once, saying how it ended', async () => {
    const report = await checkGoExercise(
      '11-length-prefix-decoder',
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println("bye")\n\tos.Exit(3)\n}\n',
      { runner },
    );
    expect(report.status).toBe('checked');
    expect(report.checks.length).toBeGreaterThan(3);
    for (const c of report.checks) {
      expect(c.pass).toBe(false);
      expect(c.message?.en).toMatch(/never listened.*exited with status 3.*bye/);
      expect(c.message?.zh).toMatch(/状态码 3/);
    }
    expect(runner.active()).toBe(0);
    expect(readdirSync(runsDir)).toEqual([]);
  }, 60_000);
});

describe("exercise 11's answer parser", () => {
  it('reads frames (the empty one too), the ending line and anything else', () => {
    const a = parseAnswer('frame 2 6869\nframe 0 \nnoise\nframe 3 ff\nend\nframe 1 61');
    expect(a.frames.map((f) => [...f])).toEqual([[0x68, 0x69], []]);
    // "frame 3 ff" claims 3 bytes and carries 1: not a frame; the unfinished last line is not read.
    expect(a.other).toEqual(['noise', 'frame 3 ff']);
    expect(a.ending).toBe('end');
    expect(parseAnswer('error frame of 2147483647 bytes exceeds the maximum of 65536\n').ending).toMatch(/^error/);
  });
});

describe("exercise 11's random split", () => {
  it('cuts at distinct sorted offsets, the parts join to the whole, and a seed replays it', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    const a = randomSplit(bytes, 12, new SeededRandom(42));
    expect(a.cuts.length).toBe(12);
    expect(new Set(a.cuts).size).toBe(12);
    expect([...a.cuts].sort((x, y) => x - y)).toEqual(a.cuts);
    expect(a.cuts.every((c) => c > 0 && c < bytes.length)).toBe(true);
    expect(Buffer.concat(a.parts)).toEqual(Buffer.from(bytes));
    expect(randomSplit(bytes, 12, new SeededRandom(42)).cuts).toEqual(a.cuts);
    expect(randomSplit(bytes, 12, new SeededRandom(43)).cuts).not.toEqual(a.cuts);
    // Fewer bytes than cuts asked for: every inner offset, once.
    expect(randomSplit(bytes.subarray(0, 4), 12, new SeededRandom(1)).cuts).toEqual([1, 2, 3]);
  });
});
