// Lesson 15 figures: the reconnect-storm view's frame rate in headless Chromium while the lab runs a storm of 200
// real clients (each policy in turn), printed beside the empty page's frame rate (this machine's ceiling) and the
// page at rest, with the storm's own figures from the view's table.
import { loadavg } from 'node:os';
import { launchChromium, startLab } from './labProcess.js';
import { emptyPageFps, mainThreadClock, measureFps, type MainThreadTime } from './pageFps.js';

const CLIENTS = 200;
/** One-second windows: the target is for the worst second, which a longer window would average away. */
const WINDOW_MS = 1000;

export async function run(): Promise<void> {
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const ceiling = { fps: await emptyPageFps(browser) };

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${lab.url}/#/15-reconnect-backoff`);
    const panel = page.getByTestId('reconnect-storm');
    await panel.waitFor();
    // The editor and the lesson's lazy chunks load after the panel: measure the page at rest once they have.
    await page.getByTestId('snippet-status').waitFor();
    await page.waitForTimeout(3000);
    const idle = await measureFps(page, 2 * WINDOW_MS);
    const clock = await mainThreadClock(page);

    await panel.getByTestId('storm-clients').fill(String(CLIENTS));
    await panel.getByTestId('storm-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="reconnect-storm"]')?.getAttribute('data-running') === 'true',
    );
    const windows: { fps: number; worstMs: number }[] = [];
    const busy0 = await clock();
    const t0 = performance.now();
    for (;;) {
      const running = await panel.getAttribute('data-running');
      if (running !== 'true') break;
      windows.push(await measureFps(page, WINDOW_MS));
    }
    const busy1 = await clock();
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = (k: keyof MainThreadTime) => ((busy1[k] - busy0[k]) / seconds).toFixed(0);
    const rows = await page.$$eval('[data-testid^="storm-result-"]', (trs) =>
      trs.map((tr) => ({
        policy: tr.getAttribute('data-testid')!.replace('storm-result-', ''),
        attempts: tr.getAttribute('data-attempts'),
        peak: tr.getAttribute('data-peak'),
        recoverMs: tr.getAttribute('data-recover-ms'),
      })),
    );
    await browser.close();

    const fps = windows.map((w) => w.fps);
    const mean = fps.reduce((a, b) => a + b, 0) / Math.max(1, fps.length);
    console.log(
      `Reconnect-storm view in Chromium (headless), ${CLIENTS} clients, each policy in turn (target ≥ 50 fps):`,
    );
    console.log(`  load average (1 min): ${loadavg()[0].toFixed(1)} on this machine (others' work shares its cores)`);
    console.log(`  empty page (this machine's ceiling): ${ceiling.fps.toFixed(1)} fps`);
    console.log(
      `  lesson 15 at rest:                   ${idle.fps.toFixed(1)} fps (worst frame ${idle.worstMs.toFixed(0)} ms)`,
    );
    console.log(
      `  during the storm: mean ${mean.toFixed(1)} fps, lowest ${Math.min(...fps).toFixed(1)} fps over ${fps.length} windows of ${WINDOW_MS / 1000} s; worst frame ${Math.max(...windows.map((w) => w.worstMs)).toFixed(0)} ms`,
    );
    console.log(
      `  main thread during the storm, ms per second: ${perSecond('task')} busy (script ${perSecond('script')}, layout ${perSecond('layout')}, style ${perSecond('style')}; the frame counter's own script included)`,
    );
    console.log('  the storm the page drew (attempts, peak per 100 ms, time to recover):');
    for (const r of rows)
      console.log(
        `    ${r.policy.padEnd(12)} ${String(r.attempts).padStart(7)}  ${String(r.peak).padStart(5)}  ${r.recoverMs} ms`,
      );
  } finally {
    lab.stop();
  }
}
