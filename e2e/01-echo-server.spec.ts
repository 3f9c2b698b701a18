// Lesson 1 walk: open the lesson, two browser clients echo in their own lanes, then an outside client appears
// and disappears.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { openStep, walkSteps } from './lessonSteps';

test('lesson 1: echo lanes for browser clients and an outside nc-style client', async ({ page }) => {
  await openLesson(page, '01-echo-server');
  await walkSteps(page, '01-echo-server');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/TCP echo server|TCP 回显服务器/);

  // The lesson tells the student the real port to try with nc.
  const { host, port } = await demoPort(page, 'echo');
  await expect(page.getByTestId('nc-command')).toHaveText(`nc ${host} ${port}`);
  await openStep(page, /Try it|动手试试/);
  await expect(page.locator('.prose')).toContainText(`nc ${host} ${port}`);

  // Two clients, each its own lane.
  const lanes = page.getByTestId('lane');
  const before = await lanes.count();
  await page.getByTestId('open-client').click();
  await expect(lanes).toHaveCount(before + 1);
  await page.getByTestId('open-client').click();
  await expect(lanes).toHaveCount(before + 2);

  const owned = page.locator('[data-testid="lane"]:has([data-testid="lane-input"])');
  await expect(owned).toHaveCount(2);
  const laneA = owned.nth(0);
  const laneB = owned.nth(1);
  const clientA = await laneA.getAttribute('data-client');
  const clientB = await laneB.getAttribute('data-client');
  expect(clientA).not.toEqual(clientB);

  await laneA.getByTestId('lane-input').fill('hello from A');
  await laneA.getByTestId('lane-input').press('Enter');
  await laneB.getByTestId('lane-input').fill('bonjour from B');
  await laneB.getByTestId('lane-input').press('Enter');

  const laneFor = (client: string | null) => page.locator(`[data-testid="lane"][data-client="${client}"]`);
  // Each message is read (→) and echoed (←) in its own lane, and only there.
  await expect(laneFor(clientA).locator('[data-testid="lane-message"][data-dir="in"]')).toContainText([
    'hello from A␊',
  ]);
  await expect(laneFor(clientA).locator('[data-testid="lane-message"][data-dir="out"]')).toContainText([
    'hello from A␊',
  ]);
  await expect(laneFor(clientB).locator('[data-testid="lane-message"][data-dir="out"]')).toContainText([
    'bonjour from B␊',
  ]);
  await expect(laneFor(clientA)).not.toContainText('bonjour from B');
  await expect(laneFor(clientB)).not.toContainText('hello from A');
  await expect(laneFor(clientA).getByTestId('lane-counters')).toContainText('13 B');

  // Hex view shows the newline byte.
  await page.getByLabel(/Hex|十六进制/).check();
  await expect(laneFor(clientA).locator('[data-dir="out"] .bytes').first()).toContainText('0a');
  await page.getByLabel(/Hex|十六进制/).uncheck();

  // A raw TCP client from outside the browser appears as an external lane, echoes, and leaves.
  const openBefore = Number(await page.getByTestId('open-count').textContent());
  const outside = await rawClient(host, port);
  const echoed = new Promise<string>((resolve) => outside.once('data', (d) => resolve(d.toString())));
  outside.write('from a terminal\n');
  expect(await echoed).toBe('from a terminal\n');
  await expect(page.getByTestId('open-count')).toHaveText(String(openBefore + 1));
  const external = page.locator(`[data-testid="lane"][data-client=""]`).filter({ hasText: 'from a terminal' });
  await expect(external).toHaveCount(1);
  const conn = await external.getAttribute('data-conn');
  outside.end();
  await expect(page.locator(`[data-testid="lane"][data-conn="${conn}"]`)).toHaveCount(0);
  await expect(page.getByTestId('open-count')).toHaveText(String(openBefore));
  await expect(page.locator(`[data-testid="closed-lane"][data-conn="${conn}"]`)).toHaveCount(1);

  // Closing a browser client moves its lane to the closed list too.
  await laneFor(clientA).getByTestId('lane-close').click();
  await expect(laneFor(clientA)).toHaveCount(0);
});

test('lesson 1: the language switch is remembered and diagrams and code load locally', async ({ page }) => {
  const external: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol.startsWith('http')) external.push(r.url());
  });
  await openLesson(page, '01-echo-server');
  await page.getByTestId('language-toggle').click();
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading ?? '');
  await openStep(page, /The shape of a Go server|Go 服务器的骨架/);
  await expect(page.getByTestId('mermaid-diagram').first()).toHaveAttribute('data-rendered', 'true');
  await expect(page.locator('[data-testid="code-editor"] .monaco-editor')).toBeVisible();
  await expect(page.locator('[data-testid="code-editor"]')).toContainText('package main');
  // In Chinese the Go program reads in Chinese (main.zh.go, the same code).
  await expect(page.locator('[data-testid="code-editor"]')).toContainText('第 1 课');
  // Go highlighting: keywords get their own token colour class.
  expect(
    await page
      .locator('[data-testid="code-editor"] .view-line span[class^="mtk"]')
      .evaluateAll((els) => new Set(els.map((e) => e.className)).size),
  ).toBeGreaterThan(2);
  expect(external).toEqual([]);
});
