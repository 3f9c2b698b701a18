// The shape of a lesson as the server reads it from lessons/NN-slug/ and the browser shows it.
import { z } from 'zod';
import type { LocalizedText } from './errors.js';
import { GoroutineProgramInfo, ProgramName } from './demos/goroutines.js';

const tsFile = z.string().regex(/^[\w.-]+\.ts$/, 'a .ts file of the lesson folder');

/** `snippet:` of an exercise or a lesson with a TypeScript twin: which files the snippet runner uses. */
export const SnippetFrontmatter = z
  .object({
    /** The editable TypeScript file (the exercise's start file). */
    file: tsFile,
    solution: tsFile.optional(),
    checks: tsFile.optional(),
    timeLimitSeconds: z.number().positive().max(600).optional(),
  })
  .strict();
export type SnippetFrontmatter = z.infer<typeof SnippetFrontmatter>;

/**
 * Frontmatter of a lesson file: every field a lesson may set. The English file holds the lesson's setup; the
 * Chinese one has its own title and summary and may repeat a setup field only to say the same (checked at load).
 * Unknown fields are errors, so a misspelt field is reported instead of silently doing nothing.
 */
export const LessonFrontmatter = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1).optional(),
    /** Demos whose events the lesson page subscribes to. */
    demos: z.array(z.string().min(1)).default([]),
    /** Views shown on the lesson page, by their names in web/src/views/viewRegistry.ts. */
    views: z.array(z.string().min(1)).default([]),
    /** Files shown in the code pane, in order; defaults to every .go and .ts file of the folder. */
    code: z.array(z.string().regex(/^[\w.-]+\.(go|ts)$/, 'a .go or .ts file of the lesson folder')).optional(),
    /** Goroutine programs the `goroutine-programs` view offers, by name (declared in some lesson's programs.ts). */
    programs: z.array(ProgramName).optional(),
    /** The runnable snippet (and for an exercise its solution and checks). */
    snippet: SnippetFrontmatter.optional(),
    /** How long a snippet run may take before the lab stops it (seconds). */
    timeLimitSeconds: z.number().positive().max(600).optional(),
  })
  .strict();
export type LessonFrontmatter = z.infer<typeof LessonFrontmatter>;

export interface LessonFile {
  name: string;
  language: 'go' | 'typescript' | 'text';
  text: string;
  /** The same program with its comments in Chinese (main.zh.go beside main.go), when the lesson has one. Only the
   * comments differ: lessons/goPrograms.test.ts compares the two files' Go tokens. */
  zhText?: string;
}

/** The text of a lesson file for a reader of `language`: the Chinese copy in Chinese, when there is one. */
export function lessonFileText(file: LessonFile, language: keyof LocalizedText): string {
  return language === 'zh' && file.zhText !== undefined ? file.zhText : file.text;
}

export interface LessonSummary {
  slug: string;
  order: number;
  title: LocalizedText;
  summary?: LocalizedText;
  /** Why the lesson folder does not load (e.g. missing lesson.zh.md), when it does not. */
  error?: string;
}

/** Frontmatter fields the snippet runner reads. */
export interface LessonMeta {
  snippet?: SnippetFrontmatter;
  timeLimitSeconds?: number;
}

export interface Lesson extends LessonSummary {
  demos: string[];
  views: string[];
  body: LocalizedText;
  files: LessonFile[];
  /** The goroutine programs the lesson offers, in its frontmatter's order, with titles and knobs. */
  programs: GoroutineProgramInfo[];
  meta: LessonMeta;
}
