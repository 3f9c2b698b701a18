// Lesson 14 walk: a client through the fault proxy echoes, a stall holds its echo until cleared, a blackhole drops
// its bytes, a refusing proxy fails a new client at once; then the TypeScript twin's deadlines time out and its
// reader without a deadline is reported still blocked.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 14: faults on a real connection, and deadlines that end the wait', async ({ page }) => {
  await openLesson(page, '14-timeouts-deadlines');
  await walkSteps(page, '14-timeouts-deadlines');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Timeouts and deadlines|超时与截止时间/);

  const { host, port } = await demoPort(page, 'fault-proxy');
  await expect(page.getByTestId('fault-nc-command')).toHaveText(`nc ${host} ${port}`);

  // A client of the page's own, through the proxy: its line comes back.
  await page.getByTestId('fault-open-client').click();
  const lane = page.locator('[data-testid="fault-lane"]:not([data-client=""])').last();
  await expect(lane).toBeVisible();
  await lane.getByTestId('fault-lane-input').fill('first');
  await lane.getByTestId('fault-lane-input').press('Enter');
  await expect(lane.locator('[data-testid="fault-lane-data"][data-dir="received"]')).toContainText(['first␊']);

  // A stall: the lane shows it start, and the echo is held until the fault is cleared.
  await page.getByTestId('fault-preset').selectOption('stall');
  await page.getByTestId('fault-set').click();
  await expect(page.locator('[data-testid="fault-rule"][data-fault="stall"]')).toHaveCount(1);
  await expect(lane.locator('[data-testid="fault-lane-fault"][data-fault="stall"][data-action="started"]')).toHaveCount(
    1,
  );
  await lane.getByTestId('fault-lane-input').fill('held');
  await lane.getByTestId('fault-lane-input').press('Enter');
  await expect(lane.locator('[data-testid="fault-lane-data"][data-dir="sent"]')).toContainText(['first␊', 'held␊']);
  await expect(lane.locator('[data-testid="fault-lane-data"][data-dir="received"]')).toHaveCount(1);
  await page.getByTestId('fault-clear-all').click();
  await expect(page.getByTestId('fault-none')).toBeVisible();
  await expect(lane.locator('[data-testid="fault-lane-data"][data-dir="received"]')).toContainText(['first␊', 'held␊']);
  await expect(lane.locator('[data-testid="fault-lane-fault"][data-fault="stall"][data-action="ended"]')).toHaveCount(
    1,
  );

  // A blackhole: bytes go in and are dropped; nothing ever comes back.
  await page.getByTestId('fault-preset').selectOption('blackhole');
  await page.getByTestId('fault-set').click();
  await lane.getByTestId('fault-lane-input').fill('into the void');
  await lane.getByTestId('fault-lane-input').press('Enter');
  await expect(
    lane.locator('[data-testid="fault-lane-fault"][data-fault="timeout"][data-action="dropped"]'),
  ).toHaveCount(1);
  await page.getByTestId('fault-clear-all').click();
  await expect(page.getByTestId('fault-none')).toBeVisible();

  // Refusing new connections closes the listener: a new client fails at once with connection refused.
  await page.getByTestId('fault-switch-accept').click();
  await expect(page.getByTestId('fault-switch-accept')).toHaveText(/Accept again|重新接受连接/);
  await page.getByTestId('fault-open-client').click();
  await expect(page.getByTestId('fault-error')).toContainText('ECONNREFUSED');
  await page.getByTestId('fault-switch-accept').click();
  await expect(page.getByTestId('fault-switch-accept')).toHaveText(/Refuse new connections|拒绝新连接/);

  // The twin: deadlines reset per message pass, one deadline for three slow replies fails, the layered budget
  // ends a blackholed request, and a read under a stall times out as a timeout error.
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toContain('deadline reset per message: echo message 3');
  expect(out).toMatch(/one deadline for all three: .*i\/o timeout/);
  expect(out).toMatch(/layered \(300 ms per request, 1 s per call\): .*i\/o timeout/);
  expect(out).toContain('net.isTimeout(err): true');
  expect(out).toContain('errors.is(err, os.ErrDeadlineExceeded): true');
  await expect(page.getByText(/readerWithoutDeadline/).first()).toBeVisible();
});
