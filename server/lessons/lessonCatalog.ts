// Reads lessons/NN-slug/ folders into Lesson objects: frontmatter, both languages' text and the code files.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LessonFrontmatter, type Lesson, type LessonFile, type LessonSummary } from '../../core/protocol/lessons.js';

const FOLDER = /^(\d{2})-([a-z0-9-]+)$/;

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
    throw new Error(`${fileName}: frontmatter is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = LessonFrontmatter.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${fileName}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { frontmatter: parsed.data, body: match[2]! };
}

function languageOf(name: string): LessonFile['language'] {
  if (name.endsWith('.go')) return 'go';
  if (name.endsWith('.ts')) return 'typescript';
  return 'text';
}

export async function loadLesson(lessonsDir: string, slug: string): Promise<Lesson> {
  const match = FOLDER.exec(slug);
  if (!match) throw new Error(`${slug}: a lesson folder is named NN-slug (two digits, a dash, lower-case words)`);
  const dir = path.join(lessonsDir, slug);
  const [en, zh] = await Promise.all(
    (['en', 'zh'] as const).map(async (lang) => {
      const file = `lesson.${lang}.md`;
      return parseLessonMarkdown(await readFile(path.join(dir, file), 'utf8'), `${slug}/${file}`);
    }),
  );
  const entries = await readdir(dir);
  const codeNames =
    en!.frontmatter.code ??
    entries.filter((n) => (n.endsWith('.go') || n.endsWith('.ts')) && !n.endsWith('.test.ts') && !n.endsWith('_test.go') && !n.endsWith('.zh.go')).sort((a, b) => (a.endsWith('.go') ? -1 : 0) - (b.endsWith('.go') ? -1 : 0));
  const files = await Promise.all(
    codeNames.map(async (name): Promise<LessonFile> => {
      const text = await readFile(path.join(dir, name), 'utf8');
      // A Go program's Chinese copy (main.zh.go: the same code, comments in Chinese) travels with it.
      const zhName = name.replace(/\.go$/, '.zh.go');
      const zhText = zhName !== name && entries.includes(zhName) ? await readFile(path.join(dir, zhName), 'utf8') : undefined;
      return { name, language: languageOf(name), text, ...(zhText !== undefined ? { zhText } : {}) };
    }),
  );
  const { title, demos, views, code: _code, summary, ...meta } = en!.frontmatter;
  return {
    slug,
    order: Number(match[1]),
    title: { en: title, zh: zh!.frontmatter.title },
    ...(summary && zh!.frontmatter.summary ? { summary: { en: summary, zh: zh!.frontmatter.summary } } : {}),
    demos,
    views,
    body: { en: en!.body, zh: zh!.body },
    files,
    meta,
  };
}

export async function listLessonSlugs(lessonsDir: string): Promise<string[]> {
  const entries = await readdir(lessonsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && FOLDER.test(e.name)).map((e) => e.name).sort();
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
  return { slug: lesson.slug, order: lesson.order, title: lesson.title, ...(lesson.summary ? { summary: lesson.summary } : {}) };
}
