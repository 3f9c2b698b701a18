// Frame rate of a page in headless Chromium, for the page benchmarks: frames per second and the worst frame over a
// window, and an empty page's rate (this machine's ceiling) to print beside it.
import type { Browser, Page } from '@playwright/test';

/** Counts animation frames for `ms` milliseconds. */
export function measureFps(page: Page, ms: number): Promise<{ fps: number; worstMs: number }> {
  // Passed as text: tsx would otherwise wrap the function with helpers the page does not have.
  return page.evaluate(`new Promise((resolve) => {
    let frames = 0, worst = 0, last = performance.now();
    const start = last;
    const tick = (now) => {
      frames++; worst = Math.max(worst, now - last); last = now;
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else resolve({ fps: (frames * 1000) / (now - start), worstMs: worst });
    };
    requestAnimationFrame(tick);
  })`) as Promise<{ fps: number; worstMs: number }>;
}

/** An empty page's frame rate over two seconds: the most this machine's headless Chromium draws. */
export async function emptyPageFps(browser: Browser): Promise<number> {
  const blank = await browser.newPage();
  await blank.goto('about:blank');
  const { fps } = await measureFps(blank, 2000);
  await blank.close();
  return fps;
}

/** The page's main-thread time (ms) so far, split as Chromium counts it (CDP Performance metrics). */
export interface MainThreadTime {
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** Reads a page's main-thread time: the difference of two readings is what the page spent between them. */
export async function mainThreadClock(page: Page): Promise<() => Promise<MainThreadTime>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return {
      task: get('TaskDuration'),
      script: get('ScriptDuration'),
      layout: get('LayoutDuration'),
      style: get('RecalcStyleDuration'),
    };
  };
}
