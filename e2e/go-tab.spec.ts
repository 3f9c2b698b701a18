// The Go tab against the real lab and the machine's Go: a broken main.go gets a marker at the compiler's line,
// Reset brings the lesson's version back, Run builds and runs it, its port is shown and a real client from this
// test talks to it and appears in the tab's lanes, Stop stops it; axe in both languages and themes. Then a lab
// started with a PATH that has no go says so on the tab, with the install command, and the editor still works.
// An exercise's Go tab holds its start.go, and Check has the lab check it as the real TCP peer.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { openLesson, rawClient } from './labPage';
import { switchTheme, switchTo } from './lessonSteps';
import { setSnippet } from './snippetPage';
import { startLabWithoutGo, type LabWithoutGo } from './labWithoutGo';

const SLUG = '01-echo-server';
const MAIN_GO = readFileSync(new URL(`../lessons/${SLUG}/main.go`, import.meta.url), 'utf8');

/** The student's copy as the browser keeps it (null: the lesson's version). */
const storedCopy = (page: Page) =>
  page.evaluate(() => localStorage.getItem('gonet-lab:snippet:01-echo-server:main.go'));

/**
 * main.go with a first line of the student's own (so the paste is seen at the top) and an unused variable declared
 * on the line after `func main() {`; returns the text and that line.
 */
function brokenMain(): { text: string; line: number } {
  const lines = `// my copy, broken on purpose\n${MAIN_GO}`.split('\n');
  const at = lines.findIndex((l) => l.startsWith('func main() {')) + 1;
  lines.splice(at, 0, '\tunusedCount := 42');
  return { text: lines.join('\n'), line: at + 1 };
}

async function openGoTab(page: Page): Promise<void> {
  // Lesson 1 has no TypeScript twin: the Go tab is the code pane itself.
  await expect(page.getByTestId('go-workbench')).toBeVisible();
  await expect(page.locator('[data-testid="go-workbench"] .monaco-editor')).toBeVisible();
}

async function editorText(page: Page): Promise<string> {
  return (await page.locator('[data-testid="go-workbench"] .view-lines').innerText()).replace(/\s+/g, '');
}

