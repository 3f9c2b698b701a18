// Reads lessons/NN-slug/ folders into Lesson objects: frontmatter (checked against the schema), both languages'
// text (the same steps, ending with the check), the code files and the goroutine programs the lesson offers.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { GoroutineProgramInfo } from '../../core/protocol/demos/goroutines.js';
import { LessonFrontmatter, type Lesson, type LessonFile, type LessonSummary } from '../../core/protocol/lessons.js';
import { CHECK_HEADING, checkStepIndex, splitSteps } from '../../core/protocol/lessonSteps.js';
import { LESSON_FOLDER, listLessonSlugs } from './lessonFolders.js';
import { loadProgramRegistry, PROGRAMS_FILE, type ProgramRegistry } from './lessonPrograms.js';

export { listLessonSlugs } from './lessonFolders.js';

export interface ParsedMarkdown {
  frontmatter: LessonFrontmatter;
  body: string;
}

/** Splits `---\nyaml\n---\nbody` and validates the yaml. Throws with the file name in the message. */
export function parseLessonMarkdown(text: string, fileName: string): ParsedMarkdown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${fileName}: missing frontmatter (a block between --- lines at the top)`);
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (err) {
    throw new Error(`${fileName}: frontmatter is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const parsed = LessonFrontmatter.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${fileName}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'frontmatter'}: ${i.message}`).join('; ')}`,
    );
  }
  return { frontmatter: parsed.data, body: match[2]! };
}

function languageOf(name: string): LessonFile['language'] {
  if (name.endsWith('.go')) return 'go';
  if (name.endsWith('.ts')) return 'typescript';
  return 'text';
}

/** The Chinese file repeats a setup field of the English one only to say the same. */
function checkRepeatedSetup(slug: string, en: Record<string, unknown>, zhRaw: Record<string, unknown>): void {
  for (const key of Object.keys(zhRaw)) {
    if (key === 'title' || key === 'summary') continue;
    if (JSON.stringify(zhRaw[key]) !== JSON.stringify(en[key])) {
      throw new Error(
        `${slug}/lesson.zh.md: ${key}: says ${JSON.stringify(zhRaw[key])} but lesson.en.md says ${JSON.stringify(en[key])} (the English file holds the lesson's setup: drop the field here or make it the same)`,
      );
    }
  }
}

/** Both languages have the same number of steps, and the last is the check. Throws naming the file. */
export function checkSteps(slug: string, body: Lesson['body']): void {
  const en = splitSteps(body.en);
  const zh = splitSteps(body.zh);
  for (const [lang, steps] of [
    ['en', en],
    ['zh', zh],
  ] as const) {
    if (checkStepIndex(steps, lang) < 0) {
      throw new Error(
        `${slug}/lesson.${lang}.md: the last step must be "## ${CHECK_HEADING[lang]}" (questions the student can verify in the lab)`,
      );
    }
  }
  if (en.length !== zh.length) {
    const list = (s: typeof en) => s.map((x) => x.heading ?? '(opening)').join(' | ');
    throw new Error(
      `${slug}/lesson.zh.md: ${zh.length} steps, but lesson.en.md has ${en.length} (en: ${list(en)}; zh: ${list(zh)})`,
    );
  }
}

/** The programs the frontmatter names, in its order; an unknown name is an error naming the file and field. */
function programsOf(slug: string, names: string[] | undefined, registry: ProgramRegistry): GoroutineProgramInfo[] {
  return (names ?? []).map((name, i) => {
    const found = registry.get(name);
    if (!found) {
      const known = [...registry.keys()].join(', ') || 'none';
      throw new Error(
        `${slug}/lesson.en.md: programs.${i}: no program named "${name}" in any lesson's ${PROGRAMS_FILE} (known: ${known})`,
      );
    }
    const { name: n, title, knobs } = found.program;
    return { name: n, title, knobs };
  });
}

const registries = new Map<string, Promise<ProgramRegistry>>();
/** The lessons' programs, imported once per lessons folder (Node keeps imported modules anyway). */
export function programRegistry(lessonsDir: string): Promise<ProgramRegistry> {
  let r = registries.get(lessonsDir);
  if (!r) registries.set(lessonsDir, (r = loadProgramRegistry(lessonsDir)));
  return r;
}

