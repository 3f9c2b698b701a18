// Goroutine timeline figures: frames per second in Chromium while panning and zooming a recording of about a
// million goroutine events from 10,000 goroutines (a real run of the lab's runtime, recorded with its hook and
// loaded through the timeline's import). Needs `npm run build`. `npm run bench -- timeline`.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GoroutineEvent } from '../core/protocol/events/goroutine.js';
import { chan, createRuntime, go, time, WaitGroup } from '../core/runtime/index.js';
import { launchChromium, startLab } from './labProcess.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const GOROUTINES = 10_000;
const ROUNDS = 12;
const TARGET_FPS = 30;

/** 10,000 workers take jobs from a buffered channel, sleep a little and hand results to a collector. */
async function record(): Promise<string[]> {
  const lines: string[] = [];
  let seq = 0;
  const t0 = Date.now();
  const rt = createRuntime({
    seed: 1,
    creationSites: false,
    onEvent: (e: GoroutineEvent) => {
      lines.push(JSON.stringify({ ...e, seq: ++seq, t: t0 + performance.now(), demo: 'bench' }));
    },
  });
  const result = await rt.run(async function main() {
    const jobs = chan<number>(256, { name: 'jobs' });
    const results = chan<number>(64, { name: 'results' });
    const wg = new WaitGroup('workers');
    for (let w = 0; w < GOROUTINES; w++) {
      wg.add(1);
      go(async function worker() {
        for (let i = 0; i < ROUNDS; i++) {
          const [job, ok] = await jobs.recv();
          if (!ok) break;
          await time.sleep(1 + (job! % 4));
          await results.send(job! * 2);
        }
        wg.done();
      });
    }
    go(async function producer() {
      for (let j = 0; j < GOROUTINES * ROUNDS; j++) await jobs.send(j);
      jobs.close();
    });
    go(async function closer() {
      await wg.wait();
      results.close();
    });
    for await (const _ of results) {
      // drain
    }
  });
  if (result.status !== 'ok') throw new Error(result.report);
  return lines;
}

export async function run(): Promise<void> {
  if (!existsSync(`${root}/dist/web/index.html`)) {
    console.log('  no build: run `npm run build` first');
    return;
  }
  const started = performance.now();
  const lines = await record();
  const dir = mkdtempSync(join(tmpdir(), 'gonet-timeline-'));
  const file = join(dir, 'recording.jsonl');
  writeFileSync(file, lines.join('\n'));
  console.log(
    `recording: ${lines.length.toLocaleString('en-US')} events from ${(GOROUTINES + 3).toLocaleString('en-US')} goroutines, recorded in ${((performance.now() - started) / 1000).toFixed(1)} s (${(lines.join('\n').length / 1e6).toFixed(0)} MB of JSON lines)`,
  );
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${lab.url}/#/05-goroutines`);
    const timeline = page.getByTestId('goroutine-timeline');
    await timeline.waitFor();
    const t0 = Date.now();
    await page.getByTestId('timeline-import').setInputFiles(file);
    await page.waitForSelector(`[data-testid=goroutine-timeline][data-lanes="${GOROUTINES + 3}"]`, {
      timeout: 180_000,
    });
    const events = Number(await timeline.getAttribute('data-events'));
    console.log(`  loaded and folded ${events.toLocaleString('en-US')} events in ${Date.now() - t0} ms`);
    await page.getByTestId('timeline-canvas').scrollIntoViewIfNeeded();

    // Each frame: pan in time (Shift+wheel), zoom (Ctrl+wheel) or scroll the lanes (wheel), in turns; count frames.
    const measure = (mode: 'pan' | 'zoom' | 'mixed' | 'rows') =>
      page.evaluate(
        `new Promise((resolve) => {
          const c = document.querySelector('[data-testid=timeline-canvas]');
          const r = c.getBoundingClientRect();
          const at = { clientX: r.left + r.width * 0.6, clientY: r.top + r.height * 0.5, bubbles: true, cancelable: true };
          let frames = 0, worst = 0, over33 = 0, last = performance.now(), k = 0;
          const start = last;
          const tick = (now) => {
            frames++; const gap = now - last; worst = Math.max(worst, gap); if (gap > 33.4) over33++; last = now; k++;
            const m = '${mode}' === 'mixed' ? ['pan', 'zoom', 'rows'][k % 3] : '${mode}';
            if (m === 'pan') c.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: (k % 120 < 60 ? 40 : -40), shiftKey: true }));
            else if (m === 'zoom') c.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: (k % 80 < 40 ? -30 : 30), ctrlKey: true }));
            else c.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: (k % 200 < 100 ? 160 : -160) }));
            if (now - start < 5000) requestAnimationFrame(tick);
            else resolve({ fps: frames * 1000 / (now - start), worst, over33, frames });
          };
          requestAnimationFrame(tick);
        })`,
      ) as Promise<{ fps: number; worst: number; over33: number; frames: number }>;
    const ceiling = (await page.evaluate(
      `new Promise((resolve) => { let f = 0; const s = performance.now(); const t = (n) => { f++; if (n - s < 2000) requestAnimationFrame(t); else resolve(f * 1000 / (n - s)); }; requestAnimationFrame(t); })`,
    )) as number;
    console.log(`  same page, idle (this machine's ceiling): ${ceiling.toFixed(1)} fps`);
    for (const mode of ['pan', 'zoom', 'mixed'] as const) {
      const r = await measure(mode);
      console.log(
        `  ${mode.padEnd(5)} for 5 s: ${r.fps.toFixed(1)} fps ${r.fps >= TARGET_FPS ? '≥' : '<'} ${TARGET_FPS}; worst frame ${r.worst.toFixed(0)} ms; ${r.over33} of ${r.frames} frames over 33 ms`,
      );
    }
    await page.getByTestId('timeline-fit').click();
    const full = await measure('rows');
    console.log(
      `  whole run in view, scrolling lanes: ${full.fps.toFixed(1)} fps; worst frame ${full.worst.toFixed(0)} ms`,
    );
    await browser.close();
  } finally {
    lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
