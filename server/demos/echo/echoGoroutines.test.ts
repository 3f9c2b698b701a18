// The echo server's connection handlers run as goroutines of the lab's runtime: one per connection, parked in
// I/O waits while the socket has nothing to read (a read with bytes buffered, or a write the kernel takes, does not park), gone when the client closes — all as goroutine events.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/eventBus.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { EchoDemo } from './echoDemo.js';

const running: EchoDemo[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('echo handlers as goroutines', () => {
  it('spawns handleConn per connection, blocks it on IO wait, and ends it when the client closes', async () => {
    const bus = new EventBus();
    const events: LabEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const demo = new EchoDemo();
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('echo') });
    running.push(demo);
    const port = demo.endpoints()[0]!.port;

    const clients = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1', () => resolve(s));
            s.once('error', reject);
          }),
      ),
    );
    await until(() => events.filter((e) => e.kind === 'go.spawn').length === 2);
    const spawns = events.filter((e): e is Extract<LabEvent, { kind: 'go.spawn' }> => e.kind === 'go.spawn');
    expect(spawns.map((e) => [e.fn, e.parent])).toEqual([
      ['handleConn', 0],
      ['handleConn', 0],
    ]);
    // Waiting for bytes is an I/O wait, not running.
    await until(() => events.some((e) => e.kind === 'go.block' && e.reason === 'IO wait'));

    const echoed = new Promise<string>((resolve) => clients[0].once('data', (d) => resolve(d.toString())));
    clients[0].write('ping\n');
    expect(await echoed).toBe('ping\n');
    const gid = spawns[0].gid;
    const of = (kind: string) => events.filter((e) => e.kind === kind && 'gid' in e && e.gid === gid);
    // The read parked until "ping" arrived; the write the kernel took at once did not park (nor does Go's); the
    // next read parks again.
    await until(() => of('go.block').length === 2);
    expect(of('go.unblock')).toHaveLength(1);
    expect(of('go.block').every((e) => e.kind === 'go.block' && e.reason === 'IO wait')).toBe(true);

    for (const c of clients) c.end();
    await until(() => events.filter((e) => e.kind === 'go.exit').length === 2);
    expect(events.some((e) => e.kind === 'go.runEnd')).toBe(false);
    expect(events.every((e) => !e.kind.startsWith('go.') || e.source === 'observed')).toBe(true);
  });
});
