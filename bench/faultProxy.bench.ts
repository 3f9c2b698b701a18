// Fault proxy figures (issue 15), direct and through the proxy side by side, same run: bulk throughput, the median
// round trip of one connection (the proxy's added latency), and 1,000 connections open at once. The upstream and
// the proxy each run in a child process of their own, as in the lab; no fault is set.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BULK_BYTES = 256 * 1024 * 1024;
const BULK_ROUNDS = 3;
const PINGS = 5000;
const MANY = 1000;

function child(args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/faultProxyProcess.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ proc, port: Number(out.trim()) });
    });
    proc.once('exit', (code) => reject(new Error(`faultProxyProcess ${args.join(' ')} exited with ${code}`)));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Uploads BULK_BYTES as fast as the path takes them; MB/s until the upstream has counted them all. */
async function bulk(port: number): Promise<number> {
  const s = await connect(port);
  const chunk = Buffer.alloc(256 * 1024, 0x42);
  const t0 = performance.now();
  const answer = new Promise<number>((resolve) => {
    let text = '';
    s.on('data', (d) => (text += d.toString()));
    s.on('end', () => resolve(Number(text.trim())));
  });
  for (let sent = 0; sent < BULK_BYTES; sent += chunk.length) {
    if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
  }
  s.end();
  const counted = await answer;
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  if (counted !== BULK_BYTES) throw new Error(`upstream counted ${counted} of ${BULK_BYTES} bytes`);
  return BULK_BYTES / 1e6 / seconds;
}

/** Median and 99th percentile round trip (µs) of 64-byte ping-pongs on one connection. */
async function pingPong(port: number): Promise<{ median: number; p99: number }> {
  const s = await connect(port);
  const msg = Buffer.alloc(64, 0x61);
  const times: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      const onData = (d: Buffer) => {
        got += d.length;
        if (got >= msg.length) {
          s.off('data', onData);
          resolve();
        }
      };
      s.on('data', onData);
      s.write(msg);
    });
    times.push((performance.now() - t0) * 1000);
  }
  s.destroy();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]! };
}

/** Opens MANY connections at once, each echoing one line; how many made it and how long it took. */
async function many(port: number): Promise<{ ok: number; ms: number }> {
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: MANY }, async () => {
      const s = await connect(port);
      await new Promise<void>((resolve, reject) => {
        s.once('data', () => resolve());
        s.once('error', reject);
        s.write('hello\n');
      });
      return s;
    }),
  );
  const ms = performance.now() - t0;
  for (const r of results) if (r.status === 'fulfilled') r.value.destroy();
  return { ok: results.filter((r) => r.status === 'fulfilled').length, ms };
}

/** CPU time (ms) a child process has used so far, from /proc (Linux clock ticks of 10 ms). */
function cpuMs(proc: ChildProcess): number {
  const fields = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (label: string, direct: string, proxied: string, note: string) =>
  console.log(`${label.padEnd(34)} ${direct.padStart(14)} ${proxied.padStart(14)}   ${note}`);

export async function run(): Promise<void> {
  const up = await child(['upstream']);
  const proxy = await child(['proxy', String(up.port)]);
  try {
    row('', 'direct', 'proxied', '');
    const direct: number[] = [];
    const proxied: number[] = [];
    const upstreamCpu = { direct: 0, proxied: 0 };
    let proxyCpu = 0;
    for (let i = 0; i < BULK_ROUNDS; i++) {
      let u0 = cpuMs(up.proc);
      direct.push(await bulk(up.port));
      upstreamCpu.direct += cpuMs(up.proc) - u0;
      const p0 = cpuMs(proxy.proc);
      u0 = cpuMs(up.proc);
      proxied.push(await bulk(proxy.port));
      proxyCpu += cpuMs(proxy.proc) - p0;
      upstreamCpu.proxied += cpuMs(up.proc) - u0;
    }
    const d = median(direct);
    const p = median(proxied);
    row(
      `bulk upload, ${BULK_BYTES / 1024 / 1024} MiB (median of ${BULK_ROUNDS})`,
      `${d.toFixed(0)} MB/s`,
      `${p.toFixed(0)} MB/s`,
      `proxied = ${((p / d) * 100).toFixed(0)}% of direct (target ≥ 80%)`,
    );
    // CPU per MB does not depend on how busy the machine's other work keeps its two cores, unlike MB/s.
    const perMb = (ms: number) => `${((ms * 1000) / ((BULK_ROUNDS * BULK_BYTES) / 1e6)).toFixed(0)} µs/MB`;
    row('bulk upload: upstream CPU', perMb(upstreamCpu.direct), perMb(upstreamCpu.proxied), '');
    row('bulk upload: proxy process CPU', '—', perMb(proxyCpu), 'what the proxy adds, per MB forwarded');
    const rd = await pingPong(up.port);
    const rp = await pingPong(proxy.port);
    row(
      `round trip, 64 B × ${PINGS}: median`,
      `${rd.median.toFixed(0)} µs`,
      `${rp.median.toFixed(0)} µs`,
      `added ${(rp.median - rd.median).toFixed(0)} µs (target ≤ 100 µs)`,
    );
    row('round trip: 99th percentile', `${rd.p99.toFixed(0)} µs`, `${rp.p99.toFixed(0)} µs`, '');
    const md = await many(up.port);
    const mp = await many(proxy.port);
    row(
      `${MANY} connections at once, one echo each`,
      `${md.ok} in ${md.ms.toFixed(0)} ms`,
      `${mp.ok} in ${mp.ms.toFixed(0)} ms`,
      'connected and echoed',
    );
    const load = async (port: number) =>
      runRoundTripLoad({ host: '127.0.0.1', port, connections: MANY, messageBytes: 64, durationMs: 3000 });
    const ld = await load(up.port);
    const lp = await load(proxy.port);
    row(
      `${MANY} connections echoing for 3 s`,
      `${ld.perSecond.toFixed(0)} rt/s`,
      `${lp.perSecond.toFixed(0)} rt/s`,
      `errors ${ld.errors} / ${lp.errors}`,
    );
  } finally {
    proxy.proc.kill('SIGTERM');
    up.proc.kill('SIGTERM');
  }
}
