// Lesson 22 walk (exercise): the start calls the failing upstream every time; the solution opens, fails fast
// (reaching the upstream fewer times), probes and closes; every check passes with the solution.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 22: the breaker stops calling a failing upstream and closes after it recovers', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, '22-failing-fast');
  await walkSteps(page, '22-failing-fast');
  await runAndWait(page, 'snippet-run');
  expect(await consoleText(page)).toMatch(/failed fast 0; the upstream was reached 40 times/);
  await runAndWait(page, 'snippet-check');
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]').first()).toBeVisible();

  await page.getByTestId('snippet-solve').click();
  await runAndWait(page, 'snippet-run');
  const solved = await consoleText(page);
  expect(solved).toMatch(/closed -> open/);
  expect(solved).toMatch(/half-open -> closed/);
  const reached = Number(/the upstream was reached (\d+) times/.exec(solved)?.[1]);
  expect(reached).toBeLessThan(40);
  expect(solved).toMatch(/failed fast [1-9]/);
  await runAndWait(page, 'snippet-check');
  await expect(page.getByTestId('check-result')).toHaveCount(6);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).toHaveCount(0);
});