async function readLessonFile(
  dir: string,
  slug: string,
  lang: 'en' | 'zh',
): Promise<ParsedMarkdown & { raw: Record<string, unknown> }> {
  const file = `lesson.${lang}.md`;
  const text = await readFile(path.join(dir, file), 'utf8');
  const parsed = parseLessonMarkdown(text, `${slug}/${file}`);
  return { ...parsed, raw: parseYaml(/^---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]!) as Record<string, unknown> };
}

export async function loadLesson(lessonsDir: string, slug: string): Promise<Lesson> {
  const match = LESSON_FOLDER.exec(slug);
  if (!match) throw new Error(`${slug}: a lesson folder is named NN-slug (two digits, a dash, lower-case words)`);
  const dir = path.join(lessonsDir, slug);
  const [en, zh] = await Promise.all((['en', 'zh'] as const).map((lang) => readLessonFile(dir, slug, lang)));
  checkRepeatedSetup(slug, en!.raw, zh!.raw);
  const body = { en: en!.body, zh: zh!.body };
  checkSteps(slug, body);
  const programs = programsOf(slug, en!.frontmatter.programs, await programRegistry(lessonsDir));
  const entries = await readdir(dir);
  const codeNames =
    en!.frontmatter.code ??
    entries
      .filter(
        (n) =>
          (n.endsWith('.go') || n.endsWith('.ts')) &&
          !n.endsWith('.test.ts') &&
          !n.endsWith('_test.go') &&
          !n.endsWith('.zh.go') &&
          n !== PROGRAMS_FILE,
      )
      .sort((a, b) => (a.endsWith('.go') ? -1 : 0) - (b.endsWith('.go') ? -1 : 0));
  const files = await Promise.all(
    codeNames.map(async (name, i): Promise<LessonFile> => {
      const text = await readFile(path.join(dir, name), 'utf8').catch(() => {
        throw new Error(`${slug}/lesson.en.md: code.${i}: ${name} is not in the lesson folder`);
      });
      // A Go program's Chinese copy (main.zh.go: the same code, comments in Chinese) travels with it.
      const zhName = name.replace(/\.go$/, '.zh.go');
      const zhText =
        zhName !== name && entries.includes(zhName) ? await readFile(path.join(dir, zhName), 'utf8') : undefined;
      return { name, language: languageOf(name), text, ...(zhText !== undefined ? { zhText } : {}) };
    }),
  );
  const { title, summary, demos, views, snippet, timeLimitSeconds } = en!.frontmatter;
  return {
    slug,
    order: Number(match[1]),
    title: { en: title, zh: zh!.frontmatter.title },
    ...(summary && zh!.frontmatter.summary ? { summary: { en: summary, zh: zh!.frontmatter.summary } } : {}),
    demos,
    views,
    body,
    files,
    programs,
    meta: { ...(snippet ? { snippet } : {}), ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}) },
  };
}

export async function loadAllLessons(lessonsDir: string): Promise<Lesson[]> {
  return Promise.all((await listLessonSlugs(lessonsDir)).map((slug) => loadLesson(lessonsDir, slug)));
}

/**
 * The lesson list for the sidebar. A folder that does not load (an instructor mid-edit) is listed with its
 * error instead of hiding every other lesson.
 */
export async function listLessonSummaries(lessonsDir: string): Promise<LessonSummary[]> {
  const slugs = await listLessonSlugs(lessonsDir);
  return Promise.all(
    slugs.map(async (slug) => {
      try {
        return summarize(await loadLesson(lessonsDir, slug));
      } catch (err) {
        const order = Number(slug.slice(0, 2));
        return { slug, order, title: { en: slug, zh: slug }, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

export function summarize(lesson: Lesson): LessonSummary {
  return {
    slug: lesson.slug,
    order: lesson.order,
    title: lesson.title,
    ...(lesson.summary ? { summary: lesson.summary } : {}),
  };
}
