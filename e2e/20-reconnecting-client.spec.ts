// Lesson 20 walk (exercise): the start retries at once and gives up before the server is back; the solution backs
// off, connects once the server greets, and passes every check.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 20: the reconnecting client backs off with jitter and connects once the server is back', async ({
  page,
}) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, '20-reconnecting-client');
  await walkSteps(page, '20-reconnecting-client');
  await runAndWait(page, 'snippet-run');
  // Retrying at once, the start makes attempt after attempt while the server restarts (one second).
  const start = await consoleText(page);
  expect((start.match(/attempt refused/g) ?? []).length).toBeGreaterThanOrEqual(15);
  await runAndWait(page, 'snippet-check');
  await expect(page.getByTestId('check-result')).toHaveCount(5);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).not.toHaveCount(0);

  await page.getByTestId('snippet-solve').click();
  await runAndWait(page, 'snippet-run');
  const solved = await consoleText(page);
  expect(solved).toMatch(/server: HELLO/);
  expect(solved).toMatch(/connected after \d+ attempts/);
  // Backing off (waits of up to 50, 100, 200, 400 ms), it makes a handful of attempts in that second.
  const refused = (solved.match(/attempt refused/g) ?? []).length;
  expect(refused).toBeGreaterThan(0);
  expect(refused).toBeLessThan(15);
  await runAndWait(page, 'snippet-check', 60_000);
  await expect(page.getByTestId('check-result')).toHaveCount(5);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]')).toHaveCount(0);
});
