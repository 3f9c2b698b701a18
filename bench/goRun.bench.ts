// Run Go → first output line: the time from asking the runner to run the echo lesson's Go program to its first
// line of output, with the lab's warm build cache (median of several runs) and with a cold, empty cache (once).
// Sampling overhead: the echo lesson's Go server under the same load generator with the goroutine sampler on and
// off, side by side.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoRunner } from '../server/gorun/goRunner.js';
import { lessonRunArgs } from '../server/gorun/lessonRunArgs.js';
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';
import { freePort } from '../server/net/freePort.js';

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

const CONNECTIONS = 100;
const MESSAGE_BYTES = 64;
const ROUND_MS = 3000;
const ROUNDS = 4;

/** Waits until something accepts connections on the port (the program started and listens). */
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** CPU milliseconds (user + system) used so far by the processes of a process group: the Go run's. Linux /proc. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* it ended meanwhile */
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

interface Round {
  perSecond: number;
  samples: number;
  errors: number;
  /** CPU ms per 1000 round trips: the Go program's, and this process's (the load generator and the sample parser). */
  goCpu: number;
  labCpu: number;
}

/** One round: the lesson-1 Go echo server run by the lab, loaded for ROUND_MS; its throughput, samples seen and CPU. */
async function echoRound(runner: GoRunner, durationMs: number): Promise<Round> {
  const port = await freePort();
  let samples = 0;
  let pid = 0;
  const run = runner.start({
    owner: 'bench',
    source,
    args: lessonRunArgs('01-echo-server', '127.0.0.1', port),
    port,
    emit: (e) => {
      if (e.kind === 'gorun.goroutines') samples++;
      if (e.kind === 'gorun.start') pid = e.pid;
    },
  });
  try {
    await Promise.race([listening(port), run.done.then((r) => Promise.reject(new Error(JSON.stringify(r))))]);
    const goBefore = groupCpuMs(pid);
    const labBefore = process.cpuUsage();
    const r = await runRoundTripLoad({
      host: '127.0.0.1',
      port,
      connections: CONNECTIONS,
      messageBytes: MESSAGE_BYTES,
      durationMs,
    });
    const lab = process.cpuUsage(labBefore);
    const perThousand = (ms: number) => (ms * 1000) / Math.max(1, r.roundTrips);
    return {
      perSecond: r.perSecond,
      samples,
      errors: r.errors,
      goCpu: perThousand(groupCpuMs(pid) - goBefore),
      labCpu: perThousand((lab.user + lab.system) / 1000),
    };
  } finally {
    run.stop();
    await run.done;
  }
}

/** Sampler on vs off, alternating rounds, same load generator (in this process, as the lab's own clients are). */
async function samplingOverhead(runsDir: string): Promise<void> {
  const runners = {
    off: new GoRunner({ runsDir, sampleGoroutines: false }),
    on: new GoRunner({ runsDir }),
  };
  const sampler = runners.on.samplePeriodMs;
  console.log(
    `\nSampling overhead: lesson-1 Go echo server, ${CONNECTIONS} connections × ${MESSAGE_BYTES}-byte messages, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s (sampler every ${sampler} ms when on)`,
  );
  for (const kind of ['off', 'on'] as const) {
    const w = await echoRound(runners[kind], ROUND_MS / 2);
    console.log(
      `  warm-up sampler ${kind}: ${Math.round(w.perSecond).toLocaleString('en')} round trips/s (not counted)`,
    );
  }
  const results: Record<'off' | 'on', Round[]> = { off: [], on: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    // off-on, then on-off: a machine whose load drifts during the run favours neither.
    for (const kind of round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const r = await echoRound(runners[kind], ROUND_MS);
      results[kind].push(r);
      console.log(
        `  round ${round} sampler ${kind.padEnd(3)}: ${Math.round(r.perSecond).toLocaleString('en')} round trips/s; CPU per 1000 round trips: Go program ${r.goCpu.toFixed(1)} ms, lab process ${r.labCpu.toFixed(1)} ms; ${r.samples} goroutine samples reached the lab${r.errors ? ` (${r.errors} errors)` : ''}`,
      );
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const of = (kind: 'off' | 'on', key: 'perSecond' | 'goCpu' | 'labCpu') => results[kind].map((r) => r[key]);
  const pct = (on: number, off: number) => `${((on / off) * 100).toFixed(0)}%`;
  console.log(
    `  throughput, mean: sampler off ${fmt(mean(of('off', 'perSecond')))}/s, on ${fmt(mean(of('on', 'perSecond')))}/s → on = ${pct(mean(of('on', 'perSecond')), mean(of('off', 'perSecond')))} of off (target ≥ 90%); median: on = ${pct(median(of('on', 'perSecond')), median(of('off', 'perSecond')))} of off`,
  );
  // CPU per round trip does not depend on how much of the machine other work leaves this run: the steadier figure.
  console.log(
    `  CPU per 1000 round trips, mean: Go program off ${mean(of('off', 'goCpu')).toFixed(1)} ms, on ${mean(of('on', 'goCpu')).toFixed(1)} ms; lab process off ${mean(of('off', 'labCpu')).toFixed(1)} ms, on ${mean(of('on', 'labCpu')).toFixed(1)} ms → round trips per CPU second with the sampler on = ${pct(mean(of('off', 'goCpu')) + mean(of('off', 'labCpu')), mean(of('on', 'goCpu')) + mean(of('on', 'labCpu')))} of off`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const runsDir = mkdtempSync(join(tmpdir(), 'gorun-bench-'));
  try {
    // `npm run bench -- goRun --sampling-only`: the sampling figure alone.
    if (process.argv.includes('--sampling-only')) return await samplingOverhead(runsDir);
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
    await samplingOverhead(runsDir);
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}
