// The UDP demo on real loopback sockets: echo, the seeded relay's losses, TCP merging what UDP keeps apart, the size
// limit, the per-source budget against a flood, and the kernel's table.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import { EventBus } from '../../events/eventBus.js';
import { UdpDemo } from './udpDemo.js';

const running: UdpDemo[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function startUdp(): Promise<{ demo: UdpDemo; events: LabEvent[] }> {
  const bus = new EventBus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const demo = new UdpDemo({ capture: false });
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('udp') });
  running.push(demo);
  return { demo, events };
}

const relay = { lossPercent: 25, reorderPercent: 25, seed: 42 };

describe('UdpDemo', () => {
  it('echoes a datagram from nc-like clients and names both endpoints with an nc -u hint', async () => {
    const { demo } = await startUdp();
    const [echo, lossy] = demo.endpoints();
    expect(echo).toMatchObject({ protocol: 'udp', tryWith: `nc -u 127.0.0.1 ${echo!.port}` });
    expect(lossy).toMatchObject({ name: 'lossy relay', protocol: 'udp' });
    const client = dgram.createSocket('udp4');
    const back = new Promise<string>((r) => client.once('message', (m) => r(m.toString())));
    client.send('hello\n', echo!.port, '127.0.0.1');
    expect(await back).toBe('hello\n');
    client.close();
  });

  it('loses nothing direct, and through the relay loses exactly what the relay dropped, replayably', async () => {
    const { demo, events } = await startUdp();
    const direct = await demo.commands.exchange.run(
      { count: 10, size: 16, via: 'direct', relay, waitMs: 500 },
      {
        session: 's',
      },
    );
    expect(direct).toMatchObject({ sent: 10, lost: [], seed: null });
    const args = { count: 30, size: 16, via: 'relay', relay, waitMs: 500 };
    const first = (await demo.commands.exchange.run(args, { session: 's' })) as {
      lost: number[];
      arrivals: number[];
      relay: { dropped: number; held: number };
      seed: number;
    };
    const second = (await demo.commands.exchange.run(args, { session: 's' })) as typeof first;
    expect(first.seed).toBe(42);
    expect(first.lost.length).toBe(first.relay.dropped);
    expect(first.lost.length).toBeGreaterThan(0);
    expect(first.arrivals.length + first.lost.length).toBe(30);
    // The same seed drops the same datagrams again.
    expect(second.lost).toEqual(first.lost);
    const drops = events.filter((e) => e.kind === 'udp.relay' && e.action === 'drop' && e.seed === 42);
    expect(drops.length).toBe(first.relay.dropped + second.relay.dropped);
    expect(events.filter((e) => e.kind === 'udp.runEnd')).toHaveLength(3);
  });

  it('keeps every write a datagram of its own, while the late TCP reader gets them merged', async () => {
    const { demo } = await startUdp();
    const r = (await demo.commands.compare.run({ count: 10, size: 32 }, { session: 's' })) as {
      udpReads: number[];
      tcpReads: number[];
      udpDatagramsCaptured: number | null;
    };
    expect(r.udpReads).toEqual(Array(10).fill(32));
    expect(r.tcpReads.reduce((a, b) => a + b, 0)).toBe(320);
    expect(r.tcpReads.length).toBeLessThan(10);
    expect(r.udpDatagramsCaptured).toBeNull(); // capture off in this test
  });

  it('echoes 65,507 bytes and reports the kernel refusing one byte more, with a stable code', async () => {
    const { demo } = await startUdp();
    expect(await demo.commands.size.run({ size: 65507 }, { session: 's' })).toMatchObject({
      sent: true,
      echoed: 65507,
    });
    expect(await demo.commands.size.run({ size: 65508 }, { session: 's' })).toMatchObject({
      sent: false,
      error: { code: 'E_UDP_DATAGRAM_TOO_LARGE' },
    });
  });

  it("bounds one client's flood by its budget and keeps answering another client", async () => {
    const { demo, events } = await startUdp();
    const r = (await demo.commands.flood.run({ count: 2000 }, { session: 's' })) as {
      echoed: number;
      droppedByBudget: number;
      receivedByServer: number;
      budget: { burst: number };
    };
    expect(r.droppedByBudget).toBeGreaterThan(0);
    expect(r.echoed).toBeLessThan(r.receivedByServer);
    expect(r.echoed).toBeGreaterThanOrEqual(r.budget.burst);
    expect(events.some((e) => e.kind === 'udp.flooded')).toBe(true);
    const other = await demo.commands.exchange.run(
      { count: 5, size: 16, via: 'direct', relay, waitMs: 500 },
      { session: 't' },
    );
    expect(other).toMatchObject({ lost: [] });
  });

  it.runIf(process.platform === 'linux')(
    "reads the kernel's table: UDP sockets CLOSE or ESTABLISHED (connected), beside TCP's states",
    async () => {
      const { demo } = await startUdp();
      const r = (await demo.commands.sockets.run({}, { session: 's' })) as {
        rows: Array<{ role: string; protocol: string; state: string }>;
      };
      const state = (role: string) => r.rows.find((row) => row.role === role)?.state;
      expect(state('echo server')).toBe('CLOSE');
      expect(state('unconnected client')).toBe('CLOSE');
      expect(state('connected client')).toBe('ESTABLISHED');
      expect(state('TCP listener')).toBe('LISTEN');
      expect(state('TCP client')).toBe('ESTABLISHED');
    },
  );
});
