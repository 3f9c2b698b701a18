// Hostile snippets in a real browser: each ends with a clear message, the worker can always be stopped, and the
// lab server and other students' sessions carry on (checked after each by a second browser context).
import net from 'node:net';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { consoleText, ECHO_SNIPPET, runAndWait, setSnippet, waitReady } from './snippetPage';

const SLUG = '12-bounded-dialer';

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openLesson(page, SLUG);
}

/** Another student's session: the server answers and an echo snippet still works there. */
async function expectOthersUnaffected(browser: Browser, page: Page): Promise<void> {
  expect((await page.request.get('/api/status')).ok()).toBe(true);
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    await open(p);
    await setSnippet(p, ECHO_SNIPPET);
    await runAndWait(p, 'snippet-run');
    expect(await consoleText(p)).toContain('echoed "hello from the browser\\n"');
  } finally {
    await other.close();
  }
}

async function startRun(page: Page, source: string): Promise<void> {
  await setSnippet(page, source);
  await waitReady(page);
  const runs = Number(await status(page).getAttribute('data-runs'));
  await page.getByTestId('snippet-run').click();
  await expect(status(page)).toHaveAttribute('data-runs', String(runs + 1));
}

const status = (page: Page) => page.getByTestId('snippet-status');

test.describe.configure({ timeout: 90_000 });

test('an infinite loop is stopped at once by Stop, and by the lab when nobody presses it', async ({
  page,
  browser,
}) => {
  await open(page);
  await startRun(page, 'export async function main() {\n  for (;;) {}\n}\n');
  await page.waitForTimeout(1000);
  await page.getByTestId('snippet-stop').click();
  await expect(status(page)).toHaveAttribute('data-status', 'E_SNIPPET_STOPPED', { timeout: 2000 });

  await waitReady(page);
  await page.getByTestId('snippet-run').click();
  await expect(status(page)).toHaveAttribute('data-status', 'E_SNIPPET_UNRESPONSIVE', { timeout: 15_000 });
  expect(await consoleText(page)).toMatch(/E_SNIPPET_UNRESPONSIVE: .*a loop that never awaits/);
  await expectOthersUnaffected(browser, page);
});

test('an allocation bomb ends with a clear message and the page survives', async ({ page, browser }) => {
  await open(page);
  await startRun(
    page,
    'export async function main() {\n  const hog: number[][] = [];\n  for (;;) hog.push(new Array(1_000_000).fill(7));\n}\n',
  );
  await expect(status(page)).toHaveAttribute('data-phase', 'finished', { timeout: 30_000 });
  // Out of memory or never yielding: either way the lab says what happened.
  await expect(status(page)).toHaveAttribute('data-status', /E_SNIPPET_UNRESPONSIVE|panic|fatal/);
  expect(await consoleText(page)).toMatch(/E_SNIPPET_UNRESPONSIVE|RangeError|memory/);
  await expectOthersUnaffected(browser, page);
});

test('a million goroutines hit the goroutine limit', async ({ page, browser }) => {
  await open(page);
  await startRun(
    page,
    "import { go, time } from 'gonet';\nexport async function main() {\n  for (let i = 0; i < 1_000_000; i++) go(async () => { await time.sleep(60_000); });\n}\n",
  );
  await expect(status(page)).toHaveAttribute('data-phase', 'finished', { timeout: 30_000 });
  await expect(status(page)).toHaveAttribute('data-status', 'E_SNIPPET_TOO_MANY_GOROUTINES');
  expect(await consoleText(page)).toMatch(/too many goroutines: 100000 alive/);
  await expectOthersUnaffected(browser, page);
});

test('dials to ports the session does not own are refused with a code and a reason', async ({ page, browser }) => {
  await open(page);
  // Session A listens and holds its listener open.
  await startRun(
    page,
    "import { fmt, net, time } from 'gonet';\nexport async function main() {\n  const [ln] = await net.listen('tcp', '127.0.0.1:0');\n  fmt.println('port', ln!.addr().port);\n  await time.sleep(60_000);\n}\n",
  );
  await expect(page.getByTestId('snippet-console')).toContainText(/port \d+/);
  const port = Number(/port (\d+)/.exec(await consoleText(page))![1]);
  const httpPort = Number(new URL(page.url()).port);
  const other = await browser.newContext();
  const b = await other.newPage();
  await open(b);
  await setSnippet(
    b,
    `import { fmt, net } from 'gonet';\nexport async function main() {\n  for (const addr of ['127.0.0.1:${port}', '127.0.0.1:${httpPort}', '127.0.0.1:22', '192.0.2.1:80']) {\n    const [, err] = await net.dial('tcp', addr);\n    fmt.println(addr, '->', err?.message);\n  }\n}\n`,
  );
  await runAndWait(b, 'snippet-run');
  const out = await consoleText(b);
  expect(out).toContain(`127.0.0.1:${port} -> dial tcp 127.0.0.1:${port}: E_BRIDGE_DIAL_NOT_ALLOWED`);
  expect(out).toContain(`127.0.0.1:${httpPort} -> dial tcp 127.0.0.1:${httpPort}: E_BRIDGE_DIAL_NOT_ALLOWED`);
  expect(out).toContain('127.0.0.1:22 -> dial tcp 127.0.0.1:22: E_BRIDGE_DIAL_NOT_ALLOWED');
  expect(out).toContain('192.0.2.1:80 -> dial tcp 192.0.2.1:80: E_BRIDGE_NOT_LOOPBACK');
  await other.close();
  // Session A sleeps into the lesson's 30 s time limit: on a busy machine B's run can outlast it. Either way A ends
  // with its own status (Stop itself is walked by the infinite-loop test).
  if (await page.getByTestId('snippet-stop').isEnabled()) await page.getByTestId('snippet-stop').click();
  await expect(status(page)).toHaveAttribute('data-status', /^(E_SNIPPET_STOPPED|E_SNIPPET_TIME_LIMIT)$/);
  await expectOthersUnaffected(browser, page);
});

