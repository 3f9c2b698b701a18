// Helpers the snippet and exercise walks share: put text into the snippet editor as a student pasting would,
// run it and wait for the run to end.
import { expect, type Page } from '@playwright/test';

/**
 * Replaces the editor's text by pasting (typing would trigger Monaco's auto-closing brackets); `workbench` is the
 * editor's workbench (the snippet's, or the Go tab's).
 */
export async function setSnippet(page: Page, text: string, workbench = 'snippet-workbench'): Promise<void> {
  const editor = page.locator(`[data-testid="${workbench}"] .snippet-editor .monaco-editor`).last();
  await editor.waitFor();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  const wanted = text.replace(/\s+/g, '').slice(0, 40);
  // On a loaded machine the first click can land before Monaco has focused its input, so the keys go to the page:
  // paste again until the editor shows the text.
  await expect(async () => {
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    // Back to the top: Monaco renders only the lines in view.
    await page.keyboard.press('ControlOrMeta+Home');
    await expect
      .poll(async () => (await editor.locator('.view-lines').innerText()).replace(/\s+/g, ''), { timeout: 3_000 })
      .toContain(wanted);
  }).toPass({ timeout: 20_000 });
}

export async function waitReady(page: Page): Promise<void> {
  await expect(page.getByTestId('snippet-status')).toHaveAttribute('data-phase', /ready|finished/, { timeout: 20_000 });
}

/** Clicks a button of the workbench (snippet-run, snippet-check…) and waits for the run to finish. */
export async function runAndWait(page: Page, button: 'snippet-run' | 'snippet-check', timeout = 30_000): Promise<void> {
  await waitReady(page);
  const status = page.getByTestId('snippet-status');
  const runs = Number(await status.getAttribute('data-runs'));
  await page.getByTestId(button).click();
  await expect(status).toHaveAttribute('data-runs', String(runs + 1));
  await expect(status).toHaveAttribute('data-phase', 'finished', { timeout });
}

export function consoleText(page: Page): Promise<string> {
  return page.getByTestId('snippet-console').innerText();
}

/** The echo snippet: dial the lab's echo server, write a line, print what came back. */
export const ECHO_SNIPPET = `import { fmt, lab, net } from 'gonet';

export async function main(): Promise<void> {
  const [conn, err] = await net.dial('tcp', lab.addr('echo'));
  if (err !== null) {
    fmt.println('dial:', err.message);
    return;
  }
  await conn.write('hello from the browser\\n');
  const buf = new Uint8Array(256);
  const [n] = await conn.read(buf);
  fmt.printf('echoed %q\\n', new TextDecoder().decode(buf.subarray(0, n)));
  conn.close();
}
`;