test('Go tab: markers, Reset, Run with a real client, Stop, accessible', async ({ page }) => {
  test.setTimeout(240_000);
  await openLesson(page, SLUG);
  await switchTo(page, 'en');
  await openGoTab(page);
  await expect(page.getByTestId('go-workbench')).toHaveAttribute('data-go', 'found');
  await expect(page.getByTestId('go-workbench')).toHaveAttribute('data-may-run', 'true');

  // Broken: the build fails and the marker sits on the line the compiler named, explained in the student's language.
  const broken = brokenMain();
  await setSnippet(page, broken.text, 'go-workbench');
  await page.getByTestId('go-run').click();
  const workbench = page.getByTestId('go-workbench');
  // The first build on a cold cache compiles the standard library (up to a minute on a busy machine).
  await expect(workbench).toHaveAttribute('data-status', 'compile-error', { timeout: 150_000 });
  await expect(page.getByTestId('go-status')).toHaveAttribute('data-verdict', 'compileError');
  const editor = page.getByTestId('code-editor');
  await expect(editor).toHaveAttribute('data-marker-line', String(broken.line));
  await expect(editor).toHaveAttribute('data-marker-column', '2');
  await expect(page.locator('[data-testid="go-workbench"] .squiggly-error')).not.toHaveCount(0);
  await expect(page.getByTestId('go-compile-error').first()).toContainText('never read');
  await expect(page.getByTestId('go-compile-error').first()).toContainText('unusedCount');
  await switchTo(page, 'zh');
  await expect(page.getByTestId('go-compile-error').first()).toContainText('变量声明了但从未使用');
  await switchTo(page, 'en');

  // The copy is kept per lesson: a reload finds the student's edit.
  expect(await storedCopy(page)).toContain('unusedCount := 42');
  await page.reload();
  await openGoTab(page);
  await expect.poll(() => editorText(page)).toContain('//mycopy,brokenonpurpose');

  // Reset (confirmed) brings back the lesson's version.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('go-reset').click();
  await expect.poll(() => editorText(page)).not.toContain('brokenonpurpose');
  await expect.poll(() => editorText(page)).toContain('packagemain');
  expect(await storedCopy(page)).toBeNull();

  // Run with the snippet editor's key: it builds, runs, prints, and its port is shown with an nc command.
  await page.locator('[data-testid="go-workbench"] .monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(workbench).toHaveAttribute('data-phase', 'running', { timeout: 150_000 });
  await expect(page.getByTestId('go-output')).toContainText('echo server listening on', { timeout: 20_000 });
  await expect(page.locator('[data-testid="go-output-line"][data-stream="stderr"]').first()).toBeVisible();
  const port = Number(await page.getByTestId('go-port').getAttribute('data-port'));
  expect(port).toBeGreaterThan(0);
  await expect(page.getByTestId('go-nc-command')).toHaveText(`nc 127.0.0.1 ${port}`);
  await expect(page.getByTestId('go-status')).toHaveAttribute('data-verdict', 'running');

  // A real client from this test: the program echoes, and the tab's lanes show the connection.
  const client = await rawClient('127.0.0.1', port);
  const echoed = new Promise<string>((resolve) => client.once('data', (d) => resolve(d.toString())));
  client.write('hello, Go program\n');
  expect(await echoed).toBe('hello, Go program\n');
  const lanes = page.locator('[data-testid="go-connections"] [data-testid="lane"]');
  await expect(lanes).toHaveCount(1, { timeout: 20_000 });
  await expect(lanes.first()).toHaveAttribute('data-conn', /.+/);
  await expect(page.locator('[data-testid="go-connections"] [data-testid="open-count"]')).toHaveText('1');
  await expect(page.locator('[data-testid="go-connections"] [data-source="polled"]').first()).toBeVisible();
  // Its packets or polled states, as the lab could see them.
  const capture = page.locator('[data-testid="go-connections"] [data-testid="run-capture"]');
  await expect
    .poll(
      async () =>
        Number(await capture.getAttribute('data-segments')) + Number(await capture.getAttribute('data-polled')),
    )
    .toBeGreaterThan(0);

  // axe in both languages and themes, with the program running and a connection shown.
  for (const lang of ['en', 'zh'] as const) {
    await switchTo(page, lang);
    for (const theme of ['dark', 'light'] as const) {
      await switchTheme(page, theme);
      await expectAccessible(page, `Go tab running (${lang}, ${theme})`);
    }
  }
  await switchTo(page, 'en');

  client.end();
  await expect(page.locator('[data-testid="go-connections"] [data-testid="open-count"]')).toHaveText('0', {
    timeout: 20_000,
  });

  // Stop (the snippet editor's Shift variant of the run key is shown on the button; the button itself here).
  await page.getByTestId('go-stop').click();
  await expect(workbench).toHaveAttribute('data-status', 'stopped', { timeout: 20_000 });
  await expect(page.getByTestId('go-status')).toHaveAttribute('data-verdict', 'stopped');
  await expect(page.getByTestId('go-port')).toHaveCount(0);
  await expect(page.getByTestId('go-run')).toBeEnabled();
});

const DEADLOCK = `// my copy: two goroutines wait for each other
package main

import (
\t"fmt"
\t"sync"
)

func main() {
\tvar wg sync.WaitGroup
\tch := make(chan int)
\twg.Add(1)
\tgo func() {
\t\tdefer wg.Done()
\t\tfmt.Println("worker got", <-ch)
\t}()
\twg.Wait()
\tch <- 1
}
`;

test('Go tab of an exercise: Check runs the lab as the TCP peer; the start fails, the solution passes', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const slug = '11-length-prefix-decoder';
  const solution = readFileSync(new URL(`../lessons/${slug}/solution.go`, import.meta.url), 'utf8');
  await openLesson(page, slug);
  await switchTo(page, 'en');
  // The exercise has a TypeScript twin: the Go tab is the second tab, and it holds start.go.
  await page.getByTestId('code-tab-go').click();
  await expect(page.locator('[data-testid="go-workbench"] .monaco-editor')).toBeVisible();
  await expect(page.getByTestId('go-workbench')).toHaveAttribute('data-may-run', 'true');
  await expect.poll(() => editorText(page)).toContain('Exercise11inGo');

  const results = page.getByTestId('go-check-results');
  await page.getByTestId('go-check').click();
  await expect(results).toHaveAttribute('data-status', 'checked', { timeout: 200_000 });
  await expect(page.locator('[data-testid="go-checks"] [data-pass="false"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="go-checks"] .check-message').first()).not.toBeEmpty();
  await expectAccessible(page, 'Go exercise checked (start)');

  await setSnippet(page, solution, 'go-workbench');
  await page.getByTestId('go-check').click();
  await expect(page.getByTestId('go-check-status')).toBeVisible();
  await expect(results).toHaveAttribute('data-status', 'checked', { timeout: 200_000 });
  await expect(page.locator('[data-testid="go-checks"] [data-pass="false"]')).toHaveCount(0);
  const total = await page.locator('[data-testid="go-checks"] [data-testid="check-result"]').count();
  expect(total).toBeGreaterThan(3);
  await expect(page.getByTestId('go-check-summary')).toContainText(`${total}/${total}`);
  await switchTo(page, 'zh');
  await expect(page.getByTestId('go-check-summary')).toContainText('项检查通过');
});

