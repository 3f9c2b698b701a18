// Lesson 11 walk (exercise): edit and run a snippet in the browser with real sockets, break it and see the error
// at its line, then solve the exercise with one's own code; progress and edits survive a reload.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, ECHO_SNIPPET, runAndWait, setSnippet, waitReady } from './snippetPage';

const SLUG = '11-length-prefix-decoder';
const lessonFile = (name: string) => readFileSync(new URL(`../lessons/${SLUG}/${name}`, import.meta.url), 'utf8');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, SLUG);
  await expect(page.getByTestId('snippet-workbench')).toHaveAttribute('data-file', 'start.ts');
});

test('lesson 11: edit a snippet, run it with Ctrl+Enter, see its output and its real socket', async ({ page }) => {
  await walkSteps(page, '11-length-prefix-decoder');
  // The Go program sits beside the TypeScript twin.
  await page.getByRole('tab', { name: 'main.go' }).click();
  await expect(page.getByTestId('code-editor')).toContainText('package main');
  await page.getByTestId('snippet-tab').click();

  await setSnippet(page, ECHO_SNIPPET);
  await waitReady(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-phase', 'finished', { timeout: 20_000 });
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-status', 'ok');
  expect(await consoleText(page)).toContain('echoed "hello from the browser\\n"');
  // The connection was real: the lab's echo server logged it, and the run lists its bridged socket.
  await expect(page.getByTestId('event-log')).toContainText('socket.data');
  await expect(page.getByTestId('run-sockets')).toContainText(/1 open \/ 1|0 open \/ 1/);
  // The lab captured the run's own connection: its handshake and teardown are in the run's flow graph.
  const capture = page.getByTestId('run-capture');
  await capture.locator('summary').click();
  if (process.getuid?.() === 0) {
    await expect(capture).toHaveAttribute('data-capture', /capturing|stopped/);
    await expect(capture.locator('summary')).toContainText(/\d+ segments captured · 1 connection shown/);
    const segment = (title: string) =>
      capture.locator(`[data-testid="flow-row"][data-kind="segment"][data-title="${title}"]`);
    await expect(segment('SYN')).toHaveCount(1);
    await expect(segment('SYN, ACK')).toHaveCount(1);
    await expect(segment('FIN, ACK')).toHaveCount(2);
    await expect(capture.getByTestId('capture-status')).toHaveAttribute('data-status', 'capturing');
    // The run is over and its poller stopped: that does not make the kernel's socket table unreadable.
    await expect(capture.getByTestId('capture-status')).not.toContainText('not readable');
  } else {
    // Without permission to capture, the run says why and shows the kernel's states instead.
    await expect(capture.getByTestId('capture-status')).toHaveAttribute('data-status', 'unavailable');
  }
});

test('lesson 11: a broken snippet shows its error at the right line', async ({ page }) => {
  await setSnippet(page, "import { fmt } from 'gonet';\nexport async function main() {\n  const x = ;\n}\n");
  await runAndWait(page, 'snippet-run');
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-status', 'compile');
  await expect(page.getByTestId('code-editor')).toHaveAttribute('data-marker-line', '3');
  expect(await consoleText(page)).toContain('start.ts:3:');

  await setSnippet(
    page,
    "import { fmt } from 'gonet';\nexport async function main() {\n  fmt.println('before');\n  const conn: { close(): void } | null = null;\n  conn!.close();\n}\n",
  );
  await runAndWait(page, 'snippet-run');
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-status', 'panic');
  await expect(page.getByTestId('code-editor')).toHaveAttribute('data-marker-line', '5');
  const out = await consoleText(page);
  expect(out).toContain('before');
  expect(out).toMatch(/panic: TypeError: Cannot read properties of null/);
  expect(out).toContain('start.ts:5:');
  await expect(page.locator('[data-testid="code-editor"] .squiggly-error')).not.toHaveCount(0);
});

test('lesson 11: the start fails its checks; the student’s own solution passes and is remembered', async ({ page }) => {
  await runAndWait(page, 'snippet-check');
  const results = page.getByTestId('check-result');
  await expect(results).toHaveCount(7);
  await expect(page.locator('[data-testid="check-result"][data-pass="false"]').first()).toBeVisible();
  await expect(page.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'false');

  await setSnippet(page, lessonFile('solution.ts'));
  await runAndWait(page, 'snippet-check');
  await expect(page.locator('[data-testid="check-result"][data-pass="true"]')).toHaveCount(7);
  await expect(page.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'true');

  // Edits and progress are kept in the browser.
  await page.reload();
  await expect(page.getByTestId('snippet-progress')).toHaveAttribute('data-solved', 'true');
  await expect(page.locator('.snippet-editor .view-lines')).toContainText('private pending');

  // Reset brings the start file back (after confirming); Solve shows the solution.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('snippet-reset').click();
  await expect(page.locator('.snippet-editor .view-lines')).toContainText('TODO: this assumes every read');
  await page.getByTestId('snippet-solve').click();
  await expect(page.locator('.snippet-editor .view-lines')).toContainText('Solution: a length-prefix decoder');
});
