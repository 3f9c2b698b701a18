// Lesson 6 walk: an unbuffered hand-off drawn as arrows, a buffered channel filling up, close and range, and
// a send with no receiver stopping with Go's deadlock report; then the TypeScript twin, whose own run the timeline
// and the dump show as the student's.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { programOutput, runProgram, timelineNumber, timelineSettled } from './goroutineLessonPage';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 6: hand-offs, buffer occupancy, close/range and a deadlock report', async ({ page }) => {
  await openLesson(page, '06-channels');
  await walkSteps(page, '06-channels');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Channels|通道/);

  expect(await runProgram(page, 'unbuffered', { n: 5 })).toBe('ok');
  await timelineSettled(page, 'ok');
  // Every value went straight from the producer to the waiting consumer: five arrows.
  expect(await timelineNumber(page, 'data-handoffs')).toBe(5);
  expect(await programOutput(page)).toContain('received 5');

  expect(await runProgram(page, 'buffered', { n: 8, capacity: 3 })).toBe('ok');
  await timelineSettled(page, 'ok');
  // The producer ran ahead until the buffer was full.
  expect(await programOutput(page)).toContain('len 3/3');

  expect(await runProgram(page, 'close-range')).toBe('ok');
  expect(await programOutput(page)).toContain('after close: v="" ok=false');

  expect(await runProgram(page, 'forgot-receiver')).toBe('deadlock');
  await timelineSettled(page, 'deadlock');
  const dump = page.getByTestId('goroutine-dump');
  await expect(dump.getByTestId('deadlock-report')).toContainText('fatal error: all goroutines are asleep - deadlock!');
  await expect(dump.getByTestId('deadlock-report')).toContainText('goroutine 1 [chan send]');
  await expect(dump.getByTestId('deadlock-report')).toContainText('"results"');

  await runAndWait(page, 'snippet-run');
  await expect.poll(() => consoleText(page)).toContain('after close: v=0 ok=false');

  // The twin's own run takes the timeline and the dump over, labelled as the student's: main and two producers,
  // each unbuffered value handed from the producer to main.
  const timeline = page.getByTestId('goroutine-timeline');
  await expect(timeline).toHaveAttribute('data-owner', 'run');
  await timelineSettled(page, 'ok');
  await expect(timeline.getByTestId('goroutine-run-owner')).toHaveText(/Your run|你的运行/);
  expect(await timelineNumber(page, 'data-lanes')).toBe(3);
  expect(await timelineNumber(page, 'data-handoffs')).toBeGreaterThanOrEqual(3);
  await expect(dump).toHaveAttribute('data-owner', 'run');
  await dump.getByTestId('dump-filter-all').click();
  await expect(dump.getByTestId('dump-row')).toHaveCount(3);
  await expect(dump.getByTestId('dump-row').nth(1)).toContainText('producer');
  await expect(dump.getByTestId('dump-row').nth(1)).toContainText('main.ts:');
  const firstRun = await timeline.getAttribute('data-demo');
  expect(firstRun).toMatch(/^snippet-/);

  // A second run replaces the first instead of adding to it.
  await runAndWait(page, 'snippet-run');
  await expect(timeline).not.toHaveAttribute('data-demo', firstRun!);
  await expect(timeline).toHaveAttribute('data-owner', 'run');
  await timelineSettled(page, 'ok');
  expect(await timelineNumber(page, 'data-lanes')).toBe(3);

  // The lab's demo run afterwards takes the views back, labelled as the lab's.
  expect(await runProgram(page, 'unbuffered', { n: 2 })).toBe('ok');
  await expect(timeline).toHaveAttribute('data-owner', 'lab');
  await timelineSettled(page, 'ok');
  await expect(timeline.getByTestId('goroutine-run-owner')).toHaveText(/goroutines/);
});
