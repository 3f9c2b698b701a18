// The worker-pool server over real loopback TCP: K bounds how many requests are worked on at once, a full queue
// waits or rejects, unbounded mode runs every request at once, and shutdown leaves no goroutine behind.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPoolConfigureArgs, type WorkerPoolConfig } from '../../../core/protocol/demos/workerPool.js';
import type { WorkerPoolStats } from '../../../core/protocol/events/workerPool.js';
import type { GoroutineEvent } from '../../../core/protocol/events/goroutine.js';
import { WorkerPoolServer } from './workerPoolServer.js';

const servers: WorkerPoolServer[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function startServer(
  config: Partial<WorkerPoolConfig>,
  onGoEvent?: (e: GoroutineEvent) => void,
): Promise<WorkerPoolServer> {
  const server = new WorkerPoolServer({
    host: '127.0.0.1',
    port: 0,
    flag: '--demo-ports',
    config: WorkerPoolConfigureArgs.parse(config),
    onGoEvent,
  });
  await server.listen();
  servers.push(server);
  return server;
}

/** A client that collects reply lines. */
async function client(port: number): Promise<{ socket: net.Socket; lines: string[]; next(): Promise<string> }> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  sockets.push(socket);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let pending = '';
  socket.on('data', (d: Buffer) => {
    pending += d.toString();
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      lines.push(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  let taken = 0;
  const next = async (): Promise<string> => {
    while (lines.length <= taken) await new Promise<void>((resolve) => waiters.push(resolve));
    return lines[taken++];
  };
  return { socket, lines, next };
}

/** Samples the server's gauges on every macrotask turn until `until` settles; returns the largest busy count seen. */
async function maxBusyWhile(server: WorkerPoolServer, until: Promise<unknown>): Promise<number> {
  let max = 0;
  let over = false;
  void until.finally(() => (over = true));
  while (!over) {
    max = Math.max(max, server.gauges(false).busy);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return max;
}

describe('worker-pool server', () => {
  it('with K=2 never works on more than 2 of 10 concurrent requests, and answers all 10', async () => {
    const server = await startServer({ workers: 2, queue: 16, workMs: 30 });
    const clients = await Promise.all(Array.from({ length: 10 }, () => client(server.port)));
    clients.forEach((c, i) => c.socket.write(`req${i}\n`));
    const replies = Promise.all(clients.map((c) => c.next()));
    const maxBusy = await maxBusyWhile(server, replies);
    expect(maxBusy).toBe(2);
    expect((await replies).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `done req${i}`).sort());
    const stats: WorkerPoolStats = server.snapshot(false);
    expect(stats.busyMax).toBeLessThanOrEqual(2);
    expect(stats.completed).toBe(10);
    // 10 requests, 2 at a time: the queue held the rest.
    expect(stats.queueMax).toBeGreaterThanOrEqual(1);
    expect(stats.p95Ms!).toBeGreaterThanOrEqual(stats.p50Ms!);
    // Queueing shows in latency: the last requests waited for several rounds of work (30 ms each).
    expect(stats.maxMs!).toBeGreaterThanOrEqual(3 * 30);
  });

  it('in unbounded mode works on all 10 requests at once (one goroutine per connection)', async () => {
    const server = await startServer({ mode: 'unbounded', workers: 2, workMs: 60 });
    const clients = await Promise.all(Array.from({ length: 10 }, () => client(server.port)));
    clients.forEach((c, i) => c.socket.write(`u${i}\n`));
    const replies = Promise.all(clients.map((c) => c.next()));
    expect(await maxBusyWhile(server, replies)).toBe(10);
    expect((await replies).every((r) => r.startsWith('done u'))).toBe(true);
  });

  it('rejects with "busy" when the queue is full in reject mode: K=1, Q=1, 5 requests → 2 done, 3 busy', async () => {
    const server = await startServer({ workers: 1, queue: 1, workMs: 300, whenFull: 'reject' });
    const c = await client(server.port);
    c.socket.write('a\nb\nc\nd\ne\n');
    const replies = [await c.next(), await c.next(), await c.next(), await c.next(), await c.next()];
    // The three rejections come at once; the two accepted finish one work-time apart.
    expect(replies.slice(0, 3)).toEqual(['busy c', 'busy d', 'busy e']);
    expect(replies.slice(3)).toEqual(['done a', 'done b']);
    const stats = server.snapshot(false);
    expect(stats.rejected).toBe(3);
    expect(stats.completed).toBe(2);
    expect(stats.queueMax).toBe(1);
  });

  it('waits (back-pressure) when the queue is full in wait mode: every request is answered, in order for one connection with K=1', async () => {
    const server = await startServer({ workers: 1, queue: 1, workMs: 20, whenFull: 'wait' });
    const c = await client(server.port);
    c.socket.write('1\n2\n3\n4\n5\n');
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await c.next());
    expect(replies).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    const stats = server.snapshot(false);
    expect(stats.rejected).toBe(0);
    expect(stats.queueMax).toBeLessThanOrEqual(1);
  });

  it('never completes more than K per work time: K=2, 20 ms of work, 6 closed-loop clients for 0.6 s', async () => {
    const server = await startServer({ workers: 2, queue: 8, workMs: 20 });
    const clients = await Promise.all(Array.from({ length: 6 }, () => client(server.port)));
    let answered = 0;
    let running = true;
    for (const c of clients) {
      c.socket.on('data', () => {
        answered++;
        if (running) c.socket.write('x\n');
      });
      c.socket.write('x\n');
    }
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 600));
    running = false;
    const elapsed = performance.now() - started;
    // Capacity is K/work = 100 per second: the bound holds whatever the machine's speed.
    expect(answered).toBeLessThanOrEqual(Math.ceil((2 * elapsed) / 20) + 2);
    expect(answered).toBeGreaterThan(0);
  });

  it('publishes goroutine events: K workers and one reader per connection, blocked on the jobs channel and on I/O', async () => {
    const events: GoroutineEvent[] = [];
    const server = await startServer({ workers: 3, queue: 2, workMs: 5 }, (e) => events.push(e));
    const c = await client(server.port);
    c.socket.write('hi\n');
    expect(await c.next()).toBe('done hi');
    const spawned = events.filter((e) => e.kind === 'go.spawn');
    expect(spawned.filter((e) => e.kind === 'go.spawn' && e.fn === 'worker')).toHaveLength(3);
    expect(spawned.filter((e) => e.kind === 'go.spawn' && e.fn === 'serveConn')).toHaveLength(1);
    expect(events.some((e) => e.kind === 'go.object' && e.name === 'jobs' && e.cap === 2)).toBe(true);
    expect(events.some((e) => e.kind === 'go.block' && e.reason === 'IO wait')).toBe(true);
    // The hand-off is labelled with the connection and the request line (not a dump of the socket).
    expect(events.find((e) => e.kind === 'go.send')).toMatchObject({ value: 'w1: hi' });
    expect(server.gauges(false).goroutines).toBe(4);
  });

  it('shuts down gracefully: no leaked goroutine even with readers waiting on a full queue', async () => {
    const events: GoroutineEvent[] = [];
    const server = await startServer({ workers: 1, queue: 0, workMs: 200 }, (e) => events.push(e));
    const clients = await Promise.all(Array.from({ length: 4 }, () => client(server.port)));
    clients.forEach((c) => c.socket.write('x\n'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.reconfigure(WorkerPoolConfigureArgs.parse({ workers: 2 }));
    const end = events.find((e) => e.kind === 'go.runEnd');
    expect(end).toMatchObject({ status: 'stopped' });
    expect(events.some((e) => e.kind === 'go.leak')).toBe(false);
    expect(server.gauges(false).goroutines).toBe(2);
  });
});
