// The shape every lesson keeps (lessons/README.md): steps at ## headings, the same number in both languages, a
// check at the end whose answers open on demand, exercise pages that keep their answer behind a hint or Solve,
// and a Playwright walk that goes through the lesson's steps in both languages.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAllLessons } from '../server/lessons/lessonCatalog.js';
import { checkStepIndex, splitSteps } from '../core/protocol/lessonSteps.js';
import { snippetConfigOf } from '../web/src/snippets/snippetConfig.js';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const e2eDir = fileURLToPath(new URL('../e2e', import.meta.url));
const lessons = await loadAllLessons(lessonsDir);

/** Markdown with the <details> blocks (hints, answers) taken out: what the page shows before anything is opened. */
const shownUpFront = (md: string) => md.replace(/<details>[\s\S]*?<\/details>/g, '');

describe('every lesson', () => {
  it('exists', () => expect(lessons.length).toBeGreaterThanOrEqual(13));

  for (const lesson of lessons) {
    describe(lesson.slug, () => {
      const en = splitSteps(lesson.body.en);
      const zh = splitSteps(lesson.body.zh);

      it('is steps, the same number in English and Chinese', () => {
        expect(en.length).toBeGreaterThanOrEqual(3);
        expect(zh.length).toBe(en.length);
      });

      it('ends with a check in both languages, each question with an answer that opens on demand', () => {
        for (const [lang, steps] of [
          ['en', en],
          ['zh', zh],
        ] as const) {
          const check = steps[checkStepIndex(steps, lang)];
          expect(check, `${lang}: the last step is the check`).toBeDefined();
          const questions = check!.markdown.match(/^\*\*\d+\.\*\*/gm) ?? [];
          const answers = check!.markdown.match(/<details><summary>/g) ?? [];
          expect(questions.length, `${lang}: numbered questions`).toBeGreaterThanOrEqual(2);
          expect(answers.length, `${lang}: one <details> answer per question`).toBe(questions.length);
        }
        const count = (md: string) => (md.match(/^\*\*\d+\.\*\*/gm) ?? []).length;
        expect(count(zh[zh.length - 1]!.markdown)).toBe(count(en[en.length - 1]!.markdown));
      });

      it("keeps an exercise's answer out of the page until asked for", () => {
        if (!snippetConfigOf(lesson)?.isExercise) return;
        // Code on an exercise page is the answer or close to it: it waits in a hint (<details>) or behind Solve.
        // Diagrams (mermaid) are not code.
        for (const lang of ['en', 'zh'] as const) {
          const blocks = [...shownUpFront(lesson.body[lang]).matchAll(/^(```|~~~)(.*)\n[\s\S]*?^\1\s*$/gm)];
          const code = blocks.filter((m) => m[2]!.trim() !== 'mermaid').map((m) => m[0].slice(0, 80));
          expect(code, `${lang}: code shown before the student asks for it`).toEqual([]);
        }
      });
    });
  }

  it('has a Playwright walk that goes through its steps in both languages', () => {
    const specs = new Map(
      readdirSync(e2eDir)
        .filter((f) => f.endsWith('.spec.ts'))
        .map((f) => [f, readFileSync(`${e2eDir}/${f}`, 'utf8')]),
    );
    for (const lesson of lessons) {
      const spec = specs.get(`${lesson.slug}.spec.ts`);
      expect(spec, `e2e/${lesson.slug}.spec.ts exists`).toBeDefined();
      // walkSteps (e2e/lessonSteps.ts) opens the lesson and goes through every step in English and in Chinese.
      expect(spec!, `e2e/${lesson.slug}.spec.ts walks its steps`).toMatch(
        new RegExp(`walkSteps\\(page, '${lesson.slug}'\\)`),
      );
    }
  });
});
