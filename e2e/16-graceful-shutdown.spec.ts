// Lesson 16 walk: shut the request server down under load, hard then gracefully, and read the table (a hard stop
// loses one request per client, a graceful one none); a deadline shorter than the work cuts what is running; the
// lesson's program drains on its "SIGTERM" and loses nothing.
import { expect, test, type Locator } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

async function result(panel: Locator, mode: string) {
  const row = panel.getByTestId(`shutdown-result-${mode}`);
  await expect(row).toHaveAttribute('data-done', 'true');
  return {
    lost: Number(await row.getAttribute('data-lost')),
    unanswered: Number(await row.getAttribute('data-unanswered')),
    answered: Number(await row.getAttribute('data-answered')),
    cut: Number(await row.getAttribute('data-cut')),
  };
}

test('lesson 16: a hard stop loses the requests in flight, a graceful one finishes them', async ({ page }) => {
  await openLesson(page, '16-graceful-shutdown');
  await walkSteps(page, '16-graceful-shutdown');
  const { host, port } = await demoPort(page, 'graceful-shutdown');
  const panel = page.getByTestId('graceful-shutdown');
  await expect(panel.getByTestId('shutdown-nc')).toHaveText(`nc ${host} ${port}`);
  await expect(page.locator('.prose')).toContainText(`${host}:${port}`);

  await panel.getByTestId('shutdown-clients').fill('10');
  // 1,000 ms is two and a half requests of 400 ms: the shutdown falls mid-request.
  await panel.getByTestId('shutdown-loadMs').fill('1000');
  await panel.getByTestId('shutdown-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-modes-done', '2');
  const hard = await result(panel, 'hard');
  const graceful = await result(panel, 'graceful');
  // Every client has one request in flight at any moment (400 ms of work each).
  expect(hard.lost).toBe(10);
  expect(hard.unanswered).toBe(10);
  expect(graceful.lost).toBe(0);
  expect(graceful.unanswered).toBe(0);
  expect(graceful.answered).toBeGreaterThan(hard.answered);
  await expect(page.getByTestId('shutdown-chart')).toBeVisible();

  // A deadline shorter than the work: the graceful shutdown cuts what is still running.
  await panel.getByTestId('shutdown-mode-hard').uncheck();
  await panel.getByTestId('shutdown-deadlineMs').fill('50');
  await panel.getByTestId('shutdown-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 30_000 });
  await expect(panel.getByTestId('shutdown-result-hard')).toHaveCount(0);
  const cut = await result(panel, 'graceful');
  expect(cut.cut).toBe(10);
  expect(cut.lost).toBe(10);

  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toContain('signal: shutting down gracefully');
  expect(out).toMatch(/lost in flight 0;/);
  // Every request a client sent was answered, or (a request that crossed the shutdown's start) never started.
  const [, sent, answered, unanswered] = /clients: sent (\d+), answered (\d+), unanswered (\d+)/.exec(out) ?? [];
  expect(Number(sent)).toBeGreaterThan(0);
  expect(Number(answered) + Number(unanswered)).toBe(Number(sent));
});
