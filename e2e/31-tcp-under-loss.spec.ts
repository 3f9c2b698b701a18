// Lesson 31 walk: a clean and a lossy 2 MB transfer in the lab's own namespace (the lab here runs as root): the
// lossy one has real retransmissions (captured and counted by the kernel), duplicate ACKs and SACK, marks on the
// sequence plot, and takes longer; the view says what it set up and whether netem exists; in Chinese too; axe-clean
// in both themes. And a second lab started as an unprivileged user (setpriv to nobody): it says why it cannot run,
// and shows the lab's own labelled recording instead.
import { spawn } from 'node:child_process';
import { expect, test, type Locator } from '@playwright/test';
import { freePort } from '../server/net/freePort';
import { expectAccessible } from './accessibility';
import { openLesson } from './labPage';
import { switchTo, walkSteps } from './lessonSteps';

async function figure(view: Locator, run: 'clean' | 'lossy', key: string): Promise<number> {
  return Number(await view.getByTestId(`loss-${run}-${key}`).textContent());
}

test('lesson 31: TCP repairs real loss in the lab namespace, and the clean run is faster', async ({ page }) => {
  test.setTimeout(180_000);
  await openLesson(page, '31-tcp-under-loss');
  await walkSteps(page, '31-tcp-under-loss');
  const view = page.getByTestId('tcp-loss');
  await expect(view.getByTestId('loss-status')).toHaveAttribute('data-available', 'true', { timeout: 30_000 });

  // The clean run: nothing dropped (on a busy machine a stalled receiver may still cause a spurious retransmission,
  // so its count is compared with the lossy run's below); netem's presence is said either way.
  await view.getByTestId('loss-run-clean').click();
  await expect(view.getByTestId('loss-clean-seconds')).not.toHaveText(/not run/, { timeout: 60_000 });
  expect(await figure(view, 'clean', 'droppedByRule')).toBe(0);
  await expect(view.getByTestId('loss-netem')).toHaveAttribute('data-available', /^(true|false)$/);

  // The lossy run (20 % of data segments dropped): progress while it goes, then real retransmissions.
  await expect(view.getByTestId('loss-percent')).toHaveValue('20');
  await view.getByTestId('loss-run-lossy').click();
  await expect(view.getByTestId('loss-progress')).toBeVisible({ timeout: 30_000 });
  await expect(view.getByTestId('loss-slowdown')).toBeVisible({ timeout: 90_000 });
  expect(await figure(view, 'lossy', 'retransmissionsCaptured')).toBeGreaterThan(0);
  expect(await figure(view, 'lossy', 'retransSegsKernel')).toBeGreaterThan(0);
  expect(await figure(view, 'lossy', 'droppedByRule')).toBeGreaterThan(0);
  for (const count of ['retransmissionsCaptured', 'retransSegsKernel'])
    expect((await figure(view, 'clean', count)) * 4).toBeLessThan(await figure(view, 'lossy', count));
  expect((await figure(view, 'lossy', 'duplicateAcks')) + (await figure(view, 'lossy', 'sackAcks'))).toBeGreaterThan(0);
  // The clean run was faster: the lossy one pushed the same bytes plus the retransmitted ones through the same limit.
  expect(Number(await view.getByTestId('loss-slowdown').getAttribute('data-ratio'))).toBeGreaterThan(1);
  expect(await figure(view, 'lossy', 'seconds')).toBeGreaterThan(await figure(view, 'clean', 'seconds'));

  // Retransmissions marked on the sequence plot and listed; the rules it set up; the kernel's counters.
  expect(await view.getByTestId('loss-retransmit-mark').count()).toBeGreaterThan(0);
  await expect(view.getByTestId('loss-retransmissions').locator('tbody tr').first()).toBeVisible();
  await expect(view.getByTestId('loss-rules')).toContainText('numgen random mod 100 < 20');
  await expect(view.getByTestId('loss-rules')).toContainText('tbf rate 20mbit');
  await expect(view.getByTestId('loss-counters')).toContainText('Tcp:RetransSegs');
  await expect(view.getByTestId('loss-throughput-chart')).toBeVisible();
  await expect(view.getByTestId('loss-rtt-chart')).toBeVisible();

  // The same figures in Chinese.
  await switchTo(page, 'zh');
  await expect(view.getByTestId('loss-summary')).toContainText('两次运行并排比较');
  await expect(view.getByTestId('loss-slowdown')).toContainText('倍');
  await switchTo(page, 'en');

  await expectAccessible(page, 'lesson 31 view after both runs', '[data-testid="tcp-loss"]');
  await page.getByTestId('theme-toggle').click();
  await expectAccessible(page, 'lesson 31 view after both runs, other theme', '[data-testid="tcp-loss"]');
  await page.getByTestId('theme-toggle').click();
});

test('lesson 31 without the privilege: the coded reason and the labelled recording', async ({ page }) => {
  test.setTimeout(180_000);
  const port = await freePort();
  const lab = spawn(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      '--import',
      'tsx',
      'server/main.ts',
      '--port',
      String(port),
      '--demo-ports',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: '/tmp' } },
  );
  try {
    let out = '';
    lab.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 90_000 }).toContain('GoNet Lab is running');
    // The banner says it, with the reason.
    expect(out).toContain('network namespaces (TCP under loss) unavailable');
    await page.goto(`http://127.0.0.1:${port}/#/31-tcp-under-loss`);
    const view = page.getByTestId('tcp-loss');
    await expect(view.getByTestId('loss-status')).toHaveAttribute('data-available', 'false', { timeout: 30_000 });
    await expect(view.getByTestId('loss-reason')).toHaveAttribute('data-code', 'E_LOSS_NOT_PERMITTED');
    await expect(view.getByTestId('loss-reason')).toContainText('root');
    await expect(view.getByTestId('loss-recording')).toContainText('RECORDING');
    await expect(view.getByTestId('loss-recording')).toContainText(/Linux .+cores/);
    await expect(view.getByTestId('loss-run-lossy')).toBeDisabled();
    // The recording is a real run of the lab: retransmissions in the lossy one, none in the clean one.
    expect(await figure(view, 'lossy', 'retransmissionsCaptured')).toBeGreaterThan(0);
    expect(await figure(view, 'clean', 'retransmissionsCaptured')).toBe(0);
    await switchTo(page, 'zh');
    await expect(view.getByTestId('loss-recording')).toContainText('录制');
    await expect(view.getByTestId('loss-reason')).toContainText('网络命名空间');
    await switchTo(page, 'en');
    await expectAccessible(page, 'lesson 31 view showing the recording', '[data-testid="tcp-loss"]');
  } finally {
    const gone = new Promise((resolve) => lab.once('exit', resolve));
    lab.kill('SIGINT');
    await gone;
  }
});