test('a flood of bridge requests is refused in part, and a raw flood of bridge messages is cut off', async ({
  page,
  browser,
}) => {
  // Two runs of up to 60 s each and another session's run: the test's own limit must cover the waits it allows.
  test.setTimeout(180_000);
  await open(page);
  await setSnippet(
    page,
    `import { fmt, go, lab, net, WaitGroup } from 'gonet';
export async function main() {
  const wg = new WaitGroup();
  const codes = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    wg.add(1);
    go(async () => {
      const [c, err] = await net.dial('tcp', lab.addr('echo'));
      const code = err === null ? 'ok' : (/E_[A-Z_]+/.exec(err.message)?.[0] ?? err.message);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      c?.close();
      wg.done();
    });
  }
  await wg.wait();
  fmt.println([...codes].map(([k, v]) => k + '=' + v).join(' '));
}
`,
  );
  await runAndWait(page, 'snippet-run', 60_000);
  expect(await consoleText(page)).toMatch(
    /ok=\d+.*E_BRIDGE_(RATE_LIMITED|TOO_MANY_SOCKETS)=\d+|E_BRIDGE_(RATE_LIMITED|TOO_MANY_SOCKETS)=\d+.*ok=\d+/,
  );

  // A snippet that skips the library and floods the bridge endpoint itself is disconnected by the server.
  await setSnippet(
    page,
    `import { fmt } from 'gonet';
export async function main() {
  const ws = new WebSocket(self.location.origin.replace(/^http/, 'ws') + '/ws/bridge');
  await new Promise((r) => (ws.onopen = r));
  ws.send(JSON.stringify({ type: 'hello', protocol: 1 }));
  for (let i = 0; i < 20000; i++) ws.send(new Uint8Array([1, 0, 0, 0, 9, 1, 2, 3]));
  const code = await new Promise((r) => (ws.onclose = (e) => r(e.code)));
  fmt.println('closed by the lab with', code);
}
`,
  );
  await runAndWait(page, 'snippet-run', 60_000);
  expect(await consoleText(page)).toContain('closed by the lab with 1008');
  await expectOthersUnaffected(browser, page);
});

test('10 MB written to a peer that never reads blocks the writer, not the lab; Stop closes its sockets', async ({
  page,
  browser,
}) => {
  await open(page);
  await startRun(
    page,
    `import { fmt, go, net } from 'gonet';
export async function main() {
  const [ln] = await net.listen('tcp', '127.0.0.1:0');
  fmt.println('listening on', ln!.addr().port);
  go(async () => { await ln!.accept(); }); // accepts, never reads
  const [c] = await net.dial('tcp', ln!.addr().string());
  fmt.println('writing 10 MB');
  const [n, err] = await c!.write(new Uint8Array(10 * 1024 * 1024));
  fmt.println('wrote', n, err);
}
`,
  );
  await expect(page.getByTestId('snippet-console')).toContainText('writing 10 MB');
  const port = Number(/listening on (\d+)/.exec(await consoleText(page))![1]);
  // The write is still blocked: the peer's kernel buffers and the bridge's windows are full.
  await page.waitForTimeout(2000);
  await expect(status(page)).toHaveAttribute('data-phase', 'running');
  expect(await consoleText(page)).not.toContain('wrote');
  // The lab's echo server (another of its sockets) still answers a raw client meanwhile.
  const { host, port: echo } = await demoPort(page, 'echo');
  const reply = await new Promise<string>((resolve, reject) => {
    const s = net.connect({ host, port: echo }, () => s.write('ping\n'));
    s.once('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.once('error', reject);
  });
  expect(reply).toBe('ping\n');
  await page.getByTestId('snippet-stop').click();
  await expect(status(page)).toHaveAttribute('data-status', 'E_SNIPPET_STOPPED');
  // Stopping closed the run's listener on the lab server.
  await expect
    .poll(
      () =>
        new Promise<string>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => {
            s.destroy();
            resolve('open');
          });
          s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        }),
    )
    .toBe('ECONNREFUSED');
  await expectOthersUnaffected(browser, page);
});
