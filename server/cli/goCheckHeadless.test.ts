// `npm run lab -- go check`: a file outside a Go exercise is refused with its code and text; a report prints as
// one JSON line or as PASS/FAIL lines with the seed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GoExerciseReport } from '../../core/protocol/goExercise.js';
import { GoRunner } from '../gorun/goRunner.js';
import { formatReport, runGoCheckHeadless } from './goCheckHeadless.js';

const dir = mkdtempSync(join(tmpdir(), 'gocheck-cli-'));
const runsDir = join(dir, 'runs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lessonFile(lesson: string, text: string): string {
  mkdirSync(join(dir, lesson), { recursive: true });
  const file = join(dir, lesson, 'start.go');
  writeFileSync(file, text);
  return file;
}

describe('go check, headless', () => {
  it('refuses a file that is not a Go exercise, saying what to do', async () => {
    const file = lessonFile('01-echo-server', 'package main\n\nfunc main() {}\n');
    await expect(runGoCheckHeadless({ file, format: 'text', seed: null, write: () => {} })).rejects.toThrow(
      /^E_GO_NOT_AN_EXERCISE: .*lessons 11, 12 and 13.*\(01-echo-server\)$/,
    );
  });

  it('prints the report as one JSON line', async () => {
    const file = lessonFile('13-heartbeat-client', 'package main\n\nfunc main() { nope() }\n');
    const lines: string[] = [];
    const report = await runGoCheckHeadless({
      file,
      format: 'json',
      seed: 9,
      write: (l) => lines.push(l),
      runner: new GoRunner({ runsDir }),
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual(report);
    expect(report).toMatchObject({ lesson: '13-heartbeat-client', seed: 9, status: 'compile-error' });
  }, 60_000);

  it('prints PASS and FAIL lines with the reason, the seed and the count', () => {
    const report: GoExerciseReport = {
      lesson: '11-length-prefix-decoder',
      seed: 3,
      status: 'checked',
      ms: 1200,
      checks: [
        { index: 0, name: { en: 'One', zh: '一' }, pass: true, message: null, position: null },
        { index: 1, name: { en: 'Two', zh: '二' }, pass: false, message: { en: 'why', zh: '原因' }, position: null },
      ],
    };
    expect(formatReport(report)).toEqual([
      '11-length-prefix-decoder (seed 3, 1200 ms)',
      '  PASS  One',
      '  FAIL  Two',
      '        why',
      '1 of 2 checks passed',
    ]);
  });
});
