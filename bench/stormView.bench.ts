// Lesson 15 figures: the reconnect-storm view's frame rate in headless Chromium while the lab runs a storm of 200
// real clients (each policy in turn), printed beside the empty page's frame rate (this machine's ceiling) and the
// page at rest, with the storm's own figures from the view's table.
import { loadavg } from 'node:os';
import { launchChromium, startLab } from './labProcess.js';

const CLIENTS = 200;
const WINDOW_MS = 2000;

// Passed as text: tsx would otherwise wrap the function with helpers the page does not have.
const MEASURE = (ms: number) => `new Promise((resolve) => {
  let frames = 0, worst = 0, last = performance.now();
  const start = last;
  const tick = (now) => {
    frames++; worst = Math.max(worst, now - last); last = now;
    if (now - start < ${ms}) requestAnimationFrame(tick);
    else resolve({ fps: (frames * 1000) / (now - start), worstMs: worst });
  };
  requestAnimationFrame(tick);
})`;

export async function run(): Promise<void> {
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const blank = await browser.newPage();
    await blank.goto('about:blank');
    const ceiling = (await blank.evaluate(MEASURE(WINDOW_MS))) as { fps: number };
    await blank.close();

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${lab.url}/#/15-reconnect-backoff`);
    const panel = page.getByTestId('reconnect-storm');
    await panel.waitFor();
    // The editor and the lesson's lazy chunks load after the panel: measure the page at rest once they have.
    await page.getByTestId('snippet-status').waitFor();
    await page.waitForTimeout(3000);
    const idle = (await page.evaluate(MEASURE(WINDOW_MS))) as { fps: number; worstMs: number };

    await panel.getByTestId('storm-clients').fill(String(CLIENTS));
    await panel.getByTestId('storm-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="reconnect-storm"]')?.getAttribute('data-running') === 'true',
    );
    const windows: { fps: number; worstMs: number }[] = [];
    for (;;) {
      const running = await panel.getAttribute('data-running');
      if (running !== 'true') break;
      windows.push((await page.evaluate(MEASURE(WINDOW_MS))) as { fps: number; worstMs: number });
    }
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
    console.log('  the storm the page drew (attempts, peak per 100 ms, time to recover):');
    for (const r of rows)
      console.log(
        `    ${r.policy.padEnd(12)} ${String(r.attempts).padStart(7)}  ${String(r.peak).padStart(5)}  ${r.recoverMs} ms`,
      );
  } finally {
    lab.stop();
  }
}
