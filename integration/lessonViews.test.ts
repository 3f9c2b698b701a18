// Every view a lesson names in its frontmatter is one the web app has: the lesson files are read by the server's
// catalog and the views are registered by the page, so this check joins both sides.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadAllLessons } from '../server/lessons/lessonCatalog.js';
import { VIEW_REGISTRY } from '../web/src/views/viewRegistry.js';

const lessonsDir = fileURLToPath(new URL('../lessons', import.meta.url));

it('every lesson names only views the web app has', async () => {
  const lessons = await loadAllLessons(lessonsDir);
  expect(lessons.length).toBeGreaterThan(0);
  const names = new Set(Object.keys(VIEW_REGISTRY));
  for (const l of lessons) for (const v of l.views) expect(names.has(v), `${l.slug} names view ${v}`).toBe(true);
});
