// Walks a lesson's steps through the step navigator, in English and in Chinese: every step in order (the step in
// the address, its heading shown), the arrow keys, and the check at the end with an answer opened on demand.
import { expect, type Page } from '@playwright/test';
import type { Lesson } from '../core/protocol/lessons';
import { CHECK_HEADING, splitSteps } from '../core/protocol/lessonSteps';

/** Markdown heading text as the page shows it (no code ticks or bold marks). */
const shown = (heading: string) => heading.replace(/`|\*\*/g, '').replace(/\{\{[^}]*\}\}/g, '').trim();

async function language(page: Page): Promise<'en' | 'zh'> {
  return (await page.evaluate(() => document.documentElement.lang)).startsWith('zh') ? 'zh' : 'en';
}

async function switchTo(page: Page, lang: 'en' | 'zh'): Promise<void> {
  if ((await language(page)) !== lang) await page.getByTestId('language-toggle').click();
  await expect.poll(() => language(page)).toBe(lang);
}

/** Opens the step whose heading matches, from the navigator. */
export async function openStep(page: Page, heading: RegExp): Promise<void> {
  const link = page.getByTestId('step-nav').getByRole('link', { name: heading });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'step');
}

/**
 * The lesson (already open) step by step in both languages; leaves it in the language it found, at step 1.
 * The shape test (lessons/lessonShape.test.ts) checks that every lesson's spec calls this.
 */
export async function walkSteps(page: Page, slug: string): Promise<void> {
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-slug', slug);
  const lesson = (await (await page.request.get(`/api/lessons/${slug}`)).json()) as Lesson;
  const start = await language(page);
  const nav = page.getByTestId('step-nav');
  const text = page.getByTestId('lesson-step');
  for (const lang of [start, start === 'en' ? 'zh' : 'en'] as const) {
    await switchTo(page, lang);
    const steps = splitSteps(lesson.body[lang]);
    await nav.getByTestId('step-link').first().click();
    await expect(nav).toHaveAttribute('data-steps', String(steps.length));
    for (let i = 0; i < steps.length; i++) {
      await expect(nav).toHaveAttribute('data-step', String(i + 1));
      await expect(page).toHaveURL(new RegExp(`#/${slug}/${i + 1}$`));
      const heading = steps[i]!.heading;
      if (heading !== null) await expect(text.getByRole('heading', { level: 2 })).toContainText(shown(heading));
      if (i === steps.length - 1) break;
      // Every other step by keyboard, the rest with the button.
      if (i % 2 === 0) await nav.getByTestId('step-next').click();
      else await page.keyboard.press('ArrowRight');
    }
    // The last step is the check: Next is disabled, and an answer opens when asked for.
    await expect(text.getByRole('heading', { level: 2 })).toHaveText(CHECK_HEADING[lang]);
    await expect(nav.getByTestId('step-next')).toBeDisabled();
    const answer = text.locator('details').first();
    await expect(answer).not.toHaveAttribute('open', /.*/);
    await answer.locator('summary').click();
    await expect(answer).toHaveAttribute('open', /.*/);
    await page.keyboard.press('ArrowLeft');
    await expect(nav).toHaveAttribute('data-step', String(steps.length - 1));
  }
  await switchTo(page, start);
  await nav.getByTestId('step-link').first().click();
  await expect(nav).toHaveAttribute('data-step', '1');
}
