// The lesson page's frame rate in headless Chromium while the student's own Go echo server (lesson 1's main.go,
// run from the Go tab with the machine's Go) serves 100 connections and the page watches its sockets (the tab's
// lanes, its polled states and captured packets), printed beside an empty page's rate (this machine's ceiling).
import { launchChromium, startLab } from './labProcess.js';
import { emptyPageFps, measureFps } from './pageFps.js';
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';

const CONNECTIONS = 100;
const MESSAGE_BYTES = 64;
const LOAD_MS = 7000;

export async function run(): Promise<void> {
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const ceiling = await emptyPageFps(browser);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${lab.url}/#/01-echo-server`);
    const workbench = page.getByTestId('go-workbench');
    await workbench.waitFor();
    const go = await workbench.getAttribute('data-go', { timeout: 30_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="go-workbench"]')?.getAttribute('data-may-run') !== '',
    );
    if ((await workbench.getAttribute('data-may-run')) !== 'true') {
      console.log(`goEchoPage: this lab may not run Go here (data-go=${go}); install Go (apt install golang-go)`);
      await browser.close();
      return;
    }
    const asked = performance.now();
    await page.getByTestId('go-run').click();
    // A cold build cache compiles the standard library first (about a minute on a busy 2-core machine).
    await page.waitForSelector('[data-testid="go-port"]', { timeout: 180_000 });
    const startedMs = performance.now() - asked;
    const port = Number(await page.getByTestId('go-port').getAttribute('data-port'));
    const idle = await measureFps(page, 2000);
    console.log(
      `Lesson 1 page in Chromium (headless) while the student's Go echo server serves ${CONNECTIONS} connections (target ≥ 50 fps):`,
    );
    console.log(`  Run → listening: ${(startedMs / 1000).toFixed(1)} s (build cache as found)`);
    console.log(
      `  empty page (this machine's ceiling): ${ceiling.toFixed(1)} fps; lesson page with the Go program idle: ${idle.fps.toFixed(1)} fps`,
    );
    const openCount = page.locator('[data-testid="go-connections"] [data-testid="open-count"]');
    // Flat out, the load generator, the Go program, the lab and Chromium share this machine's cores; paced, less.
    for (const rate of [undefined, 20]) {
      const before = (await page.evaluate('window.gonetLab.store.end')) as number;
      const load = runRoundTripLoad({
        host: '127.0.0.1',
        port,
        connections: CONNECTIONS,
        messageBytes: MESSAGE_BYTES,
        durationMs: LOAD_MS,
        ...(rate ? { ratePerConnection: rate } : {}),
      });
      await new Promise((r) => setTimeout(r, 1500));
      const busy = await measureFps(page, 4000);
      const shown = await openCount.textContent().catch(() => '?');
      const result = await load;
      const after = (await page.evaluate('window.gonetLab.store.end')) as number;
      const label = rate ? `paced at ${rate} messages/s per connection` : 'flat out';
      console.log(
        `  ${label}: ${busy.fps.toFixed(1)} fps (worst frame ${busy.worstMs.toFixed(0)} ms) vs ${ceiling.toFixed(1)} fps empty; ${shown} connections shown; ${Math.round(result.perSecond).toLocaleString('en')} round trips/s${result.errors ? ` (${result.errors} errors)` : ''}; ${(after - before).toLocaleString('en')} events reached the page`,
      );
      await new Promise((r) => setTimeout(r, 1500));
    }
    await page.getByTestId('go-stop').click();
    await page.waitForSelector('[data-testid="go-workbench"][data-phase="ended"]', { timeout: 30_000 });
    await browser.close();
  } finally {
    lab.stop();
  }
}
