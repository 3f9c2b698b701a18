// Lesson 20 walk (exercise): the start retries at once and gives up before the server is back; the solution backs
// off, connects once the server greets, and passes every check. Then the Go tab: Check has the lab play the
// restarting server for start.go (no waits: it fails) and for the solution (it passes every check).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { openLesson } from './labPage';
import { switchTo, walkSteps } from './lessonSteps';
import { consoleText, runAndWait, setSnippet } from './snippetPage';

const SLUG = '20-reconnecting-client';
const SOLUTION_GO = readFileSync(new URL(`../lessons/${SLUG}/solution.go`, import.meta.url), 'utf8');

test('lesson 20: the reconnecting client backs off with jitter and connects once the server is back', async ({
  page,
}) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, SLUG);
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

test('lesson 20 in Go: Check of start.go finds the reconnect storm, the solution passes', async ({ page }) => {
  test.setTimeout(300_000);
  await openLesson(page, SLUG);
  await switchTo(page, 'en');
  await page.getByTestId('code-tab-go').click();
  await expect(page.locator('[data-testid="go-workbench"] .monaco-editor')).toBeVisible();
  await expect(page.getByTestId('go-workbench')).toHaveAttribute('data-may-run', 'true');

  const results = page.getByTestId('go-check-results');
  const checks = page.locator('[data-testid="go-checks"] [data-testid="check-result"]');
  await page.getByTestId('go-check').click();
  await expect(results).toHaveAttribute('data-status', 'checked', { timeout: 200_000 });
  // start.go reconnects and resumes, but without waiting: the lab saw a storm of retries.
  await expect(checks).toHaveCount(4);
  await expect(checks.first()).toHaveAttribute('data-pass', 'true');
  await expect(checks.nth(1)).toHaveAttribute('data-pass', 'false');
  await expect(checks.nth(1)).toContainText('reconnect storm');
  await expectAccessible(page, 'Go exercise 20 checked (start)');

  await setSnippet(page, SOLUTION_GO, 'go-workbench');
  await page.getByTestId('go-check').click();
  await expect(page.getByTestId('go-check-status')).toBeVisible();
  await expect(results).toHaveAttribute('data-status', 'checked', { timeout: 200_000 });
  await expect(page.locator('[data-testid="go-checks"] [data-pass="false"]')).toHaveCount(0);
  await expect(page.getByTestId('go-check-summary')).toContainText('4/4');
  await switchTo(page, 'zh');
  await expect(checks.nth(1)).toContainText('每次重试之前都等待');
  await expect(page.getByTestId('go-check-summary')).toContainText('项检查通过');
});
