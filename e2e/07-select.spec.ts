// Lesson 7 walk: a timeout that fires and one that does not, fan-in of two producers, and a non-blocking send
// that drops work; then the TypeScript twin.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { programOutput, runProgram, timelineSettled } from './goroutineLessonPage';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 7: select with timeouts, fan-in and default', async ({ page }) => {
  await openLesson(page, '07-select');
  await walkSteps(page, '07-select');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/select and timeouts|select 与超时/);

  expect(await runProgram(page, 'select-timeout', { workMs: 300, timeoutMs: 200 })).toBe('ok');
  expect(await programOutput(page)).toContain('timeout after 200 ms');
  expect(await runProgram(page, 'select-timeout', { workMs: 50, timeoutMs: 200 })).toBe('ok');
  expect(await programOutput(page)).toContain('got: answer after 50 ms');
  await timelineSettled(page, 'ok');

  expect(await runProgram(page, 'fan-in', { n: 4 })).toBe('ok');
  const fanIn = await programOutput(page);
  expect(fanIn.match(/fast: f\d/g)).toHaveLength(4);
  expect(fanIn.match(/slow: s\d/g)).toHaveLength(4);
  expect(fanIn).toContain('both producers done');

  expect(await runProgram(page, 'select-default', { n: 12, capacity: 2 })).toBe('ok');
  const dropped = await programOutput(page);
  expect(dropped).toMatch(/queue full: dropped \d+/);
  expect(dropped).toMatch(/\d+ jobs done, \d+ dropped/);

  await runAndWait(page, 'snippet-run');
  await expect.poll(() => consoleText(page)).toContain('queue full, dropped 2');
});
