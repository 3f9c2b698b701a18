// The WebSocket edge against a real lab server: handshake, version check, bad input, commands and event batches.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoDemo } from '../demos/echo/echoDemo.js';
import { GoroutineDemo } from '../demos/goroutines/goroutineDemo.js';
import { createHttpServer } from '../http/httpServer.js';
import { Lab } from '../lab.js';
import type { LabEvent } from '../../core/protocol/events.js';
import { MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../core/protocol/wire.js';
import { TestClient } from './testBrowserClient.js';

let lab: Lab;
let server: http.Server;
let url: string;

beforeAll(async () => {
  lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test-build' });
  await lab.start([new EchoDemo(), new GoroutineDemo()]);
  ({ server } = createHttpServer(lab, {
    webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    lessonsDir: fileURLToPath(new URL('../../lessons', import.meta.url)),
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await lab.stop();
});

const open = () => TestClient.open(url);

describe('WebSocket gateway', () => {
  it('welcomes a current browser with the status of the demos', async () => {
    const c = await open();
    c.send({ type: 'hello', protocol: PROTOCOL_VERSION, build: 'test-build' });
    const welcome = await c.next('welcome');
    expect(welcome.protocol).toBe(PROTOCOL_VERSION);
    expect(welcome.demos.find((d) => d.id === 'echo')).toMatchObject({
      state: 'running',
      endpoints: [{ protocol: 'tcp', host: '127.0.0.1' }],
    });
    c.close();
  });

  it('tells a browser from an older build or protocol to reload', async () => {
    for (const hello of [
      { type: 'hello', protocol: PROTOCOL_VERSION - 1, build: 'test-build' },
      { type: 'hello', protocol: PROTOCOL_VERSION, build: 'an-old-build' },
    ]) {
      const c = await open();
      c.send(hello);
      const reload = await c.next('reload');
      expect(reload.serverProtocol).toBe(PROTOCOL_VERSION);
      expect(reload.reason.zh.length).toBeGreaterThan(0);
      c.close();
    }
  });

  it('answers bad input with stable codes and keeps the connection and the server up', async () => {
    const c = await open();
    c.send({ type: 'subscribe', demos: ['echo'] });
    expect((await c.next('error')).error.code).toBe('E_NOT_READY');
    await c.hello();
    c.send('{not json');
    expect((await c.next('error')).error.code).toBe('E_BAD_JSON');
    c.send({ type: 'teleport' });
    expect((await c.next('error')).error.code).toBe('E_BAD_MESSAGE');
    c.send('x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 10));
    expect((await c.next('error')).error.code).toBe('E_MESSAGE_TOO_LARGE');
    c.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    expect((await c.next('error')).error.code).toBe('E_BINARY_NOT_ACCEPTED');
    c.send({ type: 'command', id: 1, demo: 'nosuch', action: 'go' });
    expect((await c.next('reply', (m) => m.id === 1)) as unknown).toMatchObject({
      ok: false,
      error: { code: 'E_UNKNOWN_DEMO' },
    });
    c.send({ type: 'command', id: 2, demo: 'echo', action: 'explode' });
    expect((await c.next('reply', (m) => m.id === 2)) as unknown).toMatchObject({
      ok: false,
      error: { code: 'E_UNKNOWN_ACTION' },
    });
    c.send({ type: 'command', id: 3, demo: 'echo', action: 'toString' });
    expect((await c.next('reply', (m) => m.id === 3)) as unknown).toMatchObject({
      ok: false,
      error: { code: 'E_UNKNOWN_ACTION' },
    });
    c.send({ type: 'command', id: 4, demo: 'echo', action: 'send', args: { client: 5 } });
    expect((await c.next('reply', (m) => m.id === 4)) as unknown).toMatchObject({
      ok: false,
      error: { code: 'E_BAD_ARGS' },
    });
    // Still alive: a ping gets its pong.
    c.send({ type: 'ping', t: 42 });
    expect((await c.next('pong')).t).toBe(42);
    c.close();
  });

  it('sends a reply only after the events its command emitted', async () => {
    const c = await open();
    await c.hello();
    c.send({ type: 'subscribe', demos: ['goroutines'] });
    // Twenty runs: with the events on a 16 ms timer and the reply sent at once, the reply would win most of them.
    for (let id = 20; id < 40; id++) {
      c.send({ type: 'command', id, demo: 'goroutines', action: 'run', args: { program: 'close-range', n: 4 } });
      await c.next('reply', (m) => m.id === id);
      const printed = c.messages
        .flatMap((m) => (m.type === 'events' ? m.events : []))
        .filter((e) => e.kind === 'go.print');
      expect(printed.map((e) => (e as { text: string }).text)).toContain('after close: v="" ok=false');
      expect(c.messages.some((m) => m.type === 'events' && m.events.some((e) => e.kind === 'go.runEnd'))).toBe(true);
      c.messages.length = 0;
    }
    c.close();
  });

  it('runs commands for a session and streams their events in batches', async () => {
    const c = await open();
    await c.hello();
    c.send({ type: 'subscribe', demos: ['echo'] });
    c.send({ type: 'command', id: 10, demo: 'echo', action: 'connect', args: {} });
    const reply = await c.next('reply', (m) => m.id === 10);
    expect(reply.ok).toBe(true);
    const client = (reply as { result: { client: string } }).result.client;
    c.send({ type: 'command', id: 11, demo: 'echo', action: 'send', args: { client, text: 'over the wire' } });
    expect((await c.next('reply', (m) => m.id === 11)) as unknown).toMatchObject({ ok: true, result: { bytes: 14 } });
    const echoed: LabEvent[] = [];
    while (!echoed.some((e) => e.kind === 'socket.data' && e.dir === 'out')) {
      const batch = await c.next('events');
      echoed.push(...batch.events);
    }
    const out = echoed.find((e) => e.kind === 'socket.data' && e.dir === 'out');
    expect(out && out.kind === 'socket.data' && Buffer.from(out.b64, 'base64').toString()).toBe('over the wire\n');
    // Another browser cannot use this browser's client.
    const other = await open();
    await other.hello();
    other.send({ type: 'command', id: 1, demo: 'echo', action: 'send', args: { client, text: 'x' } });
    expect((await other.next('reply')) as unknown).toMatchObject({ ok: false, error: { code: 'E_NO_SUCH_CLIENT' } });
    other.close();
    // Leaving closes what the session opened.
    c.close();
    const end = Date.now() + 3000;
    while (lab.bus.recent('echo').filter((e) => e.kind === 'socket.close' && e.conn === client).length === 0) {
      if (Date.now() > end) throw new Error('client not closed when its browser left');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('rate-limits a flood of messages without dropping the connection', async () => {
    const c = await open();
    await c.hello();
    for (let i = 0; i < 300; i++) c.send({ type: 'ping', t: i });
    expect((await c.next('error')).error.code).toBe('E_RATE_LIMITED');
    await new Promise((r) => setTimeout(r, 300));
    c.messages.length = 0;
    c.send({ type: 'ping', t: -1 });
    expect((await c.next('pong', (m) => m.t === -1)).t).toBe(-1);
    c.close();
  });

  it('serves /api/status and lessons over HTTP', async () => {
    const base = url.replace('ws://', 'http://').replace('/ws', '');
    const status = (await (await fetch(`${base}/api/status`)).json()) as { demos: { id: string }[] };
    expect(status.demos.map((d) => d.id)).toContain('echo');
    const lessons = (await (await fetch(`${base}/api/lessons`)).json()) as { slug: string }[];
    expect(lessons.map((l) => l.slug)).toContain('01-echo-server');
    const missing = await fetch(`${base}/api/lessons/99-nothing`);
    expect(missing.status).toBe(404);
    const traversal = await fetch(`${base}/..%2f..%2fpackage.json`);
    expect([400, 404]).toContain(traversal.status);
  });
});
