import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ShutdownRunArgs } from '../../../core/protocol/demos/gracefulShutdown';
import type { LabEventBody } from '../../../core/protocol/events';
import { GracefulShutdownDemo } from './gracefulShutdownDemo';
import { REQUEST_SERVER_LIMITS, RequestServer } from './requestServer';

/** A raw client: sends lines, collects what comes back until the server closes. */
function rawClient(port: number): Promise<{ socket: net.Socket; lines: string[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve({ socket, lines, closed }));
    const lines: string[] = [];
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    socket.on('error', reject);
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
  });
}

describe('RequestServer', () => {
  const server = new RequestServer('127.0.0.1', 200);
  afterEach(() => server.stopHard());

  it('graceful: closes an idle connection at once, answers the busy one with "close", refuses new connects', async () => {
    await server.listen(0, 200);
    const idle = await rawClient(server.boundPort);
    const busy = await rawClient(server.boundPort);
    busy.socket.write('REQ 7\n');
    await new Promise((r) => setTimeout(r, 50)); // the request is read and in flight
    expect(server.inFlight).toBe(1);
    const shutdown = server.shutdown(5_000);
    await idle.closed;
    expect(busy.socket.destroyed).toBe(false); // still waiting for its answer
    await busy.closed;
    await shutdown;
    expect(busy.lines).toEqual(['OK 7 close']);
    expect(idle.lines).toEqual([]);
    expect(server.counts).toMatchObject({ read: 1, answered: 1, lostInFlight: 0 });
    await expect(rawClient(server.boundPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('graceful: a request still running at the deadline is cut and counted', async () => {
    await server.listen(0, 5_000);
    const c = await rawClient(server.boundPort);
    c.socket.write('REQ 1\n');
    await new Promise((r) => setTimeout(r, 50));
    await server.shutdown(100);
    await c.closed;
    expect(server.counts).toMatchObject({ read: 1, answered: 0, lostInFlight: 1, cutAtDeadline: 1 });
  });

  it('hard: every request in flight is lost', async () => {
    await server.listen(0, 5_000);
    const clients = await Promise.all([1, 2, 3].map(() => rawClient(server.boundPort)));
    clients.forEach((c, i) => c.socket.write(`REQ ${i}\n`));
    await new Promise((r) => setTimeout(r, 50));
    await server.stopHard();
    await Promise.all(clients.map((c) => c.closed));
    expect(server.counts).toMatchObject({ read: 3, answered: 0, lostInFlight: 3 });
  });
});

describe('GracefulShutdownDemo', () => {
  const demo = new GracefulShutdownDemo();
  afterEach(() => demo.stop());

  it('hard shutdown loses the requests in flight; graceful loses none when the deadline is long enough', async () => {
    const events: LabEventBody[] = [];
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
    const port = demo.endpoints()[0].port;
    const [hard, graceful] = await demo.runShutdowns(
      ShutdownRunArgs.parse({ clients: 10, workMs: 200, loadMs: 500, deadlineMs: 3_000 }),
    );
    // Every client always has one request in flight (it sends the next as soon as it has an answer).
    expect(hard.lostInFlight).toBe(10);
    expect(hard.unanswered).toBe(10);
    expect(graceful.lostInFlight).toBe(0);
    expect(graceful.unanswered).toBe(0);
    expect(graceful.answered).toBe(graceful.read);
    // The graceful shutdown waited for the work in flight (up to one request's 200 ms), not for the deadline.
    expect(graceful.drainMs).toBeLessThan(3_000);
    for (const r of [hard, graceful]) expect(r.refusedConnects).toBe(10);
    expect(events.filter((e) => e.kind === 'shutdown.sample').length).toBeGreaterThan(4);
    expect(events.at(-1)).toMatchObject({ kind: 'shutdown.runEnd', stoppedEarly: false });
    // Afterwards the server listens again on the same port.
    const c = await rawClient(port);
    c.socket.destroy();
  }, 20_000);

  it('one run at a time: another page is refused and cannot stop it', async () => {
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: () => {} });
    await demo.commands.run.run(ShutdownRunArgs.parse({ loadMs: 5_000, clients: 2 }), { session: 'a' });
    await expect(
      Promise.resolve().then(() => demo.commands.run.run(ShutdownRunArgs.parse({}), { session: 'b', local: false })),
    ).rejects.toMatchObject({ code: 'E_DEMO_IN_USE' });
    await expect(
      Promise.resolve().then(() => demo.commands.stop.run({}, { session: 'b', local: false })),
    ).rejects.toMatchObject({ code: 'E_NOT_OWNER' });
    expect(await demo.commands.stop.run({}, { session: 'a' })).toEqual({ stopped: true });
  }, 20_000);

  it('rejects settings out of range', () => {
    expect(ShutdownRunArgs.safeParse({ clients: 0 }).success).toBe(false);
    expect(ShutdownRunArgs.safeParse({ modes: ['hard', 'hard'] }).success).toBe(false);
    expect(ShutdownRunArgs.safeParse({ modes: ['abrupt'] }).success).toBe(false);
    expect(ShutdownRunArgs.safeParse({ deadlineMs: 60_000 }).success).toBe(false);
  });
});

describe('connection limits', () => {
  it('a connection past the cap is told why and closed', async () => {
    const server = new RequestServer('127.0.0.1', 10);
    await server.listen(0);
    const held = await Promise.all(
      Array.from({ length: REQUEST_SERVER_LIMITS.maxConnections }, () => rawClient(server.boundPort)),
    );
    // Accepts run after the connects: wait until the server holds them all.
    for (let i = 0; i < 200 && server.connections < held.length; i++) await new Promise((r) => setTimeout(r, 10));
    const extra = await rawClient(server.boundPort);
    await extra.closed;
    expect(extra.lines.join('\n')).toContain('E_DEMO_FULL');
    for (const c of held) c.socket.destroy();
    await server.stopHard();
  }, 20_000);
});
