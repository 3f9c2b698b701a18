// Lesson 9 walk: set the pool (K=2, Q=4, 20 ms of work), run the load generator with N=2 then N=8 clients, and
// see the chart and figures update: no queue while N ≤ K, a full queue and longer latency once N > K, never more
// than K busy; a full queue set to reject answers "busy"; an outside nc-style client gets its "done" reply; a run
// can be stopped early; and the view follows language and theme.
import { expect, test, type Page } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { openStep, walkSteps } from './lessonSteps';

async function runLoad(
  page: Page,
  clients: number,
  seconds: number,
): Promise<{ p50: number; queueMax: number; busyMax: number; mean: number }> {
  const panel = page.getByTestId('worker-pool');
  await panel.getByTestId('wp-clients').fill(String(clients));
  await panel.getByTestId('wp-seconds').fill(String(seconds));
  await panel.getByTestId('wp-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  // While it runs, the chart gains samples and the current throughput shows a number.
  await expect
    .poll(async () => Number(await panel.getByTestId('wp-chart').getAttribute('data-samples')))
    .toBeGreaterThanOrEqual(2);
  await expect
    .poll(async () => Number(await panel.getByTestId('wp-throughput').getAttribute('data-value')))
    .toBeGreaterThan(0);
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: seconds * 1000 + 10_000 });
  const run = panel.getByTestId('wp-last-run');
  await expect(run).toContainText(`N=${clients}`);
  return {
    p50: Number(await run.getAttribute('data-p50')),
    queueMax: Number(await run.getAttribute('data-queue-max')),
    busyMax: Number(await run.getAttribute('data-busy-max')),
    mean: Number(await run.getAttribute('data-mean')),
  };
}

test('lesson 9: K bounds the busy workers; N > K fills the queue and raises latency', async ({ page }) => {
  await openLesson(page, '09-worker-pool');
  await walkSteps(page, '09-worker-pool');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Worker pools|工作池/);
  const { host, port } = await demoPort(page, 'worker-pool');
  await expect(page.getByTestId('wp-nc')).toHaveText(`nc ${host} ${port}`);
  await openStep(page, /Talk to it yourself|自己和它对话/);
  await expect(page.locator('.prose')).toContainText(`nc ${host} ${port}`);

  const panel = page.getByTestId('worker-pool');
  await panel.getByTestId('wp-mode').selectOption('pool');
  await panel.getByTestId('wp-workers').fill('2');
  await panel.getByTestId('wp-queue').fill('4');
  await panel.getByTestId('wp-work').fill('20');

  const few = await runLoad(page, 2, 2);
  // The modelled capacity K/work = 2 / 20 ms = 100 per second.
  await expect(panel.getByTestId('wp-capacity')).toHaveAttribute('data-value', '100');
  expect(few.busyMax).toBeLessThanOrEqual(2);
  expect(few.queueMax).toBe(0);
  expect(few.mean).toBeGreaterThan(0);

  const many = await runLoad(page, 8, 2);
  expect(many.busyMax).toBe(2);
  expect(many.queueMax).toBe(4);
  // Eight clients share two workers: each request waits for several ahead of it.
  expect(many.p50).toBeGreaterThan(2 * few.p50);
  await expect(panel.getByTestId('wp-goroutines')).toHaveText(/\d+/);

  // The goroutine timeline on the same page shows the pool's goroutines.
  await expect(page.getByTestId('goroutine-timeline')).toBeVisible();

  // An outside client, one request per line, like nc.
  const outside = await rawClient(host, port);
  const reply = new Promise<string>((resolve) => outside.once('data', (d) => resolve(d.toString())));
  outside.write('from a terminal\n');
  expect(await reply).toBe('done from a terminal\n');
  outside.end();
});

test('lesson 9: a full queue refuses work with "busy" when set to reject', async ({ page }) => {
  await openLesson(page, '09-worker-pool');
  const panel = page.getByTestId('worker-pool');
  await panel.getByTestId('wp-mode').selectOption('pool');
  await panel.getByTestId('wp-workers').fill('1');
  await panel.getByTestId('wp-queue').fill('1');
  await panel.getByTestId('wp-work').fill('50');
  await panel.getByTestId('wp-when-full').selectOption('reject');
  await panel.getByTestId('wp-rate').fill('10');
  const run = await runLoad(page, 6, 2);
  expect(run.busyMax).toBe(1);
  expect(run.queueMax).toBeLessThanOrEqual(1);
  await expect
    .poll(async () => Number(await panel.getByTestId('wp-totals').getAttribute('data-rejected')))
    .toBeGreaterThan(0);
  await expect(panel.getByTestId('wp-last-run')).toContainText(/rejected|被拒绝/);
});

test('lesson 9: stop ends a run early; unbounded mode has no K; the view follows language and theme', async ({
  page,
}) => {
  await openLesson(page, '09-worker-pool');
  const panel = page.getByTestId('worker-pool');
  await panel.getByTestId('wp-mode').selectOption('unbounded');
  await expect(panel.getByTestId('wp-workers')).toBeDisabled();
  await panel.getByTestId('wp-work').fill('20');
  await panel.getByTestId('wp-clients').fill('6');
  await panel.getByTestId('wp-seconds').fill('30');
  await panel.getByTestId('wp-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect
    .poll(async () => Number(await panel.getByTestId('wp-busy').getAttribute('data-busy-max')))
    .toBeGreaterThan(2);
  await panel.getByTestId('wp-stop').click();
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 10_000 });
  await expect(panel.getByTestId('wp-last-run')).toContainText(/stopped early|提前停止/);

  const before = await panel.locator('h3').textContent();
  await page.getByTestId('language-toggle').click();
  await expect(panel.locator('h3')).not.toHaveText(before ?? '');
  const bg = () =>
    page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="worker-pool"]')!).backgroundColor);
  const dark = await bg();
  await page.getByTestId('theme-toggle').click();
  await expect.poll(bg).not.toBe(dark);
});
