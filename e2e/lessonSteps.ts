// Walks a lesson's steps through the step navigator, in English and in Chinese: every step in order (the step in
// the address, its heading shown), the arrow keys, and the check at the end with an answer opened on demand;
// axe checks the first step and the check in each language, in the dark and the light theme.
import { expect, type Page } from '@playwright/test';
import { expectAccessible } from './accessibility';
import type { Lesson } from '../core/protocol/lessons';
import { CHECK_HEADING, splitSteps } from '../core/protocol/lessonSteps';

/** Markdown heading text as the page shows it (no code ticks or bold marks). */
const shown = (heading: string) =>
  heading
    .replace(/`|\*\*/g, '')
    .replace(/\{\{[^}]*\}\}/g, '')
    .trim();

async function language(page: Page): Promise<'en' | 'zh'> {
  return (await page.evaluate(() => document.documentElement.lang)).startsWith('zh') ? 'zh' : 'en';
}

export async function switchTo(page: Page, lang: 'en' | 'zh'): Promise<void> {
  if ((await language(page)) !== lang) await page.getByTestId('language-toggle').click();
  await expect.poll(() => language(page)).toBe(lang);
}

type Theme = 'dark' | 'light';

async function currentTheme(page: Page): Promise<Theme> {
  return (await page.evaluate(() => document.documentElement.dataset.theme)) === 'light' ? 'light' : 'dark';
}

/** Switches the theme with the header's toggle, as a student would. */
export async function switchTheme(page: Page, theme: Theme): Promise<void> {
  if ((await currentTheme(page)) !== theme) await page.getByTestId('theme-toggle').click();
  await expect.poll(() => currentTheme(page)).toBe(theme);
}

/**
 * axe on the lesson as shown, in the given theme, once the live views and the editor have left their loading
 * placeholders (so their real markup and colours are checked). A diagram scrolled out of sight stays a
 * placeholder by design (it renders when seen), so the lesson text is not waited for.
 */
async function checkAccessible(page: Page, theme: Theme, where: string): Promise<void> {
  await switchTheme(page, theme);
  await expect(page.getByTestId('lesson').locator('.lesson-live .placeholder')).toHaveCount(0);
  await expectAccessible(page, `${where}, ${theme} theme`);
}

/** Opens the step whose heading matches, from the navigator. */
export async function openStep(page: Page, heading: RegExp): Promise<void> {
  const link = page.getByTestId('step-nav').getByRole('link', { name: heading });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'step');
}

/**
 * The lesson (already open) step by step in both languages; leaves it in the language and theme it found, at
 * step 1.
 * The shape test (lessons/lessonShape.test.ts) checks that every lesson's spec calls this.
 */
export async function walkSteps(page: Page, slug: string): Promise<void> {
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-slug', slug);
  const lesson = (await (await page.request.get(`/api/lessons/${slug}`)).json()) as Lesson;
  const start = await language(page);
  const nav = page.getByTestId('step-nav');
  const text = page.getByTestId('lesson-step');
  const startTheme = await currentTheme(page);
  const otherTheme: Theme = startTheme === 'dark' ? 'light' : 'dark';
  // Four axe runs a lesson: each language sees both themes, and the first step and the check each see both.
  const themes = {
    [start]: [startTheme, otherTheme],
    [start === 'en' ? 'zh' : 'en']: [otherTheme, startTheme],
  } as Record<'en' | 'zh', [Theme, Theme]>;
  for (const lang of [start, start === 'en' ? 'zh' : 'en'] as const) {
    await switchTo(page, lang);
    const steps = splitSteps(lesson.body[lang]);
    await nav.getByTestId('step-link').first().click();
    await expect(nav).toHaveAttribute('data-steps', String(steps.length));
    await expect(nav).toHaveAttribute('data-step', '1');
    await checkAccessible(page, themes[lang][0], `${slug} step 1 (${lang})`);
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
    await checkAccessible(page, themes[lang][1], `${slug} check step (${lang})`);
    await page.keyboard.press('ArrowLeft');
    await expect(nav).toHaveAttribute('data-step', String(steps.length - 1));
  }
  await switchTo(page, start);
  await switchTheme(page, startTheme);
  await nav.getByTestId('step-link').first().click();
  await expect(nav).toHaveAttribute('data-step', '1');
}
