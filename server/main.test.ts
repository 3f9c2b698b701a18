// The lab as a process: banner, port-in-use message, and a clean Ctrl-C that frees every port.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './net/freePort.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function startLab(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let gone = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => ((gone = true), resolve(code))));
  // Waits for the text, or for the process to end without it. A cold start compiles the whole server, which on a
  // busy machine takes tens of seconds: the bound only ends a wait that will never succeed.
  const waitFor = async (re: RegExp, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (gone || Date.now() > end)
        throw new Error(`no ${re} in output${gone ? ' (the lab exited)' : ''}:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, output: () => out, errors: () => err };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('the lab process', () => {
  it('prints the URL and every demo port, then stops cleanly on Ctrl-C and frees them', async () => {
    const port = await freePort();
    // Demo ports from the kernel (--demo-ports 0): a fixed range could meet ports other tests hold meanwhile.
    const lab = startLab(['--port', String(port), '--demo-ports', '0']);
    await lab.waitFor(/Press Ctrl-C/);
    expect(lab.output()).toContain(`http://127.0.0.1:${port}/`);
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as {
      demos: { id: string; endpoints: { port: number }[] }[];
    };
    const demoPorts = status.demos.flatMap((d) => d.endpoints.map((e) => e.port));
    const echoPort = status.demos.find((d) => d.id === 'echo')!.endpoints[0]!.port;
    for (const p of demoPorts) expect(lab.output()).toContain(`127.0.0.1:${p}`);
    // A connected client must not keep the lab from stopping.
    const client = net.connect(echoPort, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    lab.child.kill('SIGINT');
    expect(await lab.exited).toBe(0);
    expect(lab.output()).toContain('GoNet Lab stopped');
    expect(await canListen(port)).toBe(true);
    expect(await canListen(echoPort)).toBe(true);
    client.destroy();
  }, 90_000);

  it('answers to the names passed with --allow-host and to no other Host', async () => {
    const port = await freePort();
    const lab = startLab(['--port', String(port), '--demo-ports', '0', '--allow-host', 'lab.school']);
    try {
      await lab.waitFor(/Press Ctrl-C/);
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, path: '/api/status', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
        });
      expect(await status(`lab.school:${port}`)).toBe(200);
      expect(await status(`localhost:${port}`)).toBe(200);
      expect(await status(`evil.example:${port}`)).toBe(403);
    } finally {
      lab.child.kill('SIGINT');
      await lab.exited;
    }
  }, 40_000);

  it('names the port and the flag when the web port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const lab = startLab(['--port', String(port), '--demo-ports', '0']);
      expect(await lab.exited).toBe(1);
      expect(lab.errors()).toContain(`127.0.0.1:${port} is already in use`);
      expect(lab.errors()).toContain('--port');
    } finally {
      blocker.close();
    }
  }, 90_000);
});
