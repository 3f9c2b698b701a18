// Run Go → first output line: the time from asking the runner to run the echo lesson's Go program to its first
// line of output, with the lab's warm build cache (median of several runs) and with a cold, empty cache (once).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoRunner } from '../server/gorun/goRunner.js';

const source = readFileSync(fileURLToPath(new URL('../lessons/01-echo-server/main.go', import.meta.url)), 'utf8');
const WARM_RUNS = 7;

/** Milliseconds from start() to the first output event, and from start() to the end of the build. */
async function firstLine(runner: GoRunner): Promise<{ firstMs: number; buildMs: number }> {
  const t0 = performance.now();
  let buildMs = 0;
  let firstMs = 0;
  const run = runner.start({
    owner: 'bench',
    source,
    args: ['-addr', '127.0.0.1:0'],
    emit: (e) => {
      if (e.kind === 'gorun.built') buildMs = e.ms;
      if (e.kind === 'gorun.output' && firstMs === 0) {
        firstMs = performance.now() - t0;
        run.stop();
      }
    },
  });
  const result = await run.done;
  if (firstMs === 0) throw new Error(`no output: ${JSON.stringify(result)}`);
  return { firstMs, buildMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const runsDir = mkdtempSync(join(tmpdir(), 'gorun-bench-'));
  try {
    const warm = new GoRunner({ runsDir });
    await firstLine(warm); // fills the lab's cache if this machine never built Go with it
    const samples: { firstMs: number; buildMs: number }[] = [];
    for (let i = 0; i < WARM_RUNS; i++) samples.push(await firstLine(warm));
    console.log(
      `Run Go → first output line, warm build cache: median ${median(samples.map((s) => s.firstMs)).toFixed(0)} ms over ${WARM_RUNS} runs (build alone: median ${median(samples.map((s) => s.buildMs)).toFixed(0)} ms; all: ${samples.map((s) => s.firstMs.toFixed(0)).join(', ')} ms)`,
    );
    const coldCache = mkdtempSync(join(tmpdir(), 'gorun-bench-cache-'));
    try {
      const cold = await firstLine(new GoRunner({ runsDir, cacheDir: coldCache }));
      console.log(
        `Run Go → first output line, cold (empty) build cache: ${cold.firstMs.toFixed(0)} ms (build ${cold.buildMs} ms: the standard library is compiled once)`,
      );
    } finally {
      rmSync(coldCache, { recursive: true, force: true });
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}
