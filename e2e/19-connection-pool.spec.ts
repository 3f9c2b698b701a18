// Lesson 19 walk: every step in both languages; then the lesson's runs from the panel — dial per request (in
// English) and the pool (in Chinese): the summary shows both, the captured handshakes agree with the pool's dials and
// the pool's are far fewer; a pool run with the proxy resetting idle connections, with and without the health check;
// the line server answers an outside client through the proxy; the twin runs; accessible in both themes.
import { expect, test, type Locator } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { demoPort, openLesson, rawClient } from './labPage';
import { switchTheme, switchTo, walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

const num = async (row: Locator, attr: string) => Number(await row.getAttribute(attr));

test('lesson 19: a pool makes far fewer handshakes than dialling per request, and its health check', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openLesson(page, '19-connection-pool');
  await walkSteps(page, '19-connection-pool');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Connection pools|连接池/);
  const { host, port } = await demoPort(page, 'connection-pool');
  const panel = page.getByTestId('connection-pool');
  await expect(panel.getByTestId('cp-nc')).toHaveText(`nc ${host} ${port}`);
  const summary = panel.getByTestId('cp-summary');

  const runOnce = async () => {
    await panel.getByTestId('cp-run').click();
    await expect(panel).not.toHaveAttribute('data-running', '');
    await expect(panel).toHaveAttribute('data-running', '', { timeout: 30_000 });
  };

  // Dial per request, in English.
  await switchTo(page, 'en');
  await panel.getByTestId('cp-mode').selectOption('dial');
  await panel.getByTestId('cp-run-seconds').fill('2');
  await runOnce();
  const dial = summary.locator('th[data-mode="dial"]');
  await expect(dial).toHaveText(/dial per request/);
  const dialOk = await num(dial, 'data-ok');
  expect(dialOk).toBeGreaterThan(50);
  // One handshake per request, counted off the wire, and the same as the pool's own count.
  expect(await num(dial, 'data-handshakes')).toBe(dialOk);
  expect(await num(dial, 'data-dials')).toBe(dialOk);

  // The pool, in Chinese.
  await switchTo(page, 'zh');
  await panel.getByTestId('cp-mode').selectOption('pool');
  await runOnce();
  const pooled = summary.locator('th[data-mode="pool"]');
  await expect(pooled).toHaveText(/连接池/);
  await expect(summary.locator('caption')).toHaveText('每种模式的最近一次运行');
  const poolHandshakes = await num(pooled, 'data-handshakes');
  expect(poolHandshakes).toBe(await num(pooled, 'data-dials'));
  expect(poolHandshakes).toBeLessThanOrEqual(8);
  expect(poolHandshakes * 20).toBeLessThan(dialOk);
  expect(await num(pooled, 'data-ok')).toBeGreaterThan(20 * poolHandshakes);
  expect(await num(pooled, 'data-failed')).toBe(0);
  await expect(panel.getByTestId('cp-open')).toHaveText(/^[1-8]$/);
  await expect(panel.getByTestId('cp-chart')).toBeVisible();

  // Max open 2 for 8 callers: the others queue, and the handshakes stay at 2.
  await panel.getByTestId('cp-max-open').fill('2');
  await runOnce();
  expect(await num(pooled, 'data-handshakes')).toBeLessThanOrEqual(2);
  expect(Number(await panel.getByTestId('cp-peak-waiting').textContent())).toBeGreaterThan(0);
  await panel.getByTestId('cp-max-open').fill('8');

  // The proxy resets the idle connections: discarded by the health check, nothing fails...
  await panel.getByTestId('cp-reset-at').fill('1');
  await runOnce();
  await expect(panel.getByTestId('cp-resets')).toContainText('1.0 秒时');
  const discarded = await num(pooled, 'data-discarded');
  expect(discarded).toBeGreaterThan(0);
  expect(await num(pooled, 'data-failed')).toBe(0);
  // ...and without the health check, a request fails on each dead connection.
  await panel.getByTestId('cp-health-check').uncheck();
  await runOnce();
  expect(await num(pooled, 'data-dead-failed')).toBeGreaterThan(0);
  expect(await num(pooled, 'data-discarded')).toBe(0);

  // The line server answers an outside client through the proxy.
  const outside = await rawClient(host, port);
  const reply = new Promise<string>((resolve) => outside.once('data', (d) => resolve(d.toString())));
  outside.write('hello\n');
  expect(await reply).toBe('ok\n');
  outside.end();

  await expectAccessible(page, 'lesson 19 view after the runs', '[data-testid="connection-pool"]');
  await switchTheme(page, 'light');
  await expectAccessible(page, 'lesson 19 view after the runs, light theme', '[data-testid="connection-pool"]');
  await switchTheme(page, 'dark');

  // The TypeScript twin prints both modes and what the health check did.
  await switchTo(page, 'en');
  await runAndWait(page, 'snippet-run', 60_000);
  const out = await consoleText(page);
  expect(out).toMatch(/pool: +\d+ requests in 1 s, 0 failed, 4 handshakes/);
  expect(out).toMatch(/health check true: \d+ ok, 0 failed, 4 discarded/);
});
