// Lesson 12 walk (exercise): Run shows the unbounded pool's peak; Check fails the bound; Solve then Check passes.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 12: the worker pool exercise, from unbounded to bounded', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, '12-bounded-dialer');
  await walkSteps(page, '12-bounded-dialer');
  await runAndWait(page, 'snippet-run');
  expect(await consoleText(page)).toMatch(/connections open at once: at most (\d+) \(the bound is 4\)/);
  await runAndWait(page, 'snippet-check');
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]').first()).toContainText(
    /connections|连接/,
  );
  await page.getByTestId('snippet-solve').click();
  await runAndWait(page, 'snippet-run');
  expect(await consoleText(page)).toContain('at most 4 (the bound is 4)');
  await runAndWait(page, 'snippet-check');
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).toHaveCount(0);
  await expect(page.getByTestId('check-result')).toHaveCount(6);
  // Solving with Solve counts as revealed, not solved.
  await expect(page.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'false');
});
