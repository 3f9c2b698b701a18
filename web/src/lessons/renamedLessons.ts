// Lesson folders that were renamed, old slug → new: old links still open the lesson, and what the browser kept
// under the old slug (snippet edits, exercise progress) moves to the new one.
import { migrateStoredLesson } from '../snippets/snippetStorage';

export const RENAMED_LESSONS: Readonly<Record<string, string>> = {
  // Two folders were both NN-worker-pool; the exercise is about bounding how many connections are dialled.
  '12-worker-pool': '12-bounded-dialer',
};

/** The slug a link or a stored key means today. */
export function currentSlug(slug: string): string {
  return RENAMED_LESSONS[slug] ?? slug;
}

/** Moves stored edits and progress of renamed lessons to their new slugs (once; later calls find nothing). */
export function migrateRenamedLessons(): void {
  for (const [from, to] of Object.entries(RENAMED_LESSONS)) migrateStoredLesson(from, to);
}
