// Lesson 2 walk: run the stream demo from the byte ruler — a slow reader coalesces, a big message splits, and UDP
// keeps every boundary beside TCP.
import { expect, test, type Locator } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';

async function count(ruler: Locator, id: string): Promise<number> {
  return Number(await ruler.getByTestId(id).textContent());
}

async function runPreset(page: import('@playwright/test').Page, preset: string): Promise<void> {
  await page.getByTestId(`preset-${preset}`).click();
  const run = page.getByTestId('run-stream');
  await run.click();
  await expect(run).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
}

test('lesson 2: writes stick together for a slow reader and fall apart for a big message; UDP keeps them apart', async ({
  page,
}) => {
  await openLesson(page, '02-sticky-packets');
  await walkSteps(page, '02-sticky-packets');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Sticky packets|粘包/);
  const view = page.getByTestId('byte-ruler');
  await expect(view).toBeVisible();

  // A slow reader: 20 writes, fewer reads, at least one read holding several messages.
  await runPreset(page, 'slow');
  const tcp = view.locator('[data-testid="run-ruler"][data-transport="tcp"][data-ended="true"]');
  await expect(tcp).toHaveCount(1);
  expect(await count(tcp, 'count-writes')).toBe(20);
  expect(await count(tcp, 'count-reads')).toBeLessThan(20);
  expect(await count(tcp, 'count-coalesced')).toBeGreaterThanOrEqual(1);
  expect(await count(tcp, 'count-max-per-read')).toBeGreaterThanOrEqual(2);
  await expect(tcp.getByTestId('ruler-canvas')).toBeVisible();
  // Where capture works, the segments between writes and reads are counted; where it does not, the view says so.
  const segments = tcp.getByTestId('count-segments');
  if ((await segments.count()) > 0) expect(Number(await segments.textContent())).toBeGreaterThanOrEqual(1);
  else await expect(tcp.getByTestId('no-capture')).toBeVisible();

  // A big message read through a 4096-byte buffer: both messages split, many reads.
  await runPreset(page, 'big');
  const big = view.locator('[data-testid="run-ruler"][data-transport="tcp"][data-ended="true"]');
  await expect(big.getByTestId('count-writes')).toHaveText('2');
  await expect(big.getByTestId('count-split')).toHaveText('2');
  expect(await count(big, 'count-reads')).toBeGreaterThanOrEqual(49);
  await big.locator('.read-list summary').click();
  await expect(big.locator('[data-testid="read-row"][data-partial="1"]').first()).toBeVisible();

  // TCP and UDP side by side: UDP's datagrams are never coalesced or split.
  await runPreset(page, 'udp');
  const udp = view.locator('[data-testid="run-ruler"][data-transport="udp"][data-ended="true"]');
  await expect(udp).toHaveCount(1);
  await expect(view.locator('[data-testid="run-ruler"][data-ended="true"]')).toHaveCount(2);
  await expect(udp.getByTestId('count-reads')).toHaveText('20');
  await expect(udp.getByTestId('count-coalesced')).toHaveText('0');
  await expect(udp.getByTestId('count-split')).toHaveText('0');
  await expect(udp.getByTestId('count-lost')).toHaveText('0');
});

test('lesson 2: the knobs are validated by the server', async ({ page }) => {
  await openLesson(page, '02-sticky-packets');
  await page.getByTestId('knob-transport').selectOption('udp');
  await page.getByTestId('knob-size').fill('70000');
  await page.getByTestId('run-stream').click();
  await expect(page.getByTestId('run-error')).toContainText('E_BAD_ARGS');
});
