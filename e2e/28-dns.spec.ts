// Lesson 28 walk: the lab's DNS server answers, says NXDOMAIN, SERVFAIL, stays silent and truncates for real; the
// view shows each outcome, the UDP query with TC followed by the TCP one, what Go's resolver reported for each name,
// the cache keeping an old answer for its TTL after a record change, a pointer loop refused; in both languages and
// both themes, accessible.
import dgram from 'node:dgram';
import { expect, test, type Locator } from '@playwright/test';
import { expectAccessible } from './accessibility';
import { demoPort, openLesson } from './labPage';
import { switchTo, walkSteps } from './lessonSteps';

async function ask(view: Locator, scenario: string, outcome: string): Promise<void> {
  await view.getByTestId(`dns-ask-${scenario}`).click();
  await expect(view.getByTestId('dns-lookup')).toHaveAttribute('data-outcome', outcome, { timeout: 20_000 });
}

test('lesson 28: DNS answers and errors, TC then TCP, what Go reports, TTL and the cache', async ({ page }) => {
  test.setTimeout(180_000);
  await openLesson(page, '28-dns');
  await walkSteps(page, '28-dns');
  const view = page.getByTestId('dns-lab');
  await expect(view).toBeVisible();

  // A student's own query, as dig would send it: answered by the lab's server over UDP.
  const { host, port } = await demoPort(page, 'dns');
  const student = dgram.createSocket('udp4');
  const answer = new Promise<Buffer>((resolve) => student.once('message', resolve));
  const query = Buffer.from('abcd01000001000000000000' + '0473686f70036c616204746573740000010001', 'hex');
  student.send(query, port, host);
  const reply = await answer;
  student.close();
  expect([reply.readUInt16BE(0), reply[3] & 0xf, reply.readUInt16BE(6)]).toEqual([0xabcd, 0, 1]);

  // Each scenario's outcome, in English.
  await switchTo(page, 'en');
  await view.getByTestId('dns-cache').uncheck();
  await ask(view, 'ok', 'ok');
  await expect(view.getByTestId('dns-answers')).toContainText('10.0.0.7');
  await ask(view, 'nxdomain', 'nxdomain');
  await expect(view.getByTestId('dns-outcome')).toContainText('NXDOMAIN');
  await ask(view, 'servfail', 'servfail');
  await expect(view.getByTestId('dns-outcome')).toContainText('SERVFAIL');
  await ask(view, 'timeout', 'timeout');
  await expect(view.getByTestId('dns-attempts')).toContainText('no answer');

  // Too big for UDP: a UDP attempt with TC, then TCP with all 100 answers; the packets list shows both transports.
  await ask(view, 'truncated', 'ok');
  const attempts = view.getByTestId('dns-attempts').locator('tbody tr');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toHaveAttribute('data-transport', 'udp');
  await expect(attempts.nth(0)).toHaveAttribute('data-tc', 'true');
  await expect(attempts.nth(1)).toHaveAttribute('data-transport', 'tcp');
  await expect(view.getByTestId('dns-answers')).toContainText('100');
  const capturing = (await view.getByTestId('dns-capture').getAttribute('data-status')) === 'capturing';
  if (capturing) {
    const packets = view.getByTestId('dns-packets');
    await expect(packets.locator('tr[data-tc="true"][data-transport="udp"]').first()).toBeVisible({ timeout: 20_000 });
    await expect(packets.locator('tr[data-qr="true"][data-transport="tcp"]').first()).toBeVisible({ timeout: 20_000 });
    await expect(packets.locator('tr[data-rcode="NXDOMAIN"]').first()).toBeVisible();
  } else {
    await expect(view.getByTestId('dns-served').locator('tr[data-action="truncated"]').first()).toBeVisible();
  }

  // The same errors in Chinese.
  await switchTo(page, 'zh');
  await ask(view, 'nxdomain', 'nxdomain');
  await expect(view.getByTestId('dns-outcome')).toContainText('名字不存在');
  await ask(view, 'timeout', 'timeout');
  await expect(view.getByTestId('dns-outcome')).toContainText('超时');
  await switchTo(page, 'en');

  // What Go's resolver reported for each name (skipped only where Go is missing: the view says so).
  await view.getByTestId('dns-go').click();
  const go = view.getByTestId('dns-go-result').or(view.getByTestId('dns-go-missing'));
  await expect(go).toBeVisible({ timeout: 120_000 });
  if (await view.getByTestId('dns-go-result').isVisible()) {
    const row = (name: string) => view.getByTestId('dns-go-result').locator(`tr[data-name="${name}"]`);
    await expect(row('nothere.lab.test')).toContainText('no such host');
    await expect(row('nothere.lab.test').locator('td').nth(2)).toHaveText('true');
    await expect(row('broken.lab.test')).toContainText('server misbehaving');
    await expect(row('silent.lab.test').locator('td').nth(3)).toHaveText('true');
    await expect(row('big.lab.test')).toHaveAttribute('data-ok', 'true');
    await expect(view.getByTestId('dns-go-output')).toContainText('dial tcp', { useInnerText: false });
  }

  // TTL: cached answer survives a record change until the TTL runs out; without the cache the new address shows.
  await view.getByTestId('dns-cache').check();
  await ask(view, 'ok', 'ok');
  await view.getByTestId('dns-address').fill('10.0.0.8');
  await view.getByTestId('dns-set').click();
  await expect(view.getByTestId('dns-zone').locator('tr[data-name="shop.lab.test"][data-type="A"]')).toContainText(
    '10.0.0.8',
  );
  await ask(view, 'ok', 'ok');
  await expect(view.getByTestId('dns-lookup')).toHaveAttribute('data-from-cache', 'true');
  await expect(view.getByTestId('dns-answers')).toContainText('10.0.0.7');
  await view.getByTestId('dns-cache').uncheck();
  await ask(view, 'ok', 'ok');
  await expect(view.getByTestId('dns-lookup')).toHaveAttribute('data-from-cache', 'false');
  await expect(view.getByTestId('dns-answers')).toContainText('10.0.0.8');
  await view.getByTestId('dns-reset').click();
  await expect(view.getByTestId('dns-zone').locator('tr[data-name="shop.lab.test"][data-type="A"]')).toContainText(
    '10.0.0.7',
  );

  // A pointer loop is refused by the server's codec with its code; a flood is bounded.
  await view.getByTestId('dns-malformed').click();
  await expect(view.getByTestId('dns-malformed-result')).toHaveAttribute('data-refusal', 'E_DNS_POINTER_LOOP', {
    timeout: 20_000,
  });
  await expect(view.getByTestId('dns-malformed-result')).toContainText('FORMERR');
  await view.getByTestId('dns-flood').click();
  await expect(view.getByTestId('dns-flood-result')).toBeVisible({ timeout: 20_000 });
  expect(Number(await view.getByTestId('dns-flood-result').getAttribute('data-dropped'))).toBeGreaterThan(0);

  await expectAccessible(page, 'lesson 28 view after every run', '[data-testid="dns-lab"]');
  await page.getByTestId('theme-toggle').click();
  await expectAccessible(page, 'lesson 28 view after every run, other theme', '[data-testid="dns-lab"]');
  await page.getByTestId('theme-toggle').click();
});
