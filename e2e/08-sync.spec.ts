// Lesson 8 walk: a shared counter loses updates without a lock, is right with a Mutex (goroutines queueing on
// the lock), and right when one goroutine owns it; then the TypeScript twin.
import { expect, test } from '@playwright/test';
import { openLesson } from './labPage';
import { walkSteps } from './lessonSteps';
import { programOutput, runProgram, timelineNumber, timelineSettled } from './goroutineLessonPage';
import { consoleText, runAndWait } from './snippetPage';

test('lesson 8: lost updates, Mutex and an owner goroutine', async ({ page }) => {
  await openLesson(page, '08-sync');
  await walkSteps(page, '08-sync');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    /WaitGroup, Mutex or channel|WaitGroup、Mutex 还是通道/,
  );

  expect(await runProgram(page, 'counter-race', { n: 10, useMutex: false })).toBe('ok');
  const lost = /counter = (\d+), expected 30/.exec(await programOutput(page));
  expect(Number(lost?.[1])).toBeLessThan(30);

  expect(await runProgram(page, 'counter-race', { n: 10, useMutex: true })).toBe('ok');
  expect(await programOutput(page)).toContain('counter = 30, expected 30 (with a Mutex)');
  await timelineSettled(page, 'ok');
  // Goroutines queued on the lock: the dump's run saw Mutex waits (orange on the timeline).
  expect(await timelineNumber(page, 'data-lanes')).toBe(11);

  expect(await runProgram(page, 'counter-channel', { n: 10 })).toBe('ok');
  expect(await programOutput(page)).toContain('counter = 30, expected 30');
  await timelineSettled(page, 'ok');
  expect(await timelineNumber(page, 'data-handoffs')).toBeGreaterThan(0);

  await runAndWait(page, 'snippet-run', 60_000);
  const out = await consoleText(page);
  // main.ts is the program run under Programs (ten goroutines adding 3 each), as main.go is.
  expect(out).toContain('sync.Mutex:         30 (want 30)');
  expect(out).toContain('owner goroutine:    30 (want 30)');
  expect(Number(/no synchronisation: (\d+)/.exec(out)?.[1])).toBeLessThan(30);
});
