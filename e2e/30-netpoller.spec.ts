// Lesson 30 walk: measure the Go, Node and thread-per-connection echo servers under 1,000 idle and 10 busy
// connections; each column shows real figures (threads, memory, system calls from strace, or the labelled reason
// they are missing), Go's threads are far fewer than the thread-per-connection server's, the reactor drawing takes
// the Go server's numbers, and the TypeScript twin's idle goroutines stay parked; accessible in both themes.
import { expect, test, type Locator } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { startLabWithoutGo, type LabWithoutGo } from './labWithoutGo';
import { openLesson } from './labPage';
import { switchTheme, switchTo, walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

async function threads(column: Locator): Promise<number> {
  return Number(await column.getAttribute('data-threads'));
}

test('lesson 30: a thousand idle goroutines are a handful of threads; a thread per connection is a thousand', async ({
  page,
}) => {
  // Three servers, each built (the first Go build of a fresh cache compiles the standard library), connected and
  // measured in two windows.
  test.setTimeout(420_000);
  await openLesson(page, '30-netpoller');
  await walkSteps(page, '30-netpoller');
  const view = page.getByTestId('netpoller');
  await expect(view.getByTestId('netpoller-empty')).toBeVisible();

  await view.getByTestId('netpoller-idle').fill('1000');
  await view.getByTestId('netpoller-busy').fill('10');
  await view.getByTestId('netpoller-windowMs').fill('1000');
  await view.getByTestId('netpoller-run').click();
  await expect(view).toHaveAttribute('data-running', 'true');
  // Progress is shown while it measures.
  await expect(view.getByTestId('netpoller-progress')).not.toBeEmpty({ timeout: 30_000 });
  await expect(view).toHaveAttribute('data-running', 'false', { timeout: 360_000 });
  await expect(view).toHaveAttribute('data-results', '3');

  const go = view.getByTestId('netpoller-col-go');
  const node = view.getByTestId('netpoller-col-node');
  const perConn = view.getByTestId('netpoller-col-threads');
  for (const column of [go, node, perConn]) {
    // Either strace's counts with the chart, or the reason they are missing, said in the column.
    const by = await column.getAttribute('data-syscalls');
    expect(['strace', 'none']).toContain(by);
    if (by === 'strace') await expect(column.locator('svg[role="img"]')).toBeVisible();
    else await expect(column.getByTestId(/netpoller-nostrace-/)).toBeVisible();
  }
  // This machine has Go: the Go columns are measured here, not the recording.
  await expect(go).toHaveAttribute('data-recorded', 'false');
  const goThreads = await threads(go);
  const nodeThreads = await threads(node);
  const perConnThreads = await threads(perConn);
  expect(goThreads).toBeGreaterThan(0);
  expect(nodeThreads).toBeGreaterThan(0);
  // One thread per connection (1,010 of them) and more; Go's and Node's do not follow the connections.
  expect(perConnThreads).toBeGreaterThanOrEqual(1010);
  expect(goThreads * 20).toBeLessThan(perConnThreads);
  expect(nodeThreads * 20).toBeLessThan(perConnThreads);
  await expect(view.getByTestId('netpoller-threads-threads')).toHaveText(/1[,\s]?0\d\d/);
  await expect(view.getByTestId('netpoller-machine')).toContainText('Linux');

  // As root (as the lab runs in CI), strace may trace the servers: the Go server's epoll calls are counted.
  if (process.getuid?.() === 0) {
    await expect(go).toHaveAttribute('data-syscalls', 'strace');
    await expect(view.getByTestId('netpoller-bars-go')).toHaveAttribute('aria-label', /epoll_pwait \d/);
  }

  // The reactor is drawn from the Go server's own figures.
  const reactor = view.getByTestId('netpoller-reactor').locator('svg');
  await expect(reactor).toHaveAttribute('data-threads', String(goThreads));
  await expect(reactor).toHaveAttribute('data-connections', '1010');

  await expectAccessible(page, 'netpoller results (dark)', '[data-testid="netpoller"]');
  await switchTheme(page, 'light');
  await expectAccessible(page, 'netpoller results (light)', '[data-testid="netpoller"]');
  await switchTheme(page, 'dark');

  // The twin: 100 idle goroutines stay parked while the busy one's makes 200 round trips.
  await runAndWait(page, 'snippet-run', 60_000);
  const out = await consoleText(page);
  expect(out).toContain('101 connections, 101 goroutines');
  expect(out).toContain('goroutines that ran: 1; parked the whole time: 100');
});

test.describe('without Go', () => {
  let lab: LabWithoutGo | null = null;
  test.beforeAll(async () => {
    lab = await startLabWithoutGo();
  });
  test.afterAll(async () => {
    await lab?.stop();
    lab = null;
  });

  test('the Go servers show the lab’s recording, labelled with its machine; Node is measured here', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto(`http://127.0.0.1:${lab!.port}/#/30-netpoller`);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
    await switchTo(page, 'en');
    const view = page.getByTestId('netpoller');
    await view.getByTestId('netpoller-idle').fill('100');
    await view.getByTestId('netpoller-windowMs').fill('500');
    await view.getByTestId('netpoller-run').click();
    await expect(view).toHaveAttribute('data-running', 'false', { timeout: 150_000 });
    await expect(view).toHaveAttribute('data-results', '3');
    for (const server of ['go', 'threads']) {
      await expect(view.getByTestId(`netpoller-col-${server}`)).toHaveAttribute('data-recorded', 'true');
      await expect(view.getByTestId(`netpoller-recorded-${server}`)).toContainText('Recorded: no Go on this machine');
      await expect(view.getByTestId(`netpoller-recorded-${server}`)).toContainText('AMD EPYC');
    }
    // The recording's thread-per-connection server held a thread for each of its 1,010 connections.
    expect(Number(await view.getByTestId('netpoller-col-threads').getAttribute('data-threads'))).toBeGreaterThan(1000);
    await expect(view.getByTestId('netpoller-col-node')).toHaveAttribute('data-recorded', 'false');
    await expect(view.getByTestId('netpoller-machine')).toContainText('—');
    await switchTo(page, 'zh');
    await expect(view.getByTestId('netpoller-recorded-go')).toContainText('录制的数据');
    for (const theme of ['dark', 'light'] as const) {
      await switchTheme(page, theme);
      await expectAccessible(page, `netpoller recorded (${theme})`, '[data-testid="netpoller"]');
    }
  });
});
