// The shape of a lesson as the server reads it from lessons/NN-slug/ and the browser shows it.
import { z } from 'zod';
import type { LocalizedText } from './errors.js';

/** Frontmatter of lesson.en.md and lesson.zh.md. Fields other than these are passed through in `meta`. */
export const LessonFrontmatter = z.looseObject({
  title: z.string().min(1),
  /** Demos whose events the lesson page subscribes to. */
  demos: z.array(z.string()).default([]),
  /** Views shown on the lesson page, by their names in web/src/views/viewRegistry.ts. */
  views: z.array(z.string()).default([]),
  /** Files shown in the code pane, in order; defaults to every .go and .ts file of the folder. */
  code: z.array(z.string()).optional(),
  summary: z.string().optional(),
});
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

export interface Lesson extends LessonSummary {
  demos: string[];
  views: string[];
  body: LocalizedText;
  files: LessonFile[];
  /** Frontmatter fields beyond the common ones (e.g. a snippet's time limit), from the English file. */
  meta: Record<string, unknown>;
}
