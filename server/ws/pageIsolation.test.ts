// Pages on one lab through the real /ws edge (issue 12, finding 3): one page's connections' bytes never reach
// another page, outside connections (nc) are shown to pages on the lab's machine, and a page cannot stop or
// replace another page's run of a shared demo.
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoDemo } from '../demos/echo/echoDemo.js';
import { GoroutineDemo } from '../demos/goroutines/goroutineDemo.js';
import { HandshakeDemo } from '../demos/handshake/handshakeDemo.js';
import { StreamDemo } from '../demos/stream/streamDemo.js';
import { WorkerPoolDemo } from '../demos/workerPool/workerPoolDemo.js';
import { createHttpServer } from '../http/httpServer.js';
import { Lab } from '../lab.js';
import type { LabEvent } from '../../core/protocol/events.js';
import type { ServerMessage } from '../../core/protocol/wire.js';
import { TestClient } from './testBrowserClient.js';

let lab: Lab;
let server: http.Server;
let url: string;
const web = (p: string) => fileURLToPath(new URL(p, import.meta.url));

beforeAll(async () => {
  lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test-build' });
  await lab.start([new EchoDemo(), new WorkerPoolDemo(), new GoroutineDemo(), new StreamDemo(), new HandshakeDemo()]);
  ({ server } = createHttpServer(lab, { webRoot: web('../../dist/web'), lessonsDir: web('../../lessons') }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await lab.stop();
});

async function page(demos: string[]): Promise<TestClient> {
  const c = await TestClient.open(url);
  await c.hello();
  c.send({ type: 'subscribe', demos });
  return c;
}
let nextId = 1;
async function command(
  c: TestClient,
  demo: string,
  action: string,
  args: unknown = {},
): Promise<Extract<ServerMessage, { type: 'reply' }>> {
  const id = nextId++;
  c.send({ type: 'command', id, demo, action, args });
  return c.next('reply', (m) => m.id === id);
}
function eventsOf(c: TestClient): LabEvent[] {
  return c.messages.flatMap((m) => (m.type === 'events' ? m.events : []));
}
const b64 = (s: string) => Buffer.from(s).toString('base64');
const sawBytes = (c: TestClient, text: string) =>
  eventsOf(c).some((e) => e.kind === 'socket.data' && e.b64.includes(b64(text).slice(0, 12)));
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('one page’s bytes never reach another page', () => {
  it('page B sees neither page A’s echo bytes nor its connections; both see an outside nc client', async () => {
    const a = await page(['echo']);
    const b = await page(['echo']);
    const opened = await command(a, 'echo', 'connect');
    expect(opened.ok).toBe(true);
    const client = (opened as { result: { client: string } }).result.client;
    expect((await command(a, 'echo', 'send', { client, text: 'secret of page A', newline: true })).ok).toBe(true);
    await until(() => sawBytes(a, 'secret of page A'));

    // An outside client (a student's nc on the lab's machine): every local page sees it.
    const port = lab.status().demos.find((d) => d.id === 'echo')!.endpoints[0]!.port;
    const nc = net.connect(port, '127.0.0.1');
    await new Promise((r) => nc.once('connect', r));
    nc.write('from nc outside\n');
    await until(() => sawBytes(b, 'from nc outside') && sawBytes(a, 'from nc outside'));
    nc.destroy();

    expect(sawBytes(b, 'secret of page A')).toBe(false);
    const aConns = new Set(
      eventsOf(a)
        .filter((e) => e.kind === 'socket.open')
        .map((e) => (e as { conn: string }).conn),
    );
    const bConns = new Set(
      eventsOf(b)
        .filter((e) => e.kind === 'socket.open')
        .map((e) => (e as { conn: string }).conn),
    );
    expect([...aConns].filter((c) => !bConns.has(c)).length).toBeGreaterThanOrEqual(2); // A's client and its server side
    for (const e of eventsOf(b)) {
      if (e.kind === 'socket.stats')
        for (const c of e.conns) expect(aConns.has(c.conn) && !bConns.has(c.conn), c.conn).toBe(false);
    }
    // A page that opens late gets the history, narrowed the same way.
    const late = await page(['echo']);
    await until(() => sawBytes(late, 'from nc outside'));
    expect(sawBytes(late, 'secret of page A')).toBe(false);
    for (const c of [a, b, late]) c.close();
  });
});

describe('shared demos have an owner', () => {
  it('page B cannot stop, replace or reconfigure under page A’s load run; page A can stop it', async () => {
    const a = await page(['worker-pool']);
    const b = await page(['worker-pool']);
    expect((await command(a, 'worker-pool', 'load', { connections: 2, durationMs: 20_000 })).ok).toBe(true);
    const stop = await command(b, 'worker-pool', 'stopLoad');
    expect(!stop.ok && stop.error.code).toBe('E_NOT_OWNER');
    const another = await command(b, 'worker-pool', 'load', { connections: 2, durationMs: 1000 });
    expect(!another.ok && another.error.code).toBe('E_DEMO_IN_USE');
    const configure = await command(b, 'worker-pool', 'configure', { workers: 1 });
    expect(!configure.ok && configure.error.code).toBe('E_DEMO_IN_USE');
    const own = await command(a, 'worker-pool', 'stopLoad');
    expect(own).toMatchObject({ ok: true, result: { stopped: true } });
    expect((await command(b, 'worker-pool', 'configure', { workers: 2 })).ok).toBe(true);
    a.close();
    b.close();
  });

  it('page B cannot stop or replace page A’s goroutine program; when page A leaves, its run stops', async () => {
    const a = await page(['goroutines']);
    const b = await page(['goroutines']);
    const id = nextId++;
    a.send({ type: 'command', id, demo: 'goroutines', action: 'run', args: { program: 'leak', n: 3 } });
    await until(() => eventsOf(a).some((e) => e.kind.startsWith('go.')));
    const stop = await command(b, 'goroutines', 'stop');
    expect(!stop.ok && stop.error.code).toBe('E_NOT_OWNER');
    const run = await command(b, 'goroutines', 'run', { program: 'unbuffered', n: 2 });
    expect(!run.ok && run.error.code).toBe('E_DEMO_IN_USE');
    a.close();
    // A's run ends with its page, and B may run again.
    await until(() => b.messages.length > 0);
    const again = async () => (await command(b, 'goroutines', 'run', { program: 'unbuffered', n: 2 })).ok;
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) ok = await again();
    expect(ok).toBe(true);
    b.close();
  });

  it('page B cannot start a stream run while page A’s goes; A may overlap its own; when A leaves, its run ends', async () => {
    const a = await page(['stream']);
    const b = await page(['stream']);
    const id = nextId++;
    a.send({ type: 'command', id, demo: 'stream', action: 'run', args: { count: 1000, size: 16, intervalMs: 20 } });
    await until(() => eventsOf(a).some((e) => e.kind === 'stream.runStart'));
    const other = await command(b, 'stream', 'run', { count: 2 });
    expect(!other.ok && other.error.code).toBe('E_DEMO_IN_USE');
    expect((await command(a, 'stream', 'run', { count: 2 })).ok).toBe(true);
    a.close();
    // A's receiver closes with its page (the 1000 messages would take 20 s), and B may run.
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      ok = (await command(b, 'stream', 'run', { count: 2 })).ok;
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ok).toBe(true);
    b.close();
  });

  it('page B cannot start a handshake scenario during page A’s, nor close the sockets A’s pile-up leaked; A can', async () => {
    const a = await page(['handshake']);
    const b = await page(['handshake']);
    const id = nextId++;
    a.send({
      type: 'command',
      id,
      demo: 'handshake',
      action: 'run',
      args: { scenario: 'time-wait', stepDelayMs: 400 },
    });
    await until(() => eventsOf(a).some((e) => e.kind === 'handshake.runStart'));
    const during = await command(b, 'handshake', 'run', { scenario: 'client-closes', stepDelayMs: 0 });
    expect(!during.ok && during.error.code).toBe('E_DEMO_IN_USE');
    expect((await a.next('reply', (m) => m.id === id)).ok).toBe(true);

    expect(
      (await command(a, 'handshake', 'run', { scenario: 'close-wait-pileup', stepDelayMs: 0, clients: 3 })).ok,
    ).toBe(true);
    const theirs = await command(b, 'handshake', 'closeLeaked');
    expect(!theirs.ok && theirs.error.code).toBe('E_NOT_OWNER');
    const pileup = await command(b, 'handshake', 'run', { scenario: 'close-wait-pileup', stepDelayMs: 0, clients: 2 });
    expect(!pileup.ok && pileup.error.code).toBe('E_DEMO_IN_USE');
    // Nothing of A's is going: B may run another scenario.
    expect((await command(b, 'handshake', 'run', { scenario: 'client-closes', stepDelayMs: 0 })).ok).toBe(true);
    expect(await command(a, 'handshake', 'closeLeaked')).toMatchObject({ ok: true, result: { closed: 3 } });
    a.close();
    b.close();
  });
});
