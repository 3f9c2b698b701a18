// Lesson 15 walk: run the reconnect storm with all three policies and read the table (immediate retry makes far
// more attempts than backoff and peaks above N; lock-step backoff never exceeds N; every policy recovers), then run
// the lesson's program and see the heartbeat notice the frozen server and the client resume after the outage.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 15: backoff tames the reconnect storm; the client notices silence and resumes', async ({ page }) => {
  await openLesson(page, '15-reconnect-backoff');
  await walkSteps(page, '15-reconnect-backoff');
  const { host, port } = await demoPort(page, 'reconnect-storm');
  const panel = page.getByTestId('reconnect-storm');
  await expect(panel.getByTestId('storm-nc')).toHaveText(`nc ${host} ${port}`);
  await expect(panel.getByTestId('storm-empty')).toBeVisible();

  const clients = 50;
  await panel.getByTestId('storm-clients').fill(String(clients));
  await panel.getByTestId('storm-downMs').fill('800');
  await panel.getByTestId('storm-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  // Each policy's row fills while it runs, before its result arrives.
  await expect
    .poll(async () => Number(await panel.getByTestId('storm-row-none').getAttribute('data-buckets')))
    .toBeGreaterThan(2);
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 45_000 });
  await expect(panel).toHaveAttribute('data-policies-done', '3');

  const row = async (policy: string) => {
    const r = panel.getByTestId(`storm-result-${policy}`);
    await expect(r).toHaveAttribute('data-done', 'true');
    return {
      attempts: Number(await r.getAttribute('data-attempts')),
      peak: Number(await r.getAttribute('data-peak')),
      recoverMs: await r.getAttribute('data-recover-ms'),
    };
  };
  const none = await row('none');
  const exponential = await row('exponential');
  const jitter = await row('jitter');
  for (const r of [none, exponential, jitter]) {
    expect(r.recoverMs).not.toBe('');
    expect(r.attempts).toBeGreaterThan(clients);
  }
  expect(none.attempts).toBeGreaterThan(3 * exponential.attempts);
  expect(none.peak).toBeGreaterThan(clients);
  // Without jitter the clients retry in lock step: a wave is at most every client once.
  expect(exponential.peak).toBeLessThanOrEqual(clients);
  expect(jitter.attempts).toBeLessThan(none.attempts);
  await expect(page.getByTestId('storm-chart')).toBeVisible();

  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toContain('[server] freezes');
  expect(out).toMatch(/silence for 400 ms: the server is gone \(heartbeat\)/);
  expect(out).toMatch(/retry \d+ in \d+ ms/);
  expect(out).toMatch(/connected; resuming at message [1-9]\d*/);
  expect(out).toContain('got all 40 messages');
});
