// Lesson 5 walk: measure what goroutines cost here (the runtime, and Go when installed), run tasks sequentially
// and concurrently, start 10,000 goroutines and navigate the summarised timeline, and run the TypeScript twin.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { walkSteps } from './lessonSteps';
import { programOutput, runProgram, timelineNumber, timelineSettled } from './goroutineLessonPage';
import { consoleText, runAndWait, setSnippet } from './snippetPage';

test('lesson 5: goroutine cost measured, 10,000 goroutines summarised, twin runs', async ({ page }) => {
  test.setTimeout(180_000);
  await openLesson(page, '05-goroutines');
  await walkSteps(page, '05-goroutines');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Goroutines vs threads|goroutine 与线程/);

  // The cost is measured on request, not quoted.
  const cost = page.getByTestId('goroutine-cost');
  await expect(cost).toHaveAttribute('data-measured', '0');
  await cost.getByTestId('cost-measure').click();
  await expect(cost.getByTestId('cost-runtime')).toBeVisible({ timeout: 60_000 });
  expect(Number(await cost.getByTestId('cost-runtime').getAttribute('data-bytes'))).toBeGreaterThan(100);
  // With Go installed (CI has it) the real goroutine and thread figures appear; without it the page says why.
  await expect(cost.getByTestId('cost-go').or(cost.getByTestId('cost-note'))).toBeVisible({ timeout: 120_000 });
  if (await cost.getByTestId('cost-go').isVisible()) {
    const goBytes = Number(await cost.getByTestId('cost-go').getAttribute('data-bytes'));
    expect(goBytes).toBeGreaterThan(1000);
    expect(goBytes).toBeLessThan(64 * 1024);
    await expect(cost.getByTestId('cost-ratio')).toContainText(/×|倍/);
  }

  // Five 40 ms tasks: about 200 ms in a row, about 40 ms as goroutines.
  expect(await runProgram(page, 'sequential-vs-concurrent')).toBe('ok');
  const out = await programOutput(page);
  const seq = Number(/sequential: 5 tasks of 40 ms took (\d+) ms/.exec(out)?.[1]);
  const conc = Number(/concurrent: 5 tasks of 40 ms took (\d+) ms/.exec(out)?.[1]);
  expect(seq).toBeGreaterThanOrEqual(200);
  expect(conc).toBeLessThan(seq / 2);
  await timelineSettled(page, 'ok');
  expect(await timelineNumber(page, 'data-lanes')).toBe(6);

  // 10,000 goroutines: every one gets a lane, the rows are virtual and the band counts them all.
  expect(await runProgram(page, 'spawn', { n: 10000, workMs: 100 })).toBe('ok');
  await timelineSettled(page, 'ok');
  expect(await timelineNumber(page, 'data-lanes')).toBe(10001);
  await expect(page.getByTestId('timeline-rows')).toContainText(/10,001/);
  const canvas = page.getByTestId('timeline-canvas');
  const span = async () => Number(await canvas.getAttribute('data-t1')) - Number(await canvas.getAttribute('data-t0'));
  const full = await span();
  await page.getByTestId('timeline-zoom-in').click();
  await expect.poll(span).toBeLessThan(full * 0.6);
  await canvas.hover();
  await page.mouse.wheel(0, 400);
  await expect.poll(async () => Number(await canvas.getAttribute('data-first-row'))).toBeGreaterThan(0);
  await page.getByTestId('timeline-fit').click();
  await expect.poll(span).toBeGreaterThan(full * 0.9);
  // The dump lists them (bounded), all finished.
  await page.getByTestId('dump-filter-all').click();
  await expect(page.getByTestId('goroutine-dump')).toHaveAttribute('data-rows', '10001');

  // Lesson 1's echo server: one handleConn goroutine per connection, parked in an I/O wait between lines.
  const { host, port } = await demoPort(page, 'echo');
  const clients = [await rawClient(host, port), await rawClient(host, port)];
  await page.getByTestId('timeline-demo').selectOption('echo');
  await page.getByTestId('dump-filter-alive').click();
  const handlers = page.locator('[data-testid="dump-row"]', { hasText: 'handleConn' });
  await expect(handlers).toHaveCount(2);
  await expect(handlers.first()).toHaveAttribute('data-state', 'IO wait');
  const echoed = new Promise<string>((resolve) => clients[0].once('data', (d) => resolve(d.toString())));
  clients[0].write('hello goroutine\n');
  expect(await echoed).toBe('hello goroutine\n');
  for (const c of clients) c.end();
  await expect(handlers).toHaveCount(0);

  // The TypeScript twin runs in the browser.
  await runAndWait(page, 'snippet-run');
  await expect.poll(() => consoleText(page)).toMatch(/concurrent: 5 tasks of 40 ms took \d+ ms/);
});

test('lesson 5: a snippet starting a million goroutines reaches the timeline bounded, with exact counts', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openLesson(page, '05-goroutines');
  await setSnippet(
    page,
    "import { go, time } from 'gonet';\nexport async function main() {\n  for (let i = 0; i < 1_000_000; i++) go(async () => { await time.sleep(60_000); });\n}\n",
  );
  await runAndWait(page, 'snippet-run', 60_000);
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-status', 'E_SNIPPET_TOO_MANY_GOROUTINES');
  const timeline = page.getByTestId('goroutine-timeline');
  await expect(timeline).toHaveAttribute('data-owner', 'run');
  await expect(timeline).toHaveAttribute('data-status', 'fatal', { timeout: 15_000 });
  // The first thousand goroutines have lanes; all 100,000 the limit let live (main among them) are counted.
  expect(await timelineNumber(page, 'data-lanes')).toBe(1000);
  await expect(timeline).toHaveAttribute('data-goroutines', '100000');
  await expect(timeline.getByTestId('timeline-elided')).toHaveAttribute('data-goroutines', '99000');
  // The page stayed responsive: the timeline still zooms.
  await timeline.getByTestId('timeline-zoom-in').click();
  await expect(timeline.getByTestId('timeline-canvas')).not.toHaveAttribute('data-t0', '');
});
