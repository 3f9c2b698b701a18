// Lesson 18 walk: every step in both languages; then a run in which the upstream stalls and recovers: the breaker's
// own transitions appear on the diagram and in the table (closed → open → half-open → closed), the breaker path
// fails fast while the direct path only fails after waiting; the upstream answers an outside client; the twin runs.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 18: the breaker opens on a stalled upstream, fails fast, and closes after recovery', async ({ page }) => {
  test.setTimeout(120_000);
  await openLesson(page, '18-circuit-breaker');
  await walkSteps(page, '18-circuit-breaker');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Circuit breakers|熔断器/);
  const { host, port } = await demoPort(page, 'circuit-breaker');
  const panel = page.getByTestId('circuit-breaker');
  await expect(panel.getByTestId('cb-nc')).toHaveText(`nc ${host} ${port}`);
  await expect(panel.getByTestId('cb-diagram')).toHaveAttribute('data-state', 'closed');

  await panel.getByTestId('cb-fault').selectOption('stalled');
  await panel.getByTestId('cb-run-seconds').fill('6');
  await panel.getByTestId('cb-fault-at').fill('1');
  await panel.getByTestId('cb-recover-at').fill('3');
  await panel.getByTestId('cb-timeout').fill('500');
  await panel.getByTestId('cb-threshold').fill('3');
  await panel.getByTestId('cb-open-ms').fill('400');
  await panel.getByTestId('cb-probes').fill('1');
  await panel.getByTestId('cb-run').click();
  await expect(panel).toHaveAttribute('data-running', 'true');
  await expect(panel).toHaveAttribute('data-running', 'false', { timeout: 30_000 });

  // The diagram and the table come from the breaker's own transition events.
  const diagram = panel.getByTestId('cb-diagram');
  expect(Number(await diagram.locator('[data-edge="closed>open"]').textContent())).toBeGreaterThanOrEqual(1);
  expect(Number(await diagram.locator('[data-edge="half-open>closed"]').textContent())).toBeGreaterThanOrEqual(1);
  await expect(diagram).toHaveAttribute('data-state', 'closed');
  const transitions = panel.getByTestId('cb-transitions').locator('tbody tr');
  await expect(transitions.first()).toHaveAttribute('data-to', 'open');
  await expect(transitions.last()).toHaveAttribute('data-to', 'closed');

  const direct = panel.getByTestId('cb-summary').locator('tr[data-path="direct"]');
  const viaBreaker = panel.getByTestId('cb-summary').locator('tr[data-path="breaker"]');
  await expect(direct).toHaveAttribute('data-fast-failed', '0');
  expect(Number(await viaBreaker.getAttribute('data-fast-failed'))).toBeGreaterThan(0);
  expect(Number(await direct.getAttribute('data-max-waiting'))).toBeGreaterThan(0);
  expect(Number(await panel.getAttribute('data-samples'))).toBeGreaterThan(4);

  // The upstream is healthy again after the run, and answers an outside client.
  await expect(panel.getByTestId('cb-upstream')).toHaveAttribute('data-mode', 'healthy');
  const outside = await rawClient(host, port);
  const reply = new Promise<string>((resolve) => outside.once('data', (d) => resolve(d.toString())));
  outside.write('hello\n');
  expect(await reply).toBe('ok\n');
  outside.end();

  // The TypeScript twin prints its breaker's transitions and both paths' counts.
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toMatch(/breaker closed -> open/);
  expect(out).toMatch(/breaker\s+ok \d+, failed after waiting \d+, failed fast [1-9]\d*/);
  expect(out).toMatch(/direct\s+ok \d+, failed after waiting [1-9]\d*, failed fast 0/);
});
