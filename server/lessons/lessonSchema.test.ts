// A lesson folder is checked when it loads: every frontmatter field against the schema, the programs it names
// against those the lessons declare, both languages' steps and checks; each error names the file and the field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLesson, parseLessonMarkdown } from './lessonCatalog.js';
import {
  checkProgramsModule,
  loadProgramRegistry,
  registerPrograms,
  type RegisteredProgram,
} from './lessonPrograms.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));
const EN_BODY = 'Opening.\n\n## One idea\n\nDo one thing.\n\n## Check yourself\n\n**1.** Why?\n';
const ZH_BODY = '开场。\n\n## 一个概念\n\n做一件事。\n\n## 自我检查\n\n**1.** 为什么？\n';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A lessons folder with one lesson 01-test; `files` overrides or adds files of that lesson. */
function lessonsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gonet-lesson-schema-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '01-test'));
  const all = {
    'lesson.en.md': `---\ntitle: Test\n---\n${EN_BODY}`,
    'lesson.zh.md': `---\ntitle: 测试\n---\n${ZH_BODY}`,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) writeFileSync(path.join(dir, '01-test', name), text);
  return dir;
}

const PROGRAM = `export const programs = [{ name: 'tiny', title: { en: 'Tiny', zh: '小' }, knobs: { n: { default: 2, min: 1, max: 5 } }, main: () => async () => {} }];\n`;

describe('frontmatter schema', () => {
  it('types programs, snippet and timeLimitSeconds', () => {
    const { frontmatter } = parseLessonMarkdown(
      '---\ntitle: T\nprograms: [a-b]\nsnippet:\n  file: start.ts\n  checks: checks.ts\ntimeLimitSeconds: 12\n---\n',
      'x/lesson.en.md',
    );
    expect(frontmatter).toMatchObject({
      programs: ['a-b'],
      snippet: { file: 'start.ts', checks: 'checks.ts' },
      timeLimitSeconds: 12,
    });
  });

  it('names the file and the field of each mistake', () => {
    const bad = (yaml: string) => () => parseLessonMarkdown(`---\ntitle: T\n${yaml}\n---\n`, '07-x/lesson.en.md');
    expect(bad('programs: Spawn')).toThrow(/07-x\/lesson\.en\.md: programs/);
    expect(bad('programs: [Not_A_Name]')).toThrow(/07-x\/lesson\.en\.md: programs\.0: lower-case words/);
    expect(bad('snippet: { file: start.go }')).toThrow(/snippet\.file/);
    expect(bad('snippet: { file: s.ts, solutoin: x.ts }')).toThrow(/snippet.*solutoin/);
    expect(bad('timeLimitSeconds: -3')).toThrow(/timeLimitSeconds/);
    // A misspelt field is an error, not ignored.
    expect(bad('veiws: [echo-lanes]')).toThrow(/07-x\/lesson\.en\.md: .*veiws/);
  });
});

