// Lesson 13 walk (exercise): the start never notices a frozen server; the solution does, within its timeout.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 13: the heartbeat client notices a silent server once it has a read deadline', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, '13-heartbeat-client');
  await walkSteps(page, '13-heartbeat-client');
  await runAndWait(page, 'snippet-run');
  expect(await consoleText(page)).toContain('still waiting on a server that went silent');
  await page.getByTestId('snippet-solve').click();
  await runAndWait(page, 'snippet-run');
  expect(await consoleText(page)).toMatch(/keepAlive returned: read tcp .*: i\/o timeout/);
  await runAndWait(page, 'snippet-check');
  await expect(page.getByTestId('check-result')).toHaveCount(5);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).toHaveCount(0);
});
