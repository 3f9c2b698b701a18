// The connection-pool demo over real loopback TCP, with the real packet capture: dial per request against the pool
// (handshakes counted by the capture agree with the pool's dials; the pool's are far fewer), the proxy's reset of
// the pool's idle connections with and without the health check, the unprivileged capture's fallback, ownership.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { PoolRunArgs } from '../../../core/protocol/demos/connectionPool.js';
import { ConnectionPoolDemo, type ConnectionPoolDemoOptions } from './connectionPoolDemo.js';

const demos: ConnectionPoolDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) await d.stop();
});

async function startDemo(options: ConnectionPoolDemoOptions = {}) {
  const demo = new ConnectionPoolDemo(options);
  const events: LabEventBody[] = [];
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  demos.push(demo);
  return { demo, events };
}

function ofKind<K extends LabEventBody['kind']>(events: LabEventBody[], kind: K) {
  return events.filter((e): e is Extract<LabEventBody, { kind: K }> => e.kind === kind);
}

const args = (a: Partial<PoolRunArgs>) => PoolRunArgs.parse({ callers: 4, runMs: 700, ...a });

describe('connection-pool demo', () => {
  it('dial per request: one handshake per request, seen by the capture as exactly the pool’s dials', async () => {
    const { demo, events } = await startDemo();
    const t = await demo.runCallers(args({ mode: 'dial' }));
    expect(t.ok).toBeGreaterThan(20);
    expect(t.failed).toBe(0);
    expect(t.counters.dials).toBe(t.ok);
    expect(t.counters.reuses).toBe(0);
    // The capture's count is its own observation: the callers' SYNs to the proxy, and the proxy's to the server.
    expect(t.capturedHandshakes).toEqual({ toProxy: t.counters.dials, toServer: t.counters.dials });
    expect(ofKind(events, 'pool.runStart')[0]?.capture.capturing).toBe(true);
    const stats = ofKind(events, 'pool.stats');
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.some((s) => (s.handshakesPerSec ?? 0) > 0)).toBe(true);
  });

  it('pool: the callers share at most maxOpen connections, so handshakes are far fewer than requests', async () => {
    const { demo } = await startDemo();
    const t = await demo.runCallers(args({ mode: 'pool', pool: { ...args({}).pool, maxOpen: 4, maxIdle: 4 } }));
    expect(t.ok).toBeGreaterThan(20);
    expect(t.failed).toBe(0);
    expect(t.counters.dials).toBeLessThanOrEqual(4);
    expect(t.counters.reuses).toBe(t.ok - t.counters.dials);
    expect(t.capturedHandshakes?.toProxy).toBe(t.counters.dials);
    expect(t.ok).toBeGreaterThan(5 * t.counters.dials);
  });

  it('the proxy resets the idle connections: the health check discards them and no request fails', async () => {
    const { demo, events } = await startDemo();
    const t = await demo.runCallers(args({ mode: 'pool', runMs: 1200, resetIdleAtMs: [600] }));
    const reset = ofKind(events, 'pool.reset');
    expect(reset).toHaveLength(1);
    expect(reset[0]!.connections).toBeGreaterThan(0);
    // Every reset connection was found dead on checkout (some may have closed by the idle timeout: none here).
    expect(t.counters.discardedUnhealthy).toBe(reset[0]!.connections);
    expect(t.failed).toBe(0);
    expect(t.counters.dials).toBe(t.capturedHandshakes?.toProxy);
    // The proxy's fault is an event on the lab's bus.
    expect(ofKind(events, 'fault.injected').length).toBeGreaterThanOrEqual(reset[0]!.connections);
  });

  it('without the health check the dead connections are handed out and those requests fail', async () => {
    const { demo, events } = await startDemo();
    const run = args({ mode: 'pool', runMs: 1200, resetIdleAtMs: [600] });
    const t = await demo.runCallers({ ...run, pool: { ...run.pool, healthCheck: false } });
    const n = ofKind(events, 'pool.reset')[0]!.connections;
    expect(n).toBeGreaterThan(0);
    expect(t.counters.discardedUnhealthy).toBe(0);
    expect(t.failedOnDeadConn).toBe(n);
    expect(t.counters.closedBroken).toBe(n);
  });

  it('as an unprivileged user the capture is unavailable: the run says so and counts the pool’s dials only', async () => {
    const { demo, events } = await startDemo({ capture: { runAsUser: 'nobody' } });
    const t = await demo.runCallers(args({ mode: 'dial', runMs: 500 }));
    expect(t.capturedHandshakes).toBeNull();
    expect(t.counters.dials).toBeGreaterThan(0);
    const info = ofKind(events, 'pool.runStart')[0]!.capture;
    expect(info.capturing).toBe(false);
    expect(info.error?.code).toBe('E_CAPTURE_NOT_PERMITTED');
    expect(ofKind(events, 'pool.stats').every((s) => s.handshakesPerSec === null)).toBe(true);
  });

  it('one run at a time: another page is refused, the owner’s page closing stops its run', async () => {
    const { demo, events } = await startDemo({ capture: false });
    await demo.commands.run.run(args({ runMs: 5000 }), { session: 'a', local: true });
    await expect(
      Promise.resolve().then(() => demo.commands.run.run(args({}), { session: 'b', local: true })),
    ).rejects.toMatchObject({ code: 'E_DEMO_IN_USE' });
    await expect(demo.commands.stop.run({}, { session: 'b', local: false })).rejects.toMatchObject({
      code: 'E_NOT_OWNER',
    });
    demo.sessionClosed('a');
    for (let i = 0; i < 200 && ofKind(events, 'pool.runEnd').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const end = ofKind(events, 'pool.runEnd')[0];
    expect(end?.stoppedEarly).toBe(true);
    expect(end!.durationMs).toBeLessThan(5000);
  });

  it('rejects run settings out of range with the field named', () => {
    expect(PoolRunArgs.safeParse({ callers: 0 }).success).toBe(false);
    expect(PoolRunArgs.safeParse({ runMs: 60_000 }).success).toBe(false);
    expect(PoolRunArgs.safeParse({ runMs: 1000, resetIdleAtMs: [2000] }).success).toBe(false);
    expect(PoolRunArgs.safeParse({ pool: { maxOpen: 0 } }).success).toBe(false);
  });
});
