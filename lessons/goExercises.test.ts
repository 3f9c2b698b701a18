// Every Go exercise (lessons 11-13 and 20-22) is checked by the lab as its real TCP peer: the start program builds and runs
// but fails at least one check, the solution passes them all, and the checks leave no run folder behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GO_EXERCISES } from '../core/protocol/goExercise.js';
import { checkGoExercise } from '../server/gorun/goExerciseCheck.js';
import { GoRunner } from '../server/gorun/goRunner.js';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const runsDir = mkdtempSync(path.join(tmpdir(), 'goex-test-'));
// The lab's shared build cache: only the first build on a machine compiles the standard library.
const runner = new GoRunner({ runsDir });

afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

const source = (lesson: string, file: string) => readFileSync(path.join(lessonsDir, lesson, file), 'utf8');

describe('the Go exercises, checked by the lab', () => {
  it('are exactly the lessons with start.go and solution.go', () => {
    const withGo = readdirSync(lessonsDir).filter(
      (d) => existsSync(path.join(lessonsDir, d, 'start.go')) || existsSync(path.join(lessonsDir, d, 'solution.go')),
    );
    expect(withGo.sort()).toEqual([...GO_EXERCISES]);
  });

  for (const lesson of GO_EXERCISES) {
    it(`${lesson}: the start fails a check, the solution passes all`, async () => {
      const start = await checkGoExercise(lesson, source(lesson, 'start.go'), { runner, owner: 'start' });
      expect(start.status, JSON.stringify(start.error)).toBe('checked');
      expect(start.checks.length).toBeGreaterThanOrEqual(4);
      const failed = start.checks.filter((c) => !c.pass);
      expect(failed.length, 'the start fails at least one check').toBeGreaterThan(0);
      // A failure explains itself in both languages.
      for (const c of failed) {
        expect(c.message?.en.length).toBeGreaterThan(20);
        expect(c.message?.zh).toMatch(/[\u4e00-\u9fff]/);
      }

      const solution = await checkGoExercise(lesson, source(lesson, 'solution.go'), {
        runner,
        owner: 'solution',
        seed: start.seed, // the same splits the start met
      });
      const failing = solution.checks.filter((c) => !c.pass).map((c) => `${c.name.en}: ${c.message?.en}`);
      expect(failing, `seed ${solution.seed}`).toEqual([]);
      expect(solution.checks.map((c) => c.name)).toEqual(start.checks.map((c) => c.name));
      expect(solution.checks.map((c) => c.index)).toEqual(solution.checks.map((_, i) => i));

      expect(runner.active()).toBe(0);
      expect(readdirSync(runsDir)).toEqual([]);
    }, 300_000);
  }
});
