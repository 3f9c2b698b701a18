// Lesson 21 walk (exercise): the start lets all 12 lines through; the solution answers the burst of 5 with "ok"
// and refuses the other 7 at once; every check passes with the solution.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 21: the token bucket passes its burst and refuses the rest with an answer', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, '21-token-bucket');
  await walkSteps(page, '21-token-bucket');
  await runAndWait(page, 'snippet-run');
  const start = await consoleText(page);
  expect(start.match(/^ok request/gm)?.length).toBe(12);
  await runAndWait(page, 'snippet-check');
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]').first()).toBeVisible();

  await page.getByTestId('snippet-solve').click();
  await runAndWait(page, 'snippet-run');
  const solved = await consoleText(page);
  expect(solved.match(/^ok request/gm)?.length).toBe(5);
  expect(solved.match(/^ERR rate limited, retry after \d+ms/gm)?.length).toBe(7);
  await runAndWait(page, 'snippet-check');
  await expect(page.getByTestId('check-result')).toHaveCount(5);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).toHaveCount(0);
});
