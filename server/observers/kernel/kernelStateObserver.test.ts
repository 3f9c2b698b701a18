// Polls the real kernel table while the test opens and closes loopback connections.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TcpStateEvent } from '../../../core/protocol/events/tcpState.js';
import { KernelStateObserver, type SocketTableSource } from './kernelStateObserver.js';

type Change = Extract<TcpStateEvent, { kind: 'tcpState.change' }>;

// Waits for a state, not a time: the bound only stops a test that will never see it (a loaded machine polls late).
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.runIf(process.platform === 'linux')('KernelStateObserver on /proc/net/tcp', () => {
  it('sees the listener, both ends established, and the closing states of each side', async () => {
    // allowHalfOpen: like a Go server, Node must not answer the client's FIN with its own until told to.
    const server = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const events: TcpStateEvent[] = [];
    const observer = new KernelStateObserver({ ports: [port], emit: (e) => events.push(e) });
    expect(await observer.start()).toBe(true);
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    const client = net.connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const serverSide = await accepted;
    const clientPort = client.localPort!;
    const changes = (): Change[] => events.filter((e): e is Change => e.kind === 'tcpState.change');
    const clientName = `127.0.0.1:${clientPort}`;
    const serverName = `127.0.0.1:${port}`;
    // Sockets are ours by both ends: an earlier connection to a reused port may still be in the table (TIME_WAIT).
    const between = (local: string, remote: string) => (c: Change) =>
      c.socket.local === local && c.socket.remote === remote;
    const clientEnd = between(clientName, serverName);
    const serverEnd = between(serverName, clientName);
    const of = (end: (c: Change) => boolean): string[] =>
      changes()
        .filter(end)
        .map((c) => c.to);

    await until(() => of(clientEnd).includes('ESTABLISHED') && of(serverEnd).includes('ESTABLISHED'));
    // The server never closes its side: the client sits in FIN_WAIT2 and the server in CLOSE_WAIT.
    client.end();
    await until(() => of(clientEnd).includes('FIN_WAIT2') && of(serverEnd).includes('CLOSE_WAIT'));
    // Now it does: the client, which closed first, moves to TIME_WAIT with the kernel's 60 s timer.
    serverSide.end();
    await until(() => of(clientEnd).includes('TIME_WAIT') && of(serverEnd).includes('CLOSED'));
    await observer.stop();
    server.close();
    client.destroy();

    const listen = changes().find(between(serverName, '0.0.0.0:0'));
    expect(listen).toMatchObject({ to: 'LISTEN', firstSample: true, source: 'polled' });
    const timeWait = changes().find((c) => clientEnd(c) && c.to === 'TIME_WAIT')!;
    // 60 s when it starts; a loaded machine may sample it seconds late, never tens of seconds.
    expect(timeWait.timerMs).toBeGreaterThan(40_000);
    expect(timeWait.stayedMs!.max).toBeGreaterThanOrEqual(timeWait.stayedMs!.min);
    const serverClosed = changes().find((c) => serverEnd(c) && c.to === 'CLOSED')!;
    expect(['CLOSE_WAIT', 'LAST_ACK']).toContain(serverClosed.from);
    expect(events[0]).toMatchObject({ kind: 'tcpState.pollerStatus', status: 'polling', method: '/proc/net/tcp' });
    expect(events.at(-1)).toMatchObject({ kind: 'tcpState.pollerStatus', status: 'stopped' });
    expect(observer.sampleCount).toBeGreaterThan(3);
  });

  it('ignores sockets on other ports', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const events: TcpStateEvent[] = [];
    const observer = new KernelStateObserver({ ports: [1], emit: (e) => events.push(e) });
    await observer.start();
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    await observer.sampleNow();
    await observer.stop();
    client.destroy();
    server.close();
    expect(events.filter((e) => e.kind === 'tcpState.change')).toEqual([]);
  });
});

describe('KernelStateObserver without a readable table', () => {
  it('says polling is unavailable and why', async () => {
    const broken: SocketTableSource = {
      method: 'netstat',
      read: () => Promise.reject(new Error('spawn netstat ENOENT')),
    };
    const events: TcpStateEvent[] = [];
    const observer = new KernelStateObserver({ ports: [9], emit: (e) => events.push(e), source: broken });
    expect(await observer.start()).toBe(false);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'tcpState.pollerStatus',
        status: 'unavailable',
        method: 'netstat',
        error: expect.objectContaining({ code: 'E_STATE_POLL_UNAVAILABLE', detail: expect.stringContaining('ENOENT') }),
      }),
    ]);
  });

  it('says so on a platform with no reader', async () => {
    const events: TcpStateEvent[] = [];
    expect(await new KernelStateObserver({ ports: [9], emit: (e) => events.push(e), source: null }).start()).toBe(
      false,
    );
    expect(events[0]).toMatchObject({ status: 'unavailable', method: 'none' });
  });
});
