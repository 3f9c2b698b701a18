// Lesson 17 walk: every step in both languages; then a load run at a staircase of offered rates, where accepted
// follows offered below the global rate and stays near it above (the rest refused, the bucket drained); an outside
// nc-style client pasting lines gets its burst of "ok" and then coded refusal lines at once; the snippet twin runs.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { openStep, walkSteps } from './lessonSteps';
import { consoleText, runAndWait, waitReady } from './snippetPage';

test('lesson 17: accepted follows offered up to the rate; above it the rest is refused', async ({ page }) => {
  test.setTimeout(120_000);
  await openLesson(page, '17-rate-limiting');
  await walkSteps(page, '17-rate-limiting');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/token bucket|令牌桶/);
  const { host, port } = await demoPort(page, 'rate-limit');
  await expect(page.getByTestId('rl-nc')).toHaveText(`nc ${host} ${port}`);
  await openStep(page, /What a refused client sees|被拒绝的客户端看到什么/);
  await expect(page.locator('.prose')).toContainText(`nc ${host} ${port}`);

  const panel = page.getByTestId('rate-limit');
  await panel.getByTestId('rl-globalRate').fill('200');
  await panel.getByTestId('rl-globalBurst').fill('50');
  await panel.getByTestId('rl-clientRate').fill('1000');
  await panel.getByTestId('rl-clientBurst').fill('1000');
  await panel.getByTestId('rl-clients').fill('4');
  await panel.getByTestId('rl-steps').fill('100, 600');
  await panel.getByTestId('rl-step-seconds').fill('2');
  await panel.getByTestId('rl-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 30_000 });

  const rows = panel.getByTestId('rl-steps-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  const below = {
    accepted: Number(await rows.nth(0).getAttribute('data-accepted')),
    refused: Number(await rows.nth(0).getAttribute('data-refused')),
  };
  const above = {
    accepted: Number(await rows.nth(1).getAttribute('data-accepted')),
    refused: Number(await rows.nth(1).getAttribute('data-refused')),
  };
  // Below the rate nothing is refused; above it, accepted is held near 200/s (wide margins: a busy machine sends in
  // clumps) and most of the excess is refused.
  expect(below.refused).toBe(0);
  expect(below.accepted).toBeGreaterThan(50);
  expect(above.accepted).toBeLessThan(300);
  expect(above.refused).toBeGreaterThan(100);
  await expect(panel.getByTestId('rl-last-run')).toBeVisible();
  expect(Number(await panel.getByTestId('rl-last-run').getAttribute('data-refused'))).toBeGreaterThan(0);

  // An outside client pastes 30 lines: its connection's burst (20) passes, every other line is refused at once.
  await panel.getByTestId('rl-clientRate').fill('1');
  await panel.getByTestId('rl-clientBurst').fill('20');
  await panel.getByTestId('rl-apply').click();
  await expect.poll(async () => panel.getByTestId('rl-clientBurst').inputValue()).toBe('20');
  const outside = await rawClient(host, port);
  let text = '';
  const replies = new Promise<string[]>((resolve) =>
    outside.on('data', (d) => {
      text += d.toString();
      const lines = text.split('\n').filter(Boolean);
      if (lines.length >= 30) resolve(lines);
    }),
  );
  outside.write(Array.from({ length: 30 }, (_, i) => `line ${i}\n`).join(''));
  const lines = await replies;
  outside.end();
  expect(lines.filter((l) => l.startsWith('ok ')).length).toBeGreaterThanOrEqual(20);
  expect(lines.slice(21).every((l) => /^lab: E_DEMO_RATE_LIMITED: .*client bucket, retry-after-ms=\d+/.test(l))).toBe(
    true,
  );

  // The TypeScript twin: a burst passes, the rest is refused, tokens come back.
  await waitReady(page);
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toMatch(/first: sent 30 at once: 1[01] ok, (19|20) refused/);
  expect(out).toMatch(/after 0\.5 s: sent 30 at once: \d+ ok/);
});
