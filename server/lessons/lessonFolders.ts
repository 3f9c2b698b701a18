// Which folders of lessons/ are lessons: NN-slug (two digits, a dash, lower-case words), in order.
import { readdir } from 'node:fs/promises';

export const LESSON_FOLDER = /^(\d{2})-([a-z0-9-]+)$/;

export async function listLessonSlugs(lessonsDir: string): Promise<string[]> {
  const entries = await readdir(lessonsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && LESSON_FOLDER.test(e.name))
    .map((e) => e.name)
    .sort();
}
