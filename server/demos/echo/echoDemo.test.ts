import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/eventBus.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { LabError } from '../../../core/protocol/errors.js';
import { EchoDemo } from './echoDemo.js';

const running: EchoDemo[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function startEcho(port = 0): Promise<{ demo: EchoDemo; events: LabEvent[]; port: number }> {
  const bus = new EventBus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const demo = new EchoDemo();
  await demo.start({ host: '127.0.0.1', port: () => port, emit: bus.forDemo('echo') });
  running.push(demo);
  return { demo, events, port: demo.endpoints()[0]!.port };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('EchoDemo', () => {
  it('echoes bytes back and reports open, data both ways and close', async () => {
    const { events, port } = await startEcho();
    const s = await connect(port);
    const clientPort = s.localPort;
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.write('ping\n');
    await until(() => Buffer.concat(got).toString() === 'ping\n');
    s.end();
    await until(() => events.some((e) => e.kind === 'socket.close'));
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain('socket.listen');
    const open = events.find((e) => e.kind === 'socket.open');
    expect(open).toMatchObject({ side: 'server', source: 'observed', remote: { port: clientPort } });
    const data = events.filter((e) => e.kind === 'socket.data');
    expect(data.map((e) => e.kind === 'socket.data' && [e.dir, Buffer.from(e.b64, 'base64').toString()])).toEqual([
      ['in', 'ping\n'],
      ['out', 'ping\n'],
    ]);
    expect(events.find((e) => e.kind === 'socket.close')).toMatchObject({ reason: 'eof', bytesIn: 5, bytesOut: 5 });
  });

  it('opens browser clients per session, echoes their sends and refuses other sessions and too many', async () => {
    const { demo, events } = await startEcho();
    const a = await demo.connect('browser-1');
    await demo.send('browser-1', a.client, 'hi\n');
    await until(() => events.some((e) => e.kind === 'socket.data' && e.dir === 'out'));
    expect(events.find((e) => e.kind === 'socket.open' && e.side === 'client')).toMatchObject({
      label: a.client,
      local: { port: a.localPort },
    });
    await expect(demo.send('browser-2', a.client, 'x')).rejects.toMatchObject({ code: 'E_NO_SUCH_CLIENT' });
    for (let i = 1; i < 16; i++) await demo.connect('browser-1');
    await expect(demo.connect('browser-1')).rejects.toBeInstanceOf(LabError);
    await expect(demo.connect('browser-1')).rejects.toMatchObject({ code: 'E_TOO_MANY_CLIENTS' });
    // Another browser is not limited by the first one's clients; a closed session frees its clients.
    await demo.connect('browser-2');
    demo.sessionClosed('browser-1');
    await until(() => events.filter((e) => e.kind === 'socket.close').length >= 16);
  });

  it('a client that sends 10 MB with no newline and never reads is paused; another client is unaffected', async () => {
    const { events, port } = await startEcho();
    const hog = await connect(port);
    hog.pause(); // never reads its echoes
    const tenMb = Buffer.alloc(10 * 1024 * 1024, 0x78);
    hog.write(tenMb);
    await until(() => events.some((e) => e.kind === 'socket.pause'), 5000);

    const polite = await connect(port);
    const got: Buffer[] = [];
    polite.on('data', (d) => got.push(d));
    polite.write('still here\n');
    await until(() => Buffer.concat(got).toString() === 'still here\n');
    // The hog's bytes wait in kernel buffers and in its own socket, not in the lab's memory.
    expect(hog.writableLength).toBeGreaterThan(0);
    hog.destroy();
    polite.destroy();
    await until(() => events.filter((e) => e.kind === 'socket.close').length === 2);
  });

  it('names the port and the flag when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const demo = new EchoDemo();
      const err = await demo.start({ host: '127.0.0.1', port: () => port, emit: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).code).toBe('E_PORT_IN_USE');
      expect((err as LabError).message).toContain(String(port));
      expect((err as LabError).message).toContain('--demo-ports');
    } finally {
      blocker.close();
    }
  });
});
