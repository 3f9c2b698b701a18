// Lesson 3's Go program against the lab: as a client of each framing server, and as a length-prefix server that the
// lab's encoder and decoder talk to. Runs when a Go toolchain is present (it is in CI); says so when it is not.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LengthPrefixDecoder, LengthPrefixEncoder } from '../../../core/framing/lengthPrefixCodec.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { FramingDemo } from './framingDemo.js';

const run = promisify(execFile);
const go = existsSync('/usr/bin/go')
  ? '/usr/bin/go'
  : spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim() || null;
describe("lesson 3's Go program and the lab's framing servers", () => {
  const events: LabEventBody[] = [];
  const demo = new FramingDemo();
  let dir = '';
  let binary = '';

  beforeAll(async () => {
    if (!go)
      throw new Error('lesson 3 Go interop needs a Go toolchain: apt-get install golang-go (.ci/run installs it)');
    dir = mkdtempSync(join(tmpdir(), 'gonet-lesson3-'));
    binary = join(dir, 'framing');
    const source = fileURLToPath(new URL('../../../lessons/03-framing/main.go', import.meta.url));
    execFileSync(go!, ['build', '-o', binary, source], {
      env: { ...process.env, GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'gonet-lab-gocache'), GO111MODULE: 'off' },
      stdio: 'pipe',
      timeout: 120_000,
    });
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  }, 130_000);

  afterAll(async () => {
    await demo.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const addrOf = (mode: string) => `127.0.0.1:${demo.endpoints().find((e) => e.name === mode)!.port}`;

  for (const mode of ['length-prefix', 'delimiter', 'fixed'] as const) {
    it(`${mode}: the Go client's messages, sent in one write, come back one frame each`, async () => {
      const { stdout } = await run(binary, ['-mode', mode, '-addr', addrOf(mode), 'hello', 'sticky', 'packets'], {
        timeout: 20_000,
      });
      expect(stdout).toContain('sent 3 messages');
      expect(stdout).toContain('echo 0: "hello"\necho 1: "sticky"\necho 2: "packets"');
      const decoded = events.filter((e) => e.kind === 'frame.decoded' && e.mode === mode);
      expect(decoded.length).toBeGreaterThanOrEqual(3);
    });
  }

  it('the lab talks to the Go program as a length-prefix server', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const server = spawn(binary, ['-mode', 'length-prefix', '-serve', `127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      let socket: net.Socket | null = null;
      for (let i = 0; i < 100 && !socket; i++) {
        socket = await new Promise<net.Socket | null>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
          s.once('error', () => resolve(null));
        });
        if (!socket) await new Promise((r) => setTimeout(r, 50));
      }
      if (!socket) throw new Error('the Go server did not start');
      const encoder = new LengthPrefixEncoder();
      const messages = ['one', '', 'x'.repeat(70_000)].map((m) => new TextEncoder().encode(m));
      const decoder = new LengthPrefixDecoder();
      const echoed: number[] = [];
      const done = new Promise<void>((resolve) =>
        socket!.on('data', (chunk) =>
          decoder.push(chunk, (f) => {
            echoed.push(f.length);
            if (echoed.length === messages.length) resolve();
          }),
        ),
      );
      socket.write(Buffer.concat(messages.map((m) => encoder.encode(m))));
      await done;
      expect(echoed).toEqual([3, 0, 70_000]);
      socket.destroy();
    } finally {
      server.kill();
    }
  });
});
