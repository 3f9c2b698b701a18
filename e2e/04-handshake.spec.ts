// Lesson 4 walk: run scenarios on real connections, read the handshake off the flow graph (SYN, SYN-ACK, ACK with
// matching numbers), open a segment, replay with the state machine, see a reset and a CLOSE_WAIT pile-up fixed.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { demoPort, openLesson } from './labPage';
import { openStep, walkSteps } from './lessonSteps';

interface RowData {
  kind: string;
  title: string;
  seq?: string;
  ack?: string;
  len?: string;
}

async function segmentRows(page: Page): Promise<RowData[]> {
  // The flow graph only keeps the rows in view in the DOM: scroll to the top first.
  await page.getByTestId('flow-scroll').evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  // Rows are drawn for the rows in view: wait until the first one drawn is the top row.
  await expect(page.getByTestId('flow-row').first()).toHaveAttribute('style', /(^|;\s*)top: 0px/);
  return page.locator('[data-testid="flow-row"][data-kind="segment"]').evaluateAll((els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { kind: d.kind!, title: d.title!, seq: d.seq, ack: d.ack, len: d.len };
    }),
  );
}

async function runScenario(page: Page, scenario: string): Promise<void> {
  const summaries = page.getByTestId('run-summary');
  await page.getByTestId(`scenario-${scenario}`).click();
  await expect(page.getByTestId(`scenario-${scenario}`)).toBeEnabled({ timeout: 20_000 });
  await expect(summaries).toBeVisible();
}

test('lesson 4: handshake and teardown on real connections', async ({ page }) => {
  await openLesson(page, '04-handshake');
  await walkSteps(page, '04-handshake');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    /Three-way handshake and teardown|三次握手与四次挥手/,
  );
  const closed = await demoPort(page, 'handshake', 'closed-port');
  await openStep(page, /Nobody listening|无人监听/);
  await expect(page.locator('.prose')).toContainText(`nc ${closed.host} ${closed.port}`);

  // The capture runs (CI runs as root with tcpdump installed); the panel says so.
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-status', 'capturing');

  await runScenario(page, 'client-closes');
  await expect(page.getByTestId('handshake-match')).toContainText('✓');
  await expect(page.getByTestId('teardown-count')).toContainText(/^[34] /);
  await expect(page.getByTestId('time-wait')).toHaveCount(1);

  // SYN, SYN-ACK, ACK in relative numbers: 0; 0 ack 1; 1 ack 1.
  const rel = await segmentRows(page);
  expect(rel.slice(0, 3)).toEqual([
    { kind: 'segment', title: 'SYN', seq: '0', ack: undefined, len: '0' },
    { kind: 'segment', title: 'SYN, ACK', seq: '0', ack: '1', len: '0' },
    { kind: 'segment', title: 'ACK', seq: '1', ack: '1', len: '0' },
  ]);
  await expect(page.locator('[data-testid="flow-row"][data-title="SYN, ACK"]').first()).toContainText('(ack = 0 + 1)');

  // Absolute numbers: the server acknowledges the client's ISN + 1, and the client the server's ISN + 1.
  await page.getByTestId('toggle-relative').uncheck();
  const abs = await segmentRows(page);
  const [syn, synAck, ack] = abs;
  expect(Number(synAck!.ack)).toBe((Number(syn!.seq) + 1) % 2 ** 32);
  expect(Number(ack!.ack)).toBe((Number(synAck!.seq) + 1) % 2 ** 32);
  expect(Number(syn!.seq)).toBeGreaterThan(1);
  await page.getByTestId('toggle-relative').check();

  // Every header field and the bytes of the SYN.
  await page.locator('[data-testid="flow-row"][data-title="SYN"]').first().click();
  const detail = page.getByTestId('segment-detail');
  await expect(detail).toContainText('MSS 65495');
  await expect(detail).toContainText('sequence number');
  await expect(page.getByTestId('segment-hex')).toContainText('0000');

  // Replay: back to the start, then step until both ends are ESTABLISHED; the views move together.
  const position = page.getByTestId('replay-position');
  const total = Number((await position.textContent())!.split('/')[1]);
  await page.getByRole('slider').focus();
  await page.keyboard.press('Home');
  await expect(position).toHaveText(`0 / ${total}`);
  await expect(page.getByTestId('flow-graph')).toHaveAttribute('data-rows', '0');
  const established = page.locator('.sm-node[data-state="ESTABLISHED"]');
  for (let i = 0; i < total && (await established.getAttribute('data-current')) !== 'client server'; i++) {
    await page.getByTestId('replay-forward').click();
  }
  await expect(established).toHaveAttribute('data-current', 'client server');
  const shownRows = Number(await page.getByTestId('flow-graph').getAttribute('data-rows'));
  expect(shownRows).toBeGreaterThanOrEqual(3);
  expect(shownRows).toBeLessThan(total);
  await expect(page.getByTestId('sm-steps-client')).toContainText('SYN_SENT');
  await page.getByLabel(/Speed|速度/).selectOption('1');
  await page.getByTestId('replay-play').click();
  await expect(position).toHaveText(`${total} / ${total}`, { timeout: 30_000 });
  await expect(page.locator('.sm-node[data-state="TIME_WAIT"]')).toHaveAttribute('data-current', 'client');

  // The recording exports as JSON with every event.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const file = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as {
    format: string;
    events: { kind: string }[];
  };
  expect(file.format).toBe('gonet-lab-recording');
  expect(file.events.filter((e) => e.kind === 'packet.segment').length).toBeGreaterThanOrEqual(8);

  // Nobody listening: SYN answered by RST.
  await runScenario(page, 'refused');
  const refused = await segmentRows(page);
  expect(refused.map((r) => r.title)).toEqual(['SYN', 'RST, ACK']);
  expect(refused[1]).toMatchObject({ seq: '1', ack: '1' });

  // The CLOSE_WAIT bug, and its fix.
  await runScenario(page, 'close-wait-pileup');
  await expect(page.getByTestId('close-wait-count')).toContainText(/^5 /);
  await expect(page.getByTestId('leaked')).toContainText('5');
  await page.getByTestId('close-leaked').click();
  await expect(page.getByTestId('leaked')).toHaveCount(0);
});
