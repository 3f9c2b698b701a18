// Lesson 25 walk: requests through the lab's middleware onion, drawn from the layers' own reports: one that reaches
// the handler through all six layers, and the three stops (401 auth, 500 recovery, 503 timeout); a slowloris client
// cut off by the header timeout (408); then the TypeScript twin sends the stops from the browser.
import { expect, test, type Page } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

async function send(page: Page, path: string, headers = ''): Promise<void> {
  await page.getByTestId('http-method').selectOption('GET');
  await page.getByTestId('http-path').fill(path);
  await page.getByTestId('http-headers').fill(headers);
  const result = page.getByTestId('http-result');
  const before = (await result.count()) > 0 ? await result.getAttribute('data-sent') : null;
  await page.getByTestId('http-send').click();
  await expect(result).not.toHaveAttribute('data-sent', before ?? '', { timeout: 20_000 });
}

function onion(page: Page, path: string) {
  return page.locator(`[data-testid="onion-request"][data-path="${path}"]`).first();
}

test('lesson 25: the middleware onion and its stops', async ({ page }) => {
  test.setTimeout(120_000);
  await openLesson(page, '25-middleware');
  await walkSteps(page, '25-middleware');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Middleware as an onion|洋葱式的中间件/);

  await send(page, '/hello', 'X-Request-Id: my-id-1');
  const hello = onion(page, '/hello');
  await expect(hello).toHaveAttribute('data-stopped-by', '');
  await expect(hello).toHaveAttribute('data-status', '200');
  await expect(hello).toHaveAttribute('data-id', 'my-id-1');
  await expect(hello.getByTestId('onion-layer')).toHaveCount(6);
  await expect(hello.getByTestId('onion-layer').last()).toHaveAttribute('data-layer', 'handler');

  await send(page, '/admin');
  const refused = onion(page, '/admin');
  await expect(refused).toHaveAttribute('data-stopped-by', 'auth');
  await expect(refused).toHaveAttribute('data-status', '401');
  // The timeout layer and the handler never ran.
  await expect(refused.getByTestId('onion-layer')).toHaveCount(4);

  await send(page, '/admin', 'Authorization: Bearer lab-secret');
  await expect(onion(page, '/admin')).toHaveAttribute('data-status', '200');
  await expect(onion(page, '/admin').getByTestId('onion-layer')).toHaveCount(6);

  await send(page, '/panic', '');
  await expect(onion(page, '/panic')).toHaveAttribute('data-stopped-by', 'recovery');
  await expect(onion(page, '/panic')).toHaveAttribute('data-status', '500');

  await send(page, '/slow?ms=3000', '');
  const slow = onion(page, '/slow');
  await expect(slow).toHaveAttribute('data-stopped-by', 'timeout');
  await expect(slow).toHaveAttribute('data-status', '503');
  // The handler's span arrives when its own sleep ends, after the 503: it was not killed.
  await expect(slow.locator('[data-layer="handler"]')).toHaveCount(1, { timeout: 10_000 });

  await page.getByTestId('raw-slowloris').click();
  await expect(page.getByTestId('http-result')).toContainText('HTTP/1.1 408', { timeout: 20_000 });
  await expect(page.getByTestId('http-rejected')).toHaveAttribute('data-code', 'ERR_HTTP_REQUEST_TIMEOUT');

  // The TypeScript twin sends the same stops from the browser and prints each status with its request id.
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toContain('X-Request-Id: my-id-1');
  for (const status of ['401 Unauthorized', '500 Internal Server Error', '503 Service Unavailable']) {
    expect(out).toContain(`HTTP/1.1 ${status}`);
  }
  // The onion drew the twin's requests too: the id its /admin without a token got is a request stopped at auth.
  const id = /auth, no token: GET \/admin\n.*X-Request-Id: (\S+)/.exec(out)?.[1];
  expect(id, out).toBeDefined();
  await expect(page.locator(`[data-testid="onion-request"][data-id="${id}"]`)).toHaveAttribute(
    'data-stopped-by',
    'auth',
  );
});
