// Lesson 29 walk: a restart with SO_REUSEADDR cleared fails with Go's "address already in use" while the kernel
// lists the old connection in TIME_WAIT, and succeeds with it on; a second live listener needs SO_REUSEPORT; four
// SO_REUSEPORT listeners share 1,000 connections (bars summing to 1,000, each 4-tuple on one listener); a closed
// listener's queue is reset; the TypeScript twin's restart; in English and Chinese, accessible in both themes.
import { expect, test, type Locator } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { openLesson } from './labPage';
import { switchTo, walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

async function numberIn(where: Locator): Promise<number> {
  return Number((await where.textContent())?.trim());
}

async function restart(view: Locator, first: boolean, again: boolean): Promise<Locator> {
  await view.getByTestId('reuse-first-option').setChecked(first);
  await view.getByTestId('reuse-restart-option').setChecked(again);
  await view.getByTestId('reuse-restart').click();
  await expect(view.getByTestId('reuse-restart')).toBeEnabled({ timeout: 120_000 });
  const result = view.getByTestId('reuse-restart-result');
  await expect(result).toBeVisible();
  // The row of the kernel's table for exactly this connection: the server's end, in TIME_WAIT.
  await expect(view.getByTestId('reuse-timewait')).toHaveAttribute('data-state', 'TIME_WAIT');
  return result;
}

test('lesson 29: SO_REUSEADDR against TIME_WAIT, and SO_REUSEPORT spreading 1,000 connections', async ({ page }) => {
  test.setTimeout(240_000);
  await openLesson(page, '29-port-reuse');
  await walkSteps(page, '29-port-reuse');
  const view = page.getByTestId('port-reuse');
  await expect(view).toBeVisible();

  for (const lang of ['en', 'zh'] as const) {
    await switchTo(page, lang);
    // Cleared on both: EADDRINUSE, with the error as Go prints it.
    const refused = await restart(view, false, false);
    await expect(refused).toHaveAttribute('data-outcome', 'EADDRINUSE');
    await expect(view.getByTestId('reuse-restart-outcome')).toContainText(
      /listen tcp 127\.0\.0\.1:\d+: bind: address already in use/,
    );
    // On for both (Go's default): listens on the same port while the old connection is in TIME_WAIT.
    const listening = await restart(view, true, true);
    await expect(listening).toHaveAttribute('data-outcome', 'listening');
    // On for one side only: refused again.
    await expect(await restart(view, false, true)).toHaveAttribute('data-outcome', 'EADDRINUSE');

    // Two live listeners: SO_REUSEADDR alone refuses the second, SO_REUSEPORT lets it share the address.
    await view.getByTestId('reuse-live-addr').click();
    await expect(view.getByTestId('reuse-live-second')).toHaveAttribute('data-outcome', 'EADDRINUSE', {
      timeout: 60_000,
    });
    await view.getByTestId('reuse-live-port').click();
    await expect(view.getByTestId('reuse-live-result')).toHaveAttribute('data-reuseport', 'true', { timeout: 60_000 });
    await expect(view.getByTestId('reuse-live-second')).toHaveAttribute('data-outcome', 'listening');

    // K = 4 listeners, 1,000 connections: four bars whose counts add up to 1,000.
    await view.getByTestId('reuse-listeners').fill(lang === 'en' ? '4' : '3');
    await view.getByTestId('reuse-spread').click();
    const spread = view.getByTestId('reuse-spread-result');
    const k = lang === 'en' ? 4 : 3;
    await expect(spread).toHaveAttribute('data-listeners', String(k), { timeout: 120_000 });
    await expect(spread).toHaveAttribute('data-total', '1000');
    const bars = view.getByTestId('reuse-bar');
    await expect(bars).toHaveCount(k);
    const counts = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    for (const c of counts) expect(c).toBeGreaterThan(0);
    await expect(view.getByTestId('reuse-spread-total')).toHaveText('1000');
    // Every source port reconnected five times reached the same listener.
    await expect(view.getByTestId('reuse-hash')).toContainText(/^10 /);
  }

  // Listener 0 never accepts: what waited in its queue is reset when it closes (tcp_migrate_req is 0 here).
  await view.getByTestId('reuse-queue').click();
  await expect(view.getByTestId('reuse-queue-result')).toBeVisible({ timeout: 120_000 });
  const queued = await numberIn(view.getByTestId('reuse-queued'));
  const reset = await numberIn(view.getByTestId('reuse-reset'));
  expect(queued).toBeGreaterThan(0);
  expect(reset).toBeGreaterThan(0);
  // Those still waiting were reset; any other was only answered late by another listener (a busy machine).
  expect(reset + (await numberIn(view.getByTestId('reuse-after-close')))).toBe(queued);

  // Every part filled in, in both themes.
  await expectAccessible(page, 'lesson 29 view after every run', '[data-testid="port-reuse"]');
  await page.getByTestId('theme-toggle').click();
  await expectAccessible(page, 'lesson 29 view after every run, other theme', '[data-testid="port-reuse"]');
  await page.getByTestId('theme-toggle').click();

  // The TypeScript twin: a second live listener refused, and the restart on the same port (Node's SO_REUSEADDR).
  await switchTo(page, 'en');
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toMatch(/second live listener: .*in use/);
  expect(out).toMatch(/restart listens on 127\.0\.0\.1:\d+/);
});
