// The lab's Content-Security-Policy in Chromium: a lesson page with the Go editor, a mermaid diagram and a snippet
// run (Monaco's workers, mermaid, the snippet worker's new Function, both WebSockets) reports no CSP violation; and
// a page of another site cannot use the lab's WebSocket.
import { expect, test, type Page } from '@playwright/test';
import { openLesson } from './labPage';
import { openStep } from './lessonSteps';
import { consoleText, ECHO_SNIPPET, runAndWait, setSnippet } from './snippetPage';

/** Collects CSP violations the page and its workers report, as events and as console errors. */
function watchCsp(page: Page): { violations: string[] } {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    if (/Content Security Policy|unsafe-eval|Refused/i.test(e.message)) violations.push(`error: ${e.message}`);
  });
  page.on('worker', (w) =>
    w.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`worker: ${m.text()}`);
    }),
  );
  void page.exposeFunction('__reportCspViolation', (v: string) => violations.push(`event: ${v}`));
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation(
        `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      );
    });
  });
  return { violations };
}

test('a lesson with the editor, a mermaid diagram and a snippet run works under the CSP with no violation', async ({
  page,
}) => {
  const csp = watchCsp(page);
  const response = await page.goto('/#/05-goroutines');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain(`frame-ancestors 'none'`);
  expect(policy).not.toContain('unsafe-eval');
  await openLesson(page, '05-goroutines');
  // The lesson's diagram is in its second step.
  await openStep(page, /A goroutine is a function running on its own/);
  const diagram = page.getByTestId('mermaid-diagram').first();
  await diagram.scrollIntoViewIfNeeded();
  await expect(diagram).toHaveAttribute('data-rendered', 'true');
  await expect(diagram.locator('svg')).toBeVisible();
  await expect(page.locator('[data-testid="code-editor"] .monaco-editor').first()).toBeVisible();
  // The snippet editor is Monaco too (its language workers), and the run uses the worker and /ws/bridge.
  await setSnippet(page, ECHO_SNIPPET);
  await runAndWait(page, 'snippet-run');
  await expect.poll(() => consoleText(page)).toContain('echoed "hello from the browser\\n"');
  expect(csp.violations).toEqual([]);
});

test('a page of another site cannot open the lab’s WebSocket', async ({ page, baseURL }) => {
  // A page served from another origin (about:blank has an opaque one) tries /ws: the upgrade is refused.
  await page.goto('about:blank');
  const wsUrl = `${baseURL!.replace(/^http/, 'ws')}/ws`;
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    wsUrl,
  );
  expect(outcome).toBe('refused');
});
