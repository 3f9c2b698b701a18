// The headless Go run: the echo lesson's Go program built and run on a port the lab picked, a client's bytes echoed,
// and the events printed as JSON lines: output, sampled goroutines (a handleConn per connection), and the program's
// own sockets as the lab's views draw them: the accepted connection (polled from its fds), its kernel TCP states,
// its captured segments and the bytes they carried, each matching this test's own socket exactly (both ends).
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
    let listening = 0;
    let capture: string | null = null;
    let talking = false;
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
          listening = Number(/:(\d+)\n/.exec(e.text)![1]);
        if (e.kind === 'packet.captureStatus' && capture !== 'capturing') capture = e.status;
        // Talk once the program listens and its port's capture runs (or cannot), so the capture sees the SYN.
        if (!talking && listening && capture && capture !== 'stopped') {
          talking = true;
          void talk(listening);
        }
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
    // Every event under the run's own demo id.
    const demo = `gorun-${start && start.kind === 'gorun.start' ? start.run : ''}`;
    expect(events.every((e) => e.demo === demo)).toBe(true);

    // The Go program's accepted connection, found from its own fds: exactly this test's connection, server side.
    const opened = events.find(
      (e) =>
        e.kind === 'socket.open' &&
        `${e.local.host}:${e.local.port}` === c.remote &&
        `${e.remote.host}:${e.remote.port}` === c.local,
    );
    // Opened by the captured SYN when the capture runs (before any poll could see it), else found by the poll.
    expect(opened && opened.kind === 'socket.open' && [opened.source, opened.side]).toEqual([
      capture === 'capturing' ? 'captured' : 'polled',
      'server',
    ]);
    const conn = opened && opened.kind === 'socket.open' ? opened.conn : '';
    expect(events.some((e) => e.kind === 'socket.listen' && e.local.port === Number(c.remote.split(':')[1]))).toBe(
      true,
    );
    // It lived 400 ms: the poll found it among the program's fds, and saw it leave them.
    expect(events.filter((e) => e.kind === 'socket.close' && e.conn === conn).map((e) => e.source)).toEqual(['polled']);
    if (capture === 'capturing') {
      // Its segments, this connection's only, and the bytes it received and sent back.
      const segments = events.filter(
        (e) =>
          e.kind === 'packet.segment' &&
          ((e.from === c.local && e.to === c.remote) || (e.from === c.remote && e.to === c.local)),
      );
      expect(segments.some((e) => e.kind === 'packet.segment' && e.flags.includes('SYN') && e.from === c.local)).toBe(
        true,
      );
      const data = events.filter((e) => e.kind === 'socket.data' && e.conn === conn);
      const text = (dir: 'in' | 'out') =>
        data
          .map((e) => (e.kind === 'socket.data' && e.dir === dir ? Buffer.from(e.b64, 'base64').toString() : ''))
          .join('');
      expect([text('in'), text('out')]).toEqual(['hello go\n', 'hello go\n']);
      expect(data.every((e) => e.source === 'captured')).toBe(true);
    }
  });
});