test('Go tab: a deadlocked program is shown as such, with its goroutines in the dump view', async ({ page }) => {
  test.setTimeout(180_000);
  await openLesson(page, SLUG);
  await switchTo(page, 'en');
  await openGoTab(page);
  // Pasted with spaces: Format (gofmt through the lab) indents with tabs.
  await setSnippet(page, DEADLOCK.replace(/\t/g, '    '), 'go-workbench');
  await expect.poll(() => storedCopy(page)).toContain('    var wg');
  await page.getByTestId('go-format').click();
  await expect.poll(() => storedCopy(page)).toBe(DEADLOCK);
  await page.getByTestId('go-run').click();
  const workbench = page.getByTestId('go-workbench');
  await expect(workbench).toHaveAttribute('data-status', 'deadlock', { timeout: 150_000 });
  await expect(page.getByTestId('go-status')).toHaveAttribute('data-verdict', 'deadlock');
  await expect(page.getByTestId('go-crash')).toHaveAttribute('data-crash', 'deadlock');
  const dump = page.locator('[data-testid="go-crash"] [data-testid="goroutine-dump"]');
  await expect(dump).toHaveAttribute('data-status', 'deadlock');
  await expect(dump.locator('[data-source="sampled"]')).toBeVisible();
  // main waits on the WaitGroup, the worker on the channel: both rows, with Go's own wait reasons (a WaitGroup's
  // wait reads "semacquire" up to Go 1.19, "sync.WaitGroup.Wait" from Go 1.20).
  const main = dump.locator('[data-testid="dump-row"]').filter({ hasText: 'main.main' }).first();
  await expect(main).toHaveAttribute('data-state', /^(semacquire|sync\.WaitGroup\.Wait)$/);
  const worker = dump.locator('[data-testid="dump-row"][data-state="chan receive"]');
  await expect(worker).toHaveCount(1);
  await expect(worker).toContainText('main.main.func1');
  await expect(worker).toContainText('main.go:');
  await expectAccessible(page, 'Go tab after a deadlock (en)');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('go-reset').click();
});

// ---- A lab whose PATH has no go ----

let lab: LabWithoutGo | null = null;
let labPort = 0;

test.describe('without Go', () => {
  test.beforeAll(async () => {
    lab = await startLabWithoutGo();
    labPort = lab.port;
  });

  test.afterAll(async () => {
    await lab?.stop();
    lab = null;
  });

  test('the Go tab says Go is missing, with the install command, and the editor still works', async ({ page }) => {
    await page.goto(`http://127.0.0.1:${labPort}/#/${SLUG}`);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
    await switchTo(page, 'en');
    await openGoTab(page);
    const workbench = page.getByTestId('go-workbench');
    await expect(workbench).toHaveAttribute('data-go', 'missing');
    await expect(workbench).toHaveAttribute('data-may-run', 'false');
    await expect(page.getByTestId('go-missing')).toContainText('Go is not installed');
    // This lab runs on Debian: its install command comes first.
    await expect(page.getByTestId('go-install').first()).toHaveAttribute('data-platform', 'debian');
    await expect(page.getByTestId('go-install').first()).toContainText('apt install golang-go');
    await expect(page.getByTestId('go-run')).toBeDisabled();
    await expect(page.getByTestId('go-format')).toBeDisabled();
    // The rest of the lesson works: the echo demo's lanes are live.
    await expect(page.getByTestId('echo-lanes')).toBeVisible();
    // The editor still edits, and keeps the edit.
    await setSnippet(page, `// my own copy\n${MAIN_GO}`, 'go-workbench');
    await page.reload();
    await openGoTab(page);
    await expect.poll(() => editorText(page)).toContain('//myowncopy');
    for (const lang of ['en', 'zh'] as const) {
      await switchTo(page, lang);
      for (const theme of ['dark', 'light'] as const) {
        await switchTheme(page, theme);
        await expectAccessible(page, `Go tab without Go (${lang}, ${theme})`);
      }
    }
    await expect(page.getByTestId('go-missing')).toContainText('实验室所在机器上没有安装 Go');
  });
});
