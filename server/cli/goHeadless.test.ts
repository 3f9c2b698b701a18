// The headless Go run: the echo lesson's Go program built and run on a port the lab picked, a client's bytes echoed,
// and the events printed as JSON lines: output, sampled goroutines (a handleConn per connection), polled TCP states.
import net from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/protocol/events.js';
import { GoRunner } from '../gorun/goRunner.js';
import { runGoHeadless } from './goHeadless.js';

const runsDir = mkdtempSync(join(tmpdir(), 'gorun-cli-test-'));
afterAll(() => {
  const left = readdirSync(runsDir);
  rmSync(runsDir, { recursive: true, force: true });
  expect(left).toEqual([]);
});

describe('runGoHeadless', { timeout: 240_000 }, () => {
  it('runs lessons/01-echo-server/main.go and prints what the lab saw of it', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let client: { local: string; remote: string; echoed: string } | null = null;
    const talk = async (port: number) => {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('hello go\n');
      const echoed = await new Promise<string>((resolve) => socket.once('data', (b) => resolve(b.toString())));
      client = { local: `127.0.0.1:${socket.localPort}`, remote: `127.0.0.1:${port}`, echoed };
      await new Promise((r) => setTimeout(r, 400)); // long enough for several goroutine samples
      socket.end();
      await new Promise((r) => socket.once('close', r));
      await new Promise((r) => setTimeout(r, 200));
      controller.abort();
    };
    const result = await runGoHeadless({
      file: fileURLToPath(new URL('../../lessons/01-echo-server/main.go', import.meta.url)),
      host: '127.0.0.1',
      seconds: 200,
      format: 'json',
      runner: new GoRunner({ runsDir, samplePeriodMs: 50 }),
      signal: controller.signal,
      write: (line) => {
        lines.push(line);
        const e = JSON.parse(line) as LabEvent;
        if (e.kind === 'gorun.output' && e.text.includes('listening on'))
          void talk(Number(/:(\d+)\n/.exec(e.text)![1]));
      },
    });
    expect(result.status).toBe('stopped');
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    const start = events.find((e) => e.kind === 'gorun.start');
    expect(start && start.kind === 'gorun.start' && start.args).toEqual([
      '-addr',
      `127.0.0.1:${start && start.kind === 'gorun.start' ? start.port : 0}`,
    ]);
    expect(client!.echoed).toBe('hello go\n');
    // The server's end of exactly this connection, seen in the kernel's table.
    const c = client!;
    expect(
      events.some(
        (e) =>
          e.kind === 'tcpState.change' &&
          e.socket.local === c.remote &&
          e.socket.remote === c.local &&
          e.to === 'ESTABLISHED',
      ),
    ).toBe(true);
    const handlers = events
      .flatMap((e) => (e.kind === 'gorun.goroutines' ? e.goroutines : []))
      .filter((g) => g.fn === 'main.handleConn');
    expect(handlers.some((g) => g.waitReason === 'IO wait' && g.createdBy?.fn === 'main.main')).toBe(true);
    expect(events.every((e) => e.demo === 'go')).toBe(true);
  });
});
