// Helpers the goroutine lesson walks (5–8, 10) share: run one of the goroutines demo's programs from the lesson
// page and read what the timeline, the dump and the program's output show.
import { expect, type Page } from '@playwright/test';

export async function runProgram(
  page: Page,
  program: string,
  knobs: Record<string, number | boolean> = {},
): Promise<string> {
  const panel = page.getByTestId('goroutine-programs');
  await panel.getByTestId('program-select').selectOption(program);
  for (const [k, v] of Object.entries(knobs)) {
    const input = panel.getByTestId(`knob-${k}`);
    if (typeof v === 'boolean') await input.setChecked(v);
    else await input.fill(String(v));
  }
  const runs = Number(await panel.getAttribute('data-runs'));
  await panel.getByTestId('program-run').click();
  await expect(panel).toHaveAttribute('data-runs', String(runs + 1), { timeout: 30_000 });
  const result = panel.getByTestId('program-result');
  await expect(result).toHaveCount(1);
  return (await result.getAttribute('data-status')) ?? '';
}

export function programOutput(page: Page): Promise<string> {
  return page.getByTestId('program-output').innerText();
}

/** Waits until the timeline has folded the finished run (its status is no longer "running"). */
export async function timelineSettled(page: Page, status: string): Promise<void> {
  await expect(page.getByTestId('goroutine-timeline')).toHaveAttribute('data-status', status, { timeout: 15_000 });
}

export async function timelineNumber(
  page: Page,
  attr: 'data-lanes' | 'data-handoffs' | 'data-events' | 'data-alive',
): Promise<number> {
  return Number(await page.getByTestId('goroutine-timeline').getAttribute(attr));
}
