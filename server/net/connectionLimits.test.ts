// The demo servers' cap and idle timeout on real loopback sockets: the refused or idle client reads why, then EOF.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EchoServer } from '../demos/echo/echoServer.js';
import { FramingServer } from '../demos/framing/framingServer.js';
import { HandshakeServer } from '../demos/handshake/handshakeServer.js';
import { WorkerPoolServer } from '../demos/workerPool/workerPoolServer.js';
import { WorkerPoolConfigureArgs } from '../../core/protocol/demos/workerPool.js';
import { refusalLine } from './connectionLimits.js';
import { FRAMING_SERVER_CONFIGS } from '../../core/protocol/demos/framing.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Connects and collects everything the server sends until it closes the connection. */
function client(port: number): { socket: net.Socket; connected: Promise<void>; received: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => {});
  return {
    socket,
    connected: new Promise((r) => socket.once('connect', () => r())),
    received: new Promise((r) => socket.once('close', () => r(text))),
  };
}

async function echoServer(limits: { maxConnections?: number; idleMs?: number }): Promise<EchoServer> {
  const s = new EchoServer({ host: '127.0.0.1', port: 0, flag: '--demo-ports', limits });
  await s.listen();
  servers.push(s);
  return s;
}

describe('refusalLine', () => {
  it('names the code and says what to do', () => {
    expect(refusalLine('E_DEMO_FULL', '2 open')).toMatch(/^lab: E_DEMO_FULL: .*Close one.*\(2 open\)\n$/);
  });
});

describe('the echo server’s cap (it had none)', () => {
  it('refuses the connection past the cap with a line saying why, and serves the ones it holds', async () => {
    const s = await echoServer({ maxConnections: 2 });
    const a = client(s.port);
    const b = client(s.port);
    await Promise.all([a.connected, b.connected]);
    await expect.poll(() => s.connectionCount).toBe(2);
    const c = client(s.port);
    expect(await c.received).toContain('E_DEMO_FULL');
    const echoed = new Promise<string>((r) => a.socket.once('data', (d: Buffer) => r(d.toString())));
    a.socket.write('still served\n');
    expect(await echoed).toBe('still served\n');
    a.socket.destroy();
    b.socket.destroy();
  });
});

describe('idle timeouts', () => {
  it('closes an idle echo connection with E_DEMO_IDLE, which frees its slot', async () => {
    const s = await echoServer({ maxConnections: 1, idleMs: 200 });
    const idle = client(s.port);
    expect(await idle.received).toContain('E_DEMO_IDLE');
    await expect.poll(() => s.connectionCount).toBe(0);
    const next = client(s.port);
    await next.connected;
    const echoed = new Promise<string>((r) => next.socket.once('data', (d: Buffer) => r(d.toString())));
    next.socket.write('my turn\n');
    expect(await echoed).toBe('my turn\n');
    next.socket.destroy();
  });

  it('idle clients no longer lock a framing server out: they are closed, and a new client gets in', async () => {
    const s = new FramingServer({
      host: '127.0.0.1',
      port: 0,
      flag: '--demo-ports',
      config: FRAMING_SERVER_CONFIGS.delimiter,
      idPrefix: 'd',
      limits: { maxConnections: 2, idleMs: 300 },
    });
    await s.listen();
    servers.push(s);
    const idlers = [client(s.port), client(s.port)];
    await Promise.all(idlers.map((i) => i.connected));
    const refused = client(s.port);
    expect(await refused.received).toContain('E_DEMO_FULL');
    for (const i of idlers) expect(await i.received).toContain('E_DEMO_IDLE');
    await expect.poll(() => s.connectionCount).toBe(0);
    const later = client(s.port);
    await later.connected;
    later.socket.end();
    expect(await later.received).not.toContain('E_DEMO_FULL');
  });
});

describe('the worker-pool and handshake servers’ caps and idle timeouts (they had none)', () => {
  it('the worker pool refuses a client past its cap with E_DEMO_FULL, serves the ones it holds, and closes idle ones', async () => {
    const s = new WorkerPoolServer({
      host: '127.0.0.1',
      port: 0,
      flag: '--demo-ports',
      config: WorkerPoolConfigureArgs.parse({ workMs: 1 }),
      limits: { maxConnections: 2, idleMs: 400 },
    });
    await s.listen();
    servers.push(s);
    const a = client(s.port);
    const b = client(s.port);
    await Promise.all([a.connected, b.connected]);
    await expect.poll(() => s.gauges(false).connections).toBe(2);
    const refused = client(s.port);
    expect(await refused.received).toContain('E_DEMO_FULL');
    const reply = new Promise<string>((r) => a.socket.once('data', (d: Buffer) => r(d.toString())));
    a.socket.write('job 1\n');
    expect(await reply).toBe('done job 1\n');
    // Both go quiet: each is closed with the idle line, and the slots free up.
    expect(await a.received).toContain('E_DEMO_IDLE');
    expect(await b.received).toContain('E_DEMO_IDLE');
    await expect.poll(() => s.gauges(false).connections).toBe(0);
    const later = client(s.port);
    await later.connected;
    later.socket.end();
    expect(await later.received).not.toContain('E_DEMO_FULL');
  });

  it('the handshake server refuses a client past its cap with E_DEMO_FULL and closes an idle one with E_DEMO_IDLE', async () => {
    let accepted = 0;
    const s = new HandshakeServer({
      host: '127.0.0.1',
      port: 0,
      onStep: (step) => void (step.call === 'accept' && accepted++),
      limits: { maxConnections: 1, idleMs: 400 },
    });
    await s.listen();
    servers.push(s);
    const idle = client(s.port);
    await idle.connected;
    await expect.poll(() => accepted).toBe(1);
    const refused = client(s.port);
    expect(await refused.received).toContain('E_DEMO_FULL');
    expect(accepted).toBe(1);
    expect(await idle.received).toContain('E_DEMO_IDLE');
    await expect.poll(() => s.connectionCount, { timeout: 5000 }).toBe(0); // the server's end goes within its 2 s grace
    const later = client(s.port);
    await later.connected;
    await expect.poll(() => accepted).toBe(2);
    const echoed = new Promise<string>((r) => later.socket.once('data', (d: Buffer) => r(d.toString())));
    later.socket.write('hello\n');
    expect(await echoed).toBe('hello\n');
    later.socket.destroy();
  });
});
