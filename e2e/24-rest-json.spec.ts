// Lesson 24 walk: the items resource through the request builder: list, create (201 and Location), get, update,
// delete (204, then 404), a bad body (422) and broken JSON (400), and the exchange in the bytes view; then the
// TypeScript twin runs the same client from the browser.
import { expect, test, type Page } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { consoleText, runAndWait } from './snippetPage';

async function send(page: Page, method: string, path: string, body = ''): Promise<string> {
  await page.getByTestId('http-method').selectOption(method);
  await page.getByTestId('http-path').fill(path);
  await page.getByTestId('http-body').fill(body);
  const result = page.getByTestId('http-result');
  const before = (await result.count()) > 0 ? await result.getAttribute('data-sent') : null;
  await page.getByTestId('http-send').click();
  await expect(result).not.toHaveAttribute('data-sent', before ?? '');
  return (await result.textContent()) ?? '';
}

test('lesson 24: REST with JSON on the real server', async ({ page }) => {
  await openLesson(page, '24-rest-json');
  await walkSteps(page, '24-rest-json');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/REST with JSON|用 JSON 的 REST/);

  expect(await send(page, 'GET', '/items')).toContain('HTTP/1.1 200 OK');
  const list = page.locator('[data-testid="http-message"][data-dir="out"]').first();
  await expect(list.locator('[data-kind="header"]', { hasText: 'Content-Type: application/json' })).toHaveCount(1);
  await expect(list.locator('[data-kind="body"]')).toContainText('"name":"learn HTTP"');

  expect(await send(page, 'POST', '/items', '{"name":"milk"}')).toContain('HTTP/1.1 201 Created');
  const created = page.locator('[data-testid="http-message"][data-dir="out"]').first();
  const location = created.locator('[data-kind="header"]', { hasText: 'Location: /items/' });
  await expect(location).toHaveCount(1);
  const id = /Location: \/items\/(\d+)/.exec((await location.textContent()) ?? '')![1]!;
  // The builder added the length and type of the body.
  const sent = page.locator('[data-testid="http-message"][data-dir="in"]').first();
  await expect(sent.locator('[data-kind="header"]', { hasText: 'Content-Length: 15' })).toHaveCount(1);
  await expect(sent.locator('[data-kind="body"]')).toContainText('{"name":"milk"}');

  expect(await send(page, 'GET', `/items/${id}`)).toContain('HTTP/1.1 200 OK');
  expect(await send(page, 'PUT', `/items/${id}`, '{"name":"milk","done":true}')).toContain('HTTP/1.1 200 OK');
  await expect(page.locator('[data-testid="http-message"][data-dir="out"] [data-kind="body"]').first()).toContainText(
    '"done":true',
  );
  expect(await send(page, 'DELETE', `/items/${id}`)).toContain('HTTP/1.1 204 No Content');
  await expect(page.locator('[data-testid="http-message"][data-dir="out"]').first()).toHaveAttribute(
    'data-framing',
    'none',
  );
  expect(await send(page, 'DELETE', `/items/${id}`)).toContain('HTTP/1.1 404 Not Found');
  expect(await send(page, 'POST', '/items', '{"name":""}')).toContain('HTTP/1.1 422');
  expect(await send(page, 'POST', '/items', '{"name":"milk"')).toContain('HTTP/1.1 400 Bad Request');
  expect(await send(page, 'GET', '/panic')).toContain('HTTP/1.1 500 Internal Server Error');

  // The TypeScript twin plays the same client from the browser: its own item, then the refusals, then a 500.
  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toMatch(/201 Created {2}Location: \/items\/\d+/);
  for (const status of ['204 No Content', '404 Not Found', '422 ', '400 Bad Request', '413 ', '415 ', '500 ']) {
    expect(out).toContain(`HTTP/1.1 ${status}`);
  }
});
