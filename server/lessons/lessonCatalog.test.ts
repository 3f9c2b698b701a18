// Every lesson folder loads, has both languages and names demos that exist (its views: integration/lessonViews.test.ts; its Go code: lessons/goPrograms.test.ts).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDemos } from '../demos/demoRegistry.js';
import { listLessonSlugs, listLessonSummaries, loadAllLessons, parseLessonMarkdown } from './lessonCatalog.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));

describe('parseLessonMarkdown', () => {
  it('splits frontmatter from the body and applies defaults', () => {
    const { frontmatter, body } = parseLessonMarkdown('---\ntitle: Hi\n---\n# Body\n', 'x.md');
    expect(frontmatter).toMatchObject({ title: 'Hi', demos: [], views: [] });
    expect(body).toBe('# Body\n');
  });

  it('names the file and the field when frontmatter is wrong', () => {
    expect(() => parseLessonMarkdown('# no frontmatter', 'a/lesson.en.md')).toThrow(
      /a\/lesson\.en\.md: missing frontmatter/,
    );
    expect(() => parseLessonMarkdown('---\ntitle: [unclosed\n---\n', 'b.md')).toThrow(
      /b\.md: frontmatter is not valid YAML/,
    );
    expect(() => parseLessonMarkdown('---\nviews: 3\n---\n', 'c.md')).toThrow(/c\.md: .*title/);
  });
});

describe('listLessonSummaries', () => {
  it('lists a broken lesson folder with its error instead of failing the whole list', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync: write } = await import('node:fs');
    const dir = mkdtempSync(path.join(tmpdir(), 'gonet-lessons-'));
    mkdirSync(path.join(dir, '01-good'));
    write(path.join(dir, '01-good', 'lesson.en.md'), '---\ntitle: Good\n---\ntext\n\n## Check yourself\n\nWhy?');
    write(path.join(dir, '01-good', 'lesson.zh.md'), '---\ntitle: 好\n---\n正文\n\n## 自我检查\n\n为什么？');
    mkdirSync(path.join(dir, '02-half-written'));
    write(path.join(dir, '02-half-written', 'main.go'), 'package main');
    const list = await listLessonSummaries(dir);
    expect(list[0]).toMatchObject({ slug: '01-good', title: { en: 'Good', zh: '好' } });
    expect(list[0]!.error).toBeUndefined();
    expect(list[1]).toMatchObject({
      slug: '02-half-written',
      order: 2,
      error: expect.stringMatching(/lesson\.(en|zh)\.md/),
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the lessons folder', async () => {
  const lessons = await loadAllLessons(lessonsDir);

  it('holds lesson 1 and every folder loads in both languages', async () => {
    expect((await listLessonSlugs(lessonsDir))[0]).toBe('01-echo-server');
    for (const l of lessons) {
      expect(l.title.en, l.slug).not.toEqual('');
      expect(l.title.zh, l.slug).toMatch(/[\u4e00-\u9fff]/);
      expect(l.body.zh, l.slug).toMatch(/[\u4e00-\u9fff]/);
      expect(l.body.en.length, l.slug).toBeGreaterThan(200);
    }
  });

  it('names only demos the lab runs', () => {
    const demoIds = new Set(createDemos().map((d) => d.id));
    for (const l of lessons)
      for (const d of l.demos)
        expect(demoIds.has(d) || d.startsWith('session'), `${l.slug} names demo ${d}`).toBe(true);
  });
});
