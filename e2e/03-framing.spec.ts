// Lesson 3 walk: the three framing servers. Stuck-together frames come out whole, pieces are reassembled, bad frames
// close only their own connection, and outside clients (nc-style) see the same.
import { expect, test } from '@playwright/test';
import { demoPort, openLesson, rawClient } from './labPage';
import { walkSteps } from './lessonSteps';

test('lesson 3: length prefix — three frames from one write, pieces reassembled, a too-large frame refused', async ({
  page,
}) => {
  await openLesson(page, '03-framing');
  await walkSteps(page, '03-framing');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/message boundaries|消息边界/);
  const lp = await demoPort(page, 'framing', 'length-prefix');
  // The lesson names the real ports.
  await expect(page.locator('.prose')).toContainText(`${lp.host}:${lp.port}`);

  const view = page.getByTestId('framing-inspector');
  await page.getByTestId('mode-length-prefix').click();
  await expect(view.getByTestId('try-command')).toContainText(`-addr ${lp.host}:${lp.port}`);
  await page.getByTestId('open-framing-client').click();
  const mine = view.locator('[data-testid="framed-conn"][data-mine="true"]').first();
  await expect(mine).toBeVisible();

  await mine.getByTestId('framing-send').click();
  await expect(mine.getByTestId('decoder-frames')).toHaveText('3');
  await expect(mine.getByTestId('frame-row')).toHaveCount(3);
  await expect(mine.getByTestId('frame-row').nth(0)).toContainText('hello');
  await expect(mine.getByTestId('frame-row').nth(2)).toContainText('packets');
  await expect(mine.getByTestId('decoder-overhead')).toContainText('12 B');

  // In 3-byte pieces: the frames still come out whole.
  await mine.getByTestId('framing-send-pieces').click();
  await expect(mine.getByTestId('decoder-frames')).toHaveText('6', { timeout: 20_000 });
  await expect(mine.getByTestId('decoder-buffered')).toHaveText('0');

  // 1 MiB + 1 announced: refused from the header, the connection closes, shown in red.
  await mine.getByTestId('bad-too-large').click();
  const failed = view
    .locator('[data-testid="framed-conn"]')
    .filter({ has: page.locator('[data-code="E_FRAME_TOO_LARGE"]') });
  await expect(failed).toHaveCount(1);
  await expect(failed).toHaveAttribute('data-closed', 'true');
  await expect(failed.getByTestId('decoder-phase')).toHaveText(/nothing: failed|无[:：]已失败/);

  // Another connection carries on.
  await page.getByTestId('open-framing-client').click();
  const second = view.locator('[data-testid="framed-conn"][data-mine="true"][data-closed="false"]');
  await expect(second).toHaveCount(1);
  await second.getByTestId('framing-send').click();
  await expect(second.getByTestId('decoder-frames')).toHaveText('3');
});

test('lesson 3: delimiter and fixed length with outside clients, as nc would connect', async ({ page }) => {
  await openLesson(page, '03-framing');
  const view = page.getByTestId('framing-inspector');

  // Delimiter: two lines in one write come back as two lines and show as two frames.
  await page.getByTestId('mode-delimiter').click();
  const dl = await demoPort(page, 'framing', 'delimiter');
  await expect(view.getByTestId('try-command')).toHaveText(`nc ${dl.host} ${dl.port}`);
  const nc = await rawClient(dl.host, dl.port);
  const received: Buffer[] = [];
  nc.on('data', (d) => received.push(d));
  nc.write('first line\r\nsecond line\n');
  const outside = view.locator('[data-testid="framed-conn"][data-mine="false"]').filter({ hasText: 'second line' });
  await expect(outside).toHaveCount(1);
  await expect(outside.getByTestId('frame-row')).toHaveCount(2);
  await expect.poll(() => Buffer.concat(received).toString()).toBe('first line\nsecond line\n');

  // A line over 4 KiB: E_LINE_TOO_LONG, and the nc user reads why before the close.
  const closed = new Promise<void>((resolve) => nc.once('close', () => resolve()));
  nc.write('x'.repeat(5000));
  await closed;
  expect(Buffer.concat(received).toString()).toContain('error E_LINE_TOO_LONG');
  await expect(outside.locator('[data-code="E_LINE_TOO_LONG"]')).toBeVisible();

  // Fixed length: 6 bytes of a 16-byte record wait in the decoder; 10 more complete it.
  await page.getByTestId('mode-fixed').click();
  const fx = await demoPort(page, 'framing', 'fixed');
  const typed = await rawClient(fx.host, fx.port);
  typed.write('hello\n');
  const conn = view.locator('[data-testid="framed-conn"][data-mine="false"][data-closed="false"]').first();
  await expect(conn.getByTestId('decoder-buffered')).toHaveText('6');
  await expect(conn.getByTestId('decoder-expected')).toHaveText('16 B');
  const echoed = new Promise<string>((resolve) => typed.once('data', (d) => resolve(d.toString())));
  typed.write('0123456789');
  expect(await echoed).toBe('hello\n0123456789');
  await expect(conn.getByTestId('decoder-frames')).toHaveText('1');
  typed.end();
});
