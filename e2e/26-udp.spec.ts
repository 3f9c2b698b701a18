// Lesson 26 walk: UDP keeps the boundaries TCP merges (with the capture's datagrams), a student's nc -u datagram is
// echoed and captured, the seeded relay loses the same datagrams twice, 65,508 bytes are refused, a flood is bounded
// by the per-source budget, and the kernel's table shows UDP's two states; accessible in both themes.
import dgram from 'node:dgram';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { demoPort, openLesson } from './labPage';
import { walkSteps } from './lessonSteps';

async function number(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).first().textContent());
}

test('lesson 26: UDP datagrams keep their boundaries, get lost on purpose, and have no connection', async ({
  page,
}) => {
  await openLesson(page, '26-udp');
  await walkSteps(page, '26-udp');
  const view = page.getByTestId('udp-lab');
  await expect(view).toBeVisible();

  // The same writes: ten UDP reads of 32 bytes, fewer TCP reads; the capture saw the ten datagrams when it runs.
  await view.getByTestId('udp-compare').click();
  await expect(view.getByTestId('udp-compare-result')).toBeVisible({ timeout: 20_000 });
  expect(await number(page, 'udp-read-count')).toBe(10);
  expect(await number(page, 'tcp-read-count')).toBeLessThan(10);
  const capturing = (await view.getByTestId('udp-capture').getAttribute('data-status')) === 'capturing';
  // On a machine busy with other loopback traffic the kernel can drop packets before tcpdump reads them: never more.
  if (capturing) {
    expect(await number(page, 'udp-captured-count')).toBeGreaterThanOrEqual(1);
    expect(await number(page, 'udp-captured-count')).toBeLessThanOrEqual(10);
  }

  // A student's datagram from outside the page, as nc -u would send it: echoed, and captured with its payload.
  const { host, port } = await demoPort(page, 'udp', 'echo');
  const student = dgram.createSocket('udp4');
  const echoed = new Promise<string>((resolve) => student.once('message', (m) => resolve(m.toString())));
  student.send('hello from nc\n', port, host);
  expect(await echoed).toBe('hello from nc\n');
  student.close();
  if (capturing) await expect(view.getByTestId('udp-datagrams')).toContainText('hello from nc');

  // Through the relay with seed 7: some lost, the same ones twice; directly: none lost.
  await view.getByTestId('udp-seed').fill('7');
  await view.getByTestId('udp-relay').click();
  const result = view.getByTestId('udp-exchange-result');
  await expect(result).toHaveAttribute('data-via', 'relay', { timeout: 20_000 });
  await expect(view.getByTestId('udp-seed-used')).toHaveText('7');
  const lostFirst = await view.getByTestId('udp-lost-list').textContent();
  expect(await number(page, 'udp-lost-count')).toBeGreaterThan(0);
  expect((await number(page, 'udp-arrived-count')) + (await number(page, 'udp-lost-count'))).toBe(20);
  await view.getByTestId('udp-relay').click();
  await expect(view.getByTestId('udp-relay')).toBeEnabled({ timeout: 20_000 });
  await expect(view.getByTestId('udp-lost-list')).toHaveText(lostFirst!);
  await view.getByTestId('udp-direct').click();
  await expect(result).toHaveAttribute('data-via', 'direct', { timeout: 20_000 });
  await expect(view.getByTestId('udp-lost-count')).toHaveText('0');

  // 65,507 bytes come back whole; 65,508 are refused with the lab's code.
  await view.getByTestId('udp-size-run').click();
  await expect(view.getByTestId('udp-size-result')).toHaveAttribute('data-sent', 'true', { timeout: 20_000 });
  await expect(view.getByTestId('udp-size-result')).toContainText('65507');
  await view.getByTestId('udp-size').fill('65508');
  await view.getByTestId('udp-size-run').click();
  await expect(view.getByTestId('udp-size-result')).toHaveAttribute('data-sent', 'false', { timeout: 20_000 });
  await expect(view.getByTestId('udp-size-result')).toContainText('E_UDP_DATAGRAM_TOO_LARGE');
  await view.getByTestId('udp-buffer').selectOption('16');
  await expect(view.getByTestId('udp-buffer-result')).toContainText('n = 16');

  // A flood from one client: the budget drops some, answers at least its burst.
  await view.getByTestId('udp-flood').click();
  await expect(view.getByTestId('udp-flood-result')).toBeVisible({ timeout: 20_000 });
  expect(await number(page, 'udp-flood-dropped')).toBeGreaterThan(0);
  expect(await number(page, 'udp-flood-answered')).toBeGreaterThanOrEqual(100);

  // The kernel's table: UDP is CLOSE or ESTABLISHED (connected), TCP has LISTEN.
  await view.getByTestId('udp-table-run').click();
  const table = view.getByTestId('udp-table');
  await expect(table).toBeVisible({ timeout: 20_000 });
  await expect(table.locator('tr[data-role="connected client"]')).toHaveAttribute('data-state', 'ESTABLISHED');
  await expect(table.locator('tr[data-role="unconnected client"]')).toHaveAttribute('data-state', 'CLOSE');
  await expect(table.locator('tr[data-role="TCP listener"]')).toHaveAttribute('data-state', 'LISTEN');

  // Every panel filled in, in both themes.
  await expectAccessible(page, 'lesson 26 view after every run', '[data-testid="udp-lab"]');
  await page.getByTestId('theme-toggle').click();
  await expectAccessible(page, 'lesson 26 view after every run, other theme', '[data-testid="udp-lab"]');
  await page.getByTestId('theme-toggle').click();
});
