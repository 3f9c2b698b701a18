// Lesson 23 walk: requests from the builder and presets on the real HTTP server; the bytes view splits them (start
// line, headers, blank line, body; chunk sizes), keep-alive shows one handshake for three requests, Connection: close
// one per request, pipelining holds quick answers behind a slow one, and malformed requests get the real statuses.
import { expect, test, type Page } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { walkSteps } from './lessonSteps';

async function newestConn(page: Page) {
  const conn = page.getByTestId('http-conn');
  await expect(conn).toHaveCount(1);
  return conn;
}

test('lesson 23: HTTP bytes, keep-alive, chunked, pipelining and refusals', async ({ page }) => {
  test.setTimeout(120_000);
  await openLesson(page, '23-http-bytes');
  await walkSteps(page, '23-http-bytes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/HTTP is bytes on TCP|HTTP 就是 TCP 上的字节/);
  const http = await demoPort(page, 'http');
  await expect(page.locator('.prose')).toContainText(`${http.host}:${http.port}`);
  await expect(page.getByTestId('http-try')).toContainText(`curl -v http://127.0.0.1:${http.port}/hello`);

  // One request by hand: the parts of both messages, Content-Length framing.
  await page.getByTestId('http-send').click();
  await expect(page.getByTestId('http-result')).toContainText('HTTP/1.1 200 OK');
  let conn = await newestConn(page);
  const request = conn.locator('[data-testid="http-message"][data-dir="in"]').first();
  await expect(request.locator('[data-kind="start"]')).toContainText('GET /hello HTTP/1.1␍␊');
  await expect(request.locator('[data-kind="header"]').first()).toContainText(`Host: 127.0.0.1:${http.port}`);
  await expect(request.locator('[data-kind="blank"]')).toHaveCount(1);
  const response = conn.locator('[data-testid="http-message"][data-dir="out"]').first();
  await expect(response).toHaveAttribute('data-framing', 'content-length');
  await expect(response.locator('[data-kind="header"]', { hasText: 'Content-Length: 6' })).toHaveCount(1);
  await expect(response.locator('[data-kind="body"]')).toContainText('hello␊');

  // Keep-alive: three requests, one connection, one captured handshake (CI captures as root).
  const tabs = page.getByTestId('http-conn-tab');
  const before = await tabs.count();
  await page.getByTestId('preset-keep-alive').click();
  await expect(page.getByTestId('http-result')).toContainText(/(HTTP\/1\.1 200 OK · ){2}HTTP\/1\.1 200 OK/);
  await expect(tabs).toHaveCount(before + 1);
  conn = await newestConn(page);
  await expect(conn).toHaveAttribute('data-requests', '3');
  await expect(conn).toHaveAttribute('data-handshakes', '1');
  await expect(conn.locator('[data-testid="http-message"][data-dir="out"]')).toHaveCount(3);
  await expect(conn.getByTestId('http-seg').first()).toContainText('#');
  // The flow graph draws the same connections' captured segments.
  await expect(page.locator('[data-testid="flow-row"][data-kind="segment"]').first()).toBeVisible();

  // Connection: close: three connections, each one request and its own handshake.
  await page.getByTestId('preset-close').click();
  await expect(page.getByTestId('http-result')).toContainText(/(HTTP\/1\.1 200 OK · ){2}HTTP\/1\.1 200 OK/);
  await expect(tabs).toHaveCount(before + 4);
  conn = await newestConn(page);
  await expect(conn).toHaveAttribute('data-requests', '1');
  await expect(conn).toHaveAttribute('data-handshakes', '1');
  await expect(conn).toHaveAttribute('data-closed', 'true');

  // Chunked: the size lines are marked, 0xc = 12 B for "part 1 of 3\n", and a last chunk of 0.
  await page.getByTestId('preset-chunked').click();
  await expect(page.getByTestId('http-result')).toContainText('HTTP/1.1 200 OK');
  conn = await newestConn(page);
  const chunked = conn.locator('[data-testid="http-message"][data-dir="out"]').first();
  await expect(chunked).toHaveAttribute('data-framing', 'chunked');
  const sizes = chunked.locator('[data-kind="chunk-size"]');
  await expect(sizes).toHaveCount(4);
  await expect(sizes.first()).toContainText('0xc = 12 B');
  await expect(sizes.last()).toContainText('0x0 = 0 B');
  await expect(chunked.locator('[data-kind="chunk-data"]').first()).toContainText('part 1 of 3␊');

  // Pipelining: the quick answers leave only after the slow one (its handler sleeps 1000 ms).
  await page.getByTestId('preset-pipeline').click();
  await expect(page.getByTestId('http-result')).toContainText(/(HTTP\/1\.1 200 OK · ){2}HTTP\/1\.1 200 OK/, {
    timeout: 20_000,
  });
  conn = await newestConn(page);
  const answers = conn.locator('[data-testid="http-message"][data-dir="out"]');
  await expect(answers).toHaveCount(3);
  await expect(answers.nth(2).locator('[data-kind="body"]')).toContainText('hello␊');
  for (const i of [1, 2]) expect(Number(await answers.nth(i).getAttribute('data-at-ms'))).toBeGreaterThanOrEqual(900);

  // Malformed requests: the status Node's server answers, and llhttp's reason.
  const refusals: [string, string, string][] = [
    ['bad-start-line', 'HPE_INVALID_METHOD', '400'],
    ['header-too-large', 'HPE_HEADER_OVERFLOW', '431'],
    ['cl-and-te', 'HPE_INVALID_TRANSFER_ENCODING', '400'],
  ];
  for (const [preset, code, status] of refusals) {
    await page.getByTestId(`raw-${preset}`).click();
    await expect(page.getByTestId('http-result')).toContainText(`HTTP/1.1 ${status}`);
    conn = await newestConn(page);
    await expect(conn.getByTestId('http-rejected')).toHaveAttribute('data-code', code);
    await expect(conn.getByTestId('http-rejected')).toContainText(status);
  }
  // A 1 GB body is refused by the handler before it is read.
  await page.getByTestId('raw-huge-body').click();
  await expect(page.getByTestId('http-result')).toContainText('HTTP/1.1 413');
});