describe('loading a lesson folder', () => {
  it('resolves the programs it names, with their titles and knobs', async () => {
    const dir = lessonsFolder({
      'lesson.en.md': `---\ntitle: Test\nprograms: [tiny]\n---\n${EN_BODY}`,
      'programs.ts': PROGRAM,
    });
    const lesson = await loadLesson(dir, '01-test');
    expect(lesson.programs).toEqual([
      { name: 'tiny', title: { en: 'Tiny', zh: '小' }, knobs: { n: { default: 2, min: 1, max: 5 } } },
    ]);
    // programs.ts is the server's, not a file shown to the student.
    expect(lesson.files.map((f) => f.name)).not.toContain('programs.ts');
  });

  it('refuses a program name no lesson declares, naming the file and field', async () => {
    const dir = lessonsFolder({
      'lesson.en.md': `---\ntitle: Test\nprograms: [tiny, missing]\n---\n${EN_BODY}`,
      'programs.ts': PROGRAM,
    });
    await expect(loadLesson(dir, '01-test')).rejects.toThrow(
      /01-test\/lesson\.en\.md: programs\.1: no program named "missing".*known: tiny/,
    );
  });

  it('refuses a Chinese file whose setup says something else', async () => {
    const dir = lessonsFolder({ 'lesson.zh.md': `---\ntitle: 测试\nviews: [echo-lanes]\n---\n${ZH_BODY}` });
    await expect(loadLesson(dir, '01-test')).rejects.toThrow(/01-test\/lesson\.zh\.md: views: /);
  });

  it('needs the same steps in both languages and a check at the end of each', async () => {
    const fewer = lessonsFolder({ 'lesson.zh.md': `---\ntitle: 测试\n---\n开场。\n\n## 自我检查\n\n问？\n` });
    await expect(loadLesson(fewer, '01-test')).rejects.toThrow(
      /01-test\/lesson\.zh\.md: 2 steps, but lesson\.en\.md has 3/,
    );
    const noCheck = lessonsFolder({
      'lesson.en.md': `---\ntitle: Test\n---\nOpening.\n\n## One idea\n\nText.\n\n## Last idea\n\nText.\n`,
    });
    await expect(loadLesson(noCheck, '01-test')).rejects.toThrow(
      /01-test\/lesson\.en\.md: the last step must be "## Check yourself"/,
    );
  });

  it('names a code file that is not in the folder', async () => {
    const dir = lessonsFolder({ 'lesson.en.md': `---\ntitle: Test\ncode: [main.go]\n---\n${EN_BODY}` });
    await expect(loadLesson(dir, '01-test')).rejects.toThrow(
      /01-test\/lesson\.en\.md: code\.0: main\.go is not in the lesson folder/,
    );
  });
});

describe('programs.ts', () => {
  const ok = { name: 'p', title: { en: 'P', zh: '程序' }, knobs: {}, main: () => async () => {} };
  it('checks each program and names the file, the program and the field', () => {
    const check = (p: unknown) => () => checkProgramsModule('05-x/programs.ts', { programs: [ok, p] });
    expect(() => checkProgramsModule('05-x/programs.ts', {})).toThrow(
      /05-x\/programs\.ts: exports no `programs` array/,
    );
    expect(check({ ...ok, knobs: { n: { default: 5, min: 1, max: 20_000 } } })).toThrow(
      /05-x\/programs\.ts: programs\[1\] \(p\): knobs\.n\.max/,
    );
    expect(check({ ...ok, knobs: { workMs: { default: 900, min: 0, max: 500 } } })).toThrow(
      /knobs\.workMs: needs min <= default <= max/,
    );
    expect(check({ ...ok, knobs: { speed: { default: 1, min: 0, max: 2 } } })).toThrow(
      /programs\[1\] \(p\): knobs: .*speed/,
    );
    expect(check({ ...ok, title: { en: 'P' } })).toThrow(/title\.zh/);
    expect(check({ ...ok, main: 'not a function' })).toThrow(/programs\[1\] \(p\): main: must be a function/);
    expect(checkProgramsModule('05-x/programs.ts', { programs: [ok] })).toHaveLength(1);
  });

  it('refuses a name two lessons declare', () => {
    const registry = new Map<string, RegisteredProgram>();
    const [p] = checkProgramsModule('05-x/programs.ts', { programs: [ok] });
    registerPrograms(registry, '05-x', [p!]);
    expect(() => registerPrograms(registry, '06-y', [p!])).toThrow(
      /06-y\/programs\.ts: program "p" is already declared by 05-x\/programs\.ts/,
    );
  });

  it("finds the goroutine lessons' programs in their folders", async () => {
    const registry = await loadProgramRegistry(lessonsDir);
    const bySlug = (slug: string) => [...registry.values()].filter((r) => r.slug === slug).map((r) => r.program.name);
    expect(bySlug('05-goroutines')).toEqual(['sequential-vs-concurrent', 'spawn']);
    expect(bySlug('06-channels')).toEqual(['unbuffered', 'buffered', 'close-range', 'forgot-receiver']);
    expect(bySlug('07-select')).toEqual(['select-timeout', 'fan-in', 'select-default']);
    expect(bySlug('08-sync')).toEqual(['counter-race', 'counter-channel']);
    expect(bySlug('10-context-leaks')).toEqual(['leak', 'leak-fixed', 'context-cancel']);
  });
});
