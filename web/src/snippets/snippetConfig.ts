// Which file of a lesson is the runnable snippet, and for exercises its solution and checks; read from the
// lesson's frontmatter (`snippet:` and `timeLimitSeconds:`, schema in core/protocol/lessons.ts), or, when it names
// none, the lesson's first .ts file that imports from 'gonet' (a TypeScript twin written for the snippet runner).
import { SnippetFrontmatter, type Lesson, type LessonFile } from '@core/protocol/lessons';

export const DEFAULT_TIME_LIMIT_SECONDS = 30;

export interface SnippetConfig {
  file: LessonFile;
  solution: LessonFile | null;
  checks: LessonFile | null;
  /** The files shown beside the snippet (the Go program), not the solution or checks. */
  companions: LessonFile[];
  timeLimitMs: number;
  isExercise: boolean;
}

/** The lesson's snippet, or null when it has no TypeScript to run. Throws when the frontmatter names a missing file. */
export function snippetConfigOf(lesson: Pick<Lesson, 'files' | 'meta' | 'slug'>): SnippetConfig | null {
  const byName = (name: string | undefined): LessonFile | null => {
    if (name === undefined) return null;
    const f = lesson.files.find((x) => x.name === name);
    if (!f)
      throw new Error(`${lesson.slug}: the frontmatter names ${name}, which is not among the lesson's code files`);
    return f;
  };
  const raw = lesson.meta.snippet;
  const topLimit = lesson.meta.timeLimitSeconds;
  let file: LessonFile | null;
  let solution: LessonFile | null = null;
  let checks: LessonFile | null = null;
  let seconds = topLimit ?? DEFAULT_TIME_LIMIT_SECONDS;
  if (raw !== undefined) {
    const parsed = SnippetFrontmatter.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${lesson.slug}: snippet: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    file = byName(parsed.data.file);
    solution = byName(parsed.data.solution);
    checks = byName(parsed.data.checks);
    seconds = parsed.data.timeLimitSeconds ?? seconds;
  } else {
    file = lesson.files.find((f) => f.language === 'typescript' && /\bfrom\s+['"]gonet['"]/.test(f.text)) ?? null;
  }
  if (!file) return null;
  const hidden = new Set([solution?.name, checks?.name]);
  return {
    file,
    solution,
    checks,
    companions: lesson.files.filter((f) => f !== file && !hidden.has(f.name)),
    timeLimitMs: seconds * 1000,
    isExercise: checks !== null,
  };
}
