// Lesson 27 walk: a TLS 1.3 session's ClientHello fields and its echoed line decrypted beside its ciphertext, TLS 1.2
// and a HelloRetryRequest counted at two round trips, a bad certificate refused by the lesson's Go client (its alert
// in the capture), and garbage on the TLS port; accessible in both themes.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';

test('lesson 27: TLS records on the wire, decrypted with the session keys, and a refused certificate', async ({
  page,
}) => {
  // The first Go build of the lesson's client compiles crypto/tls: minutes on a busy 2-core machine.
  test.setTimeout(400_000);
  await openLesson(page, '27-tls');
  await walkSteps(page, '27-tls');
  const view = page.getByTestId('tls-view');
  await expect(view).toBeVisible();

  // A TLS 1.3 session: the client reports the version, the line came back.
  await view.getByTestId('tls-message').fill('hello over TLS');
  await view.getByTestId('tls-session-run').click();
  const session = view.getByTestId('tls-session-result');
  await expect(session).toHaveAttribute('data-version', 'TLSv1.3', { timeout: 20_000 });
  await expect(session).toContainText('hello over TLS');
  await expect(session).toContainText('keylog.txt');
  const capturing = (await view.getByTestId('tls-capture').getAttribute('data-status')) === 'capturing';
  // Without capture (tcpdump not permitted) the view says so, and only the runs' own results can be checked.
  if (capturing) await expectRecords();
  else await expect(view.getByTestId('tls-capture')).toContainText(/capture unavailable|无法抓包/);

  async function expectRecords() {
    const records = view.getByTestId('tls-record');
    // The ClientHello in the clear: the name the client asked for and the versions it offers.
    await records.first().click();
    const hello = view.getByTestId('tls-client-hello');
    await expect(hello).toContainText('localhost');
    await expect(hello).toContainText('TLS 1.3');
    await expect(hello).toContainText('x25519');

    // The client's line, encrypted on the wire and opened with the session keys.
    const line = view.locator('[data-testid="tls-record"][data-from="client"][data-inner="application_data"]');
    await expect(line.first()).toHaveAttribute('data-text', 'hello over TLS\n', { timeout: 15_000 });
    await line.first().click();
    await expect(view.getByTestId('tls-plaintext-text')).toHaveText('hello over TLS');
    await expect(view.getByTestId('tls-plaintext')).toHaveAttribute('data-inner', 'application_data');
    const cipher = (await view.getByTestId('tls-ciphertext').textContent()) ?? '';
    expect(cipher).toMatch(/^([0-9a-f]{2}[ \n])+[0-9a-f]{2}$/);
    expect(cipher.replace(/\s/g, '')).not.toContain(Buffer.from('hello').toString('hex'));
    await expect(view.getByTestId('tls-round-trips')).toHaveAttribute('data-count', '1', { timeout: 15_000 });

    // TLS 1.2: two round trips.
    await view.getByTestId('tls-version').selectOption('1.2');
    await view.getByTestId('tls-session-run').click();
    await expect(session).toHaveAttribute('data-version', 'TLSv1.2', { timeout: 20_000 });
    await expect(view.getByTestId('tls-round-trips')).toHaveAttribute('data-count', '2', { timeout: 15_000 });

    // TLS 1.3 with a P-384 key share only: the server asks again, two round trips.
    await view.getByTestId('tls-version').selectOption('1.3');
    await view.getByTestId('tls-hello-retry').check();
    await view.getByTestId('tls-session-run').click();
    await expect(session).toHaveAttribute('data-version', 'TLSv1.3', { timeout: 20_000 });
    await expect(view.getByTestId('tls-ladder')).toContainText('hello_retry_request', { timeout: 15_000 });
    await expect(view.getByTestId('tls-round-trips')).toHaveAttribute('data-count', '2', { timeout: 15_000 });
    await view.getByTestId('tls-hello-retry').uncheck();
  }

  // A certificate for another name: the lesson's Go client refuses it, and its alert is in the capture.
  await view.getByTestId('tls-bad-wrong-name').click();
  const bad = view.getByTestId('tls-bad-result');
  await expect(bad).toBeVisible({ timeout: 360_000 });
  if ((await bad.getAttribute('data-dialer')) === 'go') {
    await expect(view.getByTestId('tls-bad-error')).toHaveText(
      'x509: certificate is valid for wrong.example, not localhost',
    );
    if (capturing) {
      const alert = view.locator('[data-testid="tls-record"][data-from="client"][data-alert="bad_certificate"]');
      await expect(alert).toHaveCount(1, { timeout: 15_000 });
      await alert.click();
      await expect(view.getByTestId('tls-inner-alert')).toContainText('fatal bad_certificate');
    }
  } else {
    await expect(view.getByTestId('tls-bad-error')).toContainText('ERR_TLS_CERT_ALTNAME_INVALID');
  }

  // Garbage: an HTTP request is not TLS (closed without an alert); a broken ClientHello gets decode_error.
  await view.getByTestId('tls-garbage-http').click();
  await expect(view.getByTestId('tls-garbage-result')).toHaveAttribute('data-alert', '', { timeout: 20_000 });
  if (capturing) {
    await expect(view.getByTestId('tls-stream-error')).toContainText('E_TLS_NOT_TLS', { timeout: 15_000 });
    await expect(view.getByTestId('tls-stream-error')).toContainText('GET / HTTP/1.1');
  }
  await view.getByTestId('tls-garbage-broken').click();
  await expect(view.getByTestId('tls-garbage-result')).toHaveAttribute('data-alert', 'decode_error', {
    timeout: 20_000,
  });
  if (capturing) {
    const alert = view.locator('[data-testid="tls-record"][data-from="server"][data-alert="decode_error"]');
    await expect(alert).toHaveCount(1, { timeout: 15_000 });
  }

  await expectAccessible(page, 'lesson 27 view after every run', '[data-testid="tls-view"]');
  await page.getByTestId('theme-toggle').click();
  await expectAccessible(page, 'lesson 27 view after every run, other theme', '[data-testid="tls-view"]');
  await page.getByTestId('theme-toggle').click();
});
