// Lesson 10 walk: timeouts that leak their workers (the dump lists them when main returns), the fix with a
// context and a buffered answer (no leak), workers cancelled together; then the TypeScript twin's leak report.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { programOutput, runProgram, timelineSettled } from './goroutineLessonPage';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 10: leaks reported, context prevents them', async ({ page }) => {
  await openLesson(page, '10-context-leaks');
  await walkSteps(page, '10-context-leaks');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    /Context cancellation and goroutine leaks|context 取消与 goroutine 泄漏/,
  );

  expect(await runProgram(page, 'leak', { n: 5 })).toBe('ok');
  await timelineSettled(page, 'ok');
  const summary = page.getByTestId('leak-summary');
  await expect(summary).toHaveAttribute('data-leaks', '5');
  await expect(summary).toContainText('[chan send]');
  await expect(page.getByTestId('program-result')).toContainText(
    'goroutine leak: 5 goroutines still blocked when the run ended',
  );
  // The blocked workers are in the dump, waiting on their answer channels.
  await page.getByTestId('dump-filter-blocked').click();
  await expect(page.getByTestId('dump-row')).toHaveCount(5);
  await expect(page.getByTestId('dump-row').first()).toContainText('chan send');

  expect(await runProgram(page, 'leak-fixed', { n: 5 })).toBe('ok');
  await timelineSettled(page, 'ok');
  await expect(page.getByTestId('leak-summary')).toHaveAttribute('data-leaks', '0');
  expect(await programOutput(page)).toContain('context deadline exceeded');

  expect(await runProgram(page, 'context-cancel', { n: 3 })).toBe('ok');
  expect((await programOutput(page)).match(/stopped after \d+ ticks: context canceled/g)).toHaveLength(3);

  await runAndWait(page, 'snippet-run');
  const out = await consoleText(page);
  expect(out).toContain('all workers stopped: context canceled');
});
