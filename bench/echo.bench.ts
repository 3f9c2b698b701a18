// Lesson 1 figures: initial JavaScript of the first lesson, the instrumented goroutine-style echo server against a
// plain node:net echo server (100 connections, 64-byte messages, same load generator, one run), and the lesson
// page's frame rate in Chromium while those 100 connections echo.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium, startLab } from './labProcess.js';
import { emptyPageFps, measureFps } from './pageFps.js';
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';
import { startChild } from './benchProcess.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 100;
const MESSAGE_BYTES = 64;
const ROUND_MS = 3000;
const ROUNDS = 3;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
}

function bundleFigures(): void {
  const dist = path.join(root, 'dist/web');
  const manifestPath = path.join(dist, '.vite/manifest.json');
  if (!existsSync(manifestPath)) {
    console.log('bundle: dist/web/.vite/manifest.json missing — run `npm run build` first');
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const bySrc = (needle: string) => Object.entries(manifest).find(([k]) => k.endsWith(needle))?.[0];
  const starts = [
    'index.html',
    bySrc('views/echo/EchoLanes.tsx'),
    bySrc('views/common/EventLog.tsx'),
    bySrc('lessons/MermaidDiagram.tsx'),
  ].filter((k): k is string => !!k);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  starts.forEach(visit);
  let total = 0;
  const rows: [string, number, number][] = [];
  for (const key of seen) {
    const file = manifest[key]!.file;
    if (!file.endsWith('.js') || /monaco|mermaid/i.test(key)) continue;
    const bytes = readFileSync(path.join(dist, file));
    const gz = gzipSync(bytes, { level: 9 }).length;
    total += gz;
    rows.push([file, bytes.length, gz]);
  }
  console.log('Initial JavaScript of lesson 1 (Monaco and mermaid load lazily and are excluded):');
  for (const [file, raw, gz] of rows.sort((a, b) => b[2] - a[2]))
    console.log(
      `  ${file.padEnd(44)} ${(raw / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gz`,
    );
  console.log(`  total: ${(total / 1024).toFixed(1)} KB gzipped (target ≤ 350 KB)`);
  const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !rows.some((r) => r[0] === c.file));
  const lazyGz = (re: RegExp) =>
    lazy
      .filter((c) => re.test(`${c.src ?? ''} ${c.file}`))
      .reduce((s, c) => s + gzipSync(readFileSync(path.join(dist, c.file))).length, 0);
  console.log(
    `  lazy: Monaco ≈ ${(lazyGz(/monaco|editor\.api|CodeViewer/i) / 1024).toFixed(0)} KB gz, mermaid and its diagrams ≈ ${(lazyGz(/mermaid|Diagram|cytoscape|katex|chunk-/i) / 1024).toFixed(0)} KB gz`,
  );
}

async function echoFigures(): Promise<void> {
  const plain = await startChild(['bench/echoServerProcess.ts', 'plain']);
  const lab = await startChild(['bench/echoServerProcess.ts', 'lab']);
  const ports = { plain: Number(plain.firstLine), lab: Number(lab.firstLine) };
  const results: Record<'plain' | 'lab', number[]> = { plain: [], lab: [] };
  try {
    console.log(
      `\nEcho round trips: ${CONNECTIONS} connections × ${MESSAGE_BYTES}-byte messages, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s each`,
    );
    // A lab server runs for a whole class: one uncounted round each first, so neither figure includes the JIT warming up.
    for (const kind of ['plain', 'lab'] as const) {
      const r = await runRoundTripLoad({
        host: '127.0.0.1',
        port: ports[kind],
        connections: CONNECTIONS,
        messageBytes: MESSAGE_BYTES,
        durationMs: ROUND_MS / 2,
      });
      console.log(`  warm-up ${kind}: ${Math.round(r.perSecond).toLocaleString('en')} round trips/s (not counted)`);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const kind of ['plain', 'lab'] as const) {
        const r = await runRoundTripLoad({
          host: '127.0.0.1',
          port: ports[kind],
          connections: CONNECTIONS,
          messageBytes: MESSAGE_BYTES,
          durationMs: ROUND_MS,
        });
        results[kind].push(r.perSecond);
        console.log(
          `  round ${round} ${kind === 'plain' ? 'plain node:net echo        ' : 'lab echo (goroutine-style, instrumented)'}: ${Math.round(r.perSecond).toLocaleString('en')} round trips/s${r.errors ? ` (${r.errors} errors)` : ''}`,
        );
      }
    }
  } finally {
    plain.child.kill('SIGTERM');
    lab.child.kill('SIGTERM');
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(results.lab) / mean(results.plain);
  console.log(
    `  mean: plain ${Math.round(mean(results.plain)).toLocaleString('en')}/s, lab ${Math.round(mean(results.lab)).toLocaleString('en')}/s → lab = ${(ratio * 100).toFixed(0)}% of plain (target ≥ 70%)`,
  );
}

async function pageFpsFigures(): Promise<void> {
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${lab.url}/#/01-echo-server`);
    await page.getByTestId('echo-lanes').waitFor();
    const measure = (ms: number) => measureFps(page, ms);
    const calibration = await emptyPageFps(browser);
    const idle = await measure(2000);
    const status = (await (await fetch(`${lab.url}/api/status`)).json()) as {
      demos: { id: string; endpoints: { port: number }[] }[];
    };
    const echoPort = status.demos.find((d) => d.id === 'echo')!.endpoints[0]!.port;
    console.log(`\nLesson page in Chromium (headless) while ${CONNECTIONS} connections echo (target ≥ 50 fps):`);
    console.log(
      `  empty page (this machine's ceiling): ${calibration.toFixed(1)} fps; lesson page idle: ${idle.fps.toFixed(1)} fps`,
    );
    // Flat out, the load generator, the lab and Chromium share this machine's cores; paced, the page competes less.
    for (const rate of [undefined, 20]) {
      const before = (await page.evaluate('window.gonetLab.store.end')) as number;
      const load = runRoundTripLoad({
        host: '127.0.0.1',
        port: echoPort,
        connections: CONNECTIONS,
        messageBytes: MESSAGE_BYTES,
        durationMs: 7000,
        ...(rate ? { ratePerConnection: rate } : {}),
      });
      await new Promise((r) => setTimeout(r, 1000));
      const busy = await measure(5000);
      const shown = await page.getByTestId('open-count').textContent();
      const result = await load;
      const after = (await page.evaluate('window.gonetLab.store.end')) as number;
      const label = rate ? `paced at ${rate} messages/s per connection` : 'flat out';
      console.log(
        `  ${label}: ${busy.fps.toFixed(1)} fps (worst frame ${busy.worstMs.toFixed(0)} ms); ${shown} lanes shown; ${Math.round(result.perSecond).toLocaleString('en')} round trips/s; ${(after - before).toLocaleString('en')} events reached the page`,
      );
      await new Promise((r) => setTimeout(r, 1500));
    }
    await browser.close();
  } finally {
    lab.stop();
  }
}

export async function run(): Promise<void> {
  bundleFigures();
  if (!process.argv.includes('--page-only')) await echoFigures();
  await pageFpsFigures();
}
