// Lessons 23–25 figures: requests per second with keep-alive at 100 connections (GET /hello, one request in flight
// per connection, the lab's own round-trip load generator) against the lab's HTTP server with its bytes observer
// on and off, and against Go's net/http hello server built from lesson 23's main.go. One run each, side by side.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRoundTripLoad } from '../server/load/roundTripLoad.js';
import { freePort } from '../server/net/freePort.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 100;
const WARM_MS = 1000;
const RUN_MS = 4000;
const HOST = '127.0.0.1';

function request(port: number): Buffer {
  return Buffer.from(`GET /hello HTTP/1.1\r\nHost: ${HOST}:${port}\r\n\r\n`, 'latin1');
}

/** Size of the server's answer to one GET /hello (the same every time: fixed-length ids and dates). */
async function replyBytes(port: number): Promise<number> {
  const s = net.connect({ host: HOST, port });
  await new Promise<void>((r) => s.once('connect', () => r()));
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  s.write(request(port));
  await new Promise((r) => setTimeout(r, 300));
  s.destroy();
  return Buffer.concat(chunks).length;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: HOST, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

function startLabServer(observe: boolean): Promise<{ child: ChildProcess; port: number }> {
  const args = ['--import', 'tsx', path.join(root, 'bench/httpServerProcess.ts'), ...(observe ? ['--observe'] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, port: Number(out.trim()) });
    });
    child.once('exit', (code) => reject(new Error(`the lab's HTTP server exited with ${code}`)));
  });
}

async function measure(port: number): Promise<{ perSecond: number; errors: number; reply: number }> {
  const reply = await replyBytes(port);
  const load = {
    host: HOST,
    port,
    connections: CONNECTIONS,
    messageBytes: 0,
    message: request(port),
    replyBytes: reply,
  };
  await runRoundTripLoad({ ...load, durationMs: WARM_MS });
  const r = await runRoundTripLoad({ ...load, durationMs: RUN_MS });
  return { perSecond: r.perSecond, errors: r.errors, reply };
}

/** Ends a server this benchmark started: closing stdin stops the lab's; SIGTERM the Go one. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    if (child.stdin) child.stdin.end();
    else child.kill('SIGTERM');
  });
}

export async function run(): Promise<void> {
  const rows: [string, number, number, number][] = [];
  for (const observe of [false, true]) {
    const { child, port } = await startLabServer(observe);
    try {
      const r = await measure(port);
      rows.push([`lab HTTP server, observer ${observe ? 'on' : 'off'}`, r.perSecond, r.errors, r.reply]);
    } finally {
      await stopChild(child);
    }
  }
  const work = mkdtempSync(path.join(tmpdir(), 'gonet-http-bench-'));
  try {
    const binary = path.join(work, 'hello');
    execFileSync('go', ['build', '-o', binary, path.join(root, 'lessons/23-http-bytes/main.go')], {
      env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOCACHE: path.join(work, 'cache') },
      stdio: 'inherit',
    });
    const port = await freePort(HOST);
    const go = spawn(binary, ['-addr', `${HOST}:${port}`], { stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      await waitForPort(port);
      const r = await measure(port);
      rows.push(["Go net/http hello (lesson 23's main.go)", r.perSecond, r.errors, r.reply]);
    } finally {
      await stopChild(go);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `GET /hello, keep-alive, ${CONNECTIONS} connections, one request in flight each, ${RUN_MS / 1000} s after ${WARM_MS / 1000} s warm-up:`,
  );
  for (const [name, perSecond, errors, reply] of rows) {
    console.log(
      `  ${name.padEnd(42)} ${Math.round(perSecond).toString().padStart(7)} requests/s  (${reply} B answers, ${errors} errors)`,
    );
  }
  const off = rows[0]![1];
  const on = rows[1]![1];
  console.log(`  observer on / off: ${((on / off) * 100).toFixed(0)}% (target ≥ 70%)`);
}
