// Classroom figures: 60 simulated students (headless clients speaking the page's protocols) join a LAN lab from a
// private network namespace, walk lessons and run the echo snippet through the bridge, all at once. Prints the lab
// server's CPU and memory per student and how long the lab took to answer meanwhile. Needs root (ip netns).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makePrivateNetwork } from '../server/classroom/privateNetwork.js';
import { freePort } from '../server/net/freePort.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const STUDENTS = 60;
const LESSONS = 4;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

export async function run(): Promise<void> {
  const net = makePrivateNetwork();
  const data = mkdtempSync(path.join(tmpdir(), 'gonet-class-bench-'));
  const port = await freePort();
  const lab = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
      '--demo-ports',
      '0',
      '--data',
      data,
      '--class-size',
      String(STUDENTS + 10),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      lab.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Press Ctrl-C')) resolve();
      });
      lab.once('exit', (code) => reject(new Error(`lab exited with ${code}`)));
    });
    const code = /join code {2}([A-Z0-9-]+)/.exec(out)![1]!;
    await new Promise((r) => setTimeout(r, 1000)); // let start-up work settle before the baseline
    const cpu0 = cpuSeconds(lab.pid!);
    const rss0 = rssMiB(lab.pid!);
    let rssPeak = rss0;
    // The lab machine keeps asking for the status meanwhile: how long does it wait?
    const statusWaits: number[] = [];
    let running = true;
    const watcher = (async () => {
      while (running) {
        const t0 = performance.now();
        await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => r.arrayBuffer());
        statusWaits.push(performance.now() - t0);
        rssPeak = Math.max(rssPeak, rssMiB(lab.pid!));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const students = net.spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/classroomStudents.ts',
        `http://${net.hostAddress}:${port}`,
        code,
        String(STUDENTS),
        String(LESSONS),
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: students.stdout! }).once('line', resolve);
      students.once('exit', (c) => reject(new Error(`students exited with ${c}`)));
    });
    running = false;
    await watcher;
    const cpu1 = cpuSeconds(lab.pid!);
    const rss1 = rssMiB(lab.pid!);
    const r = JSON.parse(line) as {
      wallMs: number;
      timings: { join: number[]; lesson: number[]; run: number[] };
      errors: number;
      errorSamples: string[];
    };
    const cpu = cpu1 - cpu0;
    console.log(
      `${STUDENTS} students at once, ${LESSONS} lessons each (fetch, report, edit, echo snippet over the bridge), from ${net.clientAddress}`,
    );
    console.log(
      `  wall time                      ${(r.wallMs / 1000).toFixed(1)} s   errors: ${r.errors}${r.errorSamples.length ? ` (${r.errorSamples.join(' | ')})` : ''}`,
    );
    console.log(
      `  lab server CPU                 ${cpu.toFixed(2)} s total, ${((cpu / STUDENTS) * 1000).toFixed(0)} ms per student (${((cpu / (r.wallMs / 1000)) * 100).toFixed(0)}% of one core over the run)`,
    );
    console.log(
      `  lab server memory (RSS)        ${rss0.toFixed(0)} MiB idle → ${rssPeak.toFixed(0)} MiB peak (${((rssPeak - rss0) / STUDENTS).toFixed(2)} MiB per student), ${rss1.toFixed(0)} MiB after`,
    );
    console.log(`  join          p50 ${ms(pct(r.timings.join, 50))}   p95 ${ms(pct(r.timings.join, 95))}`);
    console.log(`  lesson fetch  p50 ${ms(pct(r.timings.lesson, 50))}   p95 ${ms(pct(r.timings.lesson, 95))}`);
    console.log(`  snippet run   p50 ${ms(pct(r.timings.run, 50))}   p95 ${ms(pct(r.timings.run, 95))}`);
    console.log(
      `  /api/status from the lab machine meanwhile: p50 ${ms(pct(statusWaits, 50))}, max ${ms(Math.max(...statusWaits))} (${statusWaits.length} asks)`,
    );
  } finally {
    const exited = new Promise((resolve) => lab.once('exit', resolve));
    lab.kill('SIGINT');
    await exited;
    net.close();
    rmSync(data, { recursive: true, force: true });
  }
}
